"""The pieces of a date/time expression (day, clock time, part of day, offset) found in text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from agent.offline.date_words import (
    HOUR_SUFFIXES,
    MONTH,
    NOT_TIME_AFTER,
    PARTS_OF_DAY,
    POSITIONS,
    UNIT_EN,
    UNIT_RU,
    WEEKDAY,
    is_abbreviation,
    month_number,
    shift_of,
    unit_name,
    weekday_number,
)
from agent.offline.numbers import NUMBER, to_number


@dataclass(frozen=True)
class Piece:
    """One recognised piece; `kind` says which fields are set. Spans index the lower text."""

    start: int
    end: int
    kind: str  # rel_day | weekday | date | dom | period | month | offset | clock | part
    days: int = 0  # rel_day: days from today; period: weeks/months shift
    weekday: int | None = None
    modifier: str | None = None  # weekday: next | last; part: today ("this evening")
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


_B = r"(?<![\w@])"  # a word starts here (Cyrillic-aware, unlike a bare \b before punctuation)
_E = r"(?![\w])"
_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(\d{4})"
Handler = Callable[[re.Match[str]], Piece | None]


def _rel_day(days: int, part_hour: int | None = None) -> Handler:
    def handle(m: re.Match[str]) -> Piece:
        return Piece(m.start(), m.end(), "rel_day", days=days, part_hour=part_hour)

    return handle


def _weekday(m: re.Match[str]) -> Piece | None:
    prefix, modifier, word, next_week = m.group(1, 2, 3, 4)
    followed_by_time = re.match(r"\s*\d", m.string[m.end() :]) is not None
    if is_abbreviation(word) and not (prefix or modifier or followed_by_time):
        return None  # "sun", "sat", "wed" are words too
    mod = "next" if next_week else {1: "next", -1: "last"}.get(shift_of(modifier or prefix))
    return Piece(m.start(), m.end(), "weekday", weekday=weekday_number(word), modifier=mod)


def _date(day: str, month: int | None, year: str | None, m: re.Match[str]) -> Piece | None:
    if month is None or not 1 <= int(day) <= 31 or not 1 <= month <= 12:
        return None
    full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
    return Piece(m.start(), m.end(), "date", year=full_year, month=month, day=int(day))


def _day_month(m: re.Match[str]) -> Piece | None:
    return _date(m.group(1), month_number(m.group(2)), m.group(3), m)


def _month_day(m: re.Match[str]) -> Piece | None:
    return _date(m.group(2), month_number(m.group(1)), m.group(3), m)


def _numeric(m: re.Match[str]) -> Piece | None:
    day, sep, month, year = m.group(1, 2, 3, 4)
    # "2.5" is a number; a dotted date has a two-digit month or a year ("25.03", "1.4.2026").
    if sep == "." and len(month) < 2 and year is None:
        return None
    return _date(day, int(month), year, m)


def _iso(m: re.Match[str]) -> Piece | None:
    return _date(m.group(3), int(m.group(2)), m.group(1), m)


def _dom(m: re.Match[str]) -> Piece | None:
    day = int(m.group(1))
    return Piece(m.start(), m.end(), "dom", day=day) if 1 <= day <= 31 else None


def _period_after_next(m: re.Match[str]) -> Piece:
    return Piece(m.start(), m.end(), "period", unit="week", days=2)


def _mid_month(m: re.Match[str]) -> Piece:
    return Piece(m.start(), m.end(), "period", unit="month", position="middle")


def _period(m: re.Match[str]) -> Piece:
    groups = m.groupdict()
    unit = "week" if groups["unit"].startswith(("week", "недел")) else "month"
    weeks = shift_of(groups.get("which"))
    position = POSITIONS.get((groups.get("pos") or "").strip())
    return Piece(m.start(), m.end(), "period", unit=unit, days=weeks, position=position)


def _month(m: re.Match[str]) -> Piece | None:
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


def _offset(sign: int) -> Handler:
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


def _half(unit: str) -> Handler:
    def handle(m: re.Match[str]) -> Piece:
        amount = Decimal("1.5") if m.group(0).count("полтор") else Decimal("0.5")
        return Piece(m.start(), m.end(), "offset", unit=unit, amount=amount)

    return handle


def _clock(m: re.Match[str]) -> Piece | None:
    groups = m.groupdict()
    hour = int(groups["h"])
    minute = int(groups.get("m") or 0)
    ampm = (groups.get("ampm") or "").replace(".", "")
    meridiem = ampm or HOUR_SUFFIXES.get(groups.get("suffix") or "") or None
    if minute > 59 or hour > 23 or (ampm and not 1 <= hour <= 12):
        return None
    return Piece(m.start(), m.end(), "clock", hour=hour, minute=minute, meridiem=meridiem)


def _loose_clock(m: re.Match[str]) -> Piece | None:
    piece = _clock(m)
    return (
        None
        if piece is None
        else Piece(piece.start, piece.end, "loose_clock", hour=piece.hour, minute=piece.minute)
    )


def _weekend(m: re.Match[str]) -> Piece:
    which = m.group("which") or m.group("which_ru") or ""
    modifier = "next" if which.startswith(("next", "следующ")) else None
    return Piece(m.start(), m.end(), "weekday", weekday=5, modifier=modifier)


def _part(hour: int) -> Handler:
    def handle(m: re.Match[str]) -> Piece:
        today = m.group(0).startswith(("this", "tonight"))
        return Piece(
            m.start(), m.end(), "part", part_hour=hour, modifier="today" if today else None
        )

    return handle


_AT = r"(?:(?:at|around|about|by|from|till|until|до|к|в|во|на|около|с|после)\s+|@\s*)"
_RU_SUFFIX = r"(?:\s+(?P<suffix>утра|дня|вечера|ночи))?"
_AMPM = r"(?:\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)(?![\w]))"

_PATTERNS: tuple[tuple[str, Handler], ...] = (
    (rf"{_B}(?:the\s+)?day\s+after\s+tomorrow{_E}", _rel_day(2)),
    (rf"{_B}(?:the\s+)?day\s+before\s+yesterday{_E}", _rel_day(-2)),
    (rf"{_B}(?:tomorrow|tmrw|tmr|завтра){_E}", _rel_day(1)),
    (rf"{_B}(?:today|сегодня){_E}", _rel_day(0)),
    (rf"{_B}(?:yesterday|вчера){_E}", _rel_day(-1)),
    (rf"{_B}послезавтра{_E}", _rel_day(2)),
    (rf"{_B}позавчера{_E}", _rel_day(-2)),
    (
        rf"{_B}(?:(on|this|next|coming|this\s+coming|last|в|во|by|until|till|до|к)\s+)?"
        r"(?:(этот|эту|это|следующий|следующую|следующее|след\.?|ближайший|ближайшую"
        rf"|прошлый|прошлую|прошлое)\s+)?({WEEKDAY})\.?{_E}"
        r"(?:\s+(next\s+week|на\s+следующей\s+неделе))?",
        _weekday,
    ),
    (
        rf"{_B}(?:on\s+)?(?:the\s+)?(\d{{1,2}}){_ORD}?(?:-?(?:го|е|ое))?(?:\s+of)?\s+({MONTH})\.?{_E}"
        rf"(?:,?\s+{_YEAR}(?:\s*(?:года|г\.?))?)?",
        _day_month,
    ),
    (
        rf"{_B}(?:on\s+)?({MONTH})\.?\s+(?:the\s+)?(\d{{1,2}}){_ORD}?{_E}(?:,?\s+{_YEAR})?",
        _month_day,
    ),
    (rf"{_B}(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_E}", _iso),
    (
        r"(?<![\d.,/\w])(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/]|[.,]\d)"
        r"(?!\s*(?:k\b|m\b|%|млн|тыс|mln|million|thousand|км|km))",
        _numeric,
    ),
    (
        rf"{_B}(?:(?:on|by|to|till|until|before|for|from)\s+)?the\s+(\d{{1,2}}){_ORD}{_E}"
        r"(?!\s+(?:floor|viewing|visit|time|bedroom|bed|call|meeting|option|listing|one|line))",
        _dom,
    ),
    (rf"{_B}on\s+(\d{{1,2}}){_ORD}{_E}", _dom),
    (rf"{_B}(?:(?:к|до|на)\s+)?(\d{{1,2}})-?(?:го|е|ое|му)(?:\s+числа)?{_E}", _dom),
    (rf"{_B}(?:(?:к|до|на)\s+)?(\d{{1,2}})\s+числа{_E}", _dom),
    (
        rf"{_B}(?:(?:at|by|in|on|during|over|until|till)\s+)?(?:the\s+)?"
        r"(?:(?P<pos>beginning|start|early|middle|mid|end|late)(?:\s+of|-)?\s+(?:the\s+)?)?"
        rf"(?P<which>this|next|last|the\s+following|following)\s+(?P<unit>week|month){_E}",
        _period,
    ),
    (
        rf"{_B}(?:(?:at|by|in|on|towards|until|till)\s+)?(?:the\s+)?"
        rf"(?P<pos>beginning|start|middle|end)\s+of\s+(?:the\s+)?(?P<unit>week|month){_E}",
        _period,
    ),
    (rf"{_B}mid-?month{_E}", _mid_month),
    (rf"{_B}(?:the\s+)?week\s+after\s+next{_E}", _period_after_next),
    (rf"{_B}(?:на\s+)?(?P<which>этой|следующей|след\.?|прошлой)\s+(?P<unit>неделе){_E}", _period),
    (rf"{_B}(?:в\s+)?(?P<which>этом|следующем|прошлом)\s+(?P<unit>месяце){_E}", _period),
    (
        rf"{_B}(?:в\s+)?(?P<pos>начале|середине|конце)\s+"
        rf"(?:(?P<which>этой|следующей|прошлой|этого|следующего|прошлого)\s+)?(?P<unit>недели|месяца){_E}",
        _period,
    ),
    (
        rf"{_B}(?:(in|during|by|until|till|в|до|к)\s+)?"
        r"(?:(?:the\s+)?(beginning|start|early|middle|mid|end|late|начале|середине|конце)"
        rf"(?:\s+of|-)?\s+)?({MONTH}){_E}(?:\s+{_YEAR})?",
        _month,
    ),
    (
        rf"{_B}(?:in|within|after)\s+(?:about\s+|around\s+|approximately\s+)?"
        rf"(?P<n>{NUMBER}|half\s+an?|a\s+couple\s+of|a\s+few|couple\s+of|few)\s+"
        rf"(?P<unit>{UNIT_EN[1:-1]})(?:'s)?(?:\s+time)?{_E}",
        _offset(1),
    ),
    (
        rf"{_B}(?P<n>{NUMBER})\s+(?P<unit>{UNIT_EN[1:-1]})\s+(?:from\s+now|later){_E}",
        _offset(1),
    ),
    (rf"{_B}(?P<n>{NUMBER})\s+(?P<unit>{UNIT_EN[1:-1]})\s+ago{_E}", _offset(-1)),
    (
        rf"{_B}(?:через|спустя)\s+(?:(?P<n>{NUMBER}|пару|пара|несколько)\s+)?"
        rf"(?P<unit>{UNIT_RU[1:-1]}){_E}",
        _offset(1),
    ),
    (rf"{_B}(?P<n>{NUMBER})?\s*(?P<unit>{UNIT_RU[1:-1]})\s+назад{_E}", _offset(-1)),
    (rf"{_B}(?:через\s+)?(?:полчаса|полтора\s+часа){_E}", _half("hours")),
    (rf"{_B}через\s+(?:полгода|полтора\s+года){_E}", _half("years")),
    (rf"{_B}in\s+half\s+a\s+year{_E}", _half("years")),
    (
        rf"(?<![\w.,:/]){_AT}?(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?![\d]){_AMPM}?{_RU_SUFFIX}",
        _clock,
    ),
    (
        rf"(?<![\w.,:/])(?:at|around|about|by|в|во|к|около)\s+(?P<h>\d{{1,2}})\.(?P<m>\d{{2}})"
        rf"(?![\d]|\.\d){_AMPM}?{_RU_SUFFIX}",
        _clock,
    ),
    (rf"(?<![\w.,:/]){_AT}?(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?{_AMPM}", _clock),
    (
        rf"{_B}(?:at|around|about|by|till|until)\s+(?P<h>\d{{1,2}})(?:\s*o'?clock)?{_E}{NOT_TIME_AFTER}",
        _clock,
    ),
    (
        rf"{_B}(?:в|во|к|около|на|до|после)\s+(?P<h>\d{{1,2}})(?:\s*(?:часов|часа|час|ч\.?))?"
        rf"{_E}{_RU_SUFFIX}{NOT_TIME_AFTER}",
        _clock,
    ),
    (
        # "завтра 9.30": a dotted time only counts next to a day (see dates._groups).
        rf"(?<![\w.,:/])(?P<h>\d{{1,2}})\.(?P<m>[0-5][05])(?![\d]|[.,/]\d){NOT_TIME_AFTER}",
        _loose_clock,
    ),
    (
        rf"{_B}(?:(?P<which>this|next|the|on\s+the|at\s+the|over\s+the|on|at)\s+)?weekend{_E}"
        r"|(?:на|в)\s+(?:(?P<which_ru>этих|следующих|эти|следующие)\s+)?выходн[а-я]*",
        _weekend,
    ),
    (rf"{_B}tonight{_E}", _rel_day(0, 18)),
    *((rf"{_B}(?:{pattern}){_E}", _part(hour)) for pattern, hour in PARTS_OF_DAY),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], Handler], ...]:
    return tuple((re.compile(pattern), handler) for pattern, handler in _PATTERNS)


def find_pieces(lower: str) -> list[Piece]:
    """Non-overlapping pieces in order; where two overlap the longer one wins."""
    found: list[Piece] = []
    for pattern, handler in _compiled():
        for match in pattern.finditer(lower):
            piece = handler(match)
            if piece is not None and piece.end > piece.start:
                found.append(piece)
    found.sort(key=lambda p: (-(p.end - p.start), p.start))
    chosen: list[Piece] = []
    for piece in found:
        if all(piece.end <= c.start or piece.start >= c.end for c in chosen):
            chosen.append(piece)
    return sorted(chosen, key=lambda p: p.start)
