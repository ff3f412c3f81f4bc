"""Next Best Action (SPEC §6): the seed's action for the deal's stage, made concrete from its data.

The headline is the stage's recommended action; the details say what is concretely missing or
due (an overdue or absent follow-up, the pending document, the listings to show, the client's
reactions so far). p_after = min(0.99, p_now + the midpoint of the stage's impact range).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crm_store.context import Ctx
from crm_store.models import BuyerRequest, Listing
from crm_store.repositories import appointments as appointments_repo
from crm_store.repositories import signals
from crm_store.services import nba_tables as tables
from crm_store.services.display import compact_eur, property_type_name
from crm_store.services.followups import Proposal, propose_next_follow_up
from crm_store.services.nba_tables import Detail
from crm_store.services.permissions import can_see_listing_facts, ensure_readable
from crm_store.services.probability import CEILING, Probability, deal_probability
from crm_store.services.stages import side_of
from crm_store.services.workhours import describe
from crm_store.vocabulary import is_terminal

__all__ = ["Detail", "NextBestAction", "expected_after", "next_best_action"]

Deal = Listing | BuyerRequest
MAX_SHOWN = 5


@dataclass(frozen=True)
class NextBestAction:
    deal_id: str
    stage: str
    action_en: str
    action_ru: str
    details: list[Detail]
    p_now: float
    p_after: float
    impact: tuple[float, float]
    probability: Probability | None = None
    follow_up_proposal: Proposal | None = None
    listing_ids: list[str] = field(default_factory=list)

    def action(self, language: str = "en") -> str:
        return self.action_ru if language == "ru" else self.action_en

    def detail_lines(self, language: str = "en") -> list[str]:
        return [detail.text(language) for detail in self.details]


def impact_midpoint(impact: tuple[float, float]) -> float:
    return round((impact[0] + impact[1]) / 2, 6)


def expected_after(p_now: float, impact: tuple[float, float]) -> float:
    """p_after = min(0.99, p_now + midpoint of the impact range)."""
    return round(min(CEILING, p_now + impact_midpoint(impact)), 6)


def _listing_facts(item: Any) -> dict[str, Any]:
    """id, type, address, price of a suggestion: a Listing, a match result or facts object."""
    inner = getattr(item, "listing", None)
    source = inner if inner is not None and not isinstance(inner, str) else item
    get = source.get if isinstance(source, dict) else lambda key: getattr(source, key, None)
    place = get("address") or ", ".join(p for p in (get("district"), get("city")) if p)
    return {"id": get("id"), "type": get("property_type"), "place": place, "price": get("price")}


def _suggestions(ctx: Ctx, items: Iterable[Any], *, skip: set[str]) -> list[dict[str, Any]]:
    """The caller's top listings the actor may show, without the ones the client disliked."""
    items = list(items)
    ids = [str(i) for i in items if isinstance(i, str)]
    loaded = appointments_repo.listings_by_ids(ctx.session, ids)
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, str):
            listing = loaded.get(item)
            if listing is None or not can_see_listing_facts(ctx, listing):
                continue
            item = listing
        facts = _listing_facts(item)
        if facts["id"] and facts["id"] not in skip and len(out) < MAX_SHOWN:
            out.append(facts)
    return out


def _label(facts: dict[str, Any], language: str) -> str:
    kind = property_type_name(facts["type"], language)
    price = f", {compact_eur(facts['price'], language)}" if facts["price"] is not None else ""
    place = f", {facts['place']}" if facts["place"] else ""
    return f"{kind}{place} ({facts['id']}){price}"


def _reactions(ctx: Ctx, contact_id: str | None) -> dict[str, str]:
    """listing → the client's latest reaction at any showing."""
    found: dict[str, str] = {}
    for feedback in appointments_repo.feedback_of_contact(ctx.session, contact_id or ""):
        for item in feedback:
            if isinstance(item, dict) and item.get("listing") and item.get("reaction"):
                found[str(item["listing"])] = str(item["reaction"])
    return found


