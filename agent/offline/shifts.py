"""Relative moves of a record already booked: "an hour later", "push it back a day", "на час
позже", "раньше на 30 минут". A shift is counted from the record's own time, never from now,
so it is a slot of its own (the tools read it as a signed ISO-8601 duration, tools/base.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache

from agent.offline.date_words import UNIT_EN, UNIT_RU, unit_name
from agent.offline.numbers import NUMBER, to_number

_B = r"(?<![\w@])"
_E = r"(?![\w])"
# Units a booked call or visit moves by (a month or a year is a new plan, not a shift).
_UNIT = {"minutes": timedelta(minutes=1), "hours": timedelta(hours=1), "days": timedelta(days=1)}
_UNIT.update({"weeks": timedelta(weeks=1)})
# "bring it forward" is earlier in English; "на день вперёд" is later in Russian.
_EARLIER = {"earlier", "sooner", "forward", "раньше", "пораньше", "назад"}
_EN_AMOUNT = rf"(?P<n>{NUMBER}|half\s+an?|a\s+couple\s+of|couple\s+of)"
_RU_AMOUNT = rf"(?P<n>{NUMBER}|пару|полтора|полторы)"
_EN_UNIT = rf"(?P<unit>{UNIT_EN[1:-1]})"
_RU_UNIT = rf"(?P<unit>{UNIT_RU[1:-1]})"
# A shift is a move only when the broker orders one in the same clause ("push it an hour
# later", "сдвинь на час позже"); told of the client ("he lands 2 days later", "подпишет на
# неделю позже", "the seller can move out 2 weeks earlier") it moves nothing.
MOVE_ORDER = re.compile(
    r"\b(?:move|push|pushed|shift|bump|bring|delay|reschedul\w*|postpon\w*|"
    r"перенеси\w*|перенести|перенесите|передвинь\w*|передвинуть|сдвинь\w*|сдвинуть|"
    r"перекинь\w*|перекинуть|отложи\w*|отложить|подвинь\w*|подвинуть)\b"
    r"(?!\s+(?:out|in)\b)"
)
_CLAUSE_START = re.compile(r"[.;!?,\n—]")

_PATTERNS = (
    # "an hour later", "by 2 days earlier", "30 mins sooner"
    rf"{_B}(?:by\s+)?{_EN_AMOUNT}\s*{_EN_UNIT}\s+(?P<dir>later|earlier|sooner){_E}",
    # "push it back a day", "bring it forward by an hour" (earlier)
    rf"{_B}(?P<dir>back|forward)\s+(?:by\s+)?{_EN_AMOUNT}\s*{_EN_UNIT}{_E}",
    # "на час позже", "на 2 дня раньше", "на полчаса вперёд"
    rf"{_B}на\s+(?:{_RU_AMOUNT}\s*)?{_RU_UNIT}\s+(?P<dir>позже|попозже|раньше|пораньше|вперёд|"
    rf"вперед|назад){_E}",
    # "позже на час", "раньше на 30 минут"
    rf"{_B}(?P<dir>позже|попозже|раньше|пораньше)\s+на\s+(?:{_RU_AMOUNT}\s*)?{_RU_UNIT}{_E}",
    rf"{_B}на\s+(?P<half>полчаса)\s+(?P<dir>позже|попозже|раньше|пораньше|вперёд|вперед|назад)"
    rf"{_E}",
    rf"{_B}(?P<dir>позже|попозже|раньше|пораньше)\s+на\s+(?P<half>полчаса){_E}",
    # "next week same day (and time)", "на следующей неделе в тот же день": a week on
    rf"{_B}(?P<week>(?:to\s+)?next\s+week\s*,?\s*(?:on\s+)?(?:the\s+)?same\s+day"
    rf"|same\s+day\s+next\s+week|на\s+следующ\w+\s+неделе\s*,?\s*в\s+тот\s+же\s+день"
    rf"|в\s+тот\s+же\s+день\s+на\s+следующ\w+\s+неделе){_E}",
)


@dataclass(frozen=True)
class Shift:
    span: tuple[int, int]
    text: str
    delta: timedelta


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in _PATTERNS)


def _amount(raw: str | None) -> Decimal | None:
    if raw is None or raw == "":
        return Decimal(1)
    if raw.startswith(("half", "пол")) and not raw.startswith("полтор"):
        return Decimal("0.5")
    if raw.startswith("полтор"):
        return Decimal("1.5")
    return to_number(raw.removeprefix("a ").removesuffix(" of"))


def _delta(match: re.Match[str]) -> timedelta | None:
    groups = match.groupdict()
    if groups.get("week"):
        return timedelta(weeks=1)
    half = bool(groups.get("half"))
    size = _UNIT["hours"] if half else _UNIT.get(unit_name(groups["unit"]))
    amount = Decimal("0.5") if half else _amount(groups.get("n"))
    if size is None or amount is None or not 0 < amount <= 1000:
        return None
    sign = -1 if groups["dir"] in _EARLIER else 1
    return sign * size * float(amount)


def _ordered_here(lower: str, at: int) -> bool:
    """A move verb between the start of the shift's clause and the shift."""
    start = max(0, at - 80)
    breaks = list(_CLAUSE_START.finditer(lower, start, at))
    start = breaks[-1].end() if breaks else start
    return MOVE_ORDER.search(lower, start, at) is not None


def find_shifts(text: str) -> list[Shift]:
    """Every shift in `text` (spans index it as typed) that a move verb of its clause orders."""
    lower = text.lower()
    found: list[Shift] = []
    for pattern in _compiled():
        for match in pattern.finditer(lower):
            if not _ordered_here(lower, match.start()):
                continue
            if any(s.span[0] < match.end() and match.start() < s.span[1] for s in found):
                continue
            delta = _delta(match)
            if delta is not None:
                found.append(Shift(match.span(), text[match.start() : match.end()], delta))
    return sorted(found, key=lambda s: s.span)
