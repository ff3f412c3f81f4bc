"""SQL for appointments (meetings and showings): lookups by contact, deal and time window."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from crm_store.models import Appointment, FollowUp, Listing
from crm_store.repositories.deals import owned_by


def get_appointment(session: Session, appointment_id: str) -> Appointment | None:
    return session.get(Appointment, appointment_id)


def appointments_between(
    session: Session,
    *,
    owner_ids: Collection[str] | None,
    start: datetime,
    end: datetime,
    statuses: Collection[str] | None = None,
) -> list[Appointment]:
    """Appointments in [start, end) of these owners, soonest first (index owner, scheduled_at)."""
    query = select(Appointment).where(
        owned_by(Appointment.owner, owner_ids),
        Appointment.scheduled_at >= start,
        Appointment.scheduled_at < end,
    )
    if statuses is not None:
        query = query.where(Appointment.status.in_(list(statuses)))
    return list(session.execute(query.order_by(Appointment.scheduled_at, Appointment.id)).scalars())


def latest_appointment(
    session: Session,
    *,
    contact_id: str | None = None,
    listing_id: str | None = None,
    request_id: str | None = None,
    until: datetime | None = None,
    since: datetime | None = None,
    statuses: Collection[str] | None = None,
) -> Appointment | None:
    """The most recent appointment with a contact or on a deal, within optional time bounds."""
    conditions: list[Any] = []
    if contact_id is not None:
        conditions.append(Appointment.contact == contact_id)
    if listing_id is not None:
        conditions.append(Appointment.listing_id == listing_id)
    if request_id is not None:
        conditions.append(Appointment.buyer_request_id == request_id)
    if not conditions:
        return None
    query = select(Appointment).where(*conditions)
    if until is not None:
        query = query.where(Appointment.scheduled_at <= until)
    if since is not None:
        query = query.where(Appointment.scheduled_at >= since)
    if statuses is not None:
        query = query.where(Appointment.status.in_(list(statuses)))
    query = query.order_by(Appointment.scheduled_at.desc(), Appointment.id.desc())
    return session.execute(query.limit(1)).scalars().first()


def recent_appointments_of_contact(
    session: Session, contact_id: str, *, since: datetime, until: datetime
) -> list[Appointment]:
    """A contact's appointments scheduled in [since, until], latest first."""
    query = (
        select(Appointment)
        .where(
            Appointment.contact == contact_id,
            Appointment.scheduled_at >= since,
            Appointment.scheduled_at <= until,
        )
        .order_by(Appointment.scheduled_at.desc(), Appointment.id.desc())
    )
    return list(session.execute(query).scalars())


def feedback_of_contact(session: Session, contact_id: str) -> list[list[Any]]:
    """The feedback lists of every appointment with this contact (JSON is read in Python)."""
    query = select(Appointment.feedback).where(Appointment.contact == contact_id)
    return [list(feedback or []) for feedback in session.execute(query).scalars()]


def listings_by_ids(session: Session, ids: Collection[str]) -> dict[str, Listing]:
    if not ids:
        return {}
    query = select(Listing).where(Listing.id.in_(list(ids)))
    return {listing.id: listing for listing in session.execute(query).scalars()}


def scheduled_visit_between(
    session: Session, contact_id: str, start: datetime, end: datetime
) -> Appointment | None:
    """A scheduled appointment of the contact in [start, end), if any."""
    return session.scalars(
        select(Appointment).where(
            Appointment.contact == contact_id,
            Appointment.status == "scheduled",
            Appointment.scheduled_at >= start,
            Appointment.scheduled_at < end,
        )
    ).first()


def open_follow_up_at(session: Session, *, contact_id: str, due_at: datetime) -> FollowUp | None:
    """An open follow-up with this contact at exactly this time (to apply a note only once)."""
    query = select(FollowUp).where(
        FollowUp.contact == contact_id, FollowUp.status == "open", FollowUp.due_at == due_at
    )
    return session.execute(query.limit(1)).scalars().first()


def next_open_follow_up(session: Session, *, contact_id: str, after: datetime) -> FollowUp | None:
    """The contact's next open follow-up due after `after`: a next step already planned."""
    query = select(FollowUp).where(
        FollowUp.contact == contact_id, FollowUp.status == "open", FollowUp.due_at > after
    )
    return session.execute(query.order_by(FollowUp.due_at).limit(1)).scalars().first()


def visible_listings_like(
    session: Session,
    *,
    owner_ids: Collection[str] | None,
    team_ids: Collection[str] | None,
    words: Collection[str] = (),
    places: Collection[str] = (),
    property_types: Collection[str] = (),
    limit: int = 25,
) -> list[Listing]:
    """Listings the actor may see (own at any stage, the team's active ones) matching every word
    of an address fragment and, when given, one of the places and property types."""
    own = owned_by(Listing.owner, owner_ids)
    shared = and_(Listing.stage == "active_listing", owned_by(Listing.owner, team_ids))
    query = select(Listing).where(or_(own, shared))
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Listing.address.ilike(f"%{escaped}%", escape="\\"))
    if places:
        query = query.where(or_(Listing.city.in_(list(places)), Listing.district.in_(list(places))))
    if property_types:
        query = query.where(Listing.property_type.in_(list(property_types)))
    return list(session.execute(query.order_by(Listing.id).limit(limit)).scalars())
