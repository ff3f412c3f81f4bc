"""What the copilot produces for brokers and managers: curated lists, notifications, plans,
and proposals (changes waiting for the broker's yes)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_store.models.base import Base, Money, UTCDateTime


class CuratedList(Base):
    __tablename__ = "curated_lists"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(ForeignKey("brokers.id"))
    buyer_request: Mapped[str] = mapped_column(ForeignKey("buyer_requests.id"))
    items: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Notification(Base):
    """A nudge: recorded (unique dedupe key) before it is sent, marked sent after."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_status", "status"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    broker: Mapped[str] = mapped_column(ForeignKey("brokers.id"))
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    channel: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="pending")


class Plan(Base):
    """A monthly revenue and deal target, for a broker or (broker empty) the whole team."""

    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team: Mapped[str] = mapped_column(String(100))
    broker: Mapped[str | None] = mapped_column(ForeignKey("brokers.id"))
    period: Mapped[str] = mapped_column(String(7))
    revenue_target: Mapped[Decimal | None] = mapped_column(Money())
    deals_target: Mapped[int | None]


class Proposal(Base):
    """A change the copilot waits to have confirmed (SPEC §2, §9): the exact tool calls, the
    read-back the broker saw, and its fate. Accepting flips `status` once, in the same
    transaction as the calls' writes, so a second yes or a redelivered button changes nothing."""

    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_thread_status", "broker", "thread", "status"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    broker: Mapped[str] = mapped_column(ForeignKey("brokers.id"))
    channel: Mapped[str] = mapped_column(String(32))
    thread: Mapped[str] = mapped_column(String(200))
    calls: Mapped[list[Any]] = mapped_column(default=list)
    readback: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
