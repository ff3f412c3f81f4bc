"""Follow-ups (SPEC §4): scheduling and closing them, missed ones, gaps, and the next date."""

from __future__ import annotations

import calendar
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import AlreadyExists, Forbidden, InvalidInput, NotFound
from crm_store.models import BuyerRequest, Contact, FollowUp, Listing
from crm_store.repositories import activities as activities_repo
from crm_store.repositories import deals as deals_repo
from crm_store.repositories.base import add, record
from crm_store.services.deal_fields import is_nurturing
from crm_store.services.deals import deal_value
from crm_store.services.permissions import ensure_readable, ensure_writable, visible_owner_ids
from crm_store.services.stages import get_deal, side_of
from crm_store.services.workhours import (
    add_working_days,
    describe,
    is_working_day,
    local_at,
    next_working_slot,
    to_local,
)
from crm_store.vocabulary import FOLLOW_UP_CHANNELS, Side, is_terminal, stage_name, stages_of

Deal = Listing | BuyerRequest

# The time of day a proposed follow-up lands on, broker-local.
DEFAULT_TIME = time(10, 0)
HOT_PROBABILITY = 0.5
# Below this a deal is cold whatever its stage; between the two it is warm.
COLD_PROBABILITY = 0.15
# From these stages on a deal is hot (SPEC §4).
HOT_FROM = {Side.SELLER: "active_listing", Side.BUYER: "decision"}
# Temperatures by how soon they ask for the next touch; a contact takes its hottest deal's.
CADENCE_ORDER = ("hot", "warm", "cold", "nurturing")


def resolve_owner_ids(ctx: Ctx, owner_ids: Collection[str] | None) -> set[str] | None:
    """The owners to look at: the actor's visible ones by default; asking beyond them is refused."""
    visible = visible_owner_ids(ctx)
    if owner_ids is None:
        return visible
    wanted = set(owner_ids)
    if visible is not None and not wanted <= visible:
        raise Forbidden(
            "You can only see your own follow-ups and deals (managers: their team's).",
            "Вы видите только свои напоминания и сделки (менеджер — своей команды).",
        )
    return wanted


def _owner_tz(ctx: Ctx, owner: str | None) -> str:
    """The broker-local timezone of the broker who owns the record."""
    if owner is None or owner == ctx.actor.broker_id:
        return ctx.actor.timezone
    return activities_repo.broker_timezones(ctx.session, [owner]).get(owner, ctx.actor.timezone)


def _future_due(ctx: Ctx, due_at: datetime, *, tz: str) -> datetime:
    """An aware due time (a naive one is broker-local) that is not in the past."""
    due = to_local(due_at, tz=tz)
    now = ctx.now()
    if due < now:
        hint = next_working_slot(now + timedelta(hours=1), tz=tz).replace(minute=0, second=0)
        raise InvalidInput(
            f"{describe(due, tz=tz)} is in the past. Pick a future time, e.g. "
            f"{describe(hint, tz=tz)}.",
            f"{describe(due, tz=tz, language='ru')} уже прошло. Выберите время в будущем, "
            f"например {describe(hint, tz=tz, language='ru')}.",
        )
    return due


def _channel(channel: str) -> str:
    key = (channel or "").strip().lower()
    if key not in FOLLOW_UP_CHANNELS:
        raise InvalidInput(
            f"'{channel}' is not a follow-up channel; use {', '.join(FOLLOW_UP_CHANNELS)}.",
            f"«{channel}» — не канал связи; используйте {', '.join(FOLLOW_UP_CHANNELS)}.",
        )
    return key


