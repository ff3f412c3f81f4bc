"""The team's listings a broker may read as facts: their own, and every colleague's active one
(SPEC §1: any broker may show a colleague's active listing; the seller's contact data stays
with the listing's broker). A plain search ("3-bed apartments in Limassol under 500k") reads
the same set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import or_, select

from crm_store.context import Ctx
from crm_store.models import Broker, Contact, Listing
from crm_store.services.permissions import can_read, team_broker_ids, visible_owner_ids

MAX_SHOWN = 10


@dataclass(frozen=True)
class ListingQuery:
    """What the broker asked for; unset fields do not narrow the search."""

    property_types: Sequence[str] = ()
    cities: Sequence[str] = ()
    districts: Sequence[str] = ()
    bedrooms_min: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    features: Sequence[str] = ()


@dataclass(frozen=True)
class Found:
    listing: Listing
    broker: str  # the listing's broker, by name
    own: bool  # the actor's own listing: its seller may be shown


def search(ctx: Ctx, query: ListingQuery, *, limit: int = MAX_SHOWN) -> tuple[list[Found], int]:
    """Active listings that fit, cheapest first, and how many fit in all."""
    statement = select(Listing).where(Listing.stage == "active_listing")
    owners = visible_owner_ids(ctx)
    if owners is not None:
        statement = statement.where(Listing.owner.in_(owners | team_broker_ids(ctx)))
    if query.property_types:
        statement = statement.where(Listing.property_type.in_(list(query.property_types)))
    places = [p for p in (*query.cities, *query.districts) if p]
    if places:
        statement = statement.where(or_(Listing.city.in_(places), Listing.district.in_(places)))
    if query.bedrooms_min is not None:
        statement = statement.where(Listing.bedrooms >= query.bedrooms_min)
    if query.price_min is not None:
        statement = statement.where(Listing.price >= query.price_min)
    if query.price_max is not None:
        statement = statement.where(Listing.price <= query.price_max)
    rows = [
        listing
        for listing in ctx.session.execute(statement.order_by(Listing.price, Listing.id)).scalars()
        if all(feature in (listing.features or []) for feature in query.features)
    ]
    return [_found(ctx, listing) for listing in rows[:limit]], len(rows)


def facts_of(ctx: Ctx, listing: Listing) -> Found:
    """One listing's facts, as the actor may see them (see the module docstring)."""
    return _found(ctx, listing)


def seller_name(ctx: Ctx, found: Found) -> str | None:
    """The seller, for the actor's own listings only."""
    if not found.own or found.listing.seller is None:
        return None
    seller = ctx.session.get(Contact, found.listing.seller)
    return seller.full_name if seller is not None else None


def _found(ctx: Ctx, listing: Listing) -> Found:
    broker = ctx.session.get(Broker, listing.owner)
    return Found(
        listing, broker.name if broker is not None else listing.owner, can_read(ctx, listing)
    )
