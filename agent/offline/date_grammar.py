"""Where in a message the pieces of date/time expressions are (day, time, part of day, offset)."""

from __future__ import annotations

import re
from functools import lru_cache

from agent.offline.date_pieces import (
    HALF_HOURS,
    Handler,
    Piece,
    clock_piece,
    day_month_piece,
    dom_piece,
    half_hour_piece,
    half_past_piece,
    half_piece,
    iso_piece,
    loose_clock_piece,
    mid_month_piece,
    month_day_piece,
    month_piece,
    numeric_piece,
    offset_piece,
    part_piece,
    period_after_next_piece,
    period_piece,
    rel_day_piece,
    weekday_dom_piece,
    weekday_piece,
    weekend_piece,
    year_piece,
)
from agent.offline.date_words import (
    MONTH,
    NOT_TIME_AFTER,
    PARTS_OF_DAY,
    UNIT_EN,
    UNIT_RU,
    WEEKDAY,
)
from agent.offline.numbers import NUMBER

_B = r"(?<![\w@])"  # a word starts here (Cyrillic-aware, unlike a bare \b before punctuation)
_E = r"(?![\w])"
_HALF_HOURS = "|".join(sorted(HALF_HOURS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(\d{4})(?!\d)"

_AT = r"(?:(?:at|around|about|by|from|till|until|до|к|в|во|на|около|с|после)\s+|@\s*)"
_RU_SUFFIX = r"(?:\s+(?P<suffix>утра|дня|вечера|ночи))?"
_AMPM = r"(?:\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)(?![\w]))"

_PATTERNS: tuple[tuple[str, Handler], ...] = (
    (rf"{_B}(?:the\s+)?day\s+after\s+tomorrow{_E}", rel_day_piece(2)),
    (rf"{_B}(?:the\s+)?day\s+before\s+yesterday{_E}", rel_day_piece(-2)),
    (rf"{_B}(?:tomorrow|tmrw|tmr|завтра|завтрашн[а-я]*){_E}", rel_day_piece(1)),
    (rf"{_B}(?:today|сегодня|сегодняшн[а-я]*){_E}", rel_day_piece(0)),
    (rf"{_B}(?:yesterday|вчера){_E}", rel_day_piece(-1)),
    (rf"{_B}послезавтра{_E}", rel_day_piece(2)),
    (rf"{_B}позавчера{_E}", rel_day_piece(-2)),
    (
        rf"{_B}(?:(on|this|next|coming|this\s+coming|last|в|во|by|until|till|до|к)\s+)?"
        r"(?:(этот|эту|это|следующий|следующую|следующее|след\.?|ближайший|ближайшую"
        rf"|прошлый|прошлую|прошлое)\s+)?({WEEKDAY})\.?{_E}"
        r"(?:\s+(next\s+week|на\s+следующей\s+неделе))?",
        weekday_piece,
    ),
    (
        rf"{_B}(?:on\s+)?(?:the\s+)?(\d{{1,2}}|\d{{5,}}|[04-9]\d\d){_ORD}?(?:-?(?:го|е|"
        rf"ое))?(?:\s+of)?\s+({MONTH})\.?{_E}"
        rf"(?:,?\s+{_YEAR}(?:\s*(?:года|г\.?))?)?",
        day_month_piece,
    ),
    (
        rf"{_B}(?:on\s+)?({MONTH})\.?\s+(?:the\s+)?(\d{{1,2}}|\d{{5,}}|\d{{3}}){_ORD}?{_E}"
        rf"(?:,?\s+{_YEAR})?",
        month_day_piece,
    ),
    (rf"{_B}(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_E}", iso_piece),
    (
        r"(?<![\d.,/\w])(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/]|[.,]\d)"
        r"(?!\s*(?:k\b|m\b|%|млн|тыс|mln|million|thousand|км|km))",
        numeric_piece,
    ),
    (
        rf"{_B}(?:(?:on|by|to|till|until|before|for|from)\s+)?the\s+(\d{{1,2}}){_ORD}{_E}"
        r"(?!\s+(?:floor|viewing|visit|time|bedroom|bed|call|meeting|option|listing|one|line))",
        dom_piece,
    ),
    (rf"{_B}on\s+(\d{{1,2}}){_ORD}{_E}", dom_piece),
    # "wed 18th", "thursday 19th": the day of the month decides (as in "Tuesday, March 17")
    (rf"{_B}(?:{WEEKDAY})\.?,?\s+(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}{_E}", weekday_dom_piece),
    (rf"{_B}(?:(?:к|до|на)\s+)?(\d{{1,2}})-?(?:го|е|ое|му)(?:\s+числа)?{_E}", dom_piece),
    (rf"{_B}(?:(?:к|до|на)\s+)?(\d{{1,2}})\s+числа{_E}", dom_piece),
    (
        rf"{_B}(?:(?:at|by|in|on|during|over|until|till)\s+)?(?:the\s+)?"
        r"(?:(?P<pos>beginning|start|early|middle|mid|end|late)(?:\s+of|-)?\s+(?:the\s+)?)?"
        rf"(?P<which>this|next|last|the\s+following|following)\s+(?P<unit>week|month){_E}",
        period_piece,
    ),
    (
        rf"{_B}(?:(?:at|by|in|on|towards|until|till)\s+)?(?:the\s+)?"
        rf"(?P<pos>beginning|start|middle|end)\s+of\s+(?:the\s+)?(?P<unit>week|month){_E}",
        period_piece,
    ),
    (rf"{_B}mid-?month{_E}", mid_month_piece),
    (rf"{_B}(?:the\s+)?week\s+after\s+next{_E}", period_after_next_piece),
    (
        rf"{_B}(?:на\s+)?(?P<which>этой|следующей|след\.?|прошлой)\s+(?P<unit>неделе){_E}",
        period_piece,
    ),
    (rf"{_B}(?:в\s+)?(?P<which>этом|следующем|прошлом)\s+(?P<unit>месяце){_E}", period_piece),
    (
        rf"{_B}(?:в\s+)?(?P<pos>начале|середине|конце)\s+"
        rf"(?:(?P<which>этой|следующей|прошлой|этого|следующего|прошлого)\s+)?(?P<unit>недели|"
        rf"месяца){_E}",
        period_piece,
    ),
    (
        rf"{_B}(?:(in|during|by|until|till|в|до|к)\s+)?"
        r"(?:(?:the\s+)?(beginning|start|early|middle|mid|end|late|начале|середине|конце)"
        rf"(?:\s+of|-)?\s+)?({MONTH}){_E}(?:\s+{_YEAR})?",
        month_piece,
    ),
    (
        rf"{_B}(?:in|within|after)\s+(?:about\s+|around\s+|approximately\s+)?"
        rf"(?P<n>{NUMBER}|half\s+an?|a\s+couple\s+of|a\s+few|couple\s+of|few)\s+"
        rf"(?P<unit>{UNIT_EN[1:-1]})(?:'s)?(?:\s+time)?{_E}",
        offset_piece(1),
    ),
    (
        rf"{_B}(?P<n>{NUMBER})\s+(?P<unit>{UNIT_EN[1:-1]})\s+(?:from\s+now|later){_E}",
        offset_piece(1),
    ),
    (rf"{_B}(?P<n>{NUMBER})\s+(?P<unit>{UNIT_EN[1:-1]})\s+ago{_E}", offset_piece(-1)),
    (
        rf"{_B}(?:через|спустя)\s+(?:(?P<n>{NUMBER}|пару|пара|несколько)\s+)?"
        rf"(?P<unit>{UNIT_RU[1:-1]}){_E}",
        offset_piece(1),
    ),
    # (not from inside a run of spaces: the space before finds the same; linear, issue #10)
    (
        rf"{_B}(?!(?<=\s\s)\s)(?P<n>{NUMBER})?\s*(?P<unit>{UNIT_RU[1:-1]})\s+назад{_E}",
        offset_piece(-1),
    ),
    (rf"{_B}(?:через\s+)?(?:полчаса|полтора\s+часа){_E}", half_piece("hours")),
    # "в полдесятого": half past nine (half of the tenth hour)
    (rf"{_B}(?:в\s+)?пол(?:-|\s)?(?P<ord>{_HALF_HOURS}){_E}", half_hour_piece),
    # "fri at half 3", "half past ten"
    (rf"{_B}(?:at\s+)?half\s+(?:past\s+)?(?P<h>\d{{1,2}}){_E}", half_past_piece),
    (rf"{_B}через\s+(?:полгода|полтора\s+года){_E}", half_piece("years")),
    (rf"{_B}in\s+half\s+a\s+year{_E}", half_piece("years")),
    (
        rf"(?<![\w.,:/]){_AT}?(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?![\d]){_AMPM}?{_RU_SUFFIX}",
        clock_piece,
    ),
    # "часа в 4", "часов в 11 утра": about that hour
    (
        rf"{_B}час(?:а|ов|ика)\s+в\s+(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?{_E}{_RU_SUFFIX}",
        clock_piece,
    ),
    (
        rf"(?<![\w.,:/])(?:at|around|about|by|в|во|к|около)\s+(?P<h>\d{{1,2}})\.(?P<m>\d{{2}})"
        rf"(?![\d]|\.\d){_AMPM}?{_RU_SUFFIX}",
        clock_piece,
    ),
    (rf"(?<![\w.,:/]){_AT}?(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?{_AMPM}", clock_piece),
    (
        rf"{_B}(?:at|around|about|by|till|"
        rf"until)\s+(?P<h>\d{{1,2}})(?:\s*o'?clock)?{_E}{NOT_TIME_AFTER}",
        clock_piece,
    ),
    (
        rf"{_B}(?:в|во|к|около|на|до|после)\s+(?P<h>\d{{1,2}})(?:\s*(?:часов|часа|час|ч\.?))?"
        rf"{_E}{_RU_SUFFIX}{NOT_TIME_AFTER}",
        clock_piece,
    ),
    (
        # "завтра 9.30": a dotted time only counts next to a day (see dates._groups).
        rf"(?<![\w.,:/])(?P<h>\d{{1,2}})\.(?P<m>[0-5][05])(?![\d]|[.,/]\d){NOT_TIME_AFTER}",
        loose_clock_piece,
    ),
    (
        rf"{_B}(?:(?P<which>this|next|the|on\s+the|at\s+the|over\s+the|on|at)\s+)?weekend{_E}"
        r"|(?:на|в)\s+(?:(?P<which_ru>этих|следующих|эти|следующие)\s+)?выходн[а-я]*",
        weekend_piece,
    ),
    (  # "в 2045 году", "in 2027" (not "в 2000 м2": an area)
        rf"{_B}(?<![.!?;]\s)(?:в|in)\s+(?P<y>20[2-9]\d|21\d\d)(?:\s+(?:году|г\.?|year))?{_E}"
        r"(?!\s*(?:m2|м2|m²|м²|sq|кв|€|k\b|к\b|тыс|евро|eur|метр|m\b|м\b|%))",
        year_piece,
    ),
    (rf"{_B}tonight{_E}", rel_day_piece(0, 18)),
    *((rf"{_B}(?:{pattern}){_E}", part_piece(hour)) for pattern, hour in PARTS_OF_DAY),
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
