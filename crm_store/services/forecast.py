"""The commission funnel (SPEC §8): weighted pipeline and revenue against plan.

Weighted pipeline = Σ expected commission × deal probability over open deals; the nurturing
pool is left out (the seed's Forecast Rule) and reported on its own.

Expected close month (the SPEC is silent): today plus the typical time left from the deal's
stage (TIME_TO_CLOSE below; active_listing ≈ the seed's "sale in 90 days"); a buyer who named
a timeline closes no earlier than created_at + timeline_months. Months are broker-local.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.models import BuyerRequest, Listing
from crm_store.repositories import revenue as repo
from crm_store.services.deal_fields import is_nurturing
from crm_store.services.deals import expected_commission
from crm_store.services.followups import resolve_owner_ids
from crm_store.services.periods import add_months
from crm_store.services.probability import deal_probabilities
from crm_store.services.revenue import Revenue, RevenueRow, revenue_vs_plan
from crm_store.services.workhours import to_local

__all__ = [
    "Forecast", "ForecastRow", "Revenue", "RevenueRow", "expected_close", "revenue_vs_plan",
    "weighted_pipeline",
]  # fmt: skip

Deal = Listing | BuyerRequest
CENTS = Decimal("0.01")
GROUPINGS = ("broker", "team", "month")
TIME_TO_CLOSE = {
    "prospect": 180, "contacted": 150, "agreement_signed": 120, "active_listing": 90,
    "sold": 45, "commission_payment": 15,
    "qualification": 150, "demand_research": 120, "viewing": 90, "decision": 60,
    "signing": 30, "payment": 15,
}  # fmt: skip


@dataclass(frozen=True)
class ForecastRow:
    key: str
    label: str
    deals: int
    commission: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class Forecast:
    by: str
    rows: list[ForecastRow]
    deals: int
    commission: Decimal
    weighted: Decimal
    nurturing_deals: int
    nurturing_commission: Decimal

    def text(self, language: str = "en") -> str:
        if language == "ru":
            return (
                f"Взвешенный прогноз: €{self.weighted:,.0f} по {self.deals} сделкам "
                f"(комиссия €{self.commission:,.0f}); пул прогрева вне прогноза: "
                f"{self.nurturing_deals} (€{self.nurturing_commission:,.0f})."
            )
        return (
            f"Weighted pipeline: €{self.weighted:,.0f} over {self.deals} open deals "
            f"(€{self.commission:,.0f} commission); nurturing pool left out: "
            f"{self.nurturing_deals} (€{self.nurturing_commission:,.0f})."
        )


def expected_close(deal: Deal, *, now: datetime, tz: str) -> date:
    """When the deal should close: typical time left from its stage, not before the buyer's
    own timeline."""
    today = to_local(now, tz=tz).date()
    close = today + timedelta(days=TIME_TO_CLOSE.get(deal.stage, 90))
    if isinstance(deal, BuyerRequest) and deal.timeline_months:
        start = to_local(deal.created_at, tz=tz).date()
        close = max(close, add_months(start, deal.timeline_months))
    return close


def _nurturing(deal: Deal) -> bool:
    return isinstance(deal, BuyerRequest) and (deal.nurturing or is_nurturing(deal.timeline_months))


def weighted_pipeline(
    ctx: Ctx, *, owner_ids: Collection[str] | None = None, by: str = "broker"
) -> Forecast:
    """Σ expected commission × probability of open deals, by broker, team or close month."""
    if by not in GROUPINGS:
        raise InvalidInput(
            f"Group the forecast by one of {', '.join(GROUPINGS)}.",
            f"Прогноз группируется по: {', '.join(GROUPINGS)}.",
        )
    owners = resolve_owner_ids(ctx, owner_ids)
    deals = repo.open_deals(ctx.session, owner_ids=owners)
    pool = [d for d in deals if _nurturing(d)]
    active = [d for d in deals if not _nurturing(d)]
    scores = deal_probabilities(ctx, active)
    brokers = repo.brokers(ctx.session, {d.owner for d in active})
    now, tz = ctx.now(), ctx.actor.timezone
    groups: dict[str, list[tuple[Decimal, Decimal]]] = {}
    labels: dict[str, str] = {}
    for deal in active:
        commission = expected_commission(deal)
        weighted = (commission * Decimal(str(scores[deal.id].value))).quantize(CENTS)
        broker = brokers.get(deal.owner)
        if by == "broker":
            key, label = deal.owner, broker.name if broker else deal.owner
        elif by == "team":
            key = label = broker.team if broker else "—"
        else:
            key = label = expected_close(deal, now=now, tz=tz).strftime("%Y-%m")
        groups.setdefault(key, []).append((commission, weighted))
        labels[key] = label
    rows = [
        ForecastRow(key, labels[key], len(items), sum((c for c, _ in items), Decimal(0)),
                    sum((w for _, w in items), Decimal(0)))
        for key, items in groups.items()
    ]  # fmt: skip
    rows.sort(key=lambda row: row.key if by == "month" else (-row.weighted, row.label))
    return Forecast(
        by=by,
        rows=rows,
        deals=len(active),
        commission=sum((r.commission for r in rows), Decimal("0.00")),
        weighted=sum((r.weighted for r in rows), Decimal("0.00")),
        nurturing_deals=len(pool),
        nurturing_commission=sum((expected_commission(d) for d in pool), Decimal("0.00")),
    )