def _follow_up_details(ctx: Ctx, deal: Deal, p_now: float) -> tuple[list[Detail], Proposal | None]:
    """Overdue follow-ups first; no future one is a gap, with a proposed date."""
    client = deal.seller if isinstance(deal, Listing) else deal.buyer
    open_ones = signals.open_follow_ups_for(
        ctx.session,
        listing_id=deal.id if isinstance(deal, Listing) else None,
        request_id=deal.id if isinstance(deal, BuyerRequest) else None,
        contact_id=client,
    )
    now, tz = ctx.now(), ctx.actor.timezone
    details: list[Detail] = []
    missed = [f for f in open_ones if f.due_at < now]
    if missed:
        first = missed[0]
        en_when, ru_when = (
            describe(first.due_at, tz=tz),
            describe(first.due_at, tz=tz, language="ru"),
        )
        purpose = f" — {first.purpose}" if first.purpose else ""
        details.append(
            Detail(
                "missed",
                f"Overdue follow-up ({first.channel}, due {en_when}{purpose}): do it today, or "
                "reschedule it.",
                f"Просрочено напоминание ({first.channel}, срок {ru_when}{purpose}): выполните "
                "сегодня или перенесите.",
            )
        )
    if is_terminal(deal.stage) or any(f.due_at >= now for f in open_ones):
        return details, None
    proposal = propose_next_follow_up(ctx, deal=deal, probability=p_now)
    details.append(
        Detail(
            "gap",
            f"No follow-up scheduled (gap): schedule the next one — {proposal.text('en')}",
            f"Нет запланированного контакта (пробел): назначьте следующий — {proposal.text('ru')}",
        )
    )
    return details, proposal


def next_best_action(
    ctx: Ctx,
    deal: Deal,
    *,
    suggested_listings: Sequence[Any] = (),
    probability: Probability | None = None,
) -> NextBestAction:
    """The action for this deal now, with the probability now and after it (SPEC §6)."""
    ensure_readable(ctx, deal, what="deal")
    side = side_of(deal)
    action = tables.ACTIONS[side][deal.stage]
    probability = probability or deal_probability(ctx, deal)
    p_now = probability.value
    details, proposal = _follow_up_details(ctx, deal, p_now)
    headline_en, headline_ru = action.en, action.ru
    shown: list[dict[str, Any]] = []
    if isinstance(deal, BuyerRequest) and not is_terminal(deal.stage):
        reactions = _reactions(ctx, deal.buyer)
        disliked = {lid for lid, r in reactions.items() if r == "disliked"}
        shown = _suggestions(ctx, suggested_listings, skip=disliked)
        if shown:
            listed_en = "; ".join(_label(f, "en") for f in shown)
            listed_ru = "; ".join(_label(f, "ru") for f in shown)
            details.append(Detail("listings", f"Suitable: {listed_en}", f"Подходят: {listed_ru}"))
            if deal.stage in tables.SHOWING_HEADLINE:
                headline_en, headline_ru = tables.SHOWING_HEADLINE[deal.stage]
        liked = [lid for lid, r in reactions.items() if r == "liked"]
        if liked:
            details.append(
                Detail(
                    "feedback",
                    f"Liked so far: {', '.join(liked)}",
                    f"Понравились: {', '.join(liked)}",
                )
            )
    details.extend(tables.data_gaps(deal))
    document = tables.pending_document(deal)
    if document is not None:
        details.append(document)
    if not is_terminal(deal.stage) and any(
        a.label_en == "No activity for 14+ days" for a in probability.adjustments
    ):
        details.append(
            Detail(
                "data",
                "No activity for 14+ days: contact the client.",
                "Нет активности 14+ дней: свяжитесь с клиентом.",
            )
        )
    return NextBestAction(
        deal_id=deal.id,
        stage=deal.stage,
        action_en=headline_en,
        action_ru=headline_ru,
        details=details,
        p_now=p_now,
        p_after=expected_after(p_now, action.impact),
        impact=action.impact,
        probability=probability,
        follow_up_proposal=proposal,
        listing_ids=[str(f["id"]) for f in shown],
    )
