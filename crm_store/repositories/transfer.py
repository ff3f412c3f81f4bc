"""SQL for moving the whole store in and out: every table in order, emptiness, bulk inserts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, exists, select
from sqlalchemy.orm import Session

from crm_store.models import (
    Appointment,
    Base,
    Broker,
    BuyerRequest,
    Contact,
    CuratedList,
    FollowUp,
    Listing,
    Note,
    Notification,
    Plan,
    Proposal,
    StageChange,
)
from crm_store.repositories.base import bulk_insert, count

# Canonical entity name → table, in SPEC §2 order (parents before the rows that point at them).
TABLES: dict[str, type[Base]] = {
    "brokers": Broker,
    "contacts": Contact,
    "listings": Listing,
    "buyer_requests": BuyerRequest,
    "stage_changes": StageChange,
    "follow_ups": FollowUp,
    "appointments": Appointment,
    "notes": Note,
    "curated_lists": CuratedList,
    "notifications": Notification,
    "plans": Plan,
    "proposals": Proposal,
}

# Rows per INSERT round trip: large enough to be fast, small enough to bound memory per batch.
_BATCH = 5_000


def read_rows(session: Session, entity: str) -> list[dict[str, Any]]:
    """Every row of one entity as plain column → value dicts (Core rows: fast for 100k)."""
    table = TABLES[entity].__table__
    return [dict(row) for row in session.execute(select(table)).mappings()]


def column_names(entity: str) -> tuple[str, ...]:
    return tuple(column.name for column in TABLES[entity].__table__.columns)


def string_limits(entity: str) -> dict[str, int]:
    """Column → the longest string it holds (PostgreSQL enforces it; SQLite would not)."""
    limits: dict[str, int] = {}
    for column in TABLES[entity].__table__.columns:
        if isinstance(column.type, String) and column.type.length:
            limits[column.name] = column.type.length
    return limits


def nonempty_counts(session: Session) -> dict[str, int]:
    """Rows per entity, only for entities that have any (empty dict: a fresh store)."""
    counts: dict[str, int] = {}
    for entity, model in TABLES.items():
        table = model.__table__
        if session.execute(select(exists().select_from(table))).scalar():
            counts[entity] = count(session, model)
    return counts


def insert_rows(session: Session, entity: str, rows: list[dict[str, Any]]) -> None:
    """Bulk-insert rows that already passed validation, in batches; no audit entry per row."""
    model = TABLES[entity]
    for start in range(0, len(rows), _BATCH):
        bulk_insert(session, model, rows[start : start + _BATCH])
    session.flush()
