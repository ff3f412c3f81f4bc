"""A message cut into clauses, one intent each, then merged back where clauses belong together.

Cuts: sentence ends, and a comma or "and/then/и/потом" before an action verb ("…, call him
Friday", "… и напомни"). Each clause gets its best intent; a clause without one joins its
neighbour ("Budget 800k." continues the request before it). Merges: a registration absorbs the
new client's request, listing or extra phone; a completed call absorbs "call again Friday";
consecutive clauses of one intent about one person become one. A clause with no person of its
own is about the previous clause's person ("…, call him tomorrow").
"""

from __future__ import annotations

import re

from agent.offline.frames import Segment
from agent.offline.intents import Scored, best_intent
from agent.offline.lexicon import PersonRef
from agent.offline.shifts import MOVE_ORDER
from agent.offline.slots import Slots

_LEAD = (
    r"(?:call|ring|phone|text|write|email|e-mail|message|whatsapp|remind|schedule|set|book|move|"
    r"ping|двигай|переводи|снимай|закрывай|"
    r"reschedule|postpone|cancel|add|show|send|meet|follow|put|make|create|log|update|change|mark|"
    r"find|tell|note|arrange|organi[sz]e|reduce|lower|drop|please|"
    r"позвони(?:ть)?|перезвони(?:ть)?|напиши|написать|набери|набрать|напомни|запланируй|назначь|"
    r"поставь|перенеси|отмени|добавь|покажи|отправь|запиши|переведи|свяжись|связаться|"
    r"созвониться|встретиться|сделай|создай|заведи|отметь|обнови|измени|подбери|снизь|найди|"
    r"(?:надо|нужно) (?:позвонить|написать|перезвонить|набрать|связаться|встретиться))"
)
_FILLERS = (
    "and", "then", "also", "please", "и", "потом", "затем", "также", "еще", "пожалуйста", "а",
)  # fmt: skip
_FILLER = rf"(?:{'|'.join(_FILLERS)})"
# Linear on long input (issue #10): a run of spaces, or of fillers ("и и и …"), is tried once,
# from its start; a cut can only start later when an earlier one would have (same cut).
_AFTER_FILLER = "".join(rf"(?<!\s{word})" for word in _FILLERS)
_SOFT = re.compile(
    rf"(?:,\s*+|(?<!\s)\s++[-—–]\s++|(?<!\s){_AFTER_FILLER}\s++{_FILLER}\s++)"
    rf"(?:{_FILLER}\s++)*(?={_LEAD}\b)",
    re.IGNORECASE,
)
_HARD = re.compile(
    r"(?<![.!?;])[.!?;]++(?=\s|$)|\n+"
    # "new client Nick Jones call him tomorrow": an order about "him" starts a clause even
    # without a comma before it
    # ("remind me to call her…" stays whole: "to" binds the order to what follows)
    # (tried once per run of spaces: not where the space before would start the same cut)
    r"|(?!(?<=[^\S\n])(?<!\bto[^\S\n])(?<!напомни[^\S\n]))(?<!\bto)(?<!напомни)\s++"
    r"(?=(?:call|ring|text|email|message|meet|remind me to call|позвони|"
    r"перезвони|набери|"
    r"напиши|напомни позвонить)\s+(?:him|her|them|ему|ей|им)\b)",
    re.IGNORECASE,
)
# The words that ask for a reminder — never "remind me what Ivan's budget is", "напомни,
# какой у него бюджет": a question
_REMINDS = (
    r"(?:remind me\b|set (?:a|me a) reminder\b|напомни(?:те)?\b|поставь (?:мне )?напоминани\w*)"
    r"(?!\W*(?:me\s+)?(?:what|who|whose|which|how|when|where|why|of|about|что|кто|какой|какая|"
    r"какие|какое|сколько|когда|где|чей|чья|мне,?\s+(?:что|какой|какая|сколько|когда))\b)"
)
_REMINDER = re.compile(rf"^\W*(?:(?:please|pls|и)\s+)?{_REMINDS}", re.IGNORECASE)
REMINDER_ANYWHERE = re.compile(rf"(?<!\w){_REMINDS}", re.IGNORECASE)  # "in 3 days remind me…"
_PRONOUN = re.compile(
    r"\b(?:him|her|them|he|she|they|his|ему|ей|его|ее|её|ним|ней|нему|неё|нее|он|она|они)\b",
    re.IGNORECASE,
)
_DETAILS = frozenset({"save_buyer_request", "update_contact", "register_contact"})
_AS_SOMEONE = re.compile(r"(?:\bas|\bот имени|\bкак)\s*$", re.IGNORECASE)

