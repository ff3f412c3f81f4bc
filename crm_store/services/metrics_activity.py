"""Appointment and follow-up metrics (SPEC §8), each cut by broker, period and side.

Side follows the deal an appointment or follow-up is linked to (records naming no deal count
only when no side is asked for). A period defaults to the current broker-local month.
Meeting → deal: of the clients met (a done appointment in the period), the share with a deal
closed won. Follow-up → appointment: of the follow-ups done in the period, the share followed
by an appointment (not cancelled) with the same client within 30 days.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import timedelta
from typing import Any

from crm_store.context import Ctx
from crm_store.models import Listing
from crm_store.repositories import metrics as repo
from crm_store.services.followups import gaps
from crm_store.services.metrics_common import (
    Metric,
    city_of,
    owners,
    pct,
    period_or_this_month,
    ratio,
    scope_text,
    side_of_filter,
)
from crm_store.services.periods import Period

FOLLOW_UP_TO_MEETING = timedelta(days=30)


def _on_side(row: Any, side: str | None) -> bool:
    if side == "seller":
        return row.listing_id is not None
    if side == "buyer":
        return row.buyer_request_id is not None
    return True


def _appointments(
    ctx: Ctx, period: Any, owner_ids: Any, side: str | None
) -> tuple[Period, list[Any]]:
    window = period_or_this_month(ctx, period)
    rows = repo.appointment_rows(
        ctx.session, owner_ids=owners(ctx, owner_ids), start=window.start, end=window.end
    )
    return window, [row for row in rows if _on_side(row, side_of_filter(side))]


def appointments_count(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    side: str | None = None,
) -> Metric:
    """Appointments in the period (cancelled ones left out), by outcome."""
    window, rows = _appointments(ctx, period, owner_ids, side)
    statuses = Counter(row.status for row in rows if row.status != "cancelled")
    total = sum(statuses.values())
    en, ru = scope_text(window, None, side)
    return Metric(
        "appointments", total, "count",
        f"Appointments{en}: {total} ({statuses['done']} done, {statuses['no_show']} no-show, "
        f"{statuses['scheduled']} scheduled).",
        f"Встреч{ru}: {total} (состоялось {statuses['done']}, неявок {statuses['no_show']}, "
        f"запланировано {statuses['scheduled']}).",
        count=total, breakdown={"by_status": dict(statuses)},
    )  # fmt: skip


def no_show_rate(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    side: str | None = None,
) -> Metric:
    """No-shows among appointments that were due to happen (done or no-show)."""
    window, rows = _appointments(ctx, period, owner_ids, side)
    held = [row for row in rows if row.status in ("done", "no_show")]
    missed = sum(row.status == "no_show" for row in held)
    value = ratio(missed, len(held))
    en, ru = scope_text(window, None, side)
    return Metric(
        "no_show_rate", value, "ratio",
        f"No-show rate{en}: {pct(value)} ({missed} of {len(held)}).",
        f"Доля неявок{ru}: {pct(value)} ({missed} из {len(held)}).",
        count=len(held),
    )  # fmt: skip


def meeting_to_deal_conversion(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    side: str | None = None,
) -> Metric:
    """Of the clients met in the period, the share with a deal closed won."""
    window, rows = _appointments(ctx, period, owner_ids, side)
    met = {row.contact for row in rows if row.status == "done"}
    seller = None if side is None else side == "seller"
    won = repo.contacts_with_won_deals(ctx.session, met, seller=seller)
    value = ratio(len(won), len(met))
    en, ru = scope_text(window, None, side)
    return Metric(
        "meeting_to_deal_conversion", value, "ratio",
        f"Meeting → deal{en}: {pct(value)} ({len(won)} of {len(met)} clients met closed won).",
        f"Встреча → сделка{ru}: {pct(value)} ({len(won)} из {len(met)} клиентов).",
        count=len(met),
    )  # fmt: skip


def missed_follow_ups_count(
    ctx: Ctx, *, owner_ids: Collection[str] | None = None, side: str | None = None
) -> Metric:
    """Follow-ups overdue right now (the target is zero)."""
    counts = repo.overdue_by_owner(
        ctx.session, owner_ids=owners(ctx, owner_ids), now=ctx.now(), side=side_of_filter(side)
    )
    total = sum(counts.values())
    en, ru = scope_text(None, None, side)
    return Metric(
        "missed_follow_ups", total, "count",
        f"Missed follow-ups{en}: {total} (target 0).",
        f"Пропущенных напоминаний{ru}: {total} (цель — 0).",
        count=total, breakdown={"by_broker": counts},
    )  # fmt: skip


def gaps_count(
    ctx: Ctx,
    *,
    owner_ids: Collection[str] | None = None,
    side: str | None = None,
    city: str | None = None,
) -> Metric:
    """Open deals with no future follow-up right now."""
    side, city = side_of_filter(side), city_of(city)
    found = []
    for deal in gaps(ctx, owner_ids=owners(ctx, owner_ids)):
        is_listing = isinstance(deal, Listing)
        if side is not None and (side == "seller") != is_listing:
            continue
        cities = [deal.city] if isinstance(deal, Listing) else list(deal.cities)
        if city is not None and city not in cities:
            continue
        found.append(deal)
    counts = Counter(deal.owner for deal in found)
    en, ru = scope_text(None, city, side)
    return Metric(
        "gaps", len(found), "count",
        f"Deals without a next follow-up{en}: {len(found)}.",
        f"Сделок без следующего контакта{ru}: {len(found)}.",
        count=len(found), breakdown={"by_broker": dict(counts)},
    )  # fmt: skip


def follow_up_to_appointment_conversion(
    ctx: Ctx,
    *,
    period: Any = None,
    owner_ids: Collection[str] | None = None,
    side: str | None = None,
) -> Metric:
    """Of the follow-ups done in the period, the share followed by an appointment within
    30 days with the same client."""
    window = period_or_this_month(ctx, period)
    done = repo.done_follow_ups(
        ctx.session, owner_ids=owners(ctx, owner_ids), start=window.start, end=window.end,
        side=side_of_filter(side),
    )  # fmt: skip
    meetings: dict[str, list[Any]] = {}
    for contact, at in repo.meetings_of_contacts(
        ctx.session, {row.contact for row in done}, start=window.start,
        end=window.end + FOLLOW_UP_TO_MEETING,
    ):  # fmt: skip
        meetings.setdefault(contact, []).append(at)
    converted = sum(
        any(row.completed_at < at <= row.completed_at + FOLLOW_UP_TO_MEETING
            for at in meetings.get(row.contact, []))
        for row in done
    )  # fmt: skip
    value = ratio(converted, len(done))
    en, ru = scope_text(window, None, side)
    return Metric(
        "follow_up_to_appointment_conversion", value, "ratio",
        f"Follow-up → appointment{en}: {pct(value)} ({converted} of {len(done)} follow-ups).",
        f"Контакт → встреча{ru}: {pct(value)} ({converted} из {len(done)}).",
        count=len(done),
    )  # fmt: skip
