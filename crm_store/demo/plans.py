"""Monthly plans for the team and each broker, set a little above what they actually close."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from crm_store.demo.people import TEAM
from crm_store.demo.state import DemoState
from crm_store.models import Plan

PLAN_MONTHS = 6  # the current month and the five before it
HISTORY_MONTHS = 12  # what the targets are anchored on
FLOOR_PER_BROKER = Decimal(8000)  # a new team still has a target


def _month_back(today: date, back: int) -> str:
    index = today.year * 12 + today.month - 1 - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _round(value: Decimal, step: int) -> Decimal:
    return Decimal(max(step, round(value / step) * step)).quantize(Decimal("0.01"))


def write_plans(state: DemoState) -> tuple[Decimal, int] | None:
    """Team and per-broker plans; returns the team's (revenue, deals) target this month."""
    rng = state.rng
    today = state.calendar(state.brokers[0]).today
    history = {_month_back(today, back) for back in range(1, HISTORY_MONTHS + 1)}
    brokers = [b for b in state.brokers if b.role == "broker"]
    earned: dict[str, Decimal] = defaultdict(Decimal)
    closed = 0
    for (broker_id, month), amount in state.revenue.items():
        if month in history:
            earned[broker_id] += amount
    for (_, month), deals in state.won.items():
        if month in history:
            closed += deals
    team_total = sum(earned.values(), Decimal(0))
    monthly = max(team_total / HISTORY_MONTHS, FLOOR_PER_BROKER * len(brokers))
    monthly_deals = max(closed / HISTORY_MONTHS, 1.0)
    rows = []
    current: tuple[Decimal, int] | None = None
    for back in range(PLAN_MONTHS - 1, -1, -1):
        period = _month_back(today, back)
        stretch = Decimal(str(round(rng.uniform(1.05, 1.25), 2)))
        revenue = _round(monthly * stretch, 1000)
        deals = max(1, round(monthly_deals * float(stretch)))
        rows.append(_row(state, None, period, revenue, deals))
        if back == 0:
            current = (revenue, deals)
        for broker in brokers:
            # Half by what the broker brought in, half an equal share of the team's target.
            share = Decimal("0.5") / len(brokers)
            if team_total:
                share += Decimal("0.5") * earned[broker.id] / team_total
            rows.append(
                _row(
                    state,
                    broker.id,
                    period,
                    _round(revenue * share, 500),
                    max(1, round(deals * float(share))),
                )
            )
    state.sink.add(Plan, rows)
    return current


def _row(
    state: DemoState, broker: str | None, period: str, revenue: Decimal, deals: int
) -> dict[str, object]:
    return {
        "id": state.ids.next("p"),
        "team": TEAM,
        "broker": broker,
        "period": period,
        "revenue_target": revenue,
        "deals_target": deals,
    }