# (earlier intent, later intent): the later clause is part of the earlier one.
_ABSORBS = {
    ("register_contact", "save_buyer_request"),
    ("register_contact", "save_listing"),
    ("register_contact", "update_contact"),
    ("complete_follow_up", "schedule_follow_up"),
    ("record_appointment", "schedule_follow_up"),
}
_DATED = {
    "schedule_follow_up",
    "reschedule_follow_up",
    "book_appointment",
    "reschedule_appointment",
}


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Where the message's clauses are (trimmed spans of the text as given)."""
    cuts: list[tuple[int, int]] = []
    for pattern in (_HARD, _SOFT):
        cuts.extend(m.span() for m in pattern.finditer(text))
    spans: list[tuple[int, int]] = []
    position = 0
    for start, end in sorted(cuts):
        if start < position:
            continue
        spans.append((position, start))
        position = end
    spans.append((position, len(text)))
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def _person(slots: Slots, span: tuple[int, int]) -> PersonRef | None:
    """The client a clause is about: a known contact first, else the first name written."""
    people = [
        p for p in slots.people(span) if not _AS_SOMEONE.search(slots.text[span[0] : p.span[0]])
    ]
    for person in people:
        if person.contacts:
            return person
    for person in people:
        if not person.brokers:
            return person
    return None


def segments(
    slots: Slots,
    *,
    off_topic: bool = False,
    subject: PersonRef | None = None,
    continuation: bool = False,
) -> list[Segment]:
    """The message's clauses with their intents, merged (see the module docstring).
    `off_topic`: the message as a whole is about something else (weather, flights…).
    `subject`: the previous turn's client, meant by a pronoun here ("call him Thursday"), or
    by a message of bare details right after registering or updating them (`continuation`)."""
    raw: list[Segment | tuple[int, int]] = []
    named_before = subject is not None
    spans = clause_spans(slots.text)
    for position, span in enumerate(spans):
        person = _person(slots, span)
        if position + 1 < len(spans) and slots.masked(span).strip(" ?!.:") == "@name":
            raw.append(span)  # "Olga Smirnova - call back Thursday": the name opens the next
            named_before = True
            continue
        known = person is not None and person.known
        implied = person is None and named_before
        scored = best_intent(
            slots.masked(span), known_person=known, implied_person=implied, off_topic=off_topic
        )
        if _REMINDER.match(slots.text[span[0] : span[1]]):
            # "remind me to call Ksenia 30 March re price drop to 640k": the opening order is
            # the request; what it is about is its purpose, never a second order
            scored = Scored("schedule_follow_up", max(scored.score if scored else 0.0, 3.0))
        named_before = named_before or person is not None
        if scored is None and (ordered := _record_intent(slots, span, None)) is not None:
            scored = Scored(ordered, 1.0)
        if scored is None:
            raw.append(span)
        else:
            ruled = bool(_REMINDER.match(slots.text[span[0] : span[1]]))
            raw.append(Segment(span, scored.intent, scored.score, person, ruled=ruled))
    merged: list[Segment] = []
    leading: list[tuple[int, int]] = []
    for item in raw:
        if isinstance(item, tuple):
            if merged:
                merged[-1].span = (merged[-1].span[0], item[1])
            else:
                leading.append(item)
            continue
        if leading:
            item.span = (leading[0][0], item.span[1])
            if item.person is None or item.person.contact is None:
                item.person = _person(slots, item.span) or item.person
            leading = []
        previous = merged[-1] if merged else None
        if previous is not None and _joins(previous, item, slots):
            if (previous.intent, item.intent) in _ABSORBS and previous.head_end is None:
                previous.head_end = previous.span[1]
            previous.span = (previous.span[0], item.span[1])
            if previous.person is None:
                previous.person = item.person
            continue
        merged.append(item)
    for segment in merged:
        _by_record_named(slots, segment)
    for segment in merged:  # "хочет посмотреть виллу…, в понедельник в 10": a showing
        text = slots.text[segment.span[0] : segment.span[1]]
        wants_to_see = _WANTS_TO_SEE.search(text) and slots.of("when", segment.span)
        if segment.intent == "save_buyer_request" and wants_to_see:
            segment.intent = "book_appointment"
            segment.ruled = True
    for index, segment in enumerate(merged):
        if segment.person is None and index > 0:
            segment.person = merged[index - 1].person
            segment.carried = segment.person is not None
        if segment.person is None and subject is not None:
            pronoun = _PRONOUN.search(slots.text[segment.span[0] : segment.span[1]])
            details = continuation and segment.intent in _DETAILS
            if pronoun or details:
                segment.person, segment.carried = subject, True
    return merged


