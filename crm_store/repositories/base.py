"""Id generation, inserts and the audit trail shared by every repository."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from crm_store.context import Ctx
from crm_store.models import (
    Appointment,
    AuditEntry,
    Base,
    Broker,
    BuyerRequest,
    Contact,
    CuratedList,
    FollowUp,
    IdCounter,
    Listing,
    Note,
    Notification,
    Plan,
    Proposal,
    StageChange,
)

ModelT = TypeVar("ModelT", bound=Base)

ID_PREFIXES: dict[type[Base], str] = {
    Broker: "b",
    Contact: "c",
    Listing: "l",
    BuyerRequest: "r",
    StageChange: "sc",
    FollowUp: "f",
    Appointment: "a",
    Note: "n",
    CuratedList: "cl",
    Notification: "nt",
    Plan: "p",
    Proposal: "pr",
}

_NUMBERED = re.compile(r"^([a-z]+)-(\d+)$")


def next_id(session: Session, model: type[Base]) -> str:
    """A new readable id ("c-42"); the counter row is locked for the rest of the transaction."""
    prefix = ID_PREFIXES[model]
    updated = session.execute(
        update(IdCounter)
        .where(IdCounter.prefix == prefix)
        .values(last=IdCounter.last + 1)
        .returning(IdCounter.last)
    ).scalar_one_or_none()
    if updated is None:
        # First id of this kind: start after any imported ids that already look like ours.
        start = _highest_numbered(session, model, prefix) + 1
        session.add(IdCounter(prefix=prefix, last=start))
        session.flush()
        updated = start
    candidate = f"{prefix}-{updated}"
    while session.get(model, candidate) is not None:  # an imported id took this number
        updated += 1
        candidate = f"{prefix}-{updated}"
        session.execute(update(IdCounter).where(IdCounter.prefix == prefix).values(last=updated))
    return candidate


def _highest_numbered(session: Session, model: type[Base], prefix: str) -> int:
    column: Any = model.id  # type: ignore[attr-defined]
    ids = session.execute(select(column).where(column.like(f"{prefix}-%"))).scalars()
    best = 0
    for value in ids:
        match = _NUMBERED.match(value)
        if match and match.group(1) == prefix:
            best = max(best, int(match.group(2)))
    return best


def reset_counters(session: Session) -> None:
    """Re-derive every counter from the ids present (after an import)."""
    session.execute(delete(IdCounter))
    for model, prefix in ID_PREFIXES.items():
        highest = _highest_numbered(session, model, prefix)
        if highest:
            session.add(IdCounter(prefix=prefix, last=highest))
    session.flush()


def add(ctx: Ctx, obj: ModelT, *, action: str = "create", audit: bool = True) -> ModelT:
    """Insert `obj` (giving it an id when it has none) and record who created it."""
    if getattr(obj, "id", None) is None:
        obj.id = next_id(ctx.session, type(obj))  # type: ignore[attr-defined]
    ctx.session.add(obj)
    ctx.session.flush()
    if audit:
        record(ctx, action=action, entity=obj.__tablename__, entity_id=obj.id)  # type: ignore[attr-defined]
    return obj


def record(
    ctx: Ctx, *, action: str, entity: str, entity_id: str, changes: dict[str, Any] | None = None
) -> None:
    """Append to the audit trail: who, when, which channel, which message (SPEC §9)."""
    ctx.session.add(
        AuditEntry(
            at=ctx.now(),
            broker=ctx.actor.broker_id,
            channel=ctx.actor.channel,
            message=ctx.actor.message,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=_jsonable(changes) if changes else None,
        )
    )


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    from datetime import datetime
    from decimal import Decimal

    def convert(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    return {key: convert(value) for key, value in changes.items()}


def count(session: Session, model: type[Base]) -> int:
    return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def bulk_insert(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert many plain rows in one statement (demo generation, imports); no audit entries."""
    if rows:
        from sqlalchemy import insert

        # render_nulls keeps one statement for the batch: without it the ORM starts a new
        # statement whenever the set of None columns changes from one row to the next.
        session.execute(insert(model).execution_options(render_nulls=True), rows)