def schedule_follow_up(
    ctx: Ctx,
    *,
    contact_id: str,
    due_at: datetime,
    channel: str = "call",
    purpose: str | None = None,
    deal_id: str | None = None,
) -> FollowUp:
    """Promise the next contact with a client; it belongs to the client's broker."""
    contact = ctx.session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(
            f"There is no contact {contact_id}; find the client by name first.",
            f"Контакта {contact_id} нет; сначала найдите клиента по имени.",
        )
    ensure_writable(ctx, contact, what="contact")
    deal = get_deal(ctx, deal_id=deal_id) if deal_id else None
    if deal is not None:
        ensure_writable(ctx, deal, what="deal")
    due = _future_due(ctx, due_at, tz=_owner_tz(ctx, contact.owner))
    _refuse_repeat(ctx, contact, due, _channel(channel))
    follow_up = FollowUp(
        owner=contact.owner,
        contact=contact.id,
        listing_id=deal.id if isinstance(deal, Listing) else None,
        buyer_request_id=deal.id if isinstance(deal, BuyerRequest) else None,
        due_at=due,
        channel=_channel(channel),
        purpose=(purpose or "").strip() or None,
        status="open",
    )
    return add(ctx, follow_up)


def _refuse_repeat(ctx: Ctx, contact: Contact, due: datetime, channel: str) -> None:
    """The same follow-up (client, minute, channel) asked for again is not made twice."""
    minute = due.replace(second=0, microsecond=0)
    same = activities_repo.open_follow_up_between(
        ctx.session, contact.id, channel, minute, minute + timedelta(minutes=1)
    )
    if same is not None:
        when = describe(same.due_at, tz=ctx.actor.timezone, language="en")
        when_ru = describe(same.due_at, tz=ctx.actor.timezone, language="ru")
        raise AlreadyExists(
            f"Follow-up {same.id} already exists: {channel} {contact.full_name}, {when}. "
            "Nothing new was added.",
            f"Напоминание {same.id} уже есть: {contact.full_name}, {when_ru}. Новое не добавлено.",
            follow_up=same.id,
        )


def _open_follow_up(ctx: Ctx, follow_up_id: str, *, doing: tuple[str, str]) -> FollowUp:
    follow_up = activities_repo.get_follow_up(ctx.session, follow_up_id)
    if follow_up is None:
        raise NotFound(
            f"There is no follow-up {follow_up_id}; list your open follow-ups to find it.",
            f"Напоминания {follow_up_id} нет; посмотрите список открытых напоминаний.",
        )
    ensure_writable(ctx, follow_up, what="follow-up")
    if follow_up.status != "open":
        state_en = "already done" if follow_up.status == "done" else "cancelled"
        state_ru = "уже выполнено" if follow_up.status == "done" else "отменено"
        raise InvalidInput(
            f"Follow-up {follow_up_id} is {state_en}, so it cannot be {doing[0]}. "
            "Schedule a new follow-up instead.",
            f"Напоминание {follow_up_id} {state_ru}, его нельзя {doing[1]}. Создайте новое.",
        )
    return follow_up


def complete_follow_up(ctx: Ctx, *, follow_up_id: str, outcome: str | None = None) -> FollowUp:
    """Mark a follow-up done, with what came of it."""
    follow_up = _open_follow_up(ctx, follow_up_id, doing=("completed", "выполнить"))
    follow_up.status = "done"
    follow_up.completed_at = ctx.now()
    follow_up.outcome = (outcome or "").strip() or None
    ctx.session.flush()
    changes = {"status": ["open", "done"], "outcome": follow_up.outcome}
    record(ctx, action="complete", entity="follow_ups", entity_id=follow_up.id, changes=changes)
    return follow_up


def reschedule_follow_up(ctx: Ctx, *, follow_up_id: str, due_at: datetime) -> FollowUp:
    """Move an open follow-up to another future time."""
    follow_up = _open_follow_up(ctx, follow_up_id, doing=("rescheduled", "перенести"))
    new_due = _future_due(ctx, due_at, tz=_owner_tz(ctx, follow_up.owner))
    changes = {"due_at": [follow_up.due_at, new_due]}
    follow_up.due_at = new_due
    ctx.session.flush()
    record(ctx, action="reschedule", entity="follow_ups", entity_id=follow_up.id, changes=changes)
    return follow_up


