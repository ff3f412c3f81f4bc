"""Queries over follow-ups and the activity that tells whether a lead was contacted yet."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from crm_store.models import Appointment, Broker, BuyerRequest, Contact, FollowUp, Listing, Note
from crm_store.repositories.deals import owned_by

FollowUpRow = tuple[FollowUp, Contact, Listing | None, BuyerRequest | None]


def get_follow_up(session: Session, follow_up_id: str) -> FollowUp | None:
    return session.get(FollowUp, follow_up_id)


def missed_follow_ups(
    session: Session, *, owner_ids: Collection[str] | None, now: datetime
) -> list[FollowUp]:
    """Open follow-ups due before `now`, oldest first (index owner, status, due_at)."""
    query = (
        select(FollowUp)
        .where(
            owned_by(FollowUp.owner, owner_ids),
            FollowUp.status == "open",
            FollowUp.due_at < now,
        )
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    return list(session.execute(query).scalars())


def open_follow_ups_due_before(
    session: Session, *, owner_ids: Collection[str] | None, before: datetime
) -> list[FollowUpRow]:
    """Open follow-ups due before `before` with their contact and deal, in one joined query."""
    query = (
        select(FollowUp, Contact, Listing, BuyerRequest)
        .join(Contact, Contact.id == FollowUp.contact)
        .outerjoin(Listing, Listing.id == FollowUp.listing_id)
        .outerjoin(BuyerRequest, BuyerRequest.id == FollowUp.buyer_request_id)
        .where(
            owned_by(FollowUp.owner, owner_ids),
            FollowUp.status == "open",
            FollowUp.due_at < before,
        )
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(query)]


def future_follow_ups_on_listings(
    session: Session, *, stages: Collection[str], owner_ids: Collection[str] | None, since: datetime
) -> list[FollowUp]:
    """Open follow-ups due from `since` on listings at these stages (one joined query)."""
    query = (
        select(FollowUp)
        .join(Listing, Listing.id == FollowUp.listing_id)
        .where(
            owned_by(Listing.owner, owner_ids),
            Listing.stage.in_(list(stages)),
            FollowUp.status == "open",
            FollowUp.due_at >= since,
        )
    )
    return list(session.execute(query).scalars())


def future_follow_ups_on_requests(
    session: Session, *, stages: Collection[str], owner_ids: Collection[str] | None, since: datetime
) -> list[FollowUp]:
    """Open follow-ups due from `since` on buyer requests at these stages."""
    query = (
        select(FollowUp)
        .join(BuyerRequest, BuyerRequest.id == FollowUp.buyer_request_id)
        .where(
            owned_by(BuyerRequest.owner, owner_ids),
            BuyerRequest.stage.in_(list(stages)),
            FollowUp.status == "open",
            FollowUp.due_at >= since,
        )
    )
    return list(session.execute(query).scalars())


def future_follow_ups_of_contacts(
    session: Session, contact_ids: Collection[str], *, since: datetime
) -> list[FollowUp]:
    """Open follow-ups due from `since` with these contacts, soonest first."""
    if not contact_ids:
        return []
    query = (
        select(FollowUp)
        .where(
            FollowUp.contact.in_(list(contact_ids)),
            FollowUp.status == "open",
            FollowUp.due_at >= since,
        )
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    return list(session.execute(query).scalars())


def uncontacted_new_contacts(
    session: Session, *, owner_ids: Collection[str] | None, since: datetime, until: datetime
) -> list[Contact]:
    """Contacts created in [since, until] with no completed follow-up, meeting or note yet."""
    done_follow_up = exists().where(FollowUp.contact == Contact.id, FollowUp.status == "done")
    # A scheduled meeting means someone already spoke to the lead; a cancelled one does not.
    meeting = exists().where(Appointment.contact == Contact.id, Appointment.status != "cancelled")
    note = exists().where(Note.contact == Contact.id)
    query = (
        select(Contact)
        .where(
            owned_by(Contact.owner, owner_ids),
            Contact.created_at >= since,
            Contact.created_at <= until,
            ~done_follow_up,
            ~meeting,
            ~note,
        )
        .order_by(Contact.created_at, Contact.id)
    )
    return list(session.execute(query).scalars())


def broker_timezones(session: Session, broker_ids: Collection[str] | None) -> dict[str, str]:
    """Each broker's IANA timezone, for broker-local day boundaries."""
    query = select(Broker.id, Broker.timezone).where(owned_by(Broker.id, broker_ids))
    return {row[0]: row[1] for row in session.execute(query)}


def open_follow_up_between(
    session: Session, contact_id: str, channel: str, start: datetime, end: datetime
) -> FollowUp | None:
    """An open follow-up of the contact on this channel due in [start, end), if any."""
    return session.scalars(
        select(FollowUp).where(
            FollowUp.contact == contact_id,
            FollowUp.status == "open",
            FollowUp.channel == channel,
            FollowUp.due_at >= start,
            FollowUp.due_at < end,
        )
    ).first()


def open_follow_ups_of_deal(
    session: Session, deal_id: str, client_id: str | None, client_has_other_deals: bool
) -> list[FollowUp]:
    """Open follow-ups linked to the deal, and the client's unlinked ones when this deal is
    the client's only open one (they were about it)."""
    linked = (FollowUp.listing_id == deal_id) | (FollowUp.buyer_request_id == deal_id)
    condition = linked
    if client_id is not None and not client_has_other_deals:
        unlinked = (
            (FollowUp.contact == client_id)
            & FollowUp.listing_id.is_(None)
            & FollowUp.buyer_request_id.is_(None)
        )
        condition = linked | unlinked
    query = select(FollowUp).where(FollowUp.status == "open", condition).order_by(FollowUp.id)
    return list(session.scalars(query))
