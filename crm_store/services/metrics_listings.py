"""Listing metrics (SPEC §8): active, new, days on market, listing → sale, withdrawn.

Days on market run from entering active_listing to being sold (or to now while still active);
with a period, they are those of the listings sold in it. Listing → sale conversion follows
the listings that went on the market (in the period, when given): the share sold since.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import datetime
from typing import Any

from crm_store.context import Ctx
from crm_store.repositories import metrics as repo
from crm_store.repositories import revenue as revenue_repo
from crm_store.services.metrics_common import (
    Metric,
    average,
    city_of,
    owners,
    pct,
    period_of,
    period_or_this_month,
    ratio,
    scope_text,
)

SOLD_STAGES = ("sold", "commission_payment", "closed_won")
DAY = 86_400


def _by_broker(ctx: Ctx, counts: dict[str, int]) -> dict[str, int]:
    names = revenue_repo.brokers(ctx.session, set(counts))
    return {names[b].name if b in names else b: n for b, n in sorted(counts.items())}


def active_listings(
    ctx: Ctx, *, owner_ids: Collection[str] | None = None, city: str | None = None
) -> Metric:
    """Listings on the market now."""
    city = city_of(city)
    counts = repo.listing_counts_by_owner(
        ctx.session, owner_ids=owners(ctx, owner_ids), city=city, stage="active_listing"
    )
    total = sum(counts.values())
    en, ru = scope_text(None, city, None)
    return Metric(
        "active_listings", total, "count",
        f"Active listings{en}: {total}.", f"Активных объектов{ru}: {total}.",
        count=total, breakdown={"by_broker": _by_broker(ctx, counts)},
    )  # fmt: skip


def new_listings(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    city: str | None = None,
) -> Metric:
    """Listings that entered active_listing in the period (default: this month)."""
    window, city = period_or_this_month(ctx, period), city_of(city)
    counts = repo.listing_counts_by_owner(
        ctx.session, owner_ids=owners(ctx, owner_ids), city=city,
        listed_from=window.start, listed_until=window.end,
    )  # fmt: skip
    total = sum(counts.values())
    en, ru = scope_text(window, city, None)
    return Metric(
        "new_listings", total, "count",
        f"New listings{en}: {total}.", f"Новых объектов{ru}: {total}.",
        count=total, breakdown={"by_broker": _by_broker(ctx, counts)},
    )  # fmt: skip


def _sold_at(row: Any) -> datetime | None:
    if row.stage not in SOLD_STAGES:
        return None
    return row.sold_at or row.won_at or row.updated_at


def days_on_market(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    city: str | None = None,
) -> Metric:
    """Average days from going on the market to the sale (or to now while active)."""
    window, city = period_of(ctx, period), city_of(city)
    now = ctx.now()
    spans: list[float] = []
    for row in repo.market_rows(ctx.session, owner_ids=owners(ctx, owner_ids), city=city):
        if row.listed_at is None:
            continue
        sold = _sold_at(row)
        if window is not None:
            if sold is None or not window.contains(sold):
                continue
        elif sold is None and row.stage != "active_listing":
            continue
        end = sold or now
        spans.append(max(0.0, (end - row.listed_at).total_seconds() / DAY))
    value = average(spans)
    en, ru = scope_text(window, city, None)
    shown = "—" if value is None else f"{value:.0f}"
    return Metric(
        "days_on_market", value, "days",
        f"Days on market{en}: {shown} on average over {len(spans)} listings.",
        f"Срок экспозиции{ru}: в среднем {shown} дн. по {len(spans)} объектам.",
        count=len(spans),
        breakdown={"median": sorted(spans)[len(spans) // 2] if spans else None},
    )  # fmt: skip


def listing_to_sale_conversion(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    city: str | None = None,
) -> Metric:
    """Of the listings that went on the market (in the period), the share sold."""
    window, city = period_of(ctx, period), city_of(city)
    listed = sold = 0
    for row in repo.market_rows(ctx.session, owner_ids=owners(ctx, owner_ids), city=city):
        if row.listed_at is None or (window is not None and not window.contains(row.listed_at)):
            continue
        listed += 1
        sold += row.stage in SOLD_STAGES
    value = ratio(sold, listed)
    en, ru = scope_text(window, city, None)
    return Metric(
        "listing_to_sale_conversion", value, "ratio",
        f"Listing → sale{en}: {pct(value)} ({sold} of {listed} listings sold).",
        f"Объект → продажа{ru}: {pct(value)} (продано {sold} из {listed}).",
        count=listed, breakdown={"sold": sold},
    )  # fmt: skip


def withdrawn_listings(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    city: str | None = None,
) -> Metric:
    """Listings withdrawn (in the period), with their reasons."""
    window, city = period_of(ctx, period), city_of(city)
    reasons: Counter[str] = Counter()
    for row in repo.market_rows(ctx.session, owner_ids=owners(ctx, owner_ids), city=city):
        if row.stage != "withdrawn":
            continue
        when = row.withdrawn_at or row.updated_at
        if window is None or window.contains(when):
            reasons[row.withdrawn_reason or "other"] += 1
    total = sum(reasons.values())
    listed = ", ".join(f"{reason} {n}" for reason, n in reasons.most_common())
    en, ru = scope_text(window, city, None)
    return Metric(
        "withdrawn", total, "count",
        f"Withdrawn listings{en}: {total}" + (f" ({listed})." if listed else "."),
        f"Снято с продажи{ru}: {total}" + (f" ({listed})." if listed else "."),
        count=total, breakdown={"reasons": dict(reasons)},
    )  # fmt: skip