def cancel_follow_up(ctx: Ctx, *, follow_up_id: str, reason: str | None = None) -> FollowUp:
    """Call off an open follow-up; the reason is kept as its outcome."""
    follow_up = _open_follow_up(ctx, follow_up_id, doing=("cancelled", "отменить"))
    follow_up.status = "cancelled"
    follow_up.outcome = (reason or "").strip() or None
    ctx.session.flush()
    changes = {"status": ["open", "cancelled"], "reason": follow_up.outcome}
    record(ctx, action="cancel", entity="follow_ups", entity_id=follow_up.id, changes=changes)
    return follow_up


def cancel_for_closed_deal(ctx: Ctx, deal: Listing | BuyerRequest) -> list[FollowUp]:
    """A deal that is won, lost or withdrawn needs no more follow-ups: its open ones (and the
    client's unlinked ones, when it was their only open deal) are cancelled, so the agenda
    does not keep calling about it."""
    client = deal.seller if isinstance(deal, Listing) else deal.buyer
    others = (
        [d for d in deals_repo.open_deals_of_contacts(ctx.session, [client]) if d.id != deal.id]
        if client
        else []
    )
    found = activities_repo.open_follow_ups_of_deal(ctx.session, deal.id, client, bool(others))
    reason = f"deal {deal.id} closed ({deal.stage})"
    return [cancel_follow_up(ctx, follow_up_id=f.id, reason=reason) for f in found]


def is_missed(follow_up: FollowUp, now: datetime) -> bool:
    """Open and due before now (derived, never stored)."""
    return follow_up.status == "open" and follow_up.due_at < now


def missed_follow_ups(ctx: Ctx, *, owner_ids: Collection[str] | None = None) -> list[FollowUp]:
    """Every overdue open follow-up of these owners, oldest first."""
    owners = resolve_owner_ids(ctx, owner_ids)
    return activities_repo.missed_follow_ups(ctx.session, owner_ids=owners, now=ctx.now())


def gaps(ctx: Ctx, *, owner_ids: Collection[str] | None = None) -> list[Deal]:
    """Open deals with no open follow-up due from now on, most valuable first.

    A follow-up counts when it is linked to the deal, or made with the deal's client without
    naming any deal ("call Ivan tomorrow" covers Ivan's deals).
    """
    owners = resolve_owner_ids(ctx, owner_ids)
    now = ctx.now()
    found: list[Deal] = []
    found.extend(
        deals_repo.open_listings_without_future_follow_up(ctx.session, owner_ids=owners, now=now)
    )
    found.extend(
        deals_repo.open_requests_without_future_follow_up(ctx.session, owner_ids=owners, now=now)
    )
    return sorted(found, key=lambda deal: (-deal_value(deal), deal.id))


def temperature(deal: Deal, *, probability: float | None = None) -> str:
    """hot | warm | cold | nurturing, from the stage, the nurturing pool and the probability.

    In this order: a closed deal is cold; a buyer at decision or later or a listing at
    active_listing or later is hot; a buyer in the nurturing pool is nurturing; with a
    probability, ≥ 0.5 is hot, < 0.15 cold, else warm; without one, a deal past its first
    stage is warm (the client is engaged) and one still at prospect / qualification is cold.
    """
    side = side_of(deal)
    order = stages_of(side)
    if is_terminal(deal.stage) or deal.stage not in order:
        return "cold"
    here = order.index(deal.stage)
    if here >= order.index(HOT_FROM[side]):
        return "hot"
    if isinstance(deal, BuyerRequest) and (deal.nurturing or is_nurturing(deal.timeline_months)):
        return "nurturing"
    if probability is not None:
        if probability >= HOT_PROBABILITY:
            return "hot"
        return "cold" if probability < COLD_PROBABILITY else "warm"
    return "warm" if here > 0 else "cold"


@dataclass(frozen=True)
class Proposal:
    """A proposed next follow-up: when (aware, broker-local), how hot, and why (EN and RU)."""

    due_at: datetime
    temperature: str
    reason: str
    reason_ru: str

    def text(self, language: str = "en") -> str:
        return self.reason_ru if language == "ru" else self.reason


