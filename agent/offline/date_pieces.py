"""The pieces of a date/time expression and how each regex match becomes one."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from agent.offline.date_words import (
    HOUR_SUFFIXES,
    POSITIONS,
    is_abbreviation,
    month_number,
    shift_of,
    unit_name,
    weekday_number,
)
from agent.offline.numbers import to_number


@dataclass(frozen=True)
class Piece:
    """One recognised piece; `kind` says which fields are set. Spans index the lower text."""

    start: int
    end: int
    kind: str  # rel_day | weekday | date | dom | period | month | offset | clock | part | year
    days: int = 0  # rel_day: days from today; period: weeks/months shift
    weekday: int | None = None
    modifier: str | None = None  # weekday: next | last | this; part: today ("this evening")
    year: int | None = None
    month: int | None = None
    day: int | None = None
    unit: str | None = None  # offset: minutes|hours|days|weeks|months|years; period: week|month
    amount: Decimal | None = None  # offset (negative = ago)
    position: str | None = None  # period/month: start | middle | end | None
    hour: int | None = None
    minute: int = 0
    meridiem: str | None = None  # am | pm | night
    part_hour: int | None = None  # part: the hour the part of day means


Handler = Callable[[re.Match[str]], Piece | None]


def rel_day_piece(days: int, part_hour: int | None = None) -> Handler:
    def handle(m: re.Match[str]) -> Piece:
        return Piece(m.start(), m.end(), "rel_day", days=days, part_hour=part_hour)

    return handle


# (matched where the weekday ends: no copy of the rest of the text per weekday named)
_TIME_AFTER = re.compile(r"\s*(?:at\s+|@\s*|в\s+)?\d")


def weekday_piece(m: re.Match[str]) -> Piece | None:
    prefix, modifier, word, next_week = m.group(1, 2, 3, 4)
    followed_by_time = _TIME_AFTER.match(m.string, m.end()) is not None
    if is_abbreviation(word) and not (prefix or modifier or followed_by_time):
        return None  # "sun", "sat", "wed" are words too
    said = modifier or prefix
    mod = "next" if next_week else {1: "next", -1: "last"}.get(shift_of(said))
    if mod is None and said and said.startswith(("this", "этот", "эту", "это")):
        mod = "this"  # "this Tuesday" said on a Tuesday is today
    return Piece(m.start(), m.end(), "weekday", weekday=weekday_number(word), modifier=mod)


def date_piece(
    day: str, month: int | None, year: str | None, m: re.Match[str], *, named: bool = False
) -> Piece | None:
    """A day and month; with the month named ("March 32", "99999 марта") a day no month has is
    kept as said, so the date is refused rather than read as another one."""
    if month is None or not 1 <= month <= 12:
        return None
    if not 1 <= int(day) <= 31 and not named:
        return None
    full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
    return Piece(m.start(), m.end(), "date", year=full_year, month=month, day=int(day))


def day_month_piece(m: re.Match[str]) -> Piece | None:
    return date_piece(m.group(1), month_number(m.group(2)), m.group(3), m, named=True)


def month_day_piece(m: re.Match[str]) -> Piece | None:
    return date_piece(m.group(2), month_number(m.group(1)), m.group(3), m, named=True)


def numeric_piece(m: re.Match[str]) -> Piece | None:
    day, sep, month, year = m.group(1, 2, 3, 4)
    # "2.5" is a number; a dotted date has a two-digit month or a year ("25.03", "1.4.2026").
    if sep == "." and len(month) < 2 and year is None:
        return None
    return date_piece(day, int(month), year, m)


def iso_piece(m: re.Match[str]) -> Piece | None:
    return date_piece(m.group(3), int(m.group(2)), m.group(1), m)


def dom_piece(m: re.Match[str]) -> Piece | None:
    day = int(m.group(1))
    return Piece(m.start(), m.end(), "dom", day=day) if 1 <= day <= 31 else None


def weekday_dom_piece(m: re.Match[str]) -> Piece | None:
    day = int(m.group("d"))
    return Piece(m.start(), m.end(), "dom", day=day) if 1 <= day <= 31 else None


def period_after_next_piece(m: re.Match[str]) -> Piece:
    return Piece(m.start(), m.end(), "period", unit="week", days=2)


def mid_month_piece(m: re.Match[str]) -> Piece:
    return Piece(m.start(), m.end(), "period", unit="month", position="middle")


def period_piece(m: re.Match[str]) -> Piece:
    groups = m.groupdict()
    unit = "week" if groups["unit"].startswith(("week", "недел")) else "month"
    weeks = shift_of(groups.get("which"))
    position = POSITIONS.get((groups.get("pos") or "").strip())
    return Piece(m.start(), m.end(), "period", unit=unit, days=weeks, position=position)


def month_piece(m: re.Match[str]) -> Piece | None:
    prefix, pos, word, year = m.group(1, 2, 3, 4)
    if not (prefix or pos or year):
        return None  # a lone "May" or "март" is too often something else
    if word == "may" and not (pos or year) and prefix != "in":
        return None
    return Piece(
        m.start(),
        m.end(),
        "month",
        month=month_number(word),
        year=int(year) if year else None,
        position=POSITIONS.get((pos or "").strip()),
    )


def offset_piece(sign: int) -> Handler:
    def handle(m: re.Match[str]) -> Piece | None:
        raw, unit_word = m.group("n"), m.group("unit")
        if raw in (None, ""):
            amount: Decimal | None = Decimal(1)
        elif raw.startswith("half") or raw.startswith("пол"):
            amount = Decimal("0.5")
        else:
            amount = to_number(raw)
        if amount is None:
            return None
        unit = unit_name(unit_word)
        return Piece(m.start(), m.end(), "offset", unit=unit, amount=sign * amount)

    return handle


def half_piece(unit: str) -> Handler:
    def handle(m: re.Match[str]) -> Piece:
        amount = Decimal("1.5") if m.group(0).count("полтор") else Decimal("0.5")
        return Piece(m.start(), m.end(), "offset", unit=unit, amount=amount)

    return handle


def clock_piece(m: re.Match[str]) -> Piece | None:
    groups = m.groupdict()
    hour = int(groups["h"])
    minute = int(groups.get("m") or 0)
    ampm = (groups.get("ampm") or "").replace(".", "")
    meridiem = ampm or HOUR_SUFFIXES.get(groups.get("suffix") or "") or None
    if minute > 59 or hour > 23 or (ampm and not 1 <= hour <= 12):
        return None
    if meridiem is None and groups["h"].startswith("0") and groups.get("m"):
        meridiem = "am"  # "08:00" is written on a 24-hour clock: the morning, not 20:00
    return Piece(m.start(), m.end(), "clock", hour=hour, minute=minute, meridiem=meridiem)


# the hour a Russian "пол-" time is half of: "полдесятого" is 9:30
HALF_HOURS = {
    "первого": 12, "второго": 1, "третьего": 2, "четвертого": 3, "четвёртого": 3,
    "пятого": 4, "шестого": 5, "седьмого": 6, "восьмого": 7, "девятого": 8, "десятого": 9,
    "одиннадцатого": 10, "двенадцатого": 11,
}  # fmt: skip


def half_hour_piece(m: re.Match[str]) -> Piece | None:
    hour = HALF_HOURS.get(m.group("ord"))
    if hour is None:
        return None
    return Piece(m.start(), m.end(), "clock", hour=hour, minute=30, meridiem=None)


def half_past_piece(m: re.Match[str]) -> Piece | None:
    """ "half 3", "half past 3": thirty minutes past the hour (British English)."""
    hour = int(m.group("h"))
    if not 1 <= hour <= 12:
        return None
    return Piece(m.start(), m.end(), "clock", hour=hour, minute=30, meridiem=None)


def loose_clock_piece(m: re.Match[str]) -> Piece | None:
    piece = clock_piece(m)
    return (
        None
        if piece is None
        else Piece(piece.start, piece.end, "loose_clock", hour=piece.hour, minute=piece.minute)
    )


def weekend_piece(m: re.Match[str]) -> Piece:
    which = m.group("which") or m.group("which_ru") or ""
    modifier = "next" if which.startswith(("next", "следующ")) else None
    return Piece(m.start(), m.end(), "weekday", weekday=5, modifier=modifier)


def part_piece(hour: int) -> Handler:
    def handle(m: re.Match[str]) -> Piece:
        today = m.group(0).startswith(("this", "tonight"))
        return Piece(
            m.start(), m.end(), "part", part_hour=hour, modifier="today" if today else None
        )

    return handle


def year_piece(m: re.Match[str]) -> Piece:
    """ "в 2045 году", "in 2027": the year of the date said beside it (refused when no broker
    plans in it)."""
    return Piece(m.start(), m.end(), "year", year=int(m.group("y")))
