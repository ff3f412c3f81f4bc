"""SQL of the nudge engine: lean reads of what may be due, recording once per key, delivery state.

The reads that run on every pass select a few columns, never whole rows: the daemon evaluates
the whole brokerage every minute, and loading 5k deals as ORM objects alone costs more than
the pass may take. Whole rows are loaded only for the nudges actually being recorded.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crm_store.models import (
    Appointment,
    Broker,
    BuyerRequest,
    Contact,
    FollowUp,
    IdCounter,
    Listing,
    Note,
    Notification,
    StageChange,
)
from crm_store.repositories.base import ID_PREFIXES, next_id
from crm_store.repositories.deals import CLOSED_BUYER, CLOSED_SELLER, _covered

CHUNK = 500


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


class Due(NamedTuple):
    """A follow-up or appointment that may need a nudge: id, owner, when."""

    id: str
    owner: str
    at: datetime


class OpenDeal(NamedTuple):
    id: str
    seller_side: bool
    owner: str
    client: str | None
    created_at: datetime


# --- brokers and keys ------------------------------------------------------------------------


def active_brokers(session: Session) -> list[Broker]:
    query = select(Broker).where(Broker.active.is_(True)).order_by(Broker.id)
    return list(session.execute(query).scalars())


def brokers_by_ids(session: Session, ids: Collection[str]) -> dict[str, Broker]:
    if not ids:
        return {}
    query = select(Broker).where(Broker.id.in_(list(ids)))
    return {broker.id: broker for broker in session.execute(query).scalars()}


def team_members(session: Session, teams: Collection[str]) -> dict[str, set[str]]:
    """team → every broker id in it (inactive ones too: their records are still the team's)."""
    if not teams:
        return {}
    found: dict[str, set[str]] = {}
    query = select(Broker.team, Broker.id).where(Broker.team.in_(list(teams)))
    for team, broker_id in session.execute(query):
        found.setdefault(team, set()).add(broker_id)
    return found


def ids_of_keys(session: Session, keys: Collection[str]) -> dict[str, str]:
    """dedupe key → notification id, for the keys already recorded (whatever their status)."""
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(set(keys))):
        query = select(Notification.dedupe_key, Notification.id).where(
            Notification.dedupe_key.in_(chunk)
        )
        found.update({row[0]: row[1] for row in session.execute(query)})
    return found


# --- recording -------------------------------------------------------------------------------


def reserve_ids(session: Session, count: int) -> list[str]:
    """`count` consecutive notification ids ("nt-17"…) for one bulk insert.

    The first goes through next_id (it creates the counter and steps over imported ids); the
    rest move the counter in one update, so a thousand nudges cost two statements, not 2000.
    """
    if count <= 0:
        return []
    first = next_id(session, Notification)
    prefix = ID_PREFIXES[Notification]
    number = int(first.rsplit("-", 1)[1])
    if count > 1:
        session.execute(
            update(IdCounter)
            .where(IdCounter.prefix == prefix)
            .values(last=IdCounter.last + (count - 1))
        )
    return [f"{prefix}-{number + offset}" for offset in range(count)]