_CADENCE = {
    "hot": ("Hot", "Горячая", "within 1–2 working days", "в течение 1–2 рабочих дней"),
    "warm": ("Warm", "Тёплая", "in 3–7 days", "через 3–7 дней"),
    "cold": ("Cold", "Холодная", "in 14 days", "через 14 дней"),
    "nurturing": ("Nurturing pool", "Пул прогрева", "monthly", "раз в месяц"),
}


def _add_month(day: date) -> date:
    month = day.month % 12 + 1
    year = day.year + (day.month == 12)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _proposed_day(temp: str, start: datetime, *, tz: str) -> date:
    """hot: next working day; warm: 3 working days; cold: 14 days; nurturing: a month."""
    if temp == "hot":
        return add_working_days(start, 1, tz=tz).date()
    if temp == "warm":
        return add_working_days(start, 3, tz=tz).date()
    day = start.date() + timedelta(days=14) if temp == "cold" else _add_month(start.date())
    return day if is_working_day(day) else day + timedelta(days=1)


def _contact_temperature(ctx: Ctx, contact_id: str) -> tuple[str, Any, str]:
    """A contact without a named deal takes its hottest open deal's temperature (warm if none)."""
    contact = ctx.session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(
            f"There is no contact {contact_id}; find the client by name first.",
            f"Контакта {contact_id} нет; сначала найдите клиента по имени.",
        )
    ensure_readable(ctx, contact, what="contact")
    deals = deals_repo.open_deals_of_contacts(ctx.session, [contact.id])
    if not deals:
        return "warm", None, contact.owner
    hottest = min(deals, key=lambda d: CADENCE_ORDER.index(temperature(d)))
    return temperature(hottest), hottest, contact.owner


def propose_next_follow_up(
    ctx: Ctx,
    *,
    deal: Deal | str | None = None,
    contact_id: str | None = None,
    after: datetime | None = None,
    probability: float | None = None,
) -> Proposal:
    """The next follow-up date from temperature: working hours, never Sunday, never the past."""
    if isinstance(deal, str):
        deal = get_deal(ctx, deal_id=deal)
    elif deal is not None:
        ensure_readable(ctx, deal, what="deal")
    if deal is not None:
        temp, subject, owner = temperature(deal, probability=probability), deal, deal.owner
    elif contact_id is not None:
        temp, subject, owner = _contact_temperature(ctx, contact_id)
    else:
        raise InvalidInput(
            "Name the deal or the contact to propose a follow-up for.",
            "Укажите сделку или контакт, для которого предложить дату.",
        )
    tz = _owner_tz(ctx, owner)
    now = ctx.now()
    start = to_local(max(after, now) if after is not None else now, tz=tz)
    due = local_at(_proposed_day(temp, start, tz=tz), DEFAULT_TIME, tz=tz)
    why_en, why_ru = _why(subject, temp, probability)
    label_en, label_ru, when_en, when_ru = _CADENCE[temp]
    due_en, due_ru = describe(due, tz=tz), describe(due, tz=tz, language="ru")
    return Proposal(
        due_at=due,
        temperature=temp,
        reason=f"{label_en}{why_en}: follow up {when_en} — {due_en}.",
        reason_ru=f"{label_ru}{why_ru}: связаться {when_ru} — {due_ru}.",
    )


def _why(deal: Deal | None, temp: str, probability: float | None) -> tuple[str, str]:
    if deal is None:
        return " (no open deal)", " (нет открытой сделки)"
    if temp == "nurturing" and isinstance(deal, BuyerRequest) and deal.timeline_months:
        months = deal.timeline_months
        return f" (buying in {months} months)", f" (покупка через {months} мес.)"
    en, ru = stage_name(deal.stage), stage_name(deal.stage, "ru")
    if probability is not None:
        en, ru = f"{en}, {probability:.0%}", f"{ru}, {probability:.0%}"
    return f" ({en})", f" ({ru})"
