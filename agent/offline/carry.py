"""What one turn hands to the next besides an open question: whom the broker was talking
about, and what was last asked for.

`offline_subject` lets "call him Thursday" or "перенеси ей звонок" in the next message mean the
client of the previous one (only with a pronoun, or when the message just adds details to a
client registered or updated a moment ago). `offline_last` lets a short follow-up re-ask the
last question with one thing changed: "revenue this month?" → "and Dmitry on his own?",
"what's on today?" → "and tomorrow?".
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.frames import Call, Turn
from agent.offline.frames_report import period
from agent.offline.lexicon import PersonRef

SUBJECT = "offline_subject"
LAST = "offline_last"
# Calls after which a message of bare details is about the same client.
DETAILED = frozenset({"register_contact", "save_buyer_request", "update_contact"})
_PERSON_ARGS = ("contact", "buyer", "client", "follow_up", "deal", "appointment", "full_name")
_AND = re.compile(
    r"^\W*(?:and|what about|how about|same for|а|и|а как насчет|а что|а у|а для|тогда)\b",
    re.IGNORECASE,
)
_REPEATABLE = ("pipeline_report", "agenda", "client_card", "find_contacts", "match_listings")


def subject_of(remembered: dict[str, Any] | None, turn: Turn) -> PersonRef | None:
    """The previous turn's client as a person reference (resolved against this turn's store).
    A record's id said last turn ("move villa-peyia to sold") stands for its client: ids are
    opaque, so whether it is one is looked up, and an id is never taken for a name."""
    if not remembered or not remembered.get("name"):
        return None
    name = str(remembered["name"])
    held = turn.lexicon.record_ids([name]).get(name.strip().lower())
    if held:
        client = turn.lexicon.client_of(held)
        if client is None:
            return None
        name = client
    return turn.lexicon.person((0, 0), name, name)


def subject_name(calls: list[Call], people: list[PersonRef]) -> str | None:
    """Whom this turn was about: the first client a call names, else the first known person.
    A call may name them by a record's id; the next turn's subject_of reads it as its client."""
    for call in calls:
        for arg in _PERSON_ARGS:
            value = call.args.get(arg)
            if isinstance(value, str) and value:
                return value
    for person in people:
        if person.contact is not None:
            return person.contact.name
    return None


def remembered_calls(calls: list[Call]) -> list[dict[str, Any]]:
    return [{"name": call.name, "args": dict(call.args)} for call in calls]


def follow_on(last: list[dict[str, Any]] | None, turn: Turn) -> Call | None:
    """The last question again with what this short message changes, or None."""
    previous = next((c for c in reversed(last or []) if c.get("name") in _REPEATABLE), None)
    if previous is None:
        return None
    text = turn.slots.text
    if len(text.split()) > 8 or not (_AND.match(text) or len(text.split()) <= 4):
        return None
    name = str(previous["name"])
    args = dict(previous.get("args") or {})
    changed = False
    people = turn.slots.people()
    if name in ("pipeline_report", "agenda"):
        broker = next(
            (p.broker for p in people if p.broker is not None and p.contact is None), None
        )
        if broker is not None and turn.actor.is_manager:
            args["broker"], changed = broker.name, True
    if name == "pipeline_report":
        span = period(text.lower(), turn.now.date())
        if span:
            args["period"], changed = span, True
        places = turn.slots.of("place")
        if places:
            args["city"], changed = places[0].value.city, True
    if name == "agenda":
        when = turn.slots.first("when")
        if when is not None:
            args["day"], changed = when.value.at.date().isoformat(), True
    if name in ("client_card", "find_contacts", "match_listings"):
        person = next((p for p in people if p.contact is not None), None)
        if person is not None and person.contact is not None:
            key = {"client_card": "client", "find_contacts": "query"}.get(name, "buyer")
            args[key], changed = person.contact.name, True
    return Call(name, args) if changed else None
