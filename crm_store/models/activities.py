"""What brokers do with clients: follow-ups, appointments (meetings and showings), notes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_store.models.base import Base, UTCDateTime
from crm_store.models.deals import DealLink


class FollowUp(DealLink, Base):
    """A promised next contact. "Missed" is derived (open and due in the past), never stored."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        Index("ix_follow_ups_owner_status_due", "owner", "status", "due_at"),
        Index("ix_follow_ups_listing", "listing_id"),
        Index("ix_follow_ups_buyer_request", "buyer_request_id"),
        Index("ix_follow_ups_contact", "contact"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(ForeignKey("brokers.id"))
    contact: Mapped[str] = mapped_column(ForeignKey("contacts.id"))
    listing_id: Mapped[str | None] = mapped_column(ForeignKey("listings.id"))
    buyer_request_id: Mapped[str | None] = mapped_column(ForeignKey("buyer_requests.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(16), default="call")
    purpose: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(Text)


class Appointment(DealLink, Base):
    """A meeting, or a showing when listings are attached; the truth point of the pipeline."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_owner_scheduled", "owner", "scheduled_at"),
        Index("ix_appointments_contact", "contact"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(ForeignKey("brokers.id"))
    contact: Mapped[str] = mapped_column(ForeignKey("contacts.id"))
    listing_id: Mapped[str | None] = mapped_column(ForeignKey("listings.id"))
    buyer_request_id: Mapped[str | None] = mapped_column(ForeignKey("buyer_requests.id"))
    listings: Mapped[list[Any]] = mapped_column(default=list)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    feedback: Mapped[list[Any]] = mapped_column(default=list)
    next_step: Mapped[str | None] = mapped_column(Text)


class Note(DealLink, Base):
    """A broker's note or dictation; the raw text is kept whatever extraction made of it."""

    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_contact", "contact"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    author: Mapped[str] = mapped_column(ForeignKey("brokers.id"))
    contact: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    listing_id: Mapped[str | None] = mapped_column(ForeignKey("listings.id"))
    buyer_request_id: Mapped[str | None] = mapped_column(ForeignKey("buyer_requests.id"))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="text")
    transcript: Mapped[str | None] = mapped_column(Text)
    facts: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
