"""The two review nudges: the broker's daily digest (the §4 standup in its exact order, plus the
deals without a next follow-up) and the manager's Monday review (SPEC §7, §8 review rhythm)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from crm_store.context import Ctx
from crm_store.models import BuyerRequest, Listing
from crm_store.services import metrics_activity, metrics_listings
from crm_store.services import nudges_actions as actions
from crm_store.services.agenda import AgendaItem
from crm_store.services.appointments import upcoming_appointments
from crm_store.services.forecast import revenue_vs_plan, weighted_pipeline
from crm_store.services.probability import Probability
from crm_store.services.stages import side_of
from crm_store.services.workhours import to_local

Deal = Listing | BuyerRequest
# A digest is read on a phone: the first items of the standup in full, then counts.
DIGEST_ITEMS = 30
DIGEST_GAPS = 15
FORECAST_ROWS = 10


def digest_payload(
    *,
    day: date,
    items: list[AgendaItem],
    scores: dict[str, Probability],
    gaps: list[dict[str, Any]],
) -> dict[str, Any]:
    """The standup for `day` (agenda() items of what the broker sees, in order), the first
    ones with their deal's NBA line; `gaps`: deals without a next follow-up, most valuable
    first."""
    return {
        "date": day.isoformat(),
        "items": [_item(item, scores) for item in items[:DIGEST_ITEMS]],
        "counts": dict(Counter(item.group for item in items)),
        "total": len(items),
        "gaps": gaps[:DIGEST_GAPS],
        "gaps_total": len(gaps),
        "actions": actions.agenda_actions(),
    }


def shown_deals(items: list[AgendaItem]) -> list[Deal]:
    """The deals of the items a digest shows (their NBA lines need probabilities)."""
    return [item.deal for item in items[:DIGEST_ITEMS] if item.deal is not None]


def _item(item: AgendaItem, scores: dict[str, Any]) -> dict[str, Any]:
    follow_up, deal, contact = item.follow_up, item.deal, item.contact
    return {
        "group": item.group,
        "follow_up": follow_up.id if follow_up is not None else None,
        "deal": deal.id if deal is not None else None,
        "side": side_of(deal).value if deal is not None else None,
        "stage": deal.stage if deal is not None else None,
        "contact": contact.id if contact is not None else None,
        "contact_name": _name(item),
        "due_at": item.due_at.isoformat() if item.due_at is not None else None,
        "value": str(item.value),
        "channel": follow_up.channel if follow_up is not None else None,
        "purpose": follow_up.purpose if follow_up is not None else None,
        "source": contact.source if contact is not None and item.group == "new_lead" else None,
        "since": contact.created_at.isoformat()
        if contact is not None and item.group == "new_lead"
        else None,
        "nba": actions.nba_line(deal, scores[deal.id])
        if deal is not None and deal.id in scores
        else None,
    }


def _name(item: AgendaItem) -> str:
    if item.contact is not None:
        return item.contact.full_name
    if isinstance(item.deal, Listing) and item.deal.address:
        return item.deal.address
    return item.deal.id if item.deal is not None else "?"


def weekly_payload(ctx: Ctx, *, team: str, week: str) -> dict[str, Any]:
    """Monday's review for a manager (ctx acts as them): revenue against plan this month,
    the weighted forecast, listings, appointments last week and this, follow-up discipline."""
    now = ctx.now()
    today = to_local(now, tz=ctx.actor.timezone).date()
    last_monday = today - timedelta(days=today.weekday() + 7)
    last_week = f"{last_monday.isoformat()}..{(last_monday + timedelta(days=6)).isoformat()}"
    revenue = revenue_vs_plan(ctx, period=today.strftime("%Y-%m"))
    forecast = weighted_pipeline(ctx, by="broker")
    metrics = [
        metrics_listings.active_listings(ctx),
        metrics_listings.new_listings(ctx, period=last_week),
        metrics_activity.appointments_count(ctx, period=last_week),
        metrics_activity.missed_follow_ups_count(ctx),
        metrics_activity.gaps_count(ctx),
    ]
    upcoming = upcoming_appointments(ctx, start=now, end=now + timedelta(days=7))
    return {
        "team": team,
        "week": week,
        "last_week": last_week,
        "revenue": {
            "period": revenue.period,
            "actual": str(revenue.actual),
            "plan": None if revenue.plan is None else str(revenue.plan),
            "deals": revenue.deals,
            "share": revenue.share_of_plan,
            "en": revenue.text("en"),
            "ru": revenue.text("ru"),
        },
        "forecast": {
            "weighted": str(forecast.weighted),
            "commission": str(forecast.commission),
            "deals": forecast.deals,
            "nurturing_deals": forecast.nurturing_deals,
            "rows": [
                {
                    "broker": row.key,
                    "name": row.label,
                    "deals": row.deals,
                    "weighted": str(row.weighted),
                }
                for row in forecast.rows[:FORECAST_ROWS]
            ],
            "en": forecast.text("en"),
            "ru": forecast.text("ru"),
        },
        "metrics": [
            {"name": m.name, "value": _plain(m.value), "en": m.en, "ru": m.ru} for m in metrics
        ],
        "upcoming_appointments": len(upcoming),
        "actions": [],
    }


def _plain(value: Any) -> Any:
    """JSON-safe metric value (Decimal as text)."""
    return value if value is None or isinstance(value, (int, float)) else str(value)
