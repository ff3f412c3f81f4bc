"""Slots → tool arguments: what every intent's builder shares (the turn, the clause, outcomes).

A builder returns a Call (tool name and arguments), an Ask (one short question, with the
partial frame kept as `pending` so the next message can complete it) or a Say (a direct
answer that needs no tool, e.g. "no contact called 'Adriel'").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from agent.offline.lexicon import Lexicon, PersonRef
from agent.offline.replies import say
from agent.offline.slots import Slot, Slots
from crm_store.context import Actor


@dataclass
class Turn:
    """What every builder may read: the message's slots, the store's names, time, language."""

    slots: Slots
    lexicon: Lexicon
    now: datetime  # broker-local, aware
    language: str  # of the reply
    actor: Actor


@dataclass
class Segment:
    """One clause (or several merged) with its intent and the person it is about."""

    span: tuple[int, int]
    intent: str
    score: float
    person: PersonRef | None = None
    carried: bool = False  # the person came from an earlier clause ("call him")
    head_end: int | None = None  # where the clause ended before it absorbed the next one
    ruled: bool = False  # a rule of the clause's shape chose the intent, not the scores

    @property
    def head(self) -> tuple[int, int]:
        """The clause's own words, without the clauses it absorbed."""
        return (self.span[0], self.head_end if self.head_end is not None else self.span[1])

    def text(self, turn: Turn) -> str:
        return turn.slots.text[self.span[0] : self.span[1]]

    def lower(self, turn: Turn) -> str:
        return " ".join(self.text(turn).lower().replace("ё", "е").split())


@dataclass
class Call:
    name: str
    args: dict[str, Any]
    # Read from a report, not commanded: the broker confirms it before it runs (issue #10).
    inferred: bool = False
    # How plainly the clause asked for it (agent/offline/confidence.py); 1 for a read.
    confidence: float = 1.0


@dataclass
class Ask:
    question: str
    pending: dict[str, Any] = field(default_factory=dict)


@dataclass
class Say:
    text: str


Outcome = Call | Ask | Say


def iso(moment: datetime) -> str:
    """Broker-local ISO without seconds or offset, as the tools take it."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def amount(value: Decimal) -> int | float:
    """Money for a tool argument: a whole number when it is one."""
    return int(value) if value == value.to_integral_value() else float(value)


def slots_in(turn: Turn, segment: Segment, kind: str) -> list[Slot]:
    return turn.slots.of(kind, segment.span)


def first_in(turn: Turn, segment: Segment, kind: str) -> Slot | None:
    return turn.slots.first(kind, segment.span)


_CLOCK_DIGITS = re.compile(r"\d")
_TIME_ONLY = re.compile(
    r"^(?:at|around|about|by|в|во|к|около|на)?\s*\d{1,2}(?:[:.]\d{2})?\s*"
    r"(?:am|pm|a\.m\.|p\.m\.|h|утра|дня|вечера|ночи|часов|часа)?$",
    re.IGNORECASE,
)


def when_in(turn: Turn, segment: Segment) -> Slot | None:
    """The clause's date and time; a day and a time said apart ("в пятницу встреча … в
    15:00") are one moment."""
    found = slots_in(turn, segment, "when")
    if not found:
        return None
    dated = [w for w in found if not _TIME_ONLY.match(w.text.strip())]
    # A day said with its clock time ("Thursday at 4pm", "the 18th at 12") is the moment meant,
    # over an earlier bare "today" or "this morning" that only told when something happened.
    clocked = [w for w in dated if w.value.has_time and _CLOCK_DIGITS.search(w.text)]
    if clocked and clocked[0] is not dated[0] and not _CLOCK_DIGITS.search(dated[0].text):
        dated = clocked
    first = dated[0] if dated else found[0]  # "at 8 Amathountos on Saturday at 11": Saturday
    if first.value.has_time:
        return first
    for later in found:
        if later is first:
            continue
        if later.value.has_time and _TIME_ONLY.match(later.text.strip()):
            at = first.value.at.replace(hour=later.value.at.hour, minute=later.value.at.minute)
            moment = replace(first.value, at=at, has_time=True)
            return Slot("when", first.span, first.text, moment)
    return first


