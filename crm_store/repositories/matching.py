"""Store reads for matching (column rows, not ORM objects: 100k listings load in ~1 s)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_store.models import (
    Appointment,
    AuditEntry,
    Broker,
    BuyerRequest,
    Contact,
    Listing,
    Notification,
)
from crm_store.vocabulary import is_terminal

ACTIVE = "active_listing"
LISTING_COLUMNS = (
    Listing.id, Listing.owner, Listing.stage, Listing.property_type, Listing.city,
    Listing.district, Listing.address, Listing.price, Listing.bedrooms, Listing.bathrooms,
    Listing.area_m2, Listing.features, Listing.description, Listing.updated_at,
)  # fmt: skip
REQUEST_COLUMNS = (
    BuyerRequest.id, BuyerRequest.owner, BuyerRequest.buyer, BuyerRequest.stage,
    BuyerRequest.budget_min, BuyerRequest.budget_max, BuyerRequest.cities,
    BuyerRequest.districts, BuyerRequest.property_types, BuyerRequest.bedrooms_min,
    BuyerRequest.must_haves, BuyerRequest.wishes, BuyerRequest.updated_at,
)  # fmt: skip
OPEN_REQUEST = BuyerRequest.stage.not_in(("closed_won", "closed_lost"))
_CHUNK = 500


def is_open_request(stage: str) -> bool:
    return not is_terminal(stage)


def active_listing_rows(
    session: Session, *, since: datetime | None = None, batch: int = 20_000
) -> Iterator[Sequence[Any]]:
    """Active listings (all of them, or those updated since a moment), in batches."""
    query = select(*LISTING_COLUMNS).where(Listing.stage == ACTIVE)
    if since is not None:
        query = select(*LISTING_COLUMNS).where(Listing.updated_at >= since)
    result = session.execute(query.execution_options(yield_per=batch))
    yield from result.partitions(batch)


def open_request_rows(
    session: Session, *, since: datetime | None = None, batch: int = 20_000
) -> Iterator[Sequence[Any]]:
    """Open buyer requests (or every request updated since a moment), in batches."""
    query = select(*REQUEST_COLUMNS).where(OPEN_REQUEST)
    if since is not None:
        query = select(*REQUEST_COLUMNS).where(BuyerRequest.updated_at >= since)
    result = session.execute(query.execution_options(yield_per=batch))
    yield from result.partitions(batch)


def listing_rows_by_id(session: Session, ids: Collection[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in _chunks(list(ids)):
        for row in session.execute(select(*LISTING_COLUMNS).where(Listing.id.in_(chunk))):
            found[row.id] = row
    return found


def request_rows_by_id(session: Session, ids: Collection[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in _chunks(list(ids)):
        query = select(*REQUEST_COLUMNS).where(BuyerRequest.id.in_(chunk))
        for row in session.execute(query):
            found[row.id] = row
    return found


def listing_stamps(session: Session, ids: Collection[str]) -> dict[str, Any]:
    """id → updated_at of these listings: enough to tell whether a parsed copy is current."""
    found: dict[str, Any] = {}
    for chunk in _chunks(list(ids)):
        query = select(Listing.id, Listing.updated_at).where(Listing.id.in_(chunk))
        found.update({row.id: row.updated_at for row in session.execute(query)})
    return found


def request_stamps(session: Session, ids: Collection[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in _chunks(list(ids)):
        query = select(BuyerRequest.id, BuyerRequest.updated_at).where(BuyerRequest.id.in_(chunk))
        found.update({row.id: row.updated_at for row in session.execute(query)})
    return found


def fingerprint(session: Session, model: type[Listing] | type[BuyerRequest]) -> tuple[int, Any]:
    """Row count and latest update: when neither moved, nothing was added or changed."""
    row = session.execute(select(func.count(), func.max(model.updated_at))).one()
    return int(row[0]), row[1]


def last_audit_id(session: Session) -> int:
    """The newest audit entry: a cheap way to learn whether anything was written."""
    return int(session.execute(select(func.max(AuditEntry.id))).scalar_one() or 0)


def audited_since(session: Session, after: int) -> dict[str, list[str]]:
    """Listings and buyer requests written (per the audit trail) after an audit entry."""
    changed: dict[str, list[str]] = {"listings": [], "buyer_requests": []}
    query = select(AuditEntry.entity, AuditEntry.entity_id).where(
        AuditEntry.id > after, AuditEntry.entity.in_(tuple(changed))
    )
    for entity, entity_id in session.execute(query):
        if entity_id not in changed[entity]:
            changed[entity].append(entity_id)
    return changed


def team_of(session: Session, broker_id: str) -> str | None:
    return session.execute(select(Broker.team).where(Broker.id == broker_id)).scalar_one_or_none()


def team_members(session: Session, team: str) -> set[str]:
    return set(session.execute(select(Broker.id).where(Broker.team == team)).scalars())


def broker_names(session: Session, ids: Collection[str]) -> dict[str, str]:
    rows = session.execute(select(Broker.id, Broker.name).where(Broker.id.in_(list(ids))))
    return {row.id: row.name for row in rows}


def contact_names(session: Session, ids: Collection[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in _chunks(list(ids)):
        rows = session.execute(select(Contact.id, Contact.full_name).where(Contact.id.in_(chunk)))
        found.update({row.id: row.full_name for row in rows})
    return found


def disliked_listing_ids(session: Session, contact_id: str) -> set[str]:
    """Listings this contact reacted to with "disliked" at any showing."""
    disliked: set[str] = set()
    query = select(Appointment.feedback).where(Appointment.contact == contact_id)
    for feedback in session.execute(query).scalars():
        for item in feedback or ():
            if (
                isinstance(item, dict)
                and item.get("reaction") == "disliked"
                and item.get("listing")
            ):
                disliked.add(str(item["listing"]))
    return disliked


def existing_dedupe_keys(session: Session, keys: Collection[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(list(keys)):
        query = select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))
        found.update(session.execute(query).scalars())
    return found


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
