"""How sure the offline model is of a write it built: a confidence per call (issue #10).

A write is applied directly only when the clause said it plainly. Two things lower the
confidence: a rival write intent scoring nearly as high on the same clause (the words fit two
different changes), and a figure in the clause that no slot read (an amount the frame did not
use may be the one the broker meant). Below THRESHOLD the call is read back
before it runs: asking costs the broker a "yes", a wrong write costs their trust.
"""

from __future__ import annotations

import re

from agent.offline.frames import Call, Segment, Turn
from agent.offline.intents import score_intents

THRESHOLD = 0.5
FULL_MARGIN = 0.5  # a rival this far below the clause's intent leaves no doubt
UNREAD_FIGURE = 0.3  # the confidence of a call whose clause has an amount nobody read
# Intents that are one change said two ways: a rival of the same family is no doubt.
_FAMILIES = (
    frozenset({"schedule_follow_up", "book_appointment"}),
    frozenset({"reschedule_follow_up", "reschedule_appointment"}),
    frozenset({"complete_follow_up", "record_appointment"}),
    frozenset({"register_contact", "save_buyer_request", "save_listing", "update_contact"}),
)
# A figure that may be money: a thousands group, a "k/m/тыс/млн" or euro mark, 4+ digits
# (a street number, "2 ванные" or "85m2" is none; a date or a phone is read by its own slot).
_FIGURE = re.compile(
    r"(?<![\w.,-])(?:€\s*)?\d{1,3}(?:[ ,.]\d{3})+(?![\w.,]\d)|"
    r"(?<![\w.,-])\d+(?:[.,]\d+)?\s*(?:k|к|m|mln|млн|тыс\w*|€|eur\w*|евро)(?!\w)|"
    r"€\s*\d+|(?<![\w.,-])\d{4,}(?![\w.,]\d)",
    re.IGNORECASE,
)


def confidence(turn: Turn, segment: Segment, call: Call, *, reads: frozenset[str]) -> float:
    """0..1: how plainly the clause asks for `call` (1 for a read: nothing is at stake)."""
    if call.name in reads:
        return 1.0
    margin = 1.0 if segment.ruled else _margin(turn, segment, call, reads)
    return min(margin, _figures_read(turn, segment))


def _family(intent: str) -> frozenset[str]:
    return next((f for f in _FAMILIES if intent in f), frozenset({intent}))


def _margin(turn: Turn, segment: Segment, call: Call, reads: frozenset[str]) -> float:
    """How far the best rival write intent scores below the clause's own (1: far enough).
    A frame that turned the clause into another tool (a visit asked for is a showing) ruled
    that tool's family out as a rival too."""
    ranked = score_intents(
        turn.slots.masked(segment.head),
        known_person=segment.person is not None and segment.person.known,
        implied_person=segment.carried,
    )
    own = _family(segment.intent) | _family(call.name) | reads
    rival = next((s for s in ranked if s.intent not in own), None)
    if rival is None:
        return 1.0
    return max(0.0, min(1.0, (segment.score - rival.score) / FULL_MARGIN))


def _figures_read(turn: Turn, segment: Segment) -> float:
    start, end = segment.head
    taken = [slot.span for slot in turn.slots.items if slot.span[1] > start and slot.span[0] < end]
    for match in _FIGURE.finditer(turn.slots.text, start, end):
        a, b = match.span()
        if not any(s <= a and b <= e for s, e in taken):
            return UNREAD_FIGURE
    return 1.0