_MOVED_TO = re.compile(r"(?:\bto|\bна|\buntil|\btill|->|→|=>|>)\s*$", re.IGNORECASE)


def moved_to(turn: Turn, segment: Segment) -> Slot | None:
    """The new moment of a move: the date said after "to"/"на" ("from Thursday to Friday
    10am", "с 17-го на 19 марта в 18:00"), else the clause's date and time."""
    for found in slots_in(turn, segment, "when"):
        before = turn.slots.text[max(segment.span[0], found.span[0] - 8) : found.span[0]]
        if _MOVED_TO.search(before):
            return found
    return when_in(turn, segment)


_DATE_ARGS = frozenset({"due_at", "at", "next_due_at"})


def ask(turn: Turn, key: str, tool: str, args: dict[str, Any], missing: str, **values: str) -> Ask:
    """One question, remembering the partial call so the answer can complete it. A date that
    was said but not read ("February 30", "on Tuesday" on a Tuesday) is asked about by name."""
    pending: dict[str, Any] = {"tool": tool, "args": args, "missing": missing}
    pending["language"] = turn.language
    if missing in _DATE_ARGS and turn.slots.doubts:
        from agent.offline.date_doubts import date_question

        question, choices = date_question(turn.slots.doubts, turn.language, turn.actor.timezone)
        if choices:
            pending["day_choices"] = choices
        said = [d.options[0] for d in turn.slots.doubts if d.kind == "no_such_time" and d.options]
        if said:  # "friday 25:00": the answer's time is on Friday
            pending["day_said"] = said[0].date().isoformat()
        return Ask(question, pending)
    return Ask(say(key, turn.language, **values), pending)


def person_ref(segment: Segment) -> str | None:
    """What to pass for the client: the stored name when the name decides it, else as written."""
    return segment.person.reference() if segment.person is not None else None


def contact_or_ask(
    turn: Turn, segment: Segment, tool: str, args: dict[str, Any], arg: str
) -> Ask | None:
    """Fill `args[arg]` with the segment's client, or the question to ask instead."""
    person = segment.person
    contact_ids = [s.value for s in turn.slots.refs("contact", span=segment.span)]
    if person is None and contact_ids:
        args[arg] = contact_ids[0]
        return None
    if person is None:
        phone = first_in(turn, segment, "phone") or first_in(turn, segment, "email")
        if phone is not None:
            args[arg] = phone.value
            return None
        return ask(turn, "ask_contact", tool, args, arg)
    if person.ambiguous:
        options = [f"{c.name} ({c.id})" for c in person.contacts[:4]]
        pending = ask(turn, "ask_which", tool, args, arg, options=" / ".join(options))
        pending.pending["candidates"] = [c.id for c in person.contacts[:4]]
        return pending
    args[arg] = person.reference()
    return None


_PURPOSE = re.compile(
    r"(?:\b(?:about|regarding|re:|re|to discuss|to talk about|to confirm|to ask|to send|to show|"
    r"for the|насчет|по поводу|про|обсудить|чтобы|уточнить)\b.*)$"
    # "… friday morning send brochure": a task said after the time
    r"|(?<=\s)(?:send|discuss|confirm|check|sign|отправить|прислать|подписать)\b.*$",
    re.IGNORECASE,
)


def purpose(turn: Turn, segment: Segment) -> str | None:
    """ "about the offer", "обсудить цену": what the follow-up is for, in the broker's words."""
    rest = turn.slots.rest(segment.span, keep=frozenset({"place", "type", "feature", "money"}))
    found = _PURPOSE.search(rest)
    if not found:
        return None
    text = found.group(0).strip(" ,.;!?")
    return text if len(text.split()) >= 2 else None
