"""The client card (SPEC §6, the seed's two examples are the format), one block per open deal.

    Name: Maria Ivanova | Property: Villa, Paphos | Price: €850K | Mandate: Exclusive
    NEXT BEST ACTION: Prepare listing, professional photoshoot, legal review
    Sale probability in 90 days: 40% → 68%

    Pipeline: Prospect → Contacted → Agreement Signed (in progress) → Active Listing → Sold

followed by the next follow-up (or the gap), a missed one if any, and the action's details.
The pipeline shows the seed's five stages per side (seller up to Sold, buyer up to Deal
Signing), extended to the current stage when the deal is further along or has exited.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.models import BuyerRequest, Contact, FollowUp, Listing
from crm_store.places import place_name
from crm_store.repositories import deals as deals_repo
from crm_store.repositories import signals
from crm_store.services.contacts import get_contact
from crm_store.services.display import (
    channel_name,
    compact_eur,
    mandate_name,
    percent,
    property_type_name,
    timeline_text,
)
from crm_store.services.nba import NextBestAction, next_best_action
from crm_store.services.permissions import can_read
from crm_store.services.probability import deal_probabilities
from crm_store.services.stages import get_deal, side_of
from crm_store.services.workhours import describe
from crm_store.vocabulary import Side, is_terminal, stage_name, stages_of

Deal = Listing | BuyerRequest

SHOWN_STAGES = 5  # the seed's cards show five stages per pipeline
LABELS = {
    "en": {
        "name": "Name", "property": "Property", "price": "Price", "mandate": "Mandate",
        "budget": "Budget", "location": "Location", "timeline": "Timeline",
        "nba": "NEXT BEST ACTION", "p_seller": "Sale probability in 90 days",
        "p_buyer": "Deal probability", "pipeline": "Pipeline",
        "current_seller": "in progress", "current_buyer": "in process",
        "next": "Next follow-up", "gap": "No follow-up scheduled — gap",
        "missed": "Missed follow-up", "missed_many": "Missed follow-ups",
        "none": "No open deals — add a listing or a buyer request to start a pipeline.",
        "from": "from",
    },
    "ru": {
        "name": "Имя", "property": "Объект", "price": "Цена", "mandate": "Договор",
        "budget": "Бюджет", "location": "Локация", "timeline": "Срок",
        "nba": "СЛЕДУЮЩЕЕ ЛУЧШЕЕ ДЕЙСТВИЕ", "p_seller": "Вероятность продажи за 90 дней",
        "p_buyer": "Вероятность сделки", "pipeline": "Воронка",
        "current_seller": "в работе", "current_buyer": "в процессе",
        "next": "Следующий контакт", "gap": "Контакт не запланирован — пробел",
        "missed": "Пропущен контакт", "missed_many": "Пропущено контактов",
        "none": "Открытых сделок нет — добавьте объект или заявку покупателя.",
        "from": "от",
    },
}  # fmt: skip


def _places(names: Sequence[str], language: str) -> str:
    return ", ".join(place_name(str(name), language) for name in names) or "—"


def _budget(deal: BuyerRequest, language: str) -> str:
    low, high = deal.budget_min, deal.budget_max
    if high is not None and low is not None and low != high:
        return f"{compact_eur(low, language)}–{compact_eur(high, language)}"
    if high is not None or low is None:
        return compact_eur(high, language)
    return f"{LABELS[language]['from']} {compact_eur(low, language)}"


def header(contact: Contact, deal: Deal, language: str) -> str:
    """The card's first line: who, what, for how much, on which terms."""
    t = LABELS[language]
    parts = [f"{t['name']}: {contact.full_name}"]
    if isinstance(deal, Listing):
        where = [place_name(p, language) for p in (deal.district, deal.city) if p]
        prop = ", ".join([property_type_name(deal.property_type, language), *where])
        parts += [
            f"{t['property']}: {prop}",
            f"{t['price']}: {compact_eur(deal.price, language)}",
            f"{t['mandate']}: {mandate_name(deal.mandate, language)}",
        ]
    else:
        parts += [
            f"{t['budget']}: {_budget(deal, language)}",
            f"{t['location']}: {_places([*deal.districts, *deal.cities], language)}",
            f"{t['timeline']}: {timeline_text(deal.timeline_months, language)}",
        ]
    return " | ".join(parts)


