"""The manager's metrics (SPEC §8): commission funnel here, listings and activity beside it.

Every metric is a small function returning a Metric (numbers plus a one-line EN/RU answer),
cut by broker (owner_ids, within what the actor may see), period ("YYYY-MM" or a date range
"YYYY-MM-DD..YYYY-MM-DD"; the funnel defaults to the current month), city and side where
meaningful. METRICS names them all for the tools layer.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.models import BuyerRequest, Listing
from crm_store.repositories import revenue as revenue_repo
from crm_store.services import metrics_activity as activity
from crm_store.services import metrics_listings as listings
from crm_store.services import metrics_pipeline as pipeline
from crm_store.services.metrics_common import (
    Metric,
    average,
    city_of,
    owners,
    period_or_this_month,
    scope_text,
    side_of_filter,
)
from crm_store.services.revenue import closed_commission

CENTS = Decimal("0.01")


def _closed_won(
    ctx: Ctx, period: Any, owner_ids: Any, city: str | None, side: str | None
) -> tuple[Any, list[tuple[Listing | BuyerRequest, Any]]]:
    window = period_or_this_month(ctx, period)
    side = side_of_filter(side)
    found: list[tuple[Listing | BuyerRequest, Any]] = []
    for seller in (True, False):
        if side is not None and (side == "seller") != seller:
            continue
        found.extend(
            revenue_repo.closed_won(
                ctx.session, seller=seller, owner_ids=owners(ctx, owner_ids),
                start=window.start, end=window.end, cities=[city] if city else None,
            )
        )  # fmt: skip
    return window, found


def closed_won_count(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    city: str | None = None,
    side: str | None = None,
) -> Metric:
    """Deals closed won in the period."""
    city = city_of(city)
    window, found = _closed_won(ctx, period, owner_ids, city, side)
    en, ru = scope_text(window, city, side)
    sides = {"seller": sum(isinstance(d, Listing) for d, _ in found)}
    sides["buyer"] = len(found) - sides["seller"]
    return Metric(
        "closed_won", len(found), "count",
        f"Deals closed won{en}: {len(found)}.", f"Успешно закрытых сделок{ru}: {len(found)}.",
        count=len(found), breakdown={"by_side": sides},
    )  # fmt: skip


def average_commission(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    city: str | None = None,
    side: str | None = None,
) -> Metric:
    """The average commission check of deals closed won in the period."""
    city = city_of(city)
    window, found = _closed_won(ctx, period, owner_ids, city, side)
    total = sum((closed_commission(deal) for deal, _ in found), Decimal("0.00"))
    value = (total / len(found)).quantize(CENTS) if found else None
    en, ru = scope_text(window, city, side)
    shown = "—" if value is None else f"€{value:,.0f}"
    return Metric(
        "average_commission", value, "EUR",
        f"Average commission check{en}: {shown} over {len(found)} deals (total €{total:,.0f}).",
        f"Средний чек комиссии{ru}: {shown} по {len(found)} сделкам (всего €{total:,.0f}).",
        count=len(found), breakdown={"total": total},
    )  # fmt: skip


def sales_cycle_length(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    city: str | None = None,
    side: str | None = None,
) -> Metric:
    """Average days from a deal's creation to closed won, over deals closed in the period."""
    city = city_of(city)
    window, found = _closed_won(ctx, period, owner_ids, city, side)
    days = [max(0.0, (at - deal.created_at).total_seconds() / 86_400) for deal, at in found]
    value = average(days)
    en, ru = scope_text(window, city, side)
    shown = "—" if value is None else f"{value:.0f}"
    return Metric(
        "sales_cycle_length", value, "days",
        f"Sales cycle{en}: {shown} days on average over {len(days)} deals.",
        f"Цикл сделки{ru}: в среднем {shown} дн. по {len(days)} сделкам.",
        count=len(days),
    )  # fmt: skip


METRICS: dict[str, Callable[..., Metric]] = {
    "closed_won": closed_won_count,
    "average_commission": average_commission,
    "sales_cycle_length": sales_cycle_length,
    "active_listings": listings.active_listings,
    "new_listings": listings.new_listings,
    "days_on_market": listings.days_on_market,
    "listing_to_sale_conversion": listings.listing_to_sale_conversion,
    "withdrawn": listings.withdrawn_listings,
    "appointments": activity.appointments_count,
    "no_show_rate": activity.no_show_rate,
    "meeting_to_deal_conversion": activity.meeting_to_deal_conversion,
    "missed_follow_ups": activity.missed_follow_ups_count,
    "gaps": activity.gaps_count,
    "follow_up_to_appointment_conversion": activity.follow_up_to_appointment_conversion,
    "deals_by_stage": pipeline.deals_by_stage,
}


def metric(ctx: Ctx, *, name: str, **filters: Any) -> Metric:
    """One metric by name with the filters it accepts (owner_ids, period, city, side)."""
    function = METRICS.get(name)
    if function is None:
        raise InvalidInput(
            f"Unknown metric '{name}'; available: {', '.join(METRICS)}.",
            f"Неизвестная метрика «{name}»; доступны: {', '.join(METRICS)}.",
        )
    given = {key: value for key, value in filters.items() if value is not None}
    unknown = sorted(set(given) - set(inspect.signature(function).parameters))
    if unknown:
        raise InvalidInput(
            f"{name} cannot be cut by {', '.join(unknown)}; drop that filter.",
            f"{name} не делится по {', '.join(unknown)}; уберите этот фильтр.",
        )
    return function(ctx, **given)
