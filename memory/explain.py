"""Why one listing fits one buyer (or does not): the hard criteria, then the evidence."""

from __future__ import annotations

from typing import Any

from crm_store.context import Ctx
from crm_store.models import BuyerRequest, Listing
from crm_store.services.permissions import can_see_listing_facts, ensure_readable
from memory.documents import buyer_doc, listing_doc
from memory.matching.criteria import failed_criteria, structured_reasons
from memory.matching.evidence import score_pair, wish_reasons

CRITERIA = {
    "location": ("the place is not one the buyer wants", "не тот район/город"),
    "property_types": ("not a property type the buyer wants", "не тот тип недвижимости"),
    "bedrooms_min": ("too few bedrooms", "мало спален"),
    "budget": ("over budget by more than 10%", "дороже бюджета более чем на 10%"),
    "must_haves": ("a must-have is missing", "нет обязательного"),
}


def explain_pair(
    matcher: Any, ctx: Ctx, *, request: BuyerRequest, listing: Listing, language: str = "en"
) -> str:
    """A broker-readable verdict with the score and reasons, or the criteria it fails."""
    ensure_readable(ctx, request, what="buyer request")
    ru = language == "ru"
    if not can_see_listing_facts(ctx, listing):
        return "Этот объект вам не виден." if ru else "That listing is not visible to you."
    buyer, doc = buyer_doc(request), listing_doc(listing)
    failed = failed_criteria(buyer, doc, matcher.config)
    if failed:
        why = "; ".join(CRITERIA.get(f, (f, f))[ru] for f in failed)
        head = f"{listing.id} не подходит: " if ru else f"{listing.id} does not fit: "
        return head + why + "."
    score, evidence = score_pair(
        buyer, doc, matcher.clause_vectors(buyer), matcher.passage_vectors(doc),
        matcher.config, matcher.idf,
    )  # fmt: skip
    reasons = [*structured_reasons(buyer, doc), *wish_reasons(doc, evidence)]
    head = (
        f"{listing.id} подходит (оценка {score:.2f}):" if ru
        else f"{listing.id} fits (score {score:.2f}):"
    )  # fmt: skip
    return "\n".join([head, *(f"- {r.text(language)}" for r in reasons)])
