"""The frame of a plain listing search: type, place, bedrooms, price bounds and features read
from the clause's slots ("3 bed apartments in limassol under 500k")."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.cue_sets_search import ASKING_ABOUT
from agent.offline.frames import Call, Outcome, Say, Segment, Turn, amount
from agent.offline.replies import say

_FROM = re.compile(r"(?:from|over|above|at least|more than|от|более|больше|дороже)\s*$", re.I)


_BARE_LIMIT = re.compile(
    r"\b(?:under|below|up to|max|до|не дороже)\s+(\d{2,4})(?![\d.,])"
    r"(?!\s*(?:m2|м2|м²|sq|кв|%|спал|bed|km|км|мин|min|метр|year|год|лет))",
    re.IGNORECASE,
)


def find_listings(turn: Turn, segment: Segment) -> Outcome:
    span = segment.span
    slots = turn.slots
    args: dict[str, Any] = {}
    types = [s.value for s in slots.of("type", span)]
    if types:
        args["property_type"] = types[0]
    for place in (s.value for s in slots.of("place", span)):
        key = "city" if place.is_city else "district"
        args.setdefault(key, place.name)
    beds = slots.first("beds", span)
    if beds is not None:
        args["bedrooms_min"] = int(beds.value.value)
    for money in slots.of("money", span):
        before = slots.text[max(span[0], money.span[0] - 20) : money.span[0]]
        args["price_min" if _FROM.search(before) else "price_max"] = amount(money.value)
    bare = _BARE_LIMIT.search(segment.text(turn))
    if "price_max" not in args and bare:  # "до 350": brokers count prices in thousands
        args["price_max"] = int(bare.group(1)) * 1000
    features = [s.value for s in slots.of("feature", span)]
    if features:
        args["features"] = list(dict.fromkeys(features))
    return Call("find_listings", args)


_ASKING_ABOUT = re.compile(
    rf"^\W*{ASKING_ABOUT}\s+(?:the |my |our |this |that )?", re.IGNORECASE
)  # the words the listing_facts intent is recognised by (cue_sets_search)
_NOW = re.compile(r"\s*\b(?:now|currently|today|сейчас|теперь)?\W*$", re.IGNORECASE)


def _listing_described(turn: Turn, segment: Segment) -> str | None:
    """ "what's the asking on my potamos penthouse now" → "potamos penthouse": a listing named
    by its description, for the card tool to resolve (facts only when it is a colleague's)."""
    if not turn.slots.of("type", segment.span):
        return None
    text = segment.text(turn)
    lead = _ASKING_ABOUT.match(text)
    if lead is None:
        return None
    described = _NOW.sub("", text[lead.end() :]).strip()
    return described or None


def listing_facts(turn: Turn, segment: Segment) -> Outcome:
    """A listing (or any record) asked about by id or description: its card (a colleague's
    listing: facts only)."""
    refs = turn.slots.refs("listing", "contact", "buyer_request", span=segment.span)
    if refs:
        return Call("client_card", {"client": refs[0].value})
    described = _listing_described(turn, segment)
    if described is None:
        return Say(say("not_understood", turn.language))
    return Call("client_card", {"client": described})
