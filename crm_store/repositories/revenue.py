"""SQL for the commission funnel: when deals closed won, plans, and who is on which team."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from crm_store.models import Broker, BuyerRequest, Listing, Plan, StageChange
from crm_store.repositories.deals import owned_by
from crm_store.vocabulary import BUYER_EXIT, SELLER_EXIT


def reached_at(session: Session, *, seller: bool, stage: str) -> Any:
    """A subquery: deal id → the latest time it entered `stage` (from its history)."""
    link = StageChange.listing_id if seller else StageChange.buyer_request_id
    return (
        select(link.label("deal_id"), func.max(StageChange.at).label("at"))
        .where(StageChange.to_stage == stage, link.is_not(None))
        .group_by(link)
        .subquery()
    )


def closed_won(
    session: Session,
    *,
    seller: bool,
    owner_ids: Collection[str] | None,
    start: datetime | None = None,
    end: datetime | None = None,
    cities: Collection[str] | None = None,
) -> list[tuple[Any, datetime]]:
    """Deals now closed won, with when they closed (history; else their last update), in
    [start, end) when given."""
    model: Any = Listing if seller else BuyerRequest
    won = reached_at(session, seller=seller, stage="closed_won")
    closed_at = func.coalesce(won.c.at, model.updated_at)
    query = (
        select(model, won.c.at, model.updated_at)
        .outerjoin(won, won.c.deal_id == model.id)
        .where(model.stage == "closed_won", owned_by(model.owner, owner_ids))
    )
    if start is not None:
        query = query.where(closed_at >= start)
    if end is not None:
        query = query.where(closed_at < end)
    if cities is not None:
        query = query.where(_in_cities(model, seller, cities))
    return [(row[0], row[1] or row[2]) for row in session.execute(query)]


def _in_cities(model: Any, seller: bool, cities: Collection[str]) -> Any:
    if seller:
        return model.city.in_(list(cities))
    # A buyer's cities are a JSON list: match the quoted name inside its text.
    text = cast(model.cities, String)
    return or_(*(text.like(f'%"{city}"%') for city in cities))


def plans(session: Session, *, period: str, teams: Collection[str] | None) -> list[Plan]:
    query = select(Plan).where(Plan.period == period)
    if teams is not None:
        query = query.where(Plan.team.in_(list(teams)))
    return list(session.execute(query.order_by(Plan.team, Plan.broker)).scalars())


def brokers(session: Session, ids: Collection[str] | None) -> dict[str, Broker]:
    """Brokers by id (every broker when ids is None)."""
    query = select(Broker).where(owned_by(Broker.id, ids))
    return {broker.id: broker for broker in session.execute(query).scalars()}


def open_deals(
    session: Session, *, owner_ids: Collection[str] | None
) -> list[Listing | BuyerRequest]:
    """Every open listing and buyer request of these owners (no joins: the forecast scores
    thousands at once)."""
    found: list[Listing | BuyerRequest] = list(
        session.execute(
            select(Listing).where(
                owned_by(Listing.owner, owner_ids),
                Listing.stage.not_in(("closed_won", SELLER_EXIT)),
            )
        ).scalars()
    )
    found.extend(
        session.execute(
            select(BuyerRequest).where(
                owned_by(BuyerRequest.owner, owner_ids),
                BuyerRequest.stage.not_in(("closed_won", BUYER_EXIT)),
            )
        ).scalars()
    )
    return found
