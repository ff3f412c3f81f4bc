"""SQL behind the manager's metrics (SPEC §8): column rows and grouped counts, no ORM objects."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from crm_store.models import Appointment, BuyerRequest, FollowUp, Listing
from crm_store.repositories.deals import owned_by
from crm_store.repositories.revenue import reached_at

_CHUNK = 900


def _chunks(items: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start : start + _CHUNK])


def _listing_filter(owner_ids: Collection[str] | None, city: str | None) -> list[Any]:
    conditions = [owned_by(Listing.owner, owner_ids)]
    if city is not None:
        conditions.append(Listing.city == city)
    return conditions


def listing_counts_by_owner(
    session: Session,
    *,
    owner_ids: Collection[str] | None,
    city: str | None = None,
    stage: str | None = None,
    listed_from: datetime | None = None,
    listed_until: datetime | None = None,
) -> dict[str, int]:
    """owner → listings at a stage and/or that entered active_listing in [from, until)."""
    query = select(Listing.owner, func.count()).where(*_listing_filter(owner_ids, city))
    if stage is not None:
        query = query.where(Listing.stage == stage)
    if listed_from is not None:
        query = query.where(Listing.listed_at >= listed_from)
    if listed_until is not None:
        query = query.where(Listing.listed_at < listed_until)
    return {row[0]: int(row[1]) for row in session.execute(query.group_by(Listing.owner))}


def market_rows(
    session: Session, *, owner_ids: Collection[str] | None, city: str | None = None
) -> list[Any]:
    """Listings that were ever on the market: id, owner, stage, listed_at, when sold, when
    closed won, updated_at, withdrawn_reason, when withdrawn."""
    sold = reached_at(session, seller=True, stage="sold")
    won = reached_at(session, seller=True, stage="closed_won")
    gone = reached_at(session, seller=True, stage="withdrawn")
    query = (
        select(
            Listing.id, Listing.owner, Listing.stage, Listing.listed_at,
            sold.c.at.label("sold_at"), won.c.at.label("won_at"), Listing.updated_at,
            Listing.withdrawn_reason, gone.c.at.label("withdrawn_at"),
        )
        .outerjoin(sold, sold.c.deal_id == Listing.id)
        .outerjoin(won, won.c.deal_id == Listing.id)
        .outerjoin(gone, gone.c.deal_id == Listing.id)
        .where(*_listing_filter(owner_ids, city))
    )  # fmt: skip
    return list(session.execute(query))


def appointment_rows(
    session: Session, *, owner_ids: Collection[str] | None, start: datetime, end: datetime
) -> list[Any]:
    """Appointments scheduled in [start, end): id, owner, contact, status, deal links."""
    query = select(
        Appointment.id,
        Appointment.owner,
        Appointment.contact,
        Appointment.status,
        Appointment.listing_id,
        Appointment.buyer_request_id,
        Appointment.scheduled_at,
    ).where(
        owned_by(Appointment.owner, owner_ids),
        Appointment.scheduled_at >= start,
        Appointment.scheduled_at < end,
    )
    return list(session.execute(query))


def contacts_with_won_deals(
    session: Session, contact_ids: Collection[str], *, seller: bool | None = None
) -> set[str]:
    """Which of these contacts have a deal closed won (on one side, or either)."""
    ids = sorted(contact_ids)
    won: set[str] = set()
    for chunk in _chunks(ids):
        if seller in (None, True):
            query = select(Listing.seller).where(
                Listing.seller.in_(chunk), Listing.stage == "closed_won"
            )
            won.update(str(c) for c in session.execute(query).scalars() if c)
        if seller in (None, False):
            query = select(BuyerRequest.buyer).where(
                BuyerRequest.buyer.in_(chunk), BuyerRequest.stage == "closed_won"
            )
            won.update(session.execute(query).scalars())
    return won


def _side(column_listing: Any, column_request: Any, side: str | None) -> Any:
    if side == "seller":
        return column_listing.is_not(None)
    if side == "buyer":
        return column_request.is_not(None)
    return true()


def overdue_by_owner(
    session: Session, *, owner_ids: Collection[str] | None, now: datetime, side: str | None
) -> dict[str, int]:
    """owner → open follow-ups due before now (on one side's deals when asked)."""
    query = (
        select(FollowUp.owner, func.count())
        .where(
            owned_by(FollowUp.owner, owner_ids),
            FollowUp.status == "open",
            FollowUp.due_at < now,
            _side(FollowUp.listing_id, FollowUp.buyer_request_id, side),
        )
        .group_by(FollowUp.owner)
    )
    return {row[0]: int(row[1]) for row in session.execute(query)}


def done_follow_ups(
    session: Session,
    *,
    owner_ids: Collection[str] | None,
    start: datetime,
    end: datetime,
    side: str | None = None,
) -> list[Any]:
    """Follow-ups completed in [start, end): owner, contact, completed_at."""
    query = select(FollowUp.owner, FollowUp.contact, FollowUp.completed_at).where(
        owned_by(FollowUp.owner, owner_ids),
        FollowUp.status == "done",
        FollowUp.completed_at >= start,
        FollowUp.completed_at < end,
        _side(FollowUp.listing_id, FollowUp.buyer_request_id, side),
    )
    return list(session.execute(query))


def meetings_of_contacts(
    session: Session, contact_ids: Collection[str], *, start: datetime, end: datetime
) -> list[Any]:
    """Appointments (not cancelled) with these contacts in [start, end): contact, scheduled_at."""
    found: list[Any] = []
    for chunk in _chunks(sorted(contact_ids)):
        query = select(Appointment.contact, Appointment.scheduled_at).where(
            Appointment.contact.in_(chunk),
            Appointment.status != "cancelled",
            Appointment.scheduled_at >= start,
            Appointment.scheduled_at < end,
        )
        found.extend(session.execute(query))
    return found


def open_deals_by_stage(
    session: Session, *, owner_ids: Collection[str] | None, city: str | None, stages: Sequence[str]
) -> list[tuple[str, str, int, Any]]:
    """(side, stage, deals, summed value) of deals at these stages: a listing is worth its
    price, a buyer their top budget. Buyers' cities are a list, so that cut is made here."""
    rows: list[tuple[str, str, int, Any]] = []
    listings = (
        select(Listing.stage, func.count(), func.coalesce(func.sum(Listing.price), 0))
        .where(*_listing_filter(owner_ids, city), Listing.stage.in_(list(stages)))
        .group_by(Listing.stage)
    )
    rows.extend(("seller", stage, int(n), value) for stage, n, value in session.execute(listings))
    requests = select(
        BuyerRequest.stage, BuyerRequest.cities, BuyerRequest.budget_max, BuyerRequest.budget_min
    ).where(owned_by(BuyerRequest.owner, owner_ids), BuyerRequest.stage.in_(list(stages)))
    totals: dict[str, list[Any]] = {}
    for stage, cities, high, low in session.execute(requests):
        if city is not None and city not in (cities or []):
            continue
        entry = totals.setdefault(stage, [0, 0])
        entry[0] += 1
        entry[1] += high if high is not None else (low or 0)
    rows.extend(("buyer", stage, n, value) for stage, (n, value) in totals.items())
    return rows
