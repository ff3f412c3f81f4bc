"""Frames of clients and deals: registration, listings, buyer requests, stage moves, matching."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.criteria import buyer_criteria, property_facts
from agent.offline.frames import (
    Call,
    Outcome,
    Segment,
    Turn,
    amount,
    ask,
    contact_or_ask,
    first_in,
    listing_refs,
    slots_in,
)
from agent.offline.stage_words import EXIT, exit_reason, resolve_exit

_BUYING = re.compile(
    r"\b(?:wants?|looking|search\w*|needs?|buy\w*|buyer|budget|purchase|interested|хоч\w*|ищ\w*|"
    r"нужн\w*|купить|покуп\w*|бюджет\w*|интересу\w*)\b"
)
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
    if found:
        return found.group(1).title()
    return None


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


def _deal_ref(turn: Turn, segment: Segment, prefixes: tuple[str, ...]) -> str | None:
    for slot in slots_in(turn, segment, "ref"):
        if slot.value.startswith(prefixes):
            return str(slot.value)
    return None


def _is_new_person(turn: Turn, segment: Segment) -> bool:
    """Someone nobody knows, named with a phone or e-mail: a registration, not an update."""
    person = segment.person
    reachable = bool(slots_in(turn, segment, "phone") or slots_in(turn, segment, "email"))
    return person is not None and not person.known and not segment.carried and reachable


def save_buyer_request(turn: Turn, segment: Segment) -> Outcome:
    if _is_new_person(turn, segment):
        return register_contact(turn, segment)
    criteria = buyer_criteria(turn, segment)
    args: dict[str, Any] = {}
    ref = _deal_ref(turn, segment, ("r-",))
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


def save_listing(turn: Turn, segment: Segment) -> Outcome:
    if _is_new_person(turn, segment):
        return register_contact(turn, segment)
    facts = property_facts(turn, segment)
    refs = listing_refs(turn, segment)
    lower = segment.lower(turn)
    if refs:
        if not re.search(r"\baddress|\bадрес", lower):
            facts.pop("address", None)  # the address named the listing; it is not a change
        return Call("save_listing", {"listing": refs[0], **facts})
    person = segment.person
    creating = re.search(r"\b(?:new|add|create|нов\w*|добав\w*|заведи|создай)\b", lower)
    if person is not None and person.contact is not None and not creating:
        sides = turn.lexicon.sides_of(person.contact.id)
        if "seller" in sides:  # the seller's listing: the tool finds it by the client's name
            return Call("save_listing", {"listing": person.contact.name, **facts})
    args: dict[str, Any] = {**facts}
    question = contact_or_ask(turn, segment, "save_listing", args, "seller")
    if question is not None:
        return question
    return Call("save_listing", args)


_REASONISH = re.compile(
    r"\b(?:because|since|reason|due to|потому что|так как|причин\w*|из-за)\b|:\s*\w"
)


def move_stage(turn: Turn, segment: Segment) -> Outcome:
    lower = segment.lower(turn)
    hit = first_in(turn, segment, "stage") or first_in(turn, segment, "event")
    args: dict[str, Any] = {}
    ref = _deal_ref(turn, segment, ("l-", "r-"))
    if ref is not None:
        args["deal"] = ref
    else:
        question = contact_or_ask(turn, segment, "move_stage", args, "deal")
        if question is not None:
            return question
    if hit is None:
        return ask(turn, "ask_stage", "move_stage", args, "to_stage")
    stage = hit.value.stage
    side = _side(turn, segment, ref)
    if stage == EXIT or stage in ("withdrawn", "closed_lost"):
        if stage == EXIT:
            stage = resolve_exit(stage, side)
        exit_side = "seller" if stage == "withdrawn" else "buyer"
        reason = exit_reason(lower, exit_side)
        if reason == "other" and hit.value.explicit:
            because = _REASONISH.search(lower)
            if because is None:
                key = "ask_withdrawn_reason" if exit_side == "seller" else "ask_lost_reason"
                return ask(turn, key, "move_stage", {**args, "to_stage": stage}, "reason")
            reason = "other: " + lower[because.end() :].strip(" :.")
        args["reason"] = reason
    args["to_stage"] = stage
    if stage in ("sold", "closed_won"):
        money = first_in(turn, segment, "money")
        if money is not None:
            args["final_amount"] = amount(money.value)
    if side and stage in ("closed_won",):
        args["side"] = side
    return Call("move_stage", {"deal": args.pop("deal"), "to_stage": args.pop("to_stage"), **args})


def _side(turn: Turn, segment: Segment, ref: str | None) -> str | None:
    if ref is not None:
        return "seller" if ref.startswith("l-") else "buyer"
    person = segment.person
    if person is None or person.contact is None:
        return None
    sides = turn.lexicon.sides_of(person.contact.id)
    return next(iter(sides)) if len(sides) == 1 else None


def _buyer(turn: Turn, segment: Segment, tool: str, args: dict[str, Any]) -> Outcome | None:
    ref = _deal_ref(turn, segment, ("r-",))
    if ref is not None:
        args["buyer"] = ref
        return None
    return contact_or_ask(turn, segment, tool, args, "buyer")


def match_listings(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    question = _buyer(turn, segment, "match_listings", args)
    if question is not None:
        return question
    count = first_in(turn, segment, "count")
    if count is not None:
        args["limit"] = int(count.value.value)
    return Call("match_listings", args)


def curated_list(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    question = _buyer(turn, segment, "curated_list", args)
    return question if question is not None else Call("curated_list", args)


def match_buyers(turn: Turn, segment: Segment) -> Outcome:
    refs = listing_refs(turn, segment)
    if refs:
        return Call("match_buyers", {"listing": refs[0]})
    person = segment.person
    if person is not None and person.contact is not None:
        return Call("match_buyers", {"listing": person.contact.name})
    return ask(turn, "ask_listing", "match_buyers", {}, "listing")


def explain_match(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    refs = listing_refs(turn, segment)
    if not refs:
        return ask(turn, "ask_listing", "explain_match", args, "listing")
    args["listing"] = refs[0]
    question = _buyer(turn, segment, "explain_match", args)
    if question is not None:
        return question
    return Call("explain_match", {"buyer": args.pop("buyer"), **args})
