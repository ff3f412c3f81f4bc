"""Frames of clients and deals: registration, listings, buyer requests, stage moves, matching."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from agent.offline.criteria import buyer_criteria, feature_changes, property_facts, with_existing
from agent.offline.frames import (
    Call,
    Outcome,
    Segment,
    Turn,
    ask,
    contact_or_ask,
    first_in,
    slots_in,
)
from agent.offline.listing_mentions import listing_mentions, listing_refs
from agent.offline.mentions import leading_name

_BUYING = re.compile(
    r"\b(?:wants?|looking|search\w*|needs?|buy\w*|buyer|budget|purchase|interested|хоч\w*|ищ\w*|"
    r"нужн\w*|купить|покуп\w*|бюджет\w*|интересу\w*)\b"
)
# "wants 325k for the townhouse", "хочет 350 за квартиру": a seller's asking price
_ASKING = re.compile(
    r"@money\s+(?:for|за)\s+(?:(?:the|her|his|their|its|свою|свой|его|её|ее|их)\s+)?(?:@place\s+)?"
    r"(?:@type|@ref|"
    r"place|flat|house|home|квартир\w*|дом\w*|объект\w*)"
)
# A cut of the price ("скинуть 5%", "drop it 5%") against a commission said as one
_PRICE_CUT = re.compile(
    r"\b(?:скин\w*|сниз\w*|сниж\w*|уступ\w*|скидк\w*|discount\w*|reduc\w*|lower\w*|drop\w*|"
    r"cut\w*|knock\w*|off)\b"
)
_COMMISSION = re.compile(r"\b(?:commission\w*|fee|комисс\w*|вознагражд\w*|агентск\w*)\b")
# A price is what a listing asks; what a buyer can pay is a budget
_PRICE_OF = re.compile(r"\b(?:price|asking|цен[аыуео]\w*|стоимост\w*)\b")
_SELLING = re.compile(
    r"\b(?:sell\w*|seller|owner|прода(?:ет|ют|ть|ем|ёт|вец|вца|жа)\w*|собственни\w*)\b"
)
_RU_SPEAKER = re.compile(r"russian[- ]speaking|speaks russian|русскоязычн\w*|говорит по-русски")
_EN_SPEAKER = re.compile(r"english[- ]speaking|speaks english|англоязычн\w*|говорит по-английски")
_SOURCES: tuple[tuple[str, str], ...] = (
    ("referral", r"referr\w*|recommend\w*|рекомендац\w*|по рекомендации|от знакомых|сарафан"),
    ("portal", r"bazaraki|portal|rightmove|idealista|spitogatos|портал\w*|базараки"),
    ("website", r"website|our site|web site|с сайта|через сайт|на сайте"),
    ("social", r"instagram|facebook|tiktok|social|linkedin|инстаграм\w*|фейсбук\w*|соцсет\w*"),
    ("walk_in", r"walk[- ]in|walked in|came to the office|зашел в офис|зашла в офис|пришел в офис"),
    ("call", r"cold call|called us|called the office|позвонил\w* сам\w*|звонок в офис"),
)
_NAME_AFTER = re.compile(
    r"(?:new (?:client|contact|lead|buyer|seller)|нов\w+ (?:клиент\w*|контакт\w*|лид\w*|"
    r"покупател\w*|продав\w*))\s*[:\-]?\s*([^\W\d_]+(?:\s+[^\W\d_]+){1,2})",
    re.IGNORECASE,
)


def _new_name(turn: Turn, segment: Segment) -> str | None:
    people = turn.slots.people(segment.span)
    if people:
        return people[0].canonical
    found = _NAME_AFTER.search(segment.text(turn))
    typed = leading_name(found.group(1).split()) if found else []
    return " ".join(typed).title() if typed else None


def register_contact(turn: Turn, segment: Segment) -> Outcome:
    lower = segment.lower(turn)
    args: dict[str, Any] = {}
    phones = [s.value for s in slots_in(turn, segment, "phone")]
    emails = [s.value for s in slots_in(turn, segment, "email")]
    if phones:
        args["phones"] = phones
    if emails:
        args["emails"] = emails
    if _RU_SPEAKER.search(lower):
        args["language"] = "ru"
    elif _EN_SPEAKER.search(lower):
        args["language"] = "en"
    for source, pattern in _SOURCES:
        if re.search(pattern, lower):
            args["source"] = source
            break
    if _SELLING.search(lower):
        facts = property_facts(turn, segment)
        args["seller"] = facts
    elif _BUYING.search(lower) or first_in(turn, segment, "money") is not None:
        criteria = buyer_criteria(turn, segment)
        if criteria:
            args["buyer"] = criteria
    name = _new_name(turn, segment)
    if name is None:
        return ask(turn, "ask_name", "register_contact", args, "full_name")
    args = {"full_name": name, **args}
    return Call("register_contact", args)


def _deal_ref(turn: Turn, segment: Segment, *kinds: str) -> str | None:
    """The id of a record of one of `kinds` the clause names (looked up: ids are opaque)."""
    for slot in turn.slots.refs(*kinds, span=segment.span):
        return str(slot.value)
    return None


_CREATING = re.compile(r"\b(?:new|add|create|нов\w*|добав\w*|заведи|создай)\b")


def _listing_to_change(turn: Turn, segment: Segment, *, creating: bool) -> str | None:
    """The listing a change is about: an id, the seller's listing, or address words."""
    named = _deal_ref(turn, segment, "listing")
    if named is not None:
        return named
    if creating:
        return None
    person = segment.person
    if person is not None and person.contact is not None:
        own = [d for d in turn.lexicon.deals_of(person.contact.id) if d.side == "seller" and d.open]
        types = {s.value for s in slots_in(turn, segment, "type")}
        fitting = [d for d in own if not types or d.property_type in types] or own
        if len(fitting) == 1:
            return fitting[0].id
        ids = sorted(d.id for d in fitting)
        described = {  # "laura's germasogeia apartment": the one of hers the words fit
            m.resolved
            for m in listing_mentions(turn, segment.span, client=person, among=ids)
            if m.resolved in ids
        }
        if len(described) == 1:
            return described.pop()
        if fitting:  # several: the tool finds them by the seller's name and asks which
            return person.contact.name
    for mention in listing_mentions(turn, segment.span, client=person):
        if mention.resolved:
            return mention.resolved
    return None


