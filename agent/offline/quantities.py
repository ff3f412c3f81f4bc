"""Bedrooms, timelines, percentages and counts in brokers' English and Russian.

Bedrooms follow the Cyprus convention: brokers there count bedrooms, so a Russian "N-комнатная"
(N rooms, the living room included) has N-1 bedrooms: "трёшка"/"трёхкомнатная" = 2 bedrooms,
"двушка" = 1, "однушка"/"студия" = 0. A timeline is months until the purchase: a range gives
its upper end ("within 3-6 months" → 6), "next year" 12, "ASAP"/"срочно" 1; "not before a
year" gives 12 with qualifier "min" so a caller can treat it as longer than a year.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from agent.offline.normalise import normalise
from agent.offline.numbers import NUMBER, NUMBER_WORDS, to_number


@dataclass(frozen=True)
class Quantity:
    """A number found in text, where it was written, and whether it is a bound."""

    value: Decimal
    span: tuple[int, int]
    text: str
    qualifier: str | None = None  # "min" (at least), "max" (at most) or None (exactly)


_B = r"(?<![\w])"
_E = r"(?![\w])"
# Not from the third space of a run on (the space before finds the same number): a long run of
# spaces is tried from its start only, so it stays linear (issue #10).
_RUN = r"(?!(?<=\s\s)\s)"
_MIN = rf"{_RUN}(?P<min>at\s+least|min(?:imum)?|не\s+менее|не\s+меньше|минимум|от|хотя\s+бы)?\s*"
_MIN_AFTER = r"(?P<min_after>\s*\+|\s+or\s+more|\s+и\s+более|\s+или\s+больше)?"
# Russian "сколько-комнатная" prefixes, by number of rooms.
_ROOM_PREFIXES = {"одно": 1, "двух": 2, "трех": 3, "четырех": 4, "пяти": 5, "шести": 6}
_INSTRUMENTAL = {"одной": 1, "двумя": 2, "тремя": 3, "четырьмя": 4, "пятью": 5, "шестью": 6}
_ROOMS_SLANG = {"однушк": 1, "двушк": 2, "трешк": 3, "четырешк": 4}

Finder = Callable[[re.Match[str]], tuple[Decimal, str | None] | None]


def _qualifier(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    return "min" if groups.get("min") or groups.get("min_after") else None


def _bedrooms(m: re.Match[str]) -> tuple[Decimal, str | None] | None:
    value = to_number(m.group("n"))
    if value is None or value != int(value) or not 0 < value <= 12:
        return None
    return value, _qualifier(m)


def _rooms(rooms: int) -> Finder:
    return lambda m: (Decimal(max(rooms - 1, 0)), _qualifier(m))


def _numbered_rooms(m: re.Match[str]) -> tuple[Decimal, str | None] | None:
    value = to_number(m.group("n"))
    if value is None or not 1 <= value <= 8:
        return None
    return Decimal(max(int(value) - 1, 0)), _qualifier(m)


_BEDROOM_WORDS = r"(?:bed(?:room)?s?|br|bdr?m?s?|bd)"
_BEDROOM_PATTERNS: list[tuple[str, Finder]] = [
    (rf"{_B}{_MIN}(?P<n>{NUMBER})\s*-?\s*{_BEDROOM_WORDS}{_E}{_MIN_AFTER}", _bedrooms),
    (rf"{_B}{_MIN}(?P<n>{NUMBER})(?P<min_after>\+)\s*{_BEDROOM_WORDS}{_E}", _bedrooms),
    (rf"{_B}bedrooms?\s*[:=]\s*(?P<n>\d{{1,2}}){_E}{_MIN_AFTER}", _bedrooms),
    (rf"{_B}{_MIN}(?P<n>{NUMBER})\s*-?\s*(?:х\s*)?спал(?:ьн[а-я]*|ен){_E}{_MIN_AFTER}", _bedrooms),
    (rf"{_B}studio{_E}|{_B}студи[яюией]{_E}", lambda m: (Decimal(0), None)),
    *(
        (rf"{_B}{_MIN}{prefix}\s*-?\s*спальн[а-я]*{_E}", lambda m, n=n: (Decimal(n), _qualifier(m)))
        for prefix, n in _ROOM_PREFIXES.items()
    ),
    *(
        (rf"{_B}(?:с\s+)?{word}\s+спальн[а-я]*{_E}", lambda m, n=n: (Decimal(n), None))
        for word, n in _INSTRUMENTAL.items()
    ),
    *(
        (rf"{_B}{_MIN}{prefix}\s*-?\s*комнатн[а-я]*{_E}", _rooms(n))
        for prefix, n in _ROOM_PREFIXES.items()
    ),
    (rf"{_B}{_MIN}(?P<n>\d)\s*-?\s*(?:х\s*)?комнатн[а-я]*{_E}", _numbered_rooms),
    (rf"{_B}{_MIN}(?P<n>\d)\s+комнат[аыу]?{_E}{_MIN_AFTER}", _numbered_rooms),
    (rf"{_B}(?P<n>\d)\s*-?\s*к(?:\.|{_E})(?=\s*(?:квартир|кв{_E}))", _numbered_rooms),
    *((rf"{_B}{stem}[а-я]*{_E}", _rooms(n)) for stem, n in _ROOMS_SLANG.items()),
]

_MONTHS = r"(?:months?|mos?|мес\.?|месяц[а-я]*)"
_YEARS = r"(?:years?|yrs?|год[а-я]*|лет)"


def _timeline(m: re.Match[str]) -> tuple[Decimal, str | None] | None:
    groups = m.groupdict()
    amount = to_number(groups["n"]) if groups.get("n") else Decimal(1)
    if groups.get("n2"):
        amount = to_number(groups["n2"])
    if amount is None:
        return None
    factor = 12 if re.fullmatch(_YEARS, groups["unit"]) else 1
    qualifier = None
    if groups.get("min"):
        qualifier = "min"
    elif groups.get("max") or groups.get("n2"):
        qualifier = "max"
    return Decimal(math.ceil(amount * factor)), qualifier


_TIMELINE_BEFORE = (
    rf"{_RUN}(?:(?P<min>not\s+before|no\s+earlier\s+than|не\s+раньше(?:,?\s+чем)?(?:\s+через)?"
    r"|не\s+ранее(?:,?\s+чем)?(?:\s+через)?|more\s+than|over|больше|более)"
    r"|(?P<max>within|in\s+the\s+next|over\s+the\s+next|в\s+течение|в\s+ближайшие|за|up\s+to"
    r"|no\s+later\s+than|не\s+позже|не\s+позднее|до)"
    r"|in|через)?\s*"
)
_TIMELINE_PATTERNS: list[tuple[str, Finder]] = [
    (
        rf"{_B}{_TIMELINE_BEFORE}(?P<n>{NUMBER})\s*(?:-|to|до|или|or)\s*(?P<n2>{NUMBER})\s*"
        rf"(?P<unit>{_MONTHS}|{_YEARS}){_E}",
        _timeline,
    ),
    (
        rf"{_B}{_TIMELINE_BEFORE}(?:(?P<n>{NUMBER})\s*)?(?P<unit>{_MONTHS}|{_YEARS}){_E}"
        r"(?!\s+(?:ago|назад))",
        _timeline,
    ),
    (
        rf"{_B}{_TIMELINE_BEFORE}(?:пол\s*года|полгода|half\s+a\s+year){_E}",
        lambda m: (Decimal(6), _qualifier_of(m)),
    ),
    (rf"{_B}{_TIMELINE_BEFORE}полтора\s+года{_E}", lambda m: (Decimal(18), _qualifier_of(m))),
    # "года через полтора", "месяцев через 6": about that long (the Russian word order)
    (rf"{_B}(?P<unit>{_MONTHS}|{_YEARS})\s+через\s+(?P<n>{NUMBER}){_E}", _timeline),
    (
        rf"{_B}(?:через\s+)?год(?:\s*-\s*|\s+или\s+)два{_E}|{_B}(?:in\s+)?a\s+year\s+or\s+two{_E}",
        lambda m: (Decimal(24), "max"),
    ),
    (
        rf"{_B}{_TIMELINE_BEFORE}(?:next\s+year|в\s+следующем\s+году|на\s+следующий\s+год){_E}",
        lambda m: (Decimal(12), _qualifier_of(m)),
    ),
    (
        rf"{_B}(?:asap|as\s+soon\s+as\s+possible|urgent(?:ly)?|immediately|right\s+away|срочно"
        rf"|как\s+можно\s+(?:скорее|быстрее)|немедленно|прямо\s+сейчас){_E}",
        lambda m: (Decimal(1), "max"),
    ),
]


def _qualifier_of(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    return "min" if groups.get("min") else "max" if groups.get("max") else None


def _percent(m: re.Match[str]) -> tuple[Decimal, str | None] | None:
    value = to_number(m.group("n"))
    return None if value is None else (value, None)


_PERCENT_PATTERNS: list[tuple[str, Finder]] = [
    (rf"{_B}(?P<n>{NUMBER})\s*(?:%|percent{_E}|per\s+cent{_E}|процент[а-я]*|проц\.?)", _percent),
]

_COUNT_NUM = rf"\d{{1,2}}|{NUMBER_WORDS}"
_COUNT_NOUNS = (
    r"(?:more\s+)?(?:options?|listings?|propert(?:y|ies)|matches|results?|variants?|units?|villas?"
    r"|apartments?|flats?|houses?|homes?|penthouses?|townhouses?|вариант[а-я]*|объект[а-я]*"
    r"|квартир[а-я]*|вилл[а-я]*|дом(?:а|ов)?|предложени[а-я]*|пентхаус[а-я]*)"
)


def _count(m: re.Match[str]) -> tuple[Decimal, str | None] | None:
    value = to_number(m.group("n"))
    if value is None or value != int(value) or not 1 <= value <= 50:
        return None
    if not m.group("n").isdigit() and value < 2:
        return None  # "a villa" is not a count
    return value, None


_COUNT_PATTERNS: list[tuple[str, Finder]] = [
    (rf"{_B}(?:top|топ)\s*-?\s*(?P<n>{_COUNT_NUM}){_E}", _count),
    (rf"{_B}(?:first|первые|первых)\s+(?P<n>{_COUNT_NUM}){_E}", _count),
    (rf"{_B}(?P<n>{_COUNT_NUM})\s+(?:best|лучших|лучшие){_E}", _count),
    (
        rf"{_B}(?P<n>{_COUNT_NUM})\s+(?:new\s+|other\s+|good\s+|новых\s+|"
        rf"других\s+)?{_COUNT_NOUNS}{_E}",
        _count,
    ),
    (
        rf"{_B}(?:show|send|give|list|find|покажи|пришли|дай|найди|подбери)(?:\s+me|\s+мне)?\s+"
        rf"(?P<n>{_COUNT_NUM}){_E}(?!\s*(?:-|bed|br|спал|комнат|k\b|к\b|%|m\b|млн|тыс))",
        _count,
    ),
]


def _compiled(patterns: list[tuple[str, Finder]]) -> list[tuple[re.Pattern[str], Finder]]:
    return [(re.compile(pattern), finder) for pattern, finder in patterns]


_COMPILED = {
    "bedrooms": _compiled(_BEDROOM_PATTERNS),
    "timeline": _compiled(_TIMELINE_PATTERNS),
    "percent": _compiled(_PERCENT_PATTERNS),
    "count": _compiled(_COUNT_PATTERNS),
}


def _first(text: str, kind: str) -> Quantity | None:
    """The earliest (then longest) match of the kind's patterns."""
    norm = normalise(text)
    best: tuple[int, int, Decimal, str | None] | None = None
    for pattern, finder in _COMPILED[kind]:
        for m in pattern.finditer(norm.lower):
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            found = finder(m)
            if found is None:
                continue
            if best is None or (start, -m.end()) < (best[0], -best[1]):
                best = (start, m.end(), found[0], found[1])
            break
    if best is None:
        return None
    a, b = norm.to_original(best[0], best[1])
    return Quantity(best[2], (a, b), text[a:b], best[3])


def match_bedrooms(text: str) -> Quantity | None:
    """Bedrooms asked for or offered ("3-bed", "three-bedroom", "3 спальни", "трёшка" → 2)."""
    return _first(text, "bedrooms")


def find_bedrooms(text: str) -> int | None:
    found = match_bedrooms(text)
    return None if found is None else int(found.value)


def match_timeline_months(text: str) -> Quantity | None:
    """Months until a buyer means to buy ("within 3-6 months" → 6, "через полгода" → 6)."""
    return _first(text, "timeline")


def find_timeline_months(text: str) -> int | None:
    found = match_timeline_months(text)
    return None if found is None else int(found.value)


def match_percent(text: str) -> Quantity | None:
    """A percentage ("3%", "2,5 %", "5 процентов")."""
    return _first(text, "percent")


def find_percent(text: str) -> Decimal | None:
    found = match_percent(text)
    return None if found is None else found.value


def match_count(text: str) -> Quantity | None:
    """How many results are asked for ("top 5", "5 вариантов", "show me 3")."""
    return _first(text, "count")


def find_count(text: str) -> int | None:
    found = match_count(text)
    return None if found is None else int(found.value)
