"""Frames about people: finding and correcting contacts, a client's card, what was said."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.frames import Call, Outcome, Say, Segment, Turn, ask, contact_or_ask, slots_in
from agent.offline.replies import say
from agent.offline.slots import Slot

_RU_SPEAKER = re.compile(r"\b(?:prefers|speaks) russian\b|по-русски|на русском")
_EN_SPEAKER = re.compile(r"\b(?:prefers|speaks) english\b|по-английски|на английском")
_NEW_NAME = re.compile(
    r"\b(?:to|as|is|на|->|→)\s+[\"']?([^\W\d_]+(?:[\s-][^\W\d_]+){0,2})[\"']?\s*[.!]?$"
)
_TAG = re.compile(r"\btag\w*\s+(?:\w+\s+)?(?:as|with)\s+[\"']?([\w-]+)", re.IGNORECASE)


def _unknown(segment: Segment) -> bool:
    """The clause names someone who is nobody the broker knows."""
    person = segment.person
    return person is not None and not person.known


def find_contacts(turn: Turn, segment: Segment) -> Outcome:
    for kind in ("phone", "email"):
        found = slots_in(turn, segment, kind)
        if found:
            return Call("find_contacts", {"query": found[0].value})
    if segment.person is None:
        return ask(turn, "ask_query", "find_contacts", {}, "query")
    if _unknown(segment):
        return Say(say("no_contact", turn.language, name=segment.person.canonical))
    return Call("find_contacts", {"query": segment.person.reference()})


def contact_changes(
    turn: Turn, segment: Segment, *, skip_first_person: bool = True
) -> dict[str, Any]:
    """The corrections a clause states: a new name, phones, e-mails, language, a tag."""
    changes: dict[str, Any] = {}
    text = segment.text(turn)
    lower = segment.lower(turn)
    if re.search(r"\bname\b|\bимя\b|фамили|переименуй|rename", lower):
        people = turn.slots.people(segment.span)
        renamed = _NEW_NAME.search(text)
        index = 1 if skip_first_person else 0
        if len(people) > index:
            changes["full_name"] = people[index].canonical
        elif renamed:
            changes["full_name"] = renamed.group(1).strip()
    phones = [s.value for s in slots_in(turn, segment, "phone")]
    emails = [s.value for s in slots_in(turn, segment, "email")]
    if phones:
        changes["add_phones"] = phones
    if emails:
        changes["add_emails"] = emails
    if _RU_SPEAKER.search(lower):
        changes["language"] = "ru"
    elif _EN_SPEAKER.search(lower):
        changes["language"] = "en"
    tag = _TAG.search(text)
    if tag:
        changes["tags"] = [tag.group(1).lower()]
    return changes


def update_contact(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    question = contact_or_ask(turn, segment, "update_contact", args, "contact")
    if question is not None:
        return question
    args.update(contact_changes(turn, segment))
    if len(args) == 1:
        return ask(turn, "ask_change", "update_contact", args, "change", name=str(args["contact"]))
    return Call("update_contact", args)


def client_card(turn: Turn, segment: Segment) -> Outcome:
    if _unknown(segment):
        assert segment.person is not None
        return Say(say("no_contact", turn.language, name=segment.person.canonical))
    args: dict[str, Any] = {}
    refs: list[Slot] = turn.slots.refs("contact", "listing", "buyer_request", span=segment.span)
    if segment.person is None and refs:
        return Call("client_card", {"client": refs[0].value})
    question = contact_or_ask(turn, segment, "client_card", args, "client")
    return question if question is not None else Call("client_card", args)


_RECALL_LEAD = re.compile(
    r"^\W*(?:(?:do you |can you )?(?:remember|recall)(?: what| who)?|напомни,?|вспомни\w*,?)\s*",
    re.IGNORECASE,
)


def recall(turn: Turn, segment: Segment) -> Outcome:
    query = _RECALL_LEAD.sub("", segment.text(turn)).strip(" ?!.")
    if not query:
        return ask(turn, "ask_question", "recall", {}, "query")
    args: dict[str, Any] = {"query": query}
    person = segment.person
    if person is not None and person.contact is not None:
        args["client"] = person.contact.name
    return Call("recall", args)
