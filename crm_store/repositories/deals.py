"""Queries over listings, buyer requests and their stage history (both pipelines)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, true
from sqlalchemy.orm import Session

from crm_store.models import BuyerRequest, Contact, FollowUp, Listing, StageChange
from crm_store.vocabulary import BUYER_EXIT, SELLER_EXIT

Deal = Listing | BuyerRequest

# Stages in which a deal is closed (until reactivated): no follow-up is owed.
CLOSED_SELLER = ("closed_won", SELLER_EXIT)
CLOSED_BUYER = ("closed_won", BUYER_EXIT)


def owned_by(column: Any, owner_ids: Collection[str] | None) -> ColumnElement[bool]:
    """Restrict to these owners; None means every owner (the system and admins)."""
    if owner_ids is None:
        return true()
    return column.in_(list(owner_ids))


def get_listing(session: Session, listing_id: str) -> Listing | None:
    return session.get(Listing, listing_id)


def get_buyer_request(session: Session, request_id: str) -> BuyerRequest | None:
    return session.get(BuyerRequest, request_id)


def find_deal(session: Session, deal_id: str) -> Deal | None:
    """A listing or a buyer request by id (ids are opaque, so both tables are tried)."""
    return get_listing(session, deal_id) or get_buyer_request(session, deal_id)


def stage_history(session: Session, deal: Deal) -> list[StageChange]:
    """Every recorded move of one deal, oldest first."""
    column = StageChange.listing_id if isinstance(deal, Listing) else StageChange.buyer_request_id
    query = select(StageChange).where(column == deal.id).order_by(StageChange.at, StageChange.id)
    return list(session.execute(query).scalars())


def _covered(
    deal_id: Any, link_column: Any, client_column: Any, now: datetime
) -> ColumnElement[bool]:
    """An open follow-up due at or after `now`, on this deal or on its client with no deal."""
    future_open = and_(FollowUp.status == "open", FollowUp.due_at >= now)
    on_deal = exists().where(future_open, link_column == deal_id)
    on_client = exists().where(
        future_open,
        FollowUp.contact == client_column,
        FollowUp.listing_id.is_(None),
        FollowUp.buyer_request_id.is_(None),
    )
    return or_(on_deal, on_client)


def open_listings_without_future_follow_up(
    session: Session, *, owner_ids: Collection[str] | None, now: datetime
) -> list[Listing]:
    """Open listings with nothing scheduled from now on (one query; indexed sub-lookups)."""
    query = select(Listing).where(
        owned_by(Listing.owner, owner_ids),
        Listing.stage.not_in(CLOSED_SELLER),
        ~_covered(Listing.id, FollowUp.listing_id, Listing.seller, now),
    )
    return list(session.execute(query).scalars())


def open_requests_without_future_follow_up(
    session: Session, *, owner_ids: Collection[str] | None, now: datetime
) -> list[BuyerRequest]:
    """Open buyer requests with nothing scheduled from now on."""
    query = select(BuyerRequest).where(
        owned_by(BuyerRequest.owner, owner_ids),
        BuyerRequest.stage.not_in(CLOSED_BUYER),
        ~_covered(BuyerRequest.id, FollowUp.buyer_request_id, BuyerRequest.buyer, now),
    )
    return list(session.execute(query).scalars())


def listings_in_stages(
    session: Session, *, stages: Iterable[str], owner_ids: Collection[str] | None
) -> list[tuple[Listing, Contact | None]]:
    """Listings at these stages with their seller (one joined query)."""
    query = (
        select(Listing, Contact)
        .outerjoin(Contact, Contact.id == Listing.seller)
        .where(owned_by(Listing.owner, owner_ids), Listing.stage.in_(list(stages)))
    )
    return [(row[0], row[1]) for row in session.execute(query)]


def requests_in_stages(
    session: Session, *, stages: Iterable[str], owner_ids: Collection[str] | None
) -> list[tuple[BuyerRequest, Contact]]:
    """Buyer requests at these stages with their buyer (one joined query)."""
    query = (
        select(BuyerRequest, Contact)
        .join(Contact, Contact.id == BuyerRequest.buyer)
        .where(owned_by(BuyerRequest.owner, owner_ids), BuyerRequest.stage.in_(list(stages)))
    )
    return [(row[0], row[1]) for row in session.execute(query)]


def open_deals_of_contacts(session: Session, contact_ids: Collection[str]) -> list[Deal]:
    """Open listings and buyer requests whose client is one of these contacts."""
    if not contact_ids:
        return []
    ids = list(contact_ids)
    listings = select(Listing).where(Listing.seller.in_(ids), Listing.stage.not_in(CLOSED_SELLER))
    requests = select(BuyerRequest).where(
        BuyerRequest.buyer.in_(ids), BuyerRequest.stage.not_in(CLOSED_BUYER)
    )
    found: list[Deal] = list(session.execute(listings).scalars())
    found.extend(session.execute(requests).scalars())
    return found
