"""Batched reads behind deal probabilities: learned stage rates and each deal's recent activity.

Everything here is a handful of grouped queries per few hundred deals, never one per deal:
the nudge engine scores every open deal of the brokerage on each pass.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, distinct, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from crm_store.models import (
    Appointment,
    BuyerRequest,
    Contact,
    FollowUp,
    Listing,
    Note,
    StageChange,
)
from crm_store.models.base import UTCDateTime
from crm_store.repositories.deals import owned_by
from crm_store.vocabulary import BUYER_EXIT, SELLER_EXIT

# Deals per round trip: each query binds up to three id lists of this size (3k parameters:
# well inside SQLite's 32k and PostgreSQL's 65k; fewer round trips matter more than size).
CHUNK = 1000


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def stage_reach(
    session: Session, *, seller: bool, owner_ids: Collection[str] | None
) -> dict[str, tuple[int, int]]:
    """stage → (closed deals that reached it, of which won), over deals now closed (won, or
    withdrawn / lost), from their stage history; one grouped query."""
    model: Any = Listing if seller else BuyerRequest
    link = StageChange.listing_id if seller else StageChange.buyer_request_id
    lost = SELLER_EXIT if seller else BUYER_EXIT
    won_id = case((model.stage == "closed_won", model.id), else_=None)
    query = (
        select(StageChange.to_stage, func.count(distinct(model.id)), func.count(distinct(won_id)))
        .join(model, model.id == link)
        .where(model.stage.in_(("closed_won", lost)), owned_by(model.owner, owner_ids))
        .group_by(StageChange.to_stage)
    )
    return {row[0]: (int(row[1]), int(row[2])) for row in session.execute(query)}


@dataclass
class Activity:
    """Latest activity, overdue follow-ups and done appointments, per listing, request and
    contact (contact entries count only records that name no deal)."""

    last: dict[tuple[str, str], datetime] = field(default_factory=dict)
    overdue: set[tuple[str, str]] = field(default_factory=set)
    appointment: dict[tuple[str, str], datetime] = field(default_factory=dict)

    def touch(self, key: tuple[str, str], at: datetime | None) -> None:
        if at is not None and (key not in self.last or at > self.last[key]):
            self.last[key] = at

    def met(self, key: tuple[str, str], at: datetime | None) -> None:
        if at is not None and (key not in self.appointment or at > self.appointment[key]):
            self.appointment[key] = at
        self.touch(key, at)


def _key(listing_id: str | None, request_id: str | None, contact_id: str | None) -> tuple[str, str]:
    if listing_id:
        return ("listing", listing_id)
    if request_id:
        return ("request", request_id)
    return ("contact", contact_id or "")


def _linked(
    model: Any, listings: Sequence[str], requests: Sequence[str], contacts: Sequence[str]
) -> Any:
    """Rows on these deals, or with these contacts and no deal named."""
    no_deal = and_(model.listing_id.is_(None), model.buyer_request_id.is_(None))
    return or_(
        model.listing_id.in_(list(listings)),
        model.buyer_request_id.in_(list(requests)),
        and_(model.contact.in_(list(contacts)), no_deal),
    )


def activity(
    session: Session,
    *,
    listing_ids: Sequence[str],
    request_ids: Sequence[str],
    contact_ids: Sequence[str],
    now: datetime,
    showings_since: datetime,
) -> Activity:
    """Stage changes, done follow-ups, done appointments and notes, grouped per deal/contact."""
    session.flush()
    found = Activity()
    longest = max(len(listing_ids), len(request_ids), len(contact_ids))
    for start in range(0, max(longest, 1), CHUNK):
        part = slice(start, start + CHUNK)
        listings, requests, contacts = listing_ids[part], request_ids[part], contact_ids[part]
        _stage_changes(session, found, listings, requests)
        _follow_ups(session, found, listings, requests, contacts, now)
        _appointments(session, found, listings, requests, contacts, now)
        _notes(session, found, listings, requests, contacts)
    _showings(session, found, set(listing_ids), since=showings_since, now=now)
    return found


def _rows(session: Session, query: Any) -> Any:
    """Plain rows through the session's connection: these reads bind thousands of ids, and the
    ORM layer would double the cost of expanding them (pending changes are flushed first)."""
    return session.connection().execute(query)


def _latest(expression: Any) -> Any:
    # max() over a CASE loses the column type; keep times aware UTC on SQLite too.
    return type_coerce(func.max(expression), UTCDateTime())


def _stage_changes(
    session: Session, found: Activity, listings: Sequence[str], requests: Sequence[str]
) -> None:
    if not listings and not requests:
        return
    query = (
        select(StageChange.listing_id, StageChange.buyer_request_id, func.max(StageChange.at))
        .where(
            or_(
                StageChange.listing_id.in_(list(listings)),
                StageChange.buyer_request_id.in_(list(requests)),
            )
        )
        .group_by(StageChange.listing_id, StageChange.buyer_request_id)
    )
    for listing_id, request_id, at in _rows(session, query):
        found.touch(_key(listing_id, request_id, None), at)


def _follow_ups(
    session: Session,
    found: Activity,
    listings: Sequence[str],
    requests: Sequence[str],
    contacts: Sequence[str],
    now: datetime,
) -> None:
    done = _latest(case((FollowUp.status == "done", FollowUp.completed_at), else_=None))
    late = func.max(case((and_(FollowUp.status == "open", FollowUp.due_at < now), 1), else_=0))
    query = (
        select(FollowUp.listing_id, FollowUp.buyer_request_id, FollowUp.contact, done, late)
        .where(_linked(FollowUp, listings, requests, contacts))
        .group_by(FollowUp.listing_id, FollowUp.buyer_request_id, FollowUp.contact)
    )
    for listing_id, request_id, contact_id, done_at, overdue in _rows(session, query):
        key = _key(listing_id, request_id, contact_id)
        found.touch(key, done_at)
        if overdue:
            found.overdue.add(key)


def _appointments(
    session: Session,
    found: Activity,
    listings: Sequence[str],
    requests: Sequence[str],
    contacts: Sequence[str],
    now: datetime,
) -> None:
    held = and_(Appointment.status == "done", Appointment.scheduled_at <= now)
    query = (
        select(
            Appointment.listing_id,
            Appointment.buyer_request_id,
            Appointment.contact,
            _latest(case((held, Appointment.scheduled_at), else_=None)),
        )
        .where(_linked(Appointment, listings, requests, contacts))
        .group_by(Appointment.listing_id, Appointment.buyer_request_id, Appointment.contact)
    )
    for listing_id, request_id, contact_id, at in _rows(session, query):
        found.met(_key(listing_id, request_id, contact_id), at)


def _notes(
    session: Session,
    found: Activity,
    listings: Sequence[str],
    requests: Sequence[str],
    contacts: Sequence[str],
) -> None:
    query = (
        select(Note.listing_id, Note.buyer_request_id, Note.contact, func.max(Note.created_at))
        .where(_linked(Note, listings, requests, contacts))
        .group_by(Note.listing_id, Note.buyer_request_id, Note.contact)
    )
    for listing_id, request_id, contact_id, at in _rows(session, query):
        found.touch(_key(listing_id, request_id, contact_id), at)


def _showings(
    session: Session, found: Activity, listing_ids: set[str], *, since: datetime, now: datetime
) -> None:
    """A listing shown to any buyer in the window had an appointment too (listings are JSON,
    read in Python: the window holds a few weeks of showings, not the whole history)."""
    if not listing_ids:
        return
    query = select(Appointment.listings, Appointment.scheduled_at).where(
        Appointment.status == "done",
        Appointment.scheduled_at >= since,
        Appointment.scheduled_at <= now,
    )
    for shown, at in _rows(session, query):
        for listing_id in shown or ():
            if listing_id in listing_ids:
                found.met(("listing", str(listing_id)), at)


def contact_tags(session: Session, contact_ids: Collection[str]) -> dict[str, list[Any]]:
    """Each contact's tags (mortgage approval is recorded as a tag)."""
    tags: dict[str, list[Any]] = {}
    ids = list(contact_ids)
    for chunk in _chunks(ids, 900):
        query = select(Contact.id, Contact.tags).where(Contact.id.in_(list(chunk)))
        tags.update({row[0]: list(row[1] or []) for row in session.execute(query)})
    return tags


def open_follow_ups_for(
    session: Session,
    *,
    listing_id: str | None = None,
    request_id: str | None = None,
    contact_id: str | None = None,
) -> list[FollowUp]:
    """Open follow-ups on one deal or with its client naming no deal, soonest first."""
    conditions: list[Any] = []
    if listing_id is not None:
        conditions.append(FollowUp.listing_id == listing_id)
    if request_id is not None:
        conditions.append(FollowUp.buyer_request_id == request_id)
    if contact_id is not None:
        no_deal = and_(FollowUp.listing_id.is_(None), FollowUp.buyer_request_id.is_(None))
        conditions.append(and_(FollowUp.contact == contact_id, no_deal))
    if not conditions:
        return []
    query = (
        select(FollowUp)
        .where(FollowUp.status == "open", or_(*conditions))
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    return list(session.execute(query).scalars())
