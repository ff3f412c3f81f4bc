"""What the previous turn left open: a question with a partial frame, or a proposed follow-up.

Both travel in the last AI message's additional_kwargs (checkpointed with the conversation):
`offline_pending` = {"tool", "args", "missing", "language", "candidates"?, "attempts"?} and
`offline_proposal` = {"contact", "due_at"}. The broker's next message completes the frame
("tomorrow at 4pm", "Ivan Petrov", "the second one"), or answers the proposal (yes / no /
"yes, but at 3pm").
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from agent.offline.criteria import buyer_criteria
from agent.offline.frames import Ask, Call, Outcome, Say, Segment, Turn, amount, iso
from agent.offline.frames_people import contact_changes
from agent.offline.frames_stage import stage_answer
from agent.offline.listing_mentions import listing_refs
from agent.offline.money import bare_figure
from agent.offline.replies import say
from agent.offline.stage_words import (
    exit_reason,
)
from crm_store.services.names import spelling_key

PENDING = "offline_pending"
PROPOSAL = "offline_proposal"

# Arguments a tool cannot run without, and the question that asks for each.
REQUIRED: dict[str, tuple[str, ...]] = {
    "register_contact": ("full_name",),
    "find_contacts": ("query",),
    "update_contact": ("contact",),
    "save_buyer_request": ("buyer",),
    "move_stage": ("deal", "to_stage"),
    "schedule_follow_up": ("contact", "due_at"),
    "complete_follow_up": ("follow_up",),
    "reschedule_follow_up": ("follow_up", "due_at"),
    "cancel_follow_up": ("follow_up",),
    "book_appointment": ("contact", "at"),
    "record_appointment": ("appointment",),
    "reschedule_appointment": ("appointment", "at"),
    "log_note": ("text",),
    "client_card": ("client",),
    "match_listings": ("buyer",),
    "curated_list": ("buyer",),
    "match_buyers": ("listing",),
    "explain_match": ("buyer", "listing"),
    "recall": ("query",),
}
QUESTIONS = {
    "due_at": "ask_when",
    "at": "ask_when",
    "full_name": "ask_name",
    "to_stage": "ask_stage",
    "listing": "ask_listing",
    "query": "ask_query",
    "text": "ask_note",
}
PEOPLE_ARGS = {"contact", "follow_up", "buyer", "deal", "client", "appointment", "seller"}
# "the second one": ordinal words (a bare "one" would be the first); a lone digit too.
_ORDINALS = {
    0: r"first|1st|перв\w*|^\W*1\W*$",
    1: r"second|2nd|latter|втор\w*|^\W*2\W*$",
    2: r"third|3rd|трет\w*|^\W*3\W*$",
    3: r"fourth|4th|четверт\w*|^\W*4\W*$",
}
_FILLERS = re.compile(r"(?i)^(?:the|one|that|this|which|that's|тот|тот,|который|которая)$")
_NO = re.compile(
    r"^\s*(?:no|nope|cancel|stop|never mind|forget it|нет|не надо|отмена|отмени|стоп)\b",
    re.IGNORECASE,
)
_YES = re.compile(
    r"^\s*(?:yes|y|yeah|yep|sure|ok|okay|confirm|go ahead|do it|please do|да|ага|угу|конечно|"
    r"давай|ок|окей|верно|хорошо|запланируй)\b",
    re.IGNORECASE,
)


def previous_ai(messages: list[BaseMessage]) -> AIMessage | None:
    """The copilot's last message before the broker's current one."""
    last_human = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    for message in reversed(messages[:last_human]):
        if isinstance(message, AIMessage):
            return message
        if isinstance(message, HumanMessage):
            return None
    return None


def carried(messages: list[BaseMessage], key: str) -> dict[str, Any] | None:
    """A dict the previous turn left under `key` in its last message."""
    value = carried_value(messages, key)
    return dict(value) if isinstance(value, dict) else None


def carried_value(messages: list[BaseMessage], key: str) -> Any:
    previous = previous_ai(messages)
    return None if previous is None else previous.additional_kwargs.get(key)


def answer_to_proposal(
    proposal: dict[str, Any], turn: Turn, *, new_request: bool = False
) -> Outcome | None:
    """yes → schedule the proposed follow-up (at the time the broker names, if any); no → ok;
    a short message with only a time is a yes at that time, unless it is a new request."""
    text = turn.slots.text
    when = turn.slots.first("when")
    if _NO.match(text):
        return Say(say("proposal_no", turn.language))
    short = len(text.split()) <= 6
    if _YES.match(text) or (when is not None and short and not new_request):
        due = iso(when.value.at) if when is not None else str(proposal["due_at"])
        return Call("schedule_follow_up", {"contact": str(proposal["contact"]), "due_at": due})
    return None


def declines(text: str) -> bool:
    return bool(_NO.match(text))


def _by_label(labels: dict[str, str], turn: Turn) -> str | None:
    """ "the penthouse", "the one in Kato Paphos", "на Посейдонос": the one label that fits."""
    kinds = [s.value for s in turn.slots.of("type")]
    places = [s.value.name for s in turn.slots.of("place")]
    words = [w for w in re.findall(r"[^\W\d_]{4,}", turn.slots.text) if not _FILLERS.match(w)]
    fitting = []
    for cid, label in labels.items():
        text = label.lower()
        keys = spelling_key(label).split()
        if kinds and not all(kind in text for kind in kinds):
            continue
        if places and not all(place.lower() in text for place in places):
            continue
        if (
            not kinds
            and not places
            and not any(any(k.startswith(spelling_key(w)[:5]) for k in keys) for w in words)
        ):
            continue
        fitting.append(cid)
    return fitting[0] if len(fitting) == 1 else None


def _choose(candidates: list[str], turn: Turn, labels: dict[str, str] | None = None) -> str | None:
    lower = turn.slots.text.lower()
    for slot in turn.slots.of("ref"):
        if slot.value in candidates:
            return str(slot.value)
    for person in turn.slots.people():
        # "Clarke" may fit several clients; among the ones asked about it fits one
        fitting = [c.id for c in person.contacts if c.id in candidates]
        if len(fitting) == 1:
            return fitting[0]
    for index, pattern in _ORDINALS.items():
        if index < len(candidates) and re.search(rf"(?<![\w-])(?:{pattern})(?![\w-])", lower):
            return candidates[index]
    return _by_label(labels, turn) if labels else None


def _person_answer(turn: Turn) -> str | None:
    people = turn.slots.people()
    if people:
        return people[0].reference()
    for kind in ("phone", "email", "ref"):
        slot = turn.slots.first(kind)
        if slot is not None:
            return str(slot.value)
    return _bare_name(turn)


def _bare_name(turn: Turn) -> str | None:
    """An answer of one to four words and nothing else, as a name ("mark jenkins")."""
    words = turn.slots.text.strip(" .!?").split()
    if 1 <= len(words) <= 4 and all(re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)?", w) for w in words):
        return " ".join(w[:1].upper() + w[1:] for w in words)
    return None


def _figure(turn: Turn) -> Decimal | None:
    """A sum of money said alone, as a money slot ("€12.5k") or a bare figure ("12.500")."""
    money = turn.slots.first("money")
    value = Decimal(str(money.value)) if money is not None else bare_figure(turn.slots.text)
    return value if value is not None and value > 0 else None


_TODAY = re.compile(r"\b(?:today|this one|this week|сегодня|на этой)\b", re.IGNORECASE)
_NEXT = re.compile(r"\b(?:next|следующ\w*|через неделю)\b", re.IGNORECASE)


def _day_choice(pending: dict[str, Any], turn: Turn) -> str | None:
    """The answer to "today or next week?": one of the two moments kept with the question."""
    choices = pending.get("day_choices") or {}
    if not choices:
        return None
    text = turn.slots.text
    today, later = bool(_TODAY.search(text)), bool(_NEXT.search(text))
    if today == later:
        return None
    return str(choices["today" if today else "next"])


def _join_what_is_on_record(args: dict[str, Any], turn: Turn, chosen: str) -> None:
    """Criteria read before the client was known ("which Vadim?") add to the request on
    record: its wishes and must-haves are kept, never replaced by the new words alone."""
    contact = chosen if chosen in turn.lexicon.contacts else None
    if contact is None:
        person = turn.lexicon.person((0, 0), chosen, chosen).contact
        contact = person.id if person is not None else None
    if contact is None:
        return
    deal = next((d for d in turn.lexicon.deals_of(contact) if d.side == "buyer" and d.open), None)
    if deal is None:
        return
    wishes = args.get("wishes")
    if wishes and deal.wishes and str(wishes) not in deal.wishes:
        args["wishes"] = f"{deal.wishes}; {wishes}"
    if "must_haves" in args:
        args["must_haves"] = list(dict.fromkeys([*deal.must_haves, *args["must_haves"]]))


def _fill(pending: dict[str, Any], turn: Turn) -> bool:
    """Put the answer into the pending frame's missing argument; False when it isn't there."""
    args: dict[str, Any] = pending["args"]
    missing = str(pending["missing"])
    whole = Segment((0, len(turn.slots.text)), str(pending["tool"]), 0.0)
    whole.person = turn.slots.people()[0] if turn.slots.people() else None
    if missing in ("due_at", "at", "next_due_at"):
        choice = _day_choice(pending, turn)
        when = turn.slots.first("when")
        if choice is not None:
            args[missing] = choice
        elif when is None:
            return False
        elif pending.get("day_said") and not when.value.has_date:
            day = date.fromisoformat(str(pending["day_said"]))  # "sorry, 15:00": on the day said
            args[missing] = iso(datetime.combine(day, when.value.at.timetz()))
        else:
            args[missing] = iso(when.value.at)
    elif missing in PEOPLE_ARGS:
        candidates = pending.get("candidates") or []
        labels = pending.get("labels")
        chosen = _choose(candidates, turn, labels) if candidates else _person_answer(turn)
        if chosen is None:
            return False
        args[missing] = chosen
        if pending.get("tool") == "save_buyer_request":
            _join_what_is_on_record(args, turn, chosen)
    elif missing == "full_name":
        # a name said alone is the name, every word of it ("Mark Jenkins": not the order
        # "mark" and "Jenkins"); within a sentence, the name found in it
        people = turn.slots.people()
        name = _bare_name(turn) or (people[0].canonical if people else _person_answer(turn))
        if name is None:
            return False
        args["full_name"] = name
    elif missing == "to_stage":
        return stage_answer(pending, turn)
    elif missing == "reason":
        if args.get("to_stage") not in ("withdrawn", "closed_lost"):
            args["reason"] = turn.slots.text.strip()  # a move back: the broker's words
        else:
            side = "seller" if args.get("to_stage") == "withdrawn" else "buyer"
            reason = exit_reason(turn.slots.text.lower(), side)
            args["reason"] = reason if reason != "other" else "other: " + turn.slots.text.strip()
    elif missing == "criteria":
        criteria = buyer_criteria(turn, whole)
        if not criteria:
            return False
        args.update(criteria)
    elif missing == "listings" and not pending.get("candidates"):
        refs = listing_refs(turn, whole.span)  # "which listing is the viewing of?"
        if not refs:
            return False
        args["listings"] = refs
    elif missing == "listings":
        chosen = _choose(pending.get("candidates") or [], turn, pending.get("labels"))
        position = int(pending.get("position", 0))
        listings = list(args.get("listings") or [])
        if chosen is None or position >= len(listings):
            return False
        listings[position] = chosen
        args["listings"] = listings
    elif missing == "listing":
        refs = listing_refs(turn, whole.span)
        if not refs:
            return False
        args["listing"] = refs[0]
    elif missing in ("text", "query"):
        args[missing] = turn.slots.text.strip()
    elif missing == "final_amount":  # "17500", "€17,500", "12.500", "17.5k", "15 тысяч"
        figure = _figure(turn)
        if figure is None:
            return False
        args["final_amount"] = amount(figure)
    elif missing == "confirm_new":
        lower = turn.slots.text.lower()
        asked_about = set(str(args.get("full_name", "")).lower().split())
        if any(not set(p.canonical.lower().split()) <= asked_about for p in turn.slots.people()):
            return False  # "new client Bob Stone": another registration, not the answer
        known = {*(args.get("phones") or ()), *(args.get("emails") or ())}
        given = [s.value for s in turn.slots.of("phone")] + [
            s.value for s in turn.slots.of("email")
        ]
        if any(value not in known for value in given):
            return False  # a new number or address: someone else to register
        if not (
            _YES.match(lower) or re.search(r"\b(?:new|different|another|нов\w*|друг\w*)\b", lower)
        ):
            return False
        args["new_despite_duplicate"] = True
    elif missing == "change":
        changes = contact_changes(turn, whole, skip_first_person=False)
        if not changes:
            return False
        args.update(changes)
    else:
        return False
    return True


def _finished(pending: dict[str, Any], turn: Turn) -> Outcome:
    """The call a filled frame makes, or the question for what it still lacks."""
    tool = str(pending["tool"])
    args: dict[str, Any] = pending["args"]
    for name in REQUIRED.get(tool, ()):
        if name not in args:
            key = QUESTIONS.get(name, "ask_contact")
            if name == "to_stage" and pending.get("close"):
                key = "ask_won_or_lost"
            return Ask(say(key, turn.language), {**pending, "missing": name, "attempts": 0})
    stage = args.get("to_stage")
    if tool == "move_stage" and stage in ("withdrawn", "closed_lost") and not args.get("reason"):
        key = "ask_withdrawn_reason" if stage == "withdrawn" else "ask_lost_reason"
        return Ask(say(key, turn.language), {**pending, "missing": "reason", "attempts": 0})
    ordered = {name: args[name] for name in REQUIRED.get(tool, ()) if name in args}
    ordered.update({k: v for k, v in args.items() if k not in ordered})
    return Call(tool, ordered)


def complete_pending(pending: dict[str, Any], turn: Turn) -> list[Outcome] | None:
    """The calls the answer completes (a question may remain), or None when it answers
    nothing. Frames waiting on the same answer ("more": "Ivan wants…, call him…" with two
    Ivans) are completed with it too."""
    if not _fill(pending, turn):
        return None
    outcomes = [_finished(pending, turn)]
    missing = pending["missing"]
    for extra in pending.get("more") or []:
        frame = {**extra, "args": dict(extra.get("args") or {})}
        frame["args"][frame["missing"]] = pending["args"][missing]
        outcomes.append(_finished(frame, turn))
    return outcomes
