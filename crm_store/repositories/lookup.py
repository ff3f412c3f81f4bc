"""Queries that find deals and listings by what a broker calls them (client, address, place)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crm_store.models import Appointment, BuyerRequest, FollowUp, Listing
from crm_store.repositories.deals import owned_by

Deal = Listing | BuyerRequest


def deals_of_contact(session: Session, contact_id: str) -> list[Deal]:
    """Every listing and buyer request of one client, newest first."""
    listings = (
        select(Listing).where(Listing.seller == contact_id).order_by(Listing.created_at.desc())
    )
    requests = (
        select(BuyerRequest)
        .where(BuyerRequest.buyer == contact_id)
        .order_by(BuyerRequest.created_at.desc())
    )
    found: list[Deal] = list(session.execute(listings).scalars())
    found.extend(session.execute(requests).scalars())
    return found


def listings_by_text(
    session: Session,
    text: str,
    *,
    owner_ids: Collection[str] | None,
    limit: int = 10,
) -> list[Listing]:
    """The owners' listings whose address or district contains `text`."""
    pattern = f"%{text.strip().lower()}%"
    matches_text = or_(
        func.lower(Listing.address).like(pattern), func.lower(Listing.district).like(pattern)
    )
    query = (
        select(Listing)
        .where(matches_text, owned_by(Listing.owner, owner_ids))
        .order_by(Listing.id)
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def open_follow_ups_of_contact(session: Session, contact_id: str) -> list[FollowUp]:
    """A client's open follow-ups, soonest (or most overdue) first."""
    query = (
        select(FollowUp)
        .where(FollowUp.contact == contact_id, FollowUp.status == "open")
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    return list(session.execute(query).scalars())


def appointments_of_contact(session: Session, contact_id: str, *, status: str) -> list[Appointment]:
    """A client's appointments in one status, most recent first."""
    query = (
        select(Appointment)
        .where(Appointment.contact == contact_id, Appointment.status == status)
        .order_by(Appointment.scheduled_at.desc(), Appointment.id)
    )
    return list(session.execute(query).scalars())


def has_future_follow_up(session: Session, deal_id: str, now: datetime) -> bool:
    """Whether a deal still has an open follow-up due from now on."""
    query = select(FollowUp.id).where(
        or_(FollowUp.listing_id == deal_id, FollowUp.buyer_request_id == deal_id),
        FollowUp.status == "open",
        FollowUp.due_at >= now,
    )
    return session.execute(query.limit(1)).first() is not None