def pipeline(deal: Deal, language: str) -> str:
    """The seed's stages with the current one marked ("Agreement Signed (in progress)")."""
    side = side_of(deal)
    order = stages_of(side)
    t = LABELS[language]
    marker = t["current_seller"] if side is Side.SELLER else t["current_buyer"]
    shown = list(order[:SHOWN_STAGES])
    if deal.stage in order:
        shown = list(order[: max(SHOWN_STAGES, order.index(deal.stage) + 1)])
    else:  # withdrawn / closed lost: the exit is shown after the usual stages
        shown.append(deal.stage)
    names = [
        f"{stage_name(s, language)} ({marker})" if s == deal.stage else stage_name(s, language)
        for s in shown
    ]
    return f"{t['pipeline']}: " + " → ".join(names)


def _follow_up_text(follow_up: FollowUp, ctx: Ctx, language: str) -> str:
    when = describe(follow_up.due_at, tz=ctx.actor.timezone, language=language)
    channel = channel_name(follow_up.channel, language)
    purpose = f" ({follow_up.purpose})" if follow_up.purpose else ""
    return f"{when} — {channel}{purpose}"


def follow_up_lines(ctx: Ctx, deal: Deal | None, contact: Contact, language: str) -> list[str]:
    """The next follow-up (or the gap) and the missed ones, of the deal or the client."""
    t = LABELS[language]
    open_ones = signals.open_follow_ups_for(
        ctx.session,
        listing_id=deal.id if isinstance(deal, Listing) else None,
        request_id=deal.id if isinstance(deal, BuyerRequest) else None,
        contact_id=contact.id,
    )
    now = ctx.now()
    upcoming = [f for f in open_ones if f.due_at >= now]
    missed = [f for f in open_ones if f.due_at < now]
    lines: list[str] = []
    if upcoming:
        lines.append(f"{t['next']}: {_follow_up_text(upcoming[0], ctx, language)}")
    elif deal is not None and not is_terminal(deal.stage):  # only an open deal owes one
        lines.append(t["gap"])
    if len(missed) == 1:
        lines.append(f"{t['missed']}: {_follow_up_text(missed[0], ctx, language)}")
    elif missed:
        lines.append(
            f"{t['missed_many']}: {len(missed)} — {_follow_up_text(missed[0], ctx, language)}"
        )
    return lines


def card_block(ctx: Ctx, contact: Contact, deal: Deal, nba: NextBestAction, language: str) -> str:
    """One deal's card."""
    t = LABELS[language]
    label = t["p_seller"] if isinstance(deal, Listing) else t["p_buyer"]
    lines = [
        header(contact, deal, language),
        f"{t['nba']}: {nba.action(language)}",
        f"{label}: {percent(nba.p_now)} → {percent(nba.p_after)}",
        "",
        pipeline(deal, language),
        *follow_up_lines(ctx, deal, contact, language),
    ]
    lines += [f"• {d.text(language)}" for d in nba.details if d.kind not in ("missed", "gap")]
    return "\n".join(lines)


def client_card(
    ctx: Ctx,
    *,
    contact_id: str | None = None,
    deal_id: str | None = None,
    language: str = "en",
    suggested_listings: Sequence[Any] = (),
) -> str:
    """The client card of one deal, or of every open deal of a contact (blank line between)."""
    language = "ru" if language == "ru" else "en"
    if deal_id is None and contact_id is None:
        raise InvalidInput("Name the client or the deal.", "Укажите клиента или сделку.")
    if deal_id is not None:
        deal = get_deal(ctx, deal_id=deal_id)
        client = deal.seller if isinstance(deal, Listing) else deal.buyer
        if contact_id is not None and client != contact_id:
            raise InvalidInput(
                f"Deal {deal.id} is not this client's; name the deal or the client.",
                f"Сделка {deal.id} не этого клиента; укажите сделку или клиента.",
            )
        contact = get_contact(ctx, contact_id=client or contact_id or "")
        deals: list[Deal] = [deal]
    else:
        contact = get_contact(ctx, contact_id=contact_id or "")
        found = deals_repo.open_deals_of_contacts(ctx.session, [contact.id])
        deals = sorted(
            (d for d in found if can_read(ctx, d)),
            key=lambda d: (side_of(d) is Side.BUYER, d.created_at, d.id),
        )
    if not deals:
        lines = [f"{LABELS[language]['name']}: {contact.full_name}", LABELS[language]["none"]]
        return "\n".join([*lines, *follow_up_lines(ctx, None, contact, language)])
    scores = deal_probabilities(ctx, deals)
    blocks = [
        card_block(
            ctx, contact, deal,
            next_best_action(ctx, deal, suggested_listings=suggested_listings,
                             probability=scores[deal.id]),
            language,
        )
        for deal in deals
    ]  # fmt: skip
    return "\n\n".join(blocks)
