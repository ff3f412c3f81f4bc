"""Brokers (the team) and contacts (their clients)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_store.models.base import Base, UTCDateTime


class Broker(Base):
    __tablename__ = "brokers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="broker")
    team: Mapped[str] = mapped_column(String(100), default="main")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Nicosia")
    language: Mapped[str] = mapped_column(String(8), default="en")
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_owner_name", "owner", "full_name"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(ForeignKey("brokers.id"))
    full_name: Mapped[str] = mapped_column(String(200))
    phones: Mapped[list[Any]] = mapped_column(default=list)
    emails: Mapped[list[Any]] = mapped_column(default=list)
    language: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(16), default="other")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
