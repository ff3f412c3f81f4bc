"""The daily standup (SPEC §4): missed → due today → hot → due tomorrow → new leads, in order."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from crm_store.context import Ctx
from crm_store.models import BuyerRequest, Contact, FollowUp, Listing
from crm_store.repositories import activities as activities_repo
from crm_store.repositories import deals as deals_repo
from crm_store.services.agenda_titles import day_title
from crm_store.services.deals import deal_value
from crm_store.services.display import channel_name
from crm_store.services.followups import HOT_FROM, resolve_owner_ids
from crm_store.services.workhours import describe, local_at, to_local
from crm_store.vocabulary import Side, stage_name, stages_of

Deal = Listing | BuyerRequest

GROUPS = ("missed", "due_today", "hot", "due_tomorrow", "new_lead")
NEW_LEAD_WINDOW = timedelta(hours=48)
HOT_SELLER_STAGES = stages_of(Side.SELLER)[stages_of(Side.SELLER).index(HOT_FROM[Side.SELLER]) : -1]
HOT_BUYER_STAGES = stages_of(Side.BUYER)[stages_of(Side.BUYER).index(HOT_FROM[Side.BUYER]) : -1]
_EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class AgendaItem:
    """One line of the standup; `group` is one of GROUPS."""

    group: str
    follow_up: FollowUp | None
    deal: Deal | None
    contact: Contact | None
    due_at: datetime | None
    value: Decimal
    label: str


def agenda(
    ctx: Ctx, *, owner_ids: Collection[str] | None = None, day: date | None = None
) -> list[AgendaItem]:
    """The standup for `day` (default: today, broker-local), each item once, in its top group.

    Within a group: oldest due first, then highest deal value. A hot deal shows its next open
    follow-up (none: it sorts first, it needs one); new leads sort by arrival.
    """
    owners = resolve_owner_ids(ctx, owner_ids)
    now = ctx.now()
    zones = activities_repo.broker_timezones(ctx.session, owners)
    windows = {owner: _day_window(ctx, tz, day) for owner, tz in zones.items()}
    latest_end = max((window[2] for window in windows.values()), default=now)
    lang = ctx.actor.language
    items: list[AgendaItem] = []
    shown_follow_ups: set[str] = set()
    shown_deals: set[str] = set()
    shown_contacts: set[str] = set()

    def keep(item: AgendaItem) -> None:
        items.append(item)
        if item.follow_up is not None:
            shown_follow_ups.add(item.follow_up.id)
        if item.deal is not None:
            shown_deals.add(item.deal.id)
        if item.contact is not None:
            shown_contacts.add(item.contact.id)

    rows = activities_repo.open_follow_ups_due_before(
        ctx.session, owner_ids=owners, before=latest_end
    )
    tomorrow: list[AgendaItem] = []
    by_group: dict[str, list[AgendaItem]] = {"missed": [], "due_today": []}
    for follow_up, contact, listing, request in rows:
        deal = listing or request
        start, end, end_tomorrow = windows.get(follow_up.owner, (now, now, now))
        tz = zones.get(follow_up.owner, ctx.actor.timezone)
        if follow_up.due_at < now:
            group = "missed"
        elif max(now, start) <= follow_up.due_at < end:
            group = "due_today"
        elif max(now, end) <= follow_up.due_at < end_tomorrow:
            group = "due_tomorrow"
        else:
            continue
        named_day = None if day == to_local(now, tz=tz).date() else day
        prefix = day_title(group, lang, day=named_day)
        item = _follow_up_item(group, prefix, follow_up, deal, contact, tz=tz, lang=lang)
        (tomorrow if group == "due_tomorrow" else by_group[group]).append(item)
    for group in ("missed", "due_today"):
        for item in _ordered(by_group[group]):
            keep(item)
    for item in _ordered(_hot_items(ctx, owners, now, zones, shown_deals, lang)):
        keep(item)
    for item in _ordered(tomorrow):
        if item.follow_up is not None and item.follow_up.id not in shown_follow_ups:
            keep(item)
    for item in _new_lead_items(ctx, owners, now, zones, shown_contacts, lang):
        keep(item)
    return items


def _day_window(ctx: Ctx, tz: str, day: date | None) -> tuple[datetime, datetime, datetime]:
    """Midnights starting the day, the next day and the day after, in the broker's timezone."""
    local_day = day or to_local(ctx.now(), tz=tz).date()
    return (
        local_at(local_day, time(0), tz=tz),
        local_at(local_day + timedelta(days=1), time(0), tz=tz),
        local_at(local_day + timedelta(days=2), time(0), tz=tz),
    )


def _ordered(items: list[AgendaItem]) -> list[AgendaItem]:
    return sorted(items, key=lambda item: (item.due_at or _EARLIEST, -item.value))


def _who(contact: Contact | None, deal: Deal | None) -> str:
    if contact is not None:
        return contact.full_name
    if isinstance(deal, Listing):
        return deal.address or deal.id
    return deal.id if deal is not None else "?"


