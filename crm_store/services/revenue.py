"""Revenue against plan (SPEC §8): commission of deals closed won in a month, and the target.

A listing earns its final price × commission % (3% when none was agreed); a buyer request the
commission confirmed at closing. A deal counts in the month it entered closed_won (from its
stage history; its last update when the history lacks the move). The plan is the team's row
when a manager looks at the whole team (the sum of the brokers' rows when the team has none),
else the rows of the brokers looked at.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from crm_store.context import Ctx
from crm_store.models import BuyerRequest, Listing, Plan
from crm_store.repositories import revenue as repo
from crm_store.services.deals import expected_commission
from crm_store.services.followups import resolve_owner_ids
from crm_store.services.periods import parse_period

Deal = Listing | BuyerRequest
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class RevenueRow:
    broker: str
    name: str
    actual: Decimal
    deals: int
    plan: Decimal | None


@dataclass(frozen=True)
class Revenue:
    period: str
    actual: Decimal
    deals: int
    plan: Decimal | None
    deals_target: int | None
    rows: list[RevenueRow] = field(default_factory=list)

    @property
    def average_check(self) -> Decimal:
        return (self.actual / self.deals).quantize(CENTS) if self.deals else Decimal("0.00")

    @property
    def share_of_plan(self) -> float | None:
        return float(self.actual / self.plan) if self.plan else None

    def text(self, language: str = "en") -> str:
        share = f" ({self.share_of_plan:.0%})" if self.share_of_plan is not None else ""
        if language == "ru":
            plan = f"€{self.plan:,.0f}" if self.plan is not None else "не задан"
            return (
                f"Выручка за {self.period}: €{self.actual:,.0f} при плане {plan}{share}; "
                f"сделок: {self.deals}, средний чек €{self.average_check:,.0f}."
            )
        plan = f"€{self.plan:,.0f}" if self.plan is not None else "not set"
        return (
            f"Revenue {self.period}: €{self.actual:,.0f} against a plan of {plan}{share}; "
            f"{self.deals} deals closed won, average check €{self.average_check:,.0f}."
        )


def closed_commission(deal: Deal) -> Decimal:
    """What a closed-won deal earned (final price × commission %, or the confirmed fee)."""
    return expected_commission(deal)


def _sum(plans: list[Plan], field_name: str) -> Decimal | int | None:
    values = [getattr(p, field_name) for p in plans if getattr(p, field_name) is not None]
    return sum(values) if values else None


def revenue_vs_plan(ctx: Ctx, *, period: str, owner_ids: Collection[str] | None = None) -> Revenue:
    """Commission closed won in the month against the plan, per broker and in total."""
    window = parse_period(period, tz=ctx.actor.timezone)
    owners = resolve_owner_ids(ctx, owner_ids)
    closed: list[tuple[Deal, object]] = []
    for seller in (True, False):
        closed.extend(
            repo.closed_won(
                ctx.session, seller=seller, owner_ids=owners, start=window.start, end=window.end
            )
        )
    brokers = repo.brokers(ctx.session, owners)
    teams = None if ctx.actor.broker_id is None else {ctx.actor.team}
    plans = repo.plans(ctx.session, period=window.label, teams=teams)
    broker_plans = {p.broker: p for p in plans if p.broker is not None and p.broker in brokers}
    team_plans = [p for p in plans if p.broker is None]
    whole_team = owner_ids is None and (ctx.actor.broker_id is None or ctx.actor.is_manager)
    chosen = team_plans if whole_team and team_plans else list(broker_plans.values())
    earned: dict[str, list[Decimal]] = {}
    for deal, _ in closed:
        earned.setdefault(deal.owner, []).append(closed_commission(deal))
    rows = [
        RevenueRow(
            broker=broker.id,
            name=broker.name,
            actual=sum(earned.get(broker.id, []), Decimal("0.00")),
            deals=len(earned.get(broker.id, [])),
            plan=broker_plans[broker.id].revenue_target if broker.id in broker_plans else None,
        )
        for broker in sorted(brokers.values(), key=lambda b: b.name)
    ]
    plan = _sum(chosen, "revenue_target")
    target = _sum(chosen, "deals_target")
    return Revenue(
        period=window.label,
        actual=sum((r.actual for r in rows), Decimal("0.00")),
        deals=sum(r.deals for r in rows),
        plan=Decimal(plan) if plan is not None else None,
        deals_target=int(target) if target is not None else None,
        rows=rows,
    )