def _is_new_person(turn: Turn, segment: Segment) -> bool:
    """Someone nobody knows, named with a phone or e-mail: a registration, not an update."""
    person = segment.person
    reachable = bool(slots_in(turn, segment, "phone") or slots_in(turn, segment, "email"))
    return person is not None and not person.known and not segment.carried and reachable


def save_buyer_request(turn: Turn, segment: Segment) -> Outcome | list[Outcome]:
    if _is_new_person(turn, segment):
        return register_contact(turn, segment)
    person = segment.person
    seller_only = (
        person is not None
        and person.contact is not None
        and (turn.lexicon.sides_of(person.contact.id) == {"seller"})
    )
    asking = _ASKING.search(turn.slots.masked(segment.span))
    if seller_only and (asking or not _BUYING.search(segment.lower(turn))):
        return save_listing(turn, segment)  # "Olga: 2-bed flat, 420k" — her listing's facts
    sells = (
        person is not None
        and person.contact is not None
        and ("seller" in turn.lexicon.sides_of(person.contact.id))
    )
    lower = segment.lower(turn)
    priced = sells and _PRICE_OF.search(lower) and not _BUYING.search(lower)
    if priced and _names_own_listing(turn, segment):
        return save_listing(turn, segment)  # "цену дома юрия федорова поставь 495к": his listing
    request = _buyer_request(turn, segment)
    person = segment.person
    phones = [s.value for s in slots_in(turn, segment, "phone")]
    emails = [s.value for s in slots_in(turn, segment, "email")]
    if isinstance(request, Call) and person is not None and person.contact and (phones or emails):
        details: dict[str, Any] = {"contact": person.contact.name}
        if phones:
            details["add_phones"] = phones
        if emails:
            details["add_emails"] = emails
        return [Call("update_contact", details), request]  # "тел …, бюджет до 250 тыс"
    return request


def _names_own_listing(turn: Turn, segment: Segment) -> bool:
    """The clause names one of the client's own listings ("дом в ипсонасе" of his)."""
    person = segment.person
    if person is None or person.contact is None:
        return False
    own = {d.id for d in turn.lexicon.deals_of(person.contact.id) if d.side == "seller"}
    mentions = listing_mentions(turn, segment.span, client=person)
    return any(m.resolved in own for m in mentions)


def _buyer_request(turn: Turn, segment: Segment) -> Outcome:
    criteria = with_existing(turn, segment, buyer_criteria(turn, segment))
    args: dict[str, Any] = {}
    ref = _deal_ref(turn, segment, "buyer_request")
    if ref is not None:
        args["buyer"] = ref
    else:
        question = contact_or_ask(turn, segment, "save_buyer_request", args, "buyer")
        if question is not None:
            question.pending["args"].update(criteria)
            return question
    if not criteria:
        name = str(args["buyer"])
        return ask(turn, "ask_criteria", "save_buyer_request", args, "criteria", name=name)
    return Call("save_buyer_request", {**args, **criteria})


# A price moved by an amount, not to it: "down by 20k", "снизить на 20 тыс", "+15k".
_BY_BEFORE = re.compile(
    r"(?:\b(?P<down>down|lower\w*|reduc\w*|cut\w*|drop\w*|knock\w*|сни[зж]\w*|опуст\w*|"
    r"уменьш\w*|скин\w*)|\b(?P<up>up|rais\w*|increas\w*|подн[яи]\w*|увелич\w*))"
    r"(?:\s+[^\s\d]\S*){0,4}?\s+(?:by|на)\s*€?\s*$"
)


