"""Bookkeeping that is not part of the canonical export: the audit trail and id counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_store.models.base import Base, UTCDateTime


class AuditEntry(Base):
    """Who changed what, when, through which channel and in answer to which message (SPEC §9)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    broker: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict[str, Any] | None] = mapped_column(default=None)


class IdCounter(Base):
    """The last number handed out per id prefix, so new ids read like "c-42"."""

    __tablename__ = "id_counters"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class ApiToken(Base):
    """A broker's personal token for the HTTP API and the board (only its hash is kept)."""

    __tablename__ = "api_tokens"

    token_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    broker: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(default=False)