def _follow_up_item(
    group: str,
    prefix: str,
    follow_up: FollowUp,
    deal: Deal | None,
    contact: Contact | None,
    *,
    tz: str,
    lang: str,
) -> AgendaItem:
    what = f" — {follow_up.purpose}" if follow_up.purpose else ""
    action = f"{channel_name(follow_up.channel, lang)} {_who(contact, deal)}"
    if group == "missed":
        when = describe(follow_up.due_at, tz=tz, language=lang)
        label = f"{prefix}: {action} ({when}){what}"
    else:  # the prefix names the day; the time is all that is left to say
        label = f"{prefix} {to_local(follow_up.due_at, tz=tz):%H:%M}: {action}{what}"
    value = deal_value(deal) if deal is not None else Decimal("0.00")
    return AgendaItem(group, follow_up, deal, contact, follow_up.due_at, value, label)


def _hot_items(
    ctx: Ctx,
    owners: set[str] | None,
    now: datetime,
    zones: dict[str, str],
    shown_deals: set[str],
    lang: str,
) -> list[AgendaItem]:
    """Hot open deals not already on the list, each with its next open follow-up (if any)."""
    session = ctx.session
    deals: list[tuple[Deal, Contact | None]] = []
    deals.extend(deals_repo.listings_in_stages(session, stages=HOT_SELLER_STAGES, owner_ids=owners))
    deals.extend(deals_repo.requests_in_stages(session, stages=HOT_BUYER_STAGES, owner_ids=owners))
    upcoming = activities_repo.future_follow_ups_on_listings(
        session, stages=HOT_SELLER_STAGES, owner_ids=owners, since=now
    ) + activities_repo.future_follow_ups_on_requests(
        session, stages=HOT_BUYER_STAGES, owner_ids=owners, since=now
    )
    next_of: dict[str, FollowUp] = {}
    for candidate in upcoming:
        deal_id = candidate.deal
        if deal_id and (deal_id not in next_of or candidate.due_at < next_of[deal_id].due_at):
            next_of[deal_id] = candidate
    items = []
    for deal, contact in deals:
        if deal.id in shown_deals:
            continue
        follow_up = next_of.get(deal.id)
        tz = zones.get(deal.owner, ctx.actor.timezone)
        stage = stage_name(deal.stage, lang)
        if follow_up is not None:
            then = describe(follow_up.due_at, tz=tz, language=lang)
            plan = f"next: {then}" if lang != "ru" else f"далее: {then}"
        else:
            plan = "nothing scheduled" if lang != "ru" else "ничего не запланировано"
        value = deal_value(deal)
        hot = "Горячая" if lang == "ru" else "Hot"
        label = f"{hot}: {_who(contact, deal)} — {stage}, €{value:,.0f} ({plan})"
        due = follow_up.due_at if follow_up is not None else None
        items.append(AgendaItem("hot", follow_up, deal, contact, due, value, label))
    return items


def _new_lead_items(
    ctx: Ctx,
    owners: set[str] | None,
    now: datetime,
    zones: dict[str, str],
    shown_contacts: set[str],
    lang: str,
) -> list[AgendaItem]:
    """Contacts of the last 48 h nobody has spoken to yet, longest waiting first."""
    leads = [
        contact
        for contact in activities_repo.uncontacted_new_contacts(
            ctx.session, owner_ids=owners, since=now - NEW_LEAD_WINDOW, until=now
        )
        if contact.id not in shown_contacts
    ]
    ids = [contact.id for contact in leads]
    best_deal: dict[str, Deal] = {}
    for open_deal in deals_repo.open_deals_of_contacts(ctx.session, ids):
        client = open_deal.seller if isinstance(open_deal, Listing) else open_deal.buyer
        best = best_deal.get(client or "")
        if client and (best is None or deal_value(open_deal) > deal_value(best)):
            best_deal[client] = open_deal
    next_of: dict[str, FollowUp] = {}
    for upcoming in activities_repo.future_follow_ups_of_contacts(ctx.session, ids, since=now):
        next_of.setdefault(upcoming.contact, upcoming)  # soonest first
    items = []
    for contact in leads:
        deal = best_deal.get(contact.id)
        value = deal_value(deal) if deal is not None else Decimal("0.00")
        follow_up = next_of.get(contact.id)
        tz = zones.get(contact.owner, ctx.actor.timezone)
        since = describe(contact.created_at, tz=tz, language=lang)
        label = (
            f"Новый лид: {contact.full_name} ({contact.source}, с {since}), контакта ещё не было"
            if lang == "ru"
            else f"New lead: {contact.full_name} ({contact.source}, {since}), not contacted yet"
        )
        due = follow_up.due_at if follow_up is not None else None
        items.append(AgendaItem("new_lead", follow_up, deal, contact, due, value, label))
    items.sort(key=lambda item: (item.contact.created_at if item.contact else now, -item.value))
    return items