_TO_BEFORE = re.compile(r"\b(?:to|до)\s*€?\s*$")


def _moved_price(turn: Turn, segment: Segment, asking: Decimal | None) -> Decimal | None:
    """The new price when the broker moves it by an amount: the price said with it ("by 16k
    to 199k": 199k), else the asking price moved by the amount ("down by 20k")."""
    amounts = slots_in(turn, segment, "money")
    by = None
    for money in amounts:
        said = _BY_BEFORE.search(
            turn.slots.text[max(0, money.span[0] - 30) : money.span[0]].lower()
        )
        if said is not None:
            by = -money.value if said.group("down") else money.value
            break
    if by is None:
        return None
    for money in amounts:
        if _TO_BEFORE.search(turn.slots.text[max(0, money.span[0] - 8) : money.span[0]].lower()):
            return Decimal(money.value)
    return asking + by if asking else None


def save_listing(turn: Turn, segment: Segment) -> Outcome:
    if _is_new_person(turn, segment):
        return register_contact(turn, segment)
    facts = property_facts(turn, segment)
    lower = segment.lower(turn)
    target = _listing_to_change(turn, segment, creating=bool(_CREATING.search(lower)))
    if target is not None:
        if not re.search(r"\baddress|\bадрес", lower):
            facts.pop("address", None)  # the address named the listing; it is not a change
        known = turn.lexicon.listing_index().by_id(target)
        for key in ("property_type", "city", "district"):
            if known is not None and key in facts and facts[key] == getattr(known, key):
                facts.pop(key)  # "цену дома в ипсонасе": the words that named it, no change
        if "commission_pct" in facts and _PRICE_CUT.search(lower) and not _COMMISSION.search(lower):
            # "согласился скинуть 5%, снизь цену": a percent off the price, not a commission
            facts.pop("commission_pct")
            if "price" not in facts:
                return ask(turn, "ask_new_price", "save_listing", {"listing": target}, "price",
                           name=target)  # fmt: skip
        moved = _moved_price(turn, segment, known.price if known is not None else None)
        if moved is not None:
            facts["price"] = str(moved)  # "price down by 20k": from the asking
        changes = feature_changes(turn, segment)
        facts.pop("features", None)
        if changes.added or changes.wished:  # a listing has its features, wished or not
            facts["features"] = [*changes.added, *changes.wished]  # added to those on record
        if changes.removed:
            facts["drop_features"] = changes.removed
        return Call("save_listing", {"listing": target, **facts})
    args: dict[str, Any] = {**facts}
    question = contact_or_ask(turn, segment, "save_listing", args, "seller")
    if question is not None:
        return question
    return Call("save_listing", args)


def _buyer(turn: Turn, segment: Segment, tool: str, args: dict[str, Any]) -> Outcome | None:
    ref = _deal_ref(turn, segment, "buyer_request")
    if ref is not None:
        args["buyer"] = ref
        return None
    return contact_or_ask(turn, segment, tool, args, "buyer")


_TOP = re.compile(r"\b(?:best|top|лучших|лучшие|топ)[\s-]*(\d{1,2})\b")


def match_listings(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    question = _buyer(turn, segment, "match_listings", args)
    if question is not None:
        return question
    count = first_in(turn, segment, "count")
    if count is not None:
        args["limit"] = int(count.value.value)
    else:
        top = _TOP.search(segment.lower(turn))
        if top is not None:  # "best 3 for Maria", "топ-5 для Ольги"
            args["limit"] = int(top.group(1))
    return Call("match_listings", args)


_PDF = re.compile(r"\b(?:pdf\w*|пдф\w*|brochure\w*|брошюр\w*|презентаци\w*)\b")


def curated_list(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    question = _buyer(turn, segment, "curated_list", args)
    if question is not None:
        return question
    if _PDF.search(segment.lower(turn)):
        args["pdf"] = True  # "…as a PDF", "подборку в пдф": the brochure too
    return Call("curated_list", args)


def match_buyers(turn: Turn, segment: Segment) -> Outcome:
    refs = listing_refs(turn, segment.span)
    if refs:
        return Call("match_buyers", {"listing": refs[0]})
    person = segment.person
    if person is not None and person.contact is not None:
        return Call("match_buyers", {"listing": person.contact.name})
    return ask(turn, "ask_listing", "match_buyers", {}, "listing")


def explain_match(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    refs = listing_refs(turn, segment.span, client=segment.person)
    if not refs:
        return ask(turn, "ask_listing", "explain_match", args, "listing")
    args["listing"] = refs[0]
    question = _buyer(turn, segment, "explain_match", args)
    if question is not None:
        return question
    return Call("explain_match", {"buyer": args.pop("buyer"), **args})
