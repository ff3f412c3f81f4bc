"""Listings and buyer requests: created and edited with validated, canonical fields (SPEC §2)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar

from crm_store.context import Ctx
from crm_store.errors import NotFound
from crm_store.models import BuyerRequest, Listing, StageChange
from crm_store.repositories import deals as deals_repo
from crm_store.repositories.base import add, record
from crm_store.services import deal_fields as fields
from crm_store.services.permissions import ensure_writable
from crm_store.vocabulary import (
    BUYER_STAGES,
    SELLER_STAGES,
)

Deal = Listing | BuyerRequest
DealT = TypeVar("DealT", Listing, BuyerRequest)

# Commission on a listing when none was agreed: the usual Cyprus seller-side rate.
DEFAULT_LISTING_COMMISSION_PCT = Decimal("3.00")
# A buyer request's expected commission when none is given: 2.5% of the top of the budget.
DEFAULT_BUYER_COMMISSION_RATE = Decimal("0.025")
CENTS = Decimal("0.01")


def _stage_row(ctx: Ctx, deal: Deal, stage: str) -> None:
    add(
        ctx,
        StageChange(
            listing_id=deal.id if isinstance(deal, Listing) else None,
            buyer_request_id=deal.id if isinstance(deal, BuyerRequest) else None,
            from_stage=None,
            to_stage=stage,
            at=ctx.now(),
            by=ctx.actor.broker_id,
            reason="created",
        ),
        audit=False,
    )


def create_listing(
    ctx: Ctx,
    *,
    seller_id: str,
    property_type: str,
    city: str | None = None,
    district: str | None = None,
    address: str | None = None,
    price: Any = None,
    bedrooms: int | None = None,
    bathrooms: int | None = None,
    area_m2: float | None = None,
    features: Iterable[str] = (),
    description: str | None = None,
    mandate: str | None = None,
    commission_pct: Any = None,
    stage: str = "prospect",
) -> Listing:
    """Register a seller-side deal for the actor (the seller's broker when the system acts)."""
    raw = dict(
        seller=seller_id,
        property_type=property_type,
        city=city,
        district=district,
        address=address,
        price=price,
        bedrooms=bedrooms,
        bathrooms=bathrooms,
        area_m2=area_m2,
        features=features,
        description=description,
        mandate=mandate,
        commission_pct=commission_pct,
    )
    values = fields.clean_listing(ctx, raw, None)
    first = fields.initial_stage(stage, SELLER_STAGES)
    seller = fields.client(ctx, seller_id, field="seller")
    now = ctx.now()
    listing = Listing(
        **values,
        owner=ctx.actor.broker_id or seller.owner,
        stage=first,
        created_at=now,
        updated_at=now,
        listed_at=now if first == "active_listing" else None,
    )
    add(ctx, listing)
    _stage_row(ctx, listing, first)
    return listing


def update_listing(ctx: Ctx, *, listing_id: str, **changes: Any) -> Listing:
    """Edit a listing's facts; each change (a price change too) is audited with old and new."""
    if "seller_id" in changes:
        changes["seller"] = changes.pop("seller_id")
    fields.refuse_managed(changes, fields.LISTING_FIELDS)
    listing = deals_repo.get_listing(ctx.session, listing_id)
    if listing is None:
        raise NotFound(
            f"There is no listing {listing_id}; find it by address or seller.",
            f"Объекта {listing_id} нет; найдите его по адресу или продавцу.",
        )
    ensure_writable(ctx, listing, what="listing")
    return _apply(ctx, listing, fields.clean_listing(ctx, changes, listing))


def _apply(ctx: Ctx, deal: DealT, values: dict[str, Any]) -> DealT:
    diff = {k: [getattr(deal, k), v] for k, v in values.items() if getattr(deal, k) != v}
    if diff:
        for key, (_, new) in diff.items():
            setattr(deal, key, new)
        deal.updated_at = ctx.now()
        ctx.session.flush()
        action = "price_change" if "price" in diff else "update"
        record(ctx, action=action, entity=deal.__tablename__, entity_id=deal.id, changes=diff)
    return deal


def default_expected_commission(
    budget_min: Decimal | None, budget_max: Decimal | None
) -> Decimal | None:
    """2.5% of budget_max (or of budget_min when there is no top); None without a budget."""
    base = budget_max if budget_max is not None else budget_min
    return None if base is None else (base * DEFAULT_BUYER_COMMISSION_RATE).quantize(CENTS)


def create_buyer_request(
    ctx: Ctx,
    *,
    buyer_id: str,
    budget_min: Any = None,
    budget_max: Any = None,
    cities: Iterable[str] = (),
    districts: Iterable[str] = (),
    property_types: Iterable[str] = (),
    bedrooms_min: int | None = None,
    must_haves: Iterable[str] = (),
    wishes: str | None = None,
    timeline_months: int | None = None,
    financing: str = "unknown",
    expected_commission: Any = None,
    stage: str = "qualification",
) -> BuyerRequest:
    """Register a buyer-side deal; without an expected commission, 2.5% of budget_max is assumed."""
    raw = {
        "buyer": buyer_id,
        "budget_min": budget_min,
        "budget_max": budget_max,
        "cities": cities,
        "districts": districts,
        "property_types": property_types,
        "bedrooms_min": bedrooms_min,
        "must_haves": must_haves,
        "wishes": wishes,
        "timeline_months": timeline_months,
        "financing": financing,
        "expected_commission": expected_commission,
    }
    values = fields.clean_request(ctx, raw, None)
    if values["expected_commission"] is None:
        values["expected_commission"] = default_expected_commission(
            values["budget_min"], values["budget_max"]
        )
    first = fields.initial_stage(stage, BUYER_STAGES)
    buyer = fields.client(ctx, buyer_id, field="buyer")
    now = ctx.now()
    request = BuyerRequest(
        **values,
        owner=ctx.actor.broker_id or buyer.owner,
        stage=first,
        created_at=now,
        updated_at=now,
    )
    add(ctx, request)
    _stage_row(ctx, request, first)
    return request


def update_buyer_request(ctx: Ctx, *, request_id: str, **changes: Any) -> BuyerRequest:
    """Edit a buyer request; nurturing follows the timeline and a default commission the budget."""
    if "buyer_id" in changes:
        changes["buyer"] = changes.pop("buyer_id")
    fields.refuse_managed(changes, fields.REQUEST_FIELDS)
    request = deals_repo.get_buyer_request(ctx.session, request_id)
    if request is None:
        raise NotFound(
            f"There is no buyer request {request_id}; find it by the buyer's name.",
            f"Заявки {request_id} нет; найдите её по имени покупателя.",
        )
    ensure_writable(ctx, request, what="buyer request")
    values = fields.clean_request(ctx, changes, request)
    budget_moved = "budget_min" in values or "budget_max" in values
    was_default = request.expected_commission == default_expected_commission(
        request.budget_min, request.budget_max
    )
    if budget_moved and "expected_commission" not in values and was_default:
        # Only a commission we derived follows the budget; one the broker gave stays.
        values["expected_commission"] = default_expected_commission(
            values.get("budget_min", request.budget_min),
            values.get("budget_max", request.budget_max),
        )
    return _apply(ctx, request, values)


def client_of(deal: Deal) -> str | None:
    """The contact a deal is with: a listing's seller, a request's buyer."""
    return deal.seller if isinstance(deal, Listing) else deal.buyer


def deal_value(deal: Deal) -> Decimal:
    """What a deal is worth: the listing's price, or the buyer's top budget (0 if unknown)."""
    if isinstance(deal, Listing):
        value = deal.price
    else:
        value = deal.budget_max if deal.budget_max is not None else deal.budget_min
    return value if value is not None else Decimal("0.00")


def expected_commission(deal: Deal) -> Decimal:
    """Commission the deal should bring: price (or final price) × commission_pct (3% unless
    agreed) for a listing; the buyer request's expected commission (or the 2.5% default)."""
    if isinstance(deal, Listing):
        price = deal.closed_price if deal.closed_price is not None else deal.price
        pct = (
            deal.commission_pct
            if deal.commission_pct is not None
            else DEFAULT_LISTING_COMMISSION_PCT
        )
        return ((price or Decimal(0)) * pct / 100).quantize(CENTS)
    if deal.expected_commission is not None:
        return deal.expected_commission
    return default_expected_commission(deal.budget_min, deal.budget_max) or Decimal("0.00")
