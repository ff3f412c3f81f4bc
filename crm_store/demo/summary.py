"""What `copilot init --demo` reports: counts, today's highlights and whom to chat as."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from rich.console import Console
from rich.table import Table

BROKERS_SHOWN = 12


@dataclass(frozen=True)
class BrokerLine:
    id: str
    name: str
    role: str
    language: str
    open_deals: int
    missed: int
    due_today: int
    gaps: int


@dataclass(frozen=True)
class DemoSummary:
    """Rows written per entity and the highlights a broker or manager will see first."""

    seed: int
    now: datetime
    team: str
    counts: dict[str, int]
    brokers: list[BrokerLine]
    active_listings: int
    missed_follow_ups: int
    due_today: int
    gaps: int
    nurturing_buyers: int
    closed_won_this_month: int
    revenue_this_month: Decimal
    plan_revenue_this_month: Decimal | None
    plan_deals_this_month: int | None
    seconds: float = 0.0


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"€{value:,.0f}"


def render_summary(summary: DemoSummary, console: Console | None = None) -> None:
    """Print the counts, the highlights and the brokers (so the user knows whom to --as)."""
    console = console or Console()
    console.rule(f"Demo brokerage: {summary.team}")
    counts = Table("entity", "rows")
    for entity, rows in summary.counts.items():
        counts.add_row(entity, f"{rows:,}")
    console.print(counts)

    highlights = Table(
        "highlight",
        "value",
        title="As of " + summary.now.isoformat(timespec="minutes"),
        title_justify="left",
    )
    highlights.add_row("active listings", f"{summary.active_listings:,}")
    highlights.add_row("missed follow-ups (open, overdue)", f"{summary.missed_follow_ups:,}")
    highlights.add_row("follow-ups due later today", f"{summary.due_today:,}")
    highlights.add_row("open deals without a future follow-up (gaps)", f"{summary.gaps:,}")
    highlights.add_row("buyers in the nurturing pool", f"{summary.nurturing_buyers:,}")
    highlights.add_row("closed won this month", f"{summary.closed_won_this_month:,}")
    plan = _money(summary.plan_revenue_this_month)
    highlights.add_row(
        "commission this month vs plan", f"{_money(summary.revenue_this_month)} / {plan}"
    )
    if summary.plan_deals_this_month is not None:
        highlights.add_row(
            "deals this month vs plan",
            f"{summary.closed_won_this_month} / {summary.plan_deals_this_month}",
        )
    console.print(highlights)

    team = Table(
        "id",
        "name",
        "role",
        "lang",
        "open deals",
        "missed",
        "due today",
        "gaps",
        title="Brokers",
        title_justify="left",
    )
    for line in summary.brokers[:BROKERS_SHOWN]:
        team.add_row(
            line.id,
            line.name,
            line.role,
            line.language,
            str(line.open_deals),
            str(line.missed),
            str(line.due_today),
            str(line.gaps),
        )
    console.print(team)
    hidden = len(summary.brokers) - BROKERS_SHOWN
    if hidden > 0:
        console.print(f"… and {hidden:,} more brokers (copilot brokers list).")
    if summary.brokers:
        example = summary.brokers[1 if len(summary.brokers) > 1 else 0].name
        console.print(
            f'Try: copilot chat --as "{example}"   (or --as {summary.brokers[0].id} '
            f"for the manager, {summary.brokers[0].name})"
        )
    console.print(f"Generated in {summary.seconds:.1f}s (seed {summary.seed}).")
