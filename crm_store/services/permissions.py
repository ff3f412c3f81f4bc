"""Who may see and change what (SPEC §1): brokers their own, managers their team, nobody else."""

from __future__ import annotations

from sqlalchemy import select

from crm_store.context import Ctx
from crm_store.errors import Forbidden
from crm_store.models import Base, Broker, BuyerRequest, Listing, Plan, StageChange
from crm_store.vocabulary import ROLES

# Fields of a colleague's active listing that any broker may see (never the seller's data).
SHARED_LISTING_FIELDS = (
    "id",
    "owner",
    "stage",
    "property_type",
    "city",
    "district",
    "address",
    "price",
    "bedrooms",
    "bathrooms",
    "area_m2",
    "features",
    "description",
    "listed_at",
)


def _owner_of(ctx: Ctx, record: Base) -> str | None:
    """The broker a record belongs to; history rows belong to their deal's owner."""
    if isinstance(record, Broker):
        return record.id
    for field in ("owner", "author", "broker"):
        value = getattr(record, field, None)
        if isinstance(value, str):
            return value
    if isinstance(record, StageChange):
        deal: Listing | BuyerRequest | None = (
            ctx.session.get(Listing, record.listing_id)
            if record.listing_id
            else ctx.session.get(BuyerRequest, record.buyer_request_id)
        )
        return deal.owner if deal is not None else None
    return None


def ensure_identified(ctx: Ctx) -> None:
    """An unregistered identity, or one without a role, gets nothing, not even an empty answer."""
    if ctx.actor.role not in ROLES:  # e.g. an Actor built without a role (context.NO_ROLE)
        raise Forbidden(
            "You have no role here, so you can neither see nor change anything. "
            "Ask your admin to register you as a broker.",
            "У вас нет роли, поэтому вы ничего не можете ни видеть, ни менять. "
            "Попросите администратора зарегистрировать вас как брокера.",
        )
    if ctx.actor.broker_id is None and ctx.actor.role != "admin":
        raise Forbidden(
            "You are not registered as a broker here. Ask your manager to add you.",
            "Вы не зарегистрированы как брокер. Попросите менеджера добавить вас.",
        )


def team_broker_ids(ctx: Ctx) -> set[str]:
    """The brokers of the actor's team (admins and the system see every team)."""
    query = select(Broker.id)
    if ctx.actor.broker_id is not None:
        query = query.where(Broker.team == ctx.actor.team)
    return set(ctx.session.execute(query).scalars())


def visible_owner_ids(ctx: Ctx) -> set[str] | None:
    """Owners whose records the actor may read in full; None means everyone (system/admin)."""
    ensure_identified(ctx)
    if ctx.actor.broker_id is None:
        return None
    if ctx.actor.is_manager:
        return team_broker_ids(ctx)
    return {ctx.actor.broker_id}


def can_read(ctx: Ctx, record: Base) -> bool:
    owners = visible_owner_ids(ctx)
    if owners is None:
        return True
    if isinstance(record, Plan) and record.broker is None:
        return record.team == ctx.actor.team  # the team's plan is every member's target
    return _owner_of(ctx, record) in owners


def can_see_listing_facts(ctx: Ctx, listing: Listing) -> bool:
    """Any broker of the team may show a colleague's active listing to a buyer."""
    if can_read(ctx, listing):
        return True
    return listing.stage == "active_listing" and listing.owner in team_broker_ids(ctx)


def ensure_readable(ctx: Ctx, record: Base, *, what: str = "record") -> None:
    if not can_read(ctx, record):
        raise Forbidden(
            f"That {what} belongs to another broker; you can only open your own.",
            "Эта запись принадлежит другому брокеру; вы можете открывать только свои.",
        )


def ensure_writable(ctx: Ctx, record: Base, *, what: str = "record") -> None:
    """Brokers change only their own records; managers may change their team's."""
    ensure_readable(ctx, record, what=what)