# What can be done to a follow-up or a booked visit named by its id ("mark f-418 done",
# "cancel a-513"): the record's kind decides the intent, the verb which of its intents.
_RECORD_INTENTS = {
    "follow_up": ("complete_follow_up", "cancel_follow_up", "reschedule_follow_up"),
    "appointment": ("record_appointment", "cancel_follow_up", "reschedule_appointment"),
}
_CANCEL_VERB = re.compile(r"\b(?:cancel\w*|call off|scrap|отмен\w*|удали\w*)", re.IGNORECASE)


_ARROW = re.compile(r"->|→|=>")
_DONE_WORD = re.compile(
    r"\b(?:done|complete\w*|finished|tick\w*|выполн\w*|сделан\w*|сделал\w*|закр\w*|отмет\w*)",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:don'?t|do not|never|не|no need to)\s+$", re.IGNORECASE)
_PLANS = frozenset({"schedule_follow_up", "book_appointment"})


def _record_kind(slots: Slots, span: tuple[int, int]) -> str | None:
    """ "follow_up" or "appointment" when the clause's ids name only records of that kind."""
    kinds = {kind for ref in slots.of("ref", span) for kind in ref.kinds}
    kind = next(iter(kinds)) if len(kinds) == 1 else None
    return kind if kind in _RECORD_INTENTS else None


def _record_intent(slots: Slots, span: tuple[int, int], intent: str | None) -> str | None:
    """What the clause orders done to the follow-up or visit it names by id: cancelled,
    moved or done, as its own words say ("don't cancel f-418, move it" moves it); None when
    they order nothing of it ("besides f-418, …", "what is f-418 about?")."""
    kind = _record_kind(slots, span)
    if kind is None:
        return None
    complete, cancel, move = _RECORD_INTENTS[kind]
    said = slots.text[span[0] : span[1]]
    if _ordered(_CANCEL_VERB, said):
        return cancel
    if _ordered(MOVE_ORDER, said.lower()) or _ARROW.search(said) or slots.of("shift", span):
        return move
    if intent in (complete, cancel, move):
        return intent
    if intent in _PLANS and slots.of("when", span) and _named_as_the_thing(slots, span):
        return move  # "звонок f-1017 поставь на 18:30": a record named is moved, never made
    if _ordered(_DONE_WORD, said) and "?" not in said:
        return complete
    return None


_THING_BEFORE = re.compile(
    r"\b(?:call|meeting|follow[ -]?up|reminder|viewing|showing|звонок|созвон|встреч\w*|"
    r"напоминани\w*|показ\w*)\s*$",
    re.IGNORECASE,
)


def _named_as_the_thing(slots: Slots, span: tuple[int, int]) -> bool:
    """The id stands as the record the clause is about ("звонок f-1017 …"), not in passing."""
    return any(
        _THING_BEFORE.search(slots.text, span[0], ref.span[0]) for ref in slots.of("ref", span)
    )


def _ordered(verb: re.Pattern[str], said: str) -> bool:
    """The verb is said, and not negated ("don't cancel", "не отменяй")."""
    return any(not _NEGATED.search(said, 0, m.start()) for m in verb.finditer(said))


def _by_record_named(slots: Slots, segment: Segment) -> None:
    """A clause that names only a follow-up or only a visit by its id and orders something
    of it is about that record, whatever else its words score ("done" is a stage word too)."""
    chosen = _record_intent(slots, segment.span, segment.intent)
    if chosen is not None and chosen != segment.intent:
        segment.intent, segment.ruled = chosen, True


def _same_person(a: PersonRef | None, b: PersonRef | None) -> bool:
    if a is None or b is None:
        return True
    if a.contact is not None and b.contact is not None:
        return a.contact.id == b.contact.id
    return a.canonical.lower() == b.canonical.lower()


_WANTS_TO_SEE = re.compile(r"wants? to (?:see|view|visit)|хоч\w* посмотреть|хотят посмотреть", re.I)


# "Sophie's viewing tomorrow - move it to Thursday": "it" is what the clause before named
_MOVES_IT = re.compile(
    r"^\W*(?:\w+\W+)?(?:move|push|shift|reschedule|postpone|cancel|перенеси|перенести|отмени|"
    r"сдвинь)\w*\s+(?:it|that|them|его|её|ее|их)\b",
    re.IGNORECASE,
)
_MOVES = frozenset({"reschedule_follow_up", "reschedule_appointment", "cancel_follow_up"})
_CANCEL_THEN_MOVE = ("cancel_follow_up", "reschedule_follow_up")


_A_RECORD_WORD = re.compile(
    r"\b(?:call|meeting|message|email|follow[ -]?up|reminder|viewing|showing|звонок|созвон|"
    r"встреч\w*|сообщени\w*|письм\w*|напоминани\w*|показ\w*)",
    re.IGNORECASE,
)


def _moves_what_was_named(item: Segment, slots: Slots) -> bool:
    """A move that names no record of its own (no id, no kind, no day but the new one):
    "…отменяй, он улетел. перенеси на понедельник" moves the call just named."""
    said = slots.text[item.span[0] : item.span[1]]
    own_days = len(slots.of("when", item.span)) > 1
    return not (slots.refs("follow_up") or own_days or _A_RECORD_WORD.search(said))


def _joins(previous: Segment, item: Segment, slots: Slots) -> bool:
    said = slots.text[item.span[0] : item.span[1]]
    if item.intent in _MOVES and item.person is None and _MOVES_IT.match(said):
        previous.intent = item.intent  # the clause before only says which record is moved
        previous.ruled = True
        return True
    wants_to_see = _WANTS_TO_SEE.search(slots.text[previous.span[0] : previous.span[1]])
    if wants_to_see and item.person is None and item.intent in _DATED:
        previous.intent = "book_appointment"  # "хочет посмотреть виллу …, запиши на понедельник"
        previous.ruled = True
        return True
    if not _same_person(previous.person, item.person):
        return False
    if (previous.intent, item.intent) == _CANCEL_THEN_MOVE and _moves_what_was_named(item, slots):
        # "сегодняшний звонок отменяй, он улетел. перенеси на понедельник": the call is moved
        previous.intent, previous.ruled = item.intent, True
        return True
    if (previous.intent, item.intent) in _ABSORBS:
        return True
    if previous.intent != item.intent:
        return False
    if item.intent in _DATED:  # "call Ivan Friday, and text him Monday": two follow-ups
        return not (slots.of("when", previous.span) and slots.of("when", item.span))
    return True