def insert_new(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert notification rows, silently skipping any whose dedupe key (or id) is taken.

    INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL: a key another process recorded
    a moment ago is skipped by the database itself, not by a check that could race.
    """
    if not rows:
        return
    # The two databases we run on; both skip a conflicting row instead of failing the batch.
    dialect = session.get_bind().dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for chunk in _chunks(rows):
        session.execute(upsert(Notification).on_conflict_do_nothing(), chunk)


# --- delivery state --------------------------------------------------------------------------


def pending(session: Session, *, limit: int | None = None) -> list[Notification]:
    """Notifications waiting to be delivered, oldest first (index on status)."""
    query = (
        select(Notification)
        .where(Notification.status == "pending")
        .order_by(Notification.created_at, Notification.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def mark_sent(session: Session, notification_id: str, *, at: datetime) -> bool:
    """pending → sent; False when it was not pending any more (another pass got there)."""
    result = session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "pending")
        .values(status="sent", sent_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def save_attempt(
    session: Session, notification_id: str, *, payload: dict[str, Any], status: str
) -> None:
    """Store a failed attempt (in the payload) and the status it leaves the nudge in."""
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "pending")
        .values(payload=payload, status=status)
        .execution_options(synchronize_session=False)
    )


# --- what may be due (lean) ------------------------------------------------------------------


def follow_ups_due_between(session: Session, *, start: datetime, end: datetime) -> list[Due]:
    """Open follow-ups due in [start, end]."""
    query = select(FollowUp.id, FollowUp.owner, FollowUp.due_at).where(
        FollowUp.status == "open", FollowUp.due_at >= start, FollowUp.due_at <= end
    )
    return [Due(*row) for row in session.execute(query)]


def follow_ups_overdue_since(session: Session, *, since: datetime, now: datetime) -> list[Due]:
    """Open follow-ups due in [since, now): they became overdue within the look-back."""
    query = select(FollowUp.id, FollowUp.owner, FollowUp.due_at).where(
        FollowUp.status == "open", FollowUp.due_at >= since, FollowUp.due_at < now
    )
    return [Due(*row) for row in session.execute(query)]


def appointments_due_between(session: Session, *, start: datetime, end: datetime) -> list[Due]:
    """Scheduled appointments in [start, end]."""
    query = select(Appointment.id, Appointment.owner, Appointment.scheduled_at).where(
        Appointment.status == "scheduled",
        Appointment.scheduled_at >= start,
        Appointment.scheduled_at <= end,
    )
    return [Due(*row) for row in session.execute(query)]


def open_deals(session: Session, *, created_before: datetime | None = None) -> list[OpenDeal]:
    """Every open deal of both sides as (id, side, owner, client, created_at)."""
    listings = select(Listing.id, Listing.owner, Listing.seller, Listing.created_at).where(
        Listing.stage.not_in(CLOSED_SELLER)
    )
    requests = select(
        BuyerRequest.id, BuyerRequest.owner, BuyerRequest.buyer, BuyerRequest.created_at
    ).where(BuyerRequest.stage.not_in(CLOSED_BUYER))
    if created_before is not None:
        listings = listings.where(Listing.created_at <= created_before)
        requests = requests.where(BuyerRequest.created_at <= created_before)
    found = [OpenDeal(row[0], True, row[1], row[2], row[3]) for row in session.execute(listings)]
    found += [OpenDeal(row[0], False, row[1], row[2], row[3]) for row in session.execute(requests)]
    return found


def uncovered_deals(session: Session, *, now: datetime) -> list[tuple[str, bool, str]]:
    """Open deals with no open follow-up due from now on (the gap rule of deals.py, lean):
    (id, seller side, owner)."""
    listings = select(Listing.id, Listing.owner).where(
        Listing.stage.not_in(CLOSED_SELLER),
        ~_covered(Listing.id, FollowUp.listing_id, Listing.seller, now),
    )
    requests = select(BuyerRequest.id, BuyerRequest.owner).where(
        BuyerRequest.stage.not_in(CLOSED_BUYER),
        ~_covered(BuyerRequest.id, FollowUp.buyer_request_id, BuyerRequest.buyer, now),
    )
    found = [(row[0], True, row[1]) for row in session.execute(listings)]
    found += [(row[0], False, row[1]) for row in session.execute(requests)]
    return found


def active_since(session: Session, *, since: datetime, now: datetime) -> tuple[set[str], set[str]]:
    """Deals and contacts (records naming no deal) with activity after `since`: stage moves,
    done follow-ups, held appointments (and the listings they showed), notes — the activity
    that deal probability counts."""
    deals: set[str] = set()
    contacts: set[str] = set()

    def collect(rows: Any) -> None:
        for listing_id, request_id, contact in rows:
            if listing_id or request_id:
                deals.add(listing_id or request_id)
            elif contact:
                contacts.add(contact)

    moved = select(StageChange.listing_id, StageChange.buyer_request_id).where(
        StageChange.at > since
    )
    deals.update(row[0] or row[1] or "" for row in session.execute(moved))
    done = and_(FollowUp.status == "done", FollowUp.completed_at > since)
    collect(
        session.execute(
            select(FollowUp.listing_id, FollowUp.buyer_request_id, FollowUp.contact).where(done)
        )
    )
    held = and_(
        Appointment.status == "done",
        Appointment.scheduled_at > since,
        Appointment.scheduled_at <= now,
    )
    query = select(
        Appointment.listing_id, Appointment.buyer_request_id, Appointment.contact,
        Appointment.listings,
    ).where(held)  # fmt: skip
    for listing_id, request_id, contact, shown in session.execute(query):
        collect([(listing_id, request_id, contact)])
        deals.update(str(item) for item in shown or ())
    collect(
        session.execute(
            select(Note.listing_id, Note.buyer_request_id, Note.contact).where(
                Note.created_at > since
            )
        )
    )
    return deals, contacts


# --- whole rows for the nudges being recorded ------------------------------------------------

Deal = Listing | BuyerRequest
FollowUpRow = tuple[FollowUp, Contact | None]
AppointmentRow = tuple[Appointment, Contact | None]


def _with_client(session: Session, model: Any, client: Any, ids: Collection[str]) -> dict[str, Any]:
    """id → (row, its contact) for rows of `model` whose contact column is `client`."""
    found: dict[str, Any] = {}
    for chunk in _chunks(sorted(set(ids))):
        query = select(model, Contact).outerjoin(Contact, Contact.id == client)
        for row in session.execute(query.where(model.id.in_(chunk))):
            found[row[0].id] = (row[0], row[1])
    return found


def follow_ups_by_ids(session: Session, ids: Collection[str]) -> dict[str, FollowUpRow]:
    return _with_client(session, FollowUp, FollowUp.contact, ids)


def appointments_by_ids(session: Session, ids: Collection[str]) -> dict[str, AppointmentRow]:
    return _with_client(session, Appointment, Appointment.contact, ids)


def deals_by_ids(session: Session, ids: Collection[str]) -> dict[str, tuple[Deal, Contact | None]]:
    """Deals of either side with their client."""
    found = _with_client(session, Listing, Listing.seller, ids)
    found.update(_with_client(session, BuyerRequest, BuyerRequest.buyer, ids))
    return found
