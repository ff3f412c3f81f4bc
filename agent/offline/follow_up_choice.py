"""Which of a client's open follow-ups a message means: "my call with Ivan", "the meeting on
Friday", "дозвонилась до Ольги".

With one open follow-up the client's name is enough (the tool finds it). With several, the
channel the broker names first (a call, a meeting, an e-mail, a message — or the verb of a
report: "called" was a call) and, for a follow-up done or cancelled, the day they name pick
among them, and the soonest that fits is meant. When nothing tells them apart the name is
passed on, and the tool asks which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from agent.offline.frames import Segment, Turn
from agent.offline.store_view import FollowUpInfo

_CHANNELS = re.compile(
    r"\b(?:(?P<email>e-?mail\w*|письм\w*|имейл\w*|мейл\w*|почт\w*)"
    r"|(?P<message>text\w*|messag\w*|whatsapp|sms|viber|сообщени\w*|смс|вотсап\w*|ватсап\w*"
    r"|напиш\w*|написал\w*|написать)"
    r"|(?P<meeting>meet\w*|met|встреч\w*|встрет\w*)"
    r"|(?P<call>call\w*|rang|ring|phone\w*|spoke|talked|звон\w*|созвон\w*|позвон\w*|дозвон\w*"
    r"|перезвон\w*|набра\w*|набер\w*|(?:пере)?говорил\w*|побеседовал\w*|пообщал\w*))\b"
)


def named_channel(lower: str) -> str | None:
    """The first kind of contact the words name: call, meeting, email or message."""
    found = _CHANNELS.search(lower)
    return found.lastgroup if found is not None else None


_STEM = 5  # "deeds"/"deed", "отчёт"/"отчёта": words compared by their first letters
_CONTENT = re.compile(r"[^\W\d_]{4,}")
_COMMON = frozenset(
    {
        "call",
        "meeting",
        "message",
        "email",
        "follow",
        "with",
        "about",
        "from",
        "that",
        "this",
        "done",
        "mark",
        "after",
        "before",
        "звонок",
        "встреча",
        "сообщение",
        "письмо",
        "напоминание",
        "после",
        "перед",
    }
)


def _stems(text: str) -> set[str]:
    return {w[:_STEM] for w in _CONTENT.findall(text.lower()) if w not in _COMMON}


def _by_purpose(lower: str, open_ones: list[FollowUpInfo], client: str) -> str | None:
    """The one open follow-up whose purpose the words share ("the title deed follow-up"); the
    client's own name, in many purposes, tells none apart."""
    said = _stems(lower) - _stems(client)
    fitting = [f for f in open_ones if f.purpose and said & _stems(f.purpose)]
    return fitting[0].id if len(fitting) == 1 else None


def choose_follow_up(turn: Turn, segment: Segment, days: set[date]) -> str | None:
    """The id of the follow-up meant, when the client has several and the words decide."""
    person = segment.person
    if person is None or person.contact is None:
        return None
    open_ones = turn.lexicon.open_follow_ups(person.contact.id)
    if len(open_ones) < 2:
        return None
    lower = segment.lower(turn)
    channel = named_channel(lower)
    fitting = [f for f in open_ones if channel is None or f.channel == channel]
    on_day = [f for f in fitting if f.due_at.astimezone(turn.now.tzinfo).date() in days]
    # the day and the kind said decide first; the purpose's words only among what they leave
    among = on_day or (fitting if channel is not None else open_ones)
    by_purpose = _by_purpose(lower, among, person.canonical) if len(among) > 1 else None
    if by_purpose is not None:
        return by_purpose
    if on_day:
        return on_day[0].id
    if channel is None or not fitting:
        return None
    return fitting[0].id


@dataclass(frozen=True)
class Meant:
    """What a move or a cancellation names, when its words say more than the client."""

    appointment: str | None = None  # the words fit a scheduled appointment, not a follow-up
    unsure: bool = False  # a day that fits nothing planned: the tool's pick is read back first


def meant_record(turn: Turn, segment: Segment, days: set[date]) -> Meant:
    """ "my thursday meeting with Mark": the client's planned contact on the day and of the
    kind named — an open follow-up first, else a scheduled appointment (a meeting in person)."""
    person = segment.person
    if person is None or person.contact is None or person.ambiguous:
        return Meant()
    channel = named_channel(segment.lower(turn))
    if channel is None and not days:
        return Meant()
    zone = turn.now.tzinfo

    def fits(info: FollowUpInfo) -> bool:
        on_day = not days or info.due_at.astimezone(zone).date() in days
        return on_day and (channel is None or info.channel == channel)

    if any(fits(f) for f in turn.lexicon.open_follow_ups(person.contact.id)):
        return Meant()
    visits = [a for a in turn.lexicon.scheduled_appointments(person.contact.id) if fits(a)]
    if len(visits) == 1:
        return Meant(appointment=visits[0].id)
    # a day that fits nothing planned is read back; a kind alone is said loosely ("встречу"
    # for the one call planned today)
    planned = [*turn.lexicon.open_follow_ups(person.contact.id), *visits]
    on_a_day = any(f.due_at.astimezone(zone).date() in days for f in planned)
    return Meant(unsure=bool(days) and not on_a_day)
