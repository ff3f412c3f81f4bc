"""Frames of the broker's day: follow-ups, the agenda, showings and their outcomes, notes."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from typing import Any

from agent.offline.follow_up_choice import choose_follow_up, meant_record, named_channel
from agent.offline.frames import (
    Call,
    Outcome,
    Segment,
    Turn,
    ask,
    contact_or_ask,
    iso,
    moved_to,
    purpose,
    slots_in,
    when_in,
)
from agent.offline.listing_mentions import listing_mentions, listing_refs
from agent.offline.store_view import FollowUpInfo
from tools.base import shift_text

# The channel words, in the order that decides when two start at the same place; the first
# one said is the channel ("call marco tmrw to send him options" is a call).
_CHANNEL = re.compile(
    r"\b(?:(?P<email>e-?mail\w*|mail|письм\w*|имейл\w*|мейл\w*|почт\w*)"
    r"|(?P<message>text|texts|txt|message|msg|whatsapp|whats app|wa|sms|viber|telegram|"
    r"напиш\w*|написать|сообщени\w*|смс|вотсап\w*|ватсап\w*|телеграм\w*|вайбер\w*)"
    r"|(?P<meeting>meet|meeting|встреч\w*|встрет\w*)"
    r"|(?P<call>call|ring|phone|позвон\w*|перезвон\w*|набра\w*|набер\w*|звон\w*))\b"
)
# Verbs of sending that name no channel: a message unless another channel is said
_SEND = re.compile(r"\b(?:write|send|ping|скин\w*|отправ\w*|пришли|прислать)\b")


def channel(lower: str) -> str:
    """call | message | email | meeting, as the broker's words say: the first one said
    ("email him, then call" is an email); "write"/"send" alone is a message."""
    said = _CHANNEL.search(lower)
    if said is not None:
        return str(said.lastgroup)
    return "message" if _SEND.search(lower) else "call"


# A visit booked for the client, said with no call or message to make
_TO_SEE = re.compile(
    r"^(?!.*\b(?:call|ring|phone|text|email|message|whatsapp|remind|позвон\w*|набра\w*|"
    r"напис\w*|напомн\w*)\b).*\b(?:to see|to view|to visit|for a (?:viewing|showing)|"
    r"посмотреть|на показ|на просмотр)\b"
)


def schedule_follow_up(turn: Turn, segment: Segment) -> Outcome:
    if _TO_SEE.search(segment.lower(turn)) and any(
        m.resolved for m in listing_mentions(turn, segment.span, client=segment.person)
    ):  # "schedule Daniel to see 8 Amathountos on Sat": a viewing, not a reminder
        return book_appointment(turn, segment)
    args: dict[str, Any] = {}
    when = when_in(turn, segment)
    if when is not None:
        args["due_at"] = iso(when.value.at)
    args["channel"] = channel(segment.lower(turn))
    goal = purpose(turn, segment)
    if goal:
        args["purpose"] = goal
    question = contact_or_ask(turn, segment, "schedule_follow_up", args, "contact")
    if question is not None:
        return question
    deal = _their_listing(turn, segment)
    if deal is not None:
        args["deal"] = deal
    if "due_at" not in args:
        return ask(turn, "ask_when", "schedule_follow_up", args, "due_at")
    return Call("schedule_follow_up", args)


def _their_listing(turn: Turn, segment: Segment) -> str | None:
    """The client's own listing the clause names ("call Laura re the Germasogeia flat"): the
    follow-up is about that deal."""
    person = segment.person
    if person is None or person.contact is None:
        return None
    own = {d.id for d in turn.lexicon.deals_of(person.contact.id) if d.side == "seller" and d.open}
    if not own:
        return None
    named = {
        m.resolved
        for m in listing_mentions(turn, segment.span, client=person, among=sorted(own))
        if m.resolved in own
    }
    return named.pop() if len(named) == 1 else None


_CONTACTED = re.compile(
    r"^\W*(?:(?:called(?: back)?|rang|phoned|texted|wrote(?: back)?|replied|answered|got back"
    r"(?: to me)?|позвонил\w*|перезвонил\w*|написал\w*|ответил\w*)\b\W*)?"
    r"(?:(?:on|over) the phone|по телефону)?\W*",
    re.IGNORECASE,
)


def _outcome(turn: Turn, segment: Segment) -> str | None:
    """What came of the contact, in the broker's words: what follows the client's name
    ("Called Maria, she wants to think" → "she wants to think"); None when nothing does."""
    start, end = segment.head
    text = turn.slots.text[start:end]
    person = segment.person
    if person is not None and not segment.carried and start <= person.span[0] < end:
        text = _CONTACTED.sub("", turn.slots.text[person.span[1] : end])
    text = re.sub(r"^['’]?s\b", "", text.strip()).strip(" ,.;:-—")  # "Loizou's call"
    if turn.slots.refs("follow_up", span=(start, end)):  # "mark f-418 done - outcome: …"
        text = _ORDER_VERB.sub("", turn.slots.rest((start, end))).strip(" ,.;:-—")
        text = re.sub(r"(?i)^(?:done\W+)?(?:outcome|итог|результат)\s*:\s*", "", text)
    # the words of the order, the record's id, day and time left out, are no outcome
    ordered = _ORDER_VERB.sub("", _without_when(turn, text, start, end)).strip(" ,.;:-—")
    if _ONLY_THE_ORDER.fullmatch(text) or _ONLY_THE_ORDER.fullmatch(ordered):
        return None  # "отметь звонок как выполненный", "…'s overdue call as done": no outcome
    return text or None


def _without_when(turn: Turn, text: str, start: int, end: int) -> str:
    for when in turn.slots.of("when", (start, end)):
        text = text.replace(when.text, " ")
    return " ".join(text.split())


_ORDER_VERB = re.compile(r"(?i)^\W*(?:mark|tick|set|отметь\w*|закрой|пометь)\b\s*(?:as\s+|как\s+)?")
_DONE_WORDS = (
    r"(?:выполнен\w*|сделан\w*|проведен\w*|состоял\w*|прошл\w*|done|completed|finished|held|"
    r"took place)"
)
# The follow-up itself, described, and the order to close it: words of the order, not of what
# came of the contact.
_ONLY_THE_ORDER = re.compile(
    rf"(?i)(?:(?:как |as )?{_DONE_WORDS})"
    r"|(?:(?:the|his|her|their|my|our|today'?s|overdue|missed|last|first|second|old|этот|"
    r"сегодняшн\w*|просроченн\w*|вчерашн\w*)\s+){0,3}"
    r"(?:call|follow[ -]?up|meeting|message|email|reminder|task|звонок|созвон|встреч\w*|"
    rf"напоминани\w*|задач\w*)(?:\s+(?:(?:is|was|как) |as )?{_DONE_WORDS})?"
)


def complete_follow_up(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    ids = [s.value for s in turn.slots.refs("follow_up", span=segment.span)]
    if ids:
        args["follow_up"] = ids[0]
    else:
        question = contact_or_ask(turn, segment, "complete_follow_up", args, "follow_up")
        if question is not None:
            return question
        chosen = choose_follow_up(turn, segment, _days(turn, segment))
        if chosen is not None:
            args["follow_up"] = chosen
    when = _next_contact(turn, segment)
    if when is not None and "follow_up" in args and _nothing_planned(turn, segment):
        # "Natalya called, … call her on 1 September": no call was planned to complete, so
        # what the broker plans is the next one
        # (read back: the broker told a call, the next one is implied)
        before = turn.slots.text[segment.span[0] : when.span[0]].lower()
        deadline = _DEADLINE.search(before) or _DEADLINE_SAID.match(when.text.lower())
        verb = None if deadline else _AGAIN_VERB.search(before)
        begin = segment.span[0] + verb.start() if verb is not None else when.span[0]
        nxt = replace(segment, span=(begin, segment.span[1]), head_end=None)
        planned = schedule_follow_up(turn, nxt)
        return replace(planned, inferred=True) if isinstance(planned, Call) else planned
    outcome = _outcome(turn, segment)
    if outcome:
        args["outcome"] = outcome
    if when is not None:
        args["next_due_at"] = iso(when.value.at)
        before = turn.slots.text[segment.span[0] : when.span[0]].lower()
        verb = _AGAIN_VERB.search(before)
        # the channel of the verb nearest the date ("she will email…, call her again Friday")
        found = list(_CHANNEL.finditer(verb.group(0))) if verb is not None else []
        said = found[-1] if found else None
        if said is not None and said.lastgroup != _done_channel(turn, segment, args):
            args["next_channel"] = str(said.lastgroup)  # "…, call him back thurs": a call
    return Call("complete_follow_up", args, inferred=_not_plainly_done(turn, segment, args))


def _not_plainly_done(turn: Turn, segment: Segment, args: dict[str, Any]) -> bool:
    """Read back first: the broker says it is not done or asks ("is not done", "was it
    done?"), or names a day or kind for the one done that the follow-up closed does not have
    ("Chrystalla call Friday is done" when her only one is today's message)."""
    lower = segment.lower(turn)
    if _NOT_DONE.search(lower) or lower.rstrip().endswith("?"):
        return True
    done = _completed(turn, segment, args)
    if done is None:
        return False
    zone = turn.now.tzinfo
    held_days = {
        w.value.at.date()
        for w in slots_in(turn, segment, "when")
        if _HELD_AFTER.match(turn.slots.text[w.span[1] : segment.span[1]].lower())
    }
    kind = named_channel(lower)
    other_day = bool(held_days) and done.due_at.astimezone(zone).date() not in held_days
    return other_day or (kind is not None and kind != done.channel and bool(held_days))


def _done_channel(turn: Turn, segment: Segment, args: dict[str, Any]) -> str | None:
    """The channel of the follow-up being completed, when the model can tell which it is."""
    done = _completed(turn, segment, args)
    return done.channel if done is not None else None


def _completed(turn: Turn, segment: Segment, args: dict[str, Any]) -> FollowUpInfo | None:
    """The follow-up the call completes: the one chosen, else the client's soonest."""
    person = segment.person
    if person is None or person.contact is None:
        return None
    planned = turn.lexicon.open_follow_ups(person.contact.id)
    chosen = [f for f in planned if f.id == args.get("follow_up")] or planned[:1]
    return chosen[0] if chosen else None


def _nothing_planned(turn: Turn, segment: Segment) -> bool:
    """The clause's client is known and has no open follow-up to complete."""
    person = segment.person
    if person is None or person.contact is None or person.ambiguous:
        return False
    return not turn.lexicon.open_follow_ups(person.contact.id)


# A verb of contact ("call", "whatsapp", "наберу", "скинуть на почту"): the next step's verb in
# a note (extract.py) and a completed call's next contact here.
CONTACT_VERB = (
    r"(?:call|ring|phone|meet|send|text|e-?mail|mail|write|remind|follow up|get back|show|"
    r"whatsapp|message|ping|check in|check back|reach out|get in touch|touch base|speak|talk|sms|"
    r"позвон\w*|перезвон\w*|созвон\w*|звон\w*|отзвон\w*|набра\w*|набер\w*|встрет\w*|"
    r"напис\w*|напиш\w*|пишу|отправ\w*|напомн\w*|связат\w*|свяж\w*|покаж\w*|показать|"
    r"скин\w*)"
)
# the verb of a next contact said with its date ("call again Friday", "перезвонить в пятницу")
_AGAIN_VERB = re.compile(
    rf"\b(?:{CONTACT_VERB}|again|снова)\b[^.;!?]{{0,40}}$"
    # "he'll send feedback by wed": the day to check back
    r"|\b(?:by|к)\s*$"
)


_DEADLINE = re.compile(r"\b(?:by|к)\s*$")  # "he'll send feedback by wed": the day to check
_DEADLINE_SAID = re.compile(r"(?:by|к)\s")


def _next_contact(turn: Turn, segment: Segment) -> Any:
    """The date of the next contact a completed call plans: one said with a contact verb or
    as a deadline ("by wed"), never a date of what the client said ("she agrees 640k from end
    of month")."""
    for when in turn.slots.of("when", segment.span):
        before = turn.slots.text[segment.span[0] : when.span[0]].lower()
        deadline = _DEADLINE_SAID.match(turn.slots.text[when.span[0] : when.span[1]].lower())
        after = turn.slots.text[when.span[1] : segment.span[1]].lower()
        if _HELD_AFTER.match(after):
            continue  # "15:15 call today is done": the day of the one done, not a next one
        if _AGAIN_VERB.search(before) or deadline:
            return when
    return None


_HELD_AFTER = re.compile(
    rf"^\W*(?:(?:call|meeting|звонок|встреча)\s+)?(?:(?:is|was|как)\s+)?(?:not\s+|не\s+)?"
    rf"(?:{_DONE_WORDS})"
)
# "…call today is not done", "звонок не состоялся", "was it done?": no order to close it
_NOT_DONE = re.compile(rf"\b(?:not|не|isn'?t|wasn'?t)\s+(?:yet\s+)?(?:{_DONE_WORDS})")


def _days(turn: Turn, segment: Segment, *, but: Any = None) -> set[Any]:
    return {w.value.at.date() for w in slots_in(turn, segment, "when") if w is not but}


def _follow_up_ref(
    turn: Turn, segment: Segment, tool: str, args: dict[str, Any], days: set[Any]
) -> Outcome | None:
    """The follow-up meant: by its id, else among the client's by the days that name it (in
    a move, the days other than the new one: "пятничный звонок на понедельник")."""
    ids = [s.value for s in turn.slots.refs("follow_up", span=segment.span)]
    if ids:
        args["follow_up"] = ids[0]
        return None
    question = contact_or_ask(turn, segment, tool, args, "follow_up")
    if question is None:
        chosen = choose_follow_up(turn, segment, days)
        if chosen is not None:
            args["follow_up"] = chosen
    return question


# "Friday, same time", "на пятницу в то же время": the day moves, the time stays
_SAME_TIME = re.compile(
    r"\b(?:same time|same hour|at the same time|в то же время|то же время|в тот же час|"
    r"время то же|время прежнее)\b"
)


def _move(turn: Turn, segment: Segment, when: Any) -> str:
    """Where a record moves, as the tools read it (tools/base.py MOVE_HELP): a day alone when
    the broker names no time or keeps it ("move it to friday" keeps its 12:45), a time alone
    when they named no day ("tomorrow's call to 3pm": "tomorrow" says which call, 3pm where
    it goes)."""
    value = when.value
    keeps_time = not value.has_time or _SAME_TIME.search(segment.lower(turn))
    if keeps_time and value.has_date:
        return str(value.at.date().isoformat())
    if value.has_time and not value.has_date:
        return str(value.at.strftime("%H:%M"))
    return iso(value.at)


# A booked visit, not a reminder: "move her viewing to Friday" moves the appointment
_VISIT = re.compile(r"\b(?:viewing|showing|appointment|показ\w*|просмотр\w*)\b")


def _new_time(turn: Turn, segment: Segment, when: Any) -> str | None:
    """Where the record goes: the moment said, else a shift from its own time ("an hour
    later", "на день раньше")."""
    if when is not None:
        return _move(turn, segment, when)
    shift = turn.slots.first("shift", segment.span)
    return None if shift is None else shift_text(shift.value)


def reschedule_follow_up(turn: Turn, segment: Segment) -> Outcome:
    if _VISIT.search(segment.lower(turn)) or turn.slots.refs("appointment", span=segment.span):
        return reschedule_appointment(turn, segment)
    args: dict[str, Any] = {}
    when = moved_to(turn, segment)
    new_time = _new_time(turn, segment, when)
    if new_time is not None:
        args["due_at"] = new_time
    old_days = _days(turn, segment, but=when)
    meant = meant_record(turn, segment, old_days)
    if meant.appointment is not None and when is not None:
        # "move my thursday meeting w mark to fri 3pm": the meeting booked, not his call
        return Call(
            "reschedule_appointment", {"appointment": meant.appointment, "at": args["due_at"]}
        )
    question = _follow_up_ref(turn, segment, "reschedule_follow_up", args, old_days)
    if question is not None:
        return question
    if "due_at" not in args:
        return ask(turn, "ask_when", "reschedule_follow_up", args, "due_at")
    return Call("reschedule_follow_up", args, inferred=meant.unsure)


_BECAUSE = re.compile(r"\b(?:because|since|as|потому что|так как|т\.к\.|причина)\b\W*(.+)$")


def cancel_follow_up(turn: Turn, segment: Segment) -> Outcome:
    visits = [s.value for s in turn.slots.refs("appointment", span=segment.span)]
    if visits:  # "отмени встречу a-508": the appointment booked, never a reminder
        return Call("record_appointment", {"appointment": visits[0], "status": "cancelled"})
    args: dict[str, Any] = {}
    days = _days(turn, segment)
    meant = meant_record(turn, segment, days)
    if meant.appointment is not None:  # "cancel the friday meeting with olga": the one booked
        return Call("record_appointment", {"appointment": meant.appointment, "status": "cancelled"})
    question = _follow_up_ref(turn, segment, "cancel_follow_up", args, days)
    if question is not None:
        return question
    reason = _BECAUSE.search(segment.text(turn))
    if reason:
        args["reason"] = reason.group(1).strip(" .")
    # a day said that is not the day of the follow-up cancelled ("my friday call" when
    # Monday's call is the one that fits the kind) is read back
    return Call(
        "cancel_follow_up", args, inferred=meant.unsure or _other_day(turn, segment, args, days)
    )


def _other_day(turn: Turn, segment: Segment, args: dict[str, Any], days: set[Any]) -> bool:
    person = segment.person
    if not days or person is None or person.contact is None:
        return False
    planned = turn.lexicon.open_follow_ups(person.contact.id)
    chosen = [f for f in planned if f.id == args.get("follow_up")] or planned
    zone = turn.now.tzinfo
    return not any(f.due_at.astimezone(zone).date() in days for f in chosen)


def agenda(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    when = when_in(turn, segment)
    if when is not None and when.value.at.date() != turn.now.date():
        args["day"] = when.value.at.date().isoformat()
    if turn.actor.is_manager:
        for person in turn.slots.people(segment.span):
            if person.broker is not None and person.contact is None:
                args["broker"] = person.broker.name
                break
    return Call("agenda", args)


_SHOWING_WORDS = re.compile(
    r"\b(?:viewing|showing|view|show|see|visit|second look|показ\w*|просмотр\w*|посмотреть|"
    r"покажу|показать)\b"
)


def book_appointment(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    when = when_in(turn, segment)
    if when is not None:
        args["at"] = iso(when.value.at)
    mentions = listing_mentions(turn, segment.span, client=segment.person)
    args["listings"] = []
    for mention in mentions:
        if mention.reference() not in args["listings"]:
            args["listings"].append(mention.reference())
    question = contact_or_ask(turn, segment, "book_appointment", args, "contact")
    if question is not None:
        return question
    if "at" not in args:
        return ask(turn, "ask_when", "book_appointment", args, "at")
    if not args["listings"] and _SHOWING_WORDS.search(segment.lower(turn)):
        # "a viewing at christaki kranou 117": a showing of a listing not found is asked
        # about, never booked as a meeting without it
        return ask(turn, "ask_showing_listing", "book_appointment", args, "listings")
    for mention in mentions:
        if mention.choices:  # "George's place": which of his listings?
            position = args["listings"].index(mention.reference())
            options = "; ".join(choice.label() for choice in mention.choices)
            which = ask(
                turn, "ask_which_listing", "book_appointment", args, "listings", options=options
            )
            which.pending["candidates"] = [choice.id for choice in mention.choices]
            which.pending["labels"] = {c.id: c.label() for c in mention.choices}
            which.pending["position"] = position
            return which
    return Call("book_appointment", args)


def _appointment_ref(
    turn: Turn, segment: Segment, tool: str, args: dict[str, Any]
) -> Outcome | None:
    """The appointment by its id ("a-12"), else by the client (or a question who)."""
    ids = [s.value for s in turn.slots.refs("appointment", span=segment.span)]
    if ids:
        args["appointment"] = ids[0]
        return None
    return contact_or_ask(turn, segment, tool, args, "appointment")


def reschedule_appointment(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    new_time = _new_time(turn, segment, moved_to(turn, segment))
    if new_time is not None:
        args["at"] = new_time
    question = _appointment_ref(turn, segment, "reschedule_appointment", args)
    if question is not None:
        return question
    if new_time is None:
        return ask(turn, "ask_when", "reschedule_appointment", args, "at")
    return Call("reschedule_appointment", args)


_NO_SHOW = re.compile(
    r"no[- ]show|didn't (?:show|come|turn up)|did not (?:show|come|turn up)|stood me up|"
    r"never (?:came|showed|turned up)|не (?:приш(?:ел|ла|ли)|явил\w*|приехал\w*|появил\w*|"
    r"доехал\w*)"
)
_CANCELLED = re.compile(r"cancel\w*|отмен\w*")
_DISLIKED = re.compile(
    r"didn't like|did not like|disliked|hated|not keen|wasn't keen|not impressed|didn't love|"
    r"too (?:small|dark|noisy|far|old|cramped|expensive)|слишком (?:маленьк|темн|шумн|далек"
    r"|стар|дорог)\w*|"
    r"не понрав\w*|не зашл\w*|не впечатл\w*|не подош\w*|не в восторге"
)
_LIKED = re.compile(r"liked|loved|adored|keen|понрав\w*|в восторге|влюбил\w*|зашл\w*")
_BARE_NO = re.compile(r"(?:^|\s)(?:нет|no|nope|не-а)\s*$")
_NEUTRAL = re.compile(r"neutral|so-so|okay-ish|нормально|так себе|нейтральн\w*")
_NEXT_STEP = re.compile(
    r"\b(?:next step|next|дальше|следующий шаг)\s*[:\-]\s*(.+)$", re.IGNORECASE | re.DOTALL
)
_OPPOSITE = re.compile(r"^\W*(?:but not|not|но не|а не|не)\b")
_PIECES = re.compile(r"[,.;:]|\s(?:but|and|но|а|и)\s")


def _reactions(turn: Turn, segment: Segment) -> list[dict[str, str]]:
    text = turn.slots.text
    cuts = [segment.span[0]]
    cuts += [m.start() + segment.span[0] for m in _PIECES.finditer(segment.text(turn))]
    cuts.append(segment.span[1])
    reactions: list[dict[str, str]] = []
    previous: str | None = None
    last: list[dict[str, str]] = []  # the reactions of the piece before, for a reason after it
    client = segment.person
    shown = turn.lexicon.shown_to(client.contact.id) if client and client.contact else []
    for start, end in pairwise(cuts):
        piece = re.sub(r"^(?:but|and|но|а|и)\s+", "", text[start:end].strip(" ,.;:"))
        lower = piece.lower().replace("ё", "е")
        listings = listing_refs(turn, (start, end), client=client, among=shown)
        reaction = None
        if _DISLIKED.search(lower) or (listings and _BARE_NO.search(lower)):
            reaction = "disliked"
        elif _LIKED.search(lower):
            reaction = "liked"
        elif _NEUTRAL.search(lower):
            reaction = "neutral"
        elif previous and _OPPOSITE.search(lower):
            reaction = "disliked" if previous == "liked" else "liked"
        if reaction is not None:
            previous = reaction
        if reaction is None or not listings:
            # "…liked l-261 but the kitchen is small": the reason belongs to the listing before
            if reaction is None and last and piece and not listings:
                for item in last:
                    item["text"] = f"{item['text']}, {piece}"
            else:
                last = []
            continue
        last = [{"listing": listing, "reaction": reaction, "text": piece} for listing in listings]
        reactions.extend(last)
    return reactions


def record_appointment(turn: Turn, segment: Segment) -> Outcome:
    args: dict[str, Any] = {}
    lower = segment.lower(turn)
    question = _appointment_ref(turn, segment, "record_appointment", args)
    if question is not None:
        return question
    if _NO_SHOW.search(lower):
        args["status"] = "no_show"
    elif _CANCELLED.search(lower):
        args["status"] = "cancelled"
    else:
        args["status"] = "done"
        reactions = _reactions(turn, segment)
        if reactions:
            args["reactions"] = reactions
    step = _NEXT_STEP.search(segment.text(turn))
    if step:
        args["next_step"] = step.group(1).strip(" .")
    return Call("record_appointment", args)
