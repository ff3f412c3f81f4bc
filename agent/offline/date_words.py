"""Weekdays, months and parts of the day as brokers write them in English and Russian."""

from __future__ import annotations

import re

# A date said without a time is due at this hour (working hours are 09:00-19:00).
DEFAULT_HOUR = 10
# Monday = 0, as datetime.weekday() counts.
WEEKDAYS_EN = (
    r"monday|mon",
    r"tuesday|tues|tue",
    r"wednesday|weds|wed",
    r"thursday|thurs|thur|thu",
    r"friday|fri",
    r"saturday|sat",
    r"sunday|sun",
)
# (with the adjectives: "пятничный звонок", "субботний показ" name the day too)
WEEKDAYS_RU = (
    r"понедельник[а-я]*|понедельничн[а-я]*|понед|пн",
    r"вторник[а-я]*|вторничн[а-я]*|вторн|вт",
    r"сред[аеуы]|средой|ср",
    r"четверг[а-я]*|четвергов[а-я]*|четв|чтв|чт",
    r"пятниц[а-я]*|пятничн[а-я]*|пятн|птн|пт",
    r"суббот[а-я]*|субботн[а-я]*|субб|суб|сб",
    r"воскресень[а-я]*|воскресн[а-я]*|воскр|вс",
)
# Abbreviations that are common words too ("sun", "sat", "wed", "mon", "ср", "вс"): only
# accepted after a cue. The others ("fri", "thu", "пятн") name the day wherever they stand
# ("email him fri").
_ABBREVIATIONS = frozenset({"mon", "wed", "sat", "sun", "пн", "вт", "ср", "чт", "пт", "сб", "вс"})

MONTHS_EN = (
    r"january|jan",
    r"february|feb",
    r"march|mar",
    r"april|apr",
    r"may",
    r"june|jun",
    r"july|jul",
    r"august|aug",
    r"september|sept|sep",
    r"october|oct",
    r"november|nov",
    r"december|dec",
)
MONTHS_RU = (
    r"январ[а-я]*",
    r"феврал[а-я]*",
    r"март[а-я]*",
    r"апрел[а-я]*",
    r"ма[йяюе]|маем",
    r"июн[а-я]*",
    r"июл[а-я]*",
    r"август[а-я]*",
    r"сентябр[а-я]*",
    r"октябр[а-я]*",
    r"ноябр[а-я]*",
    r"декабр[а-я]*",
)


def _alternation(groups: tuple[str, ...]) -> str:
    forms = [form for group in groups for form in group.split("|")]
    return "|".join(sorted(forms, key=len, reverse=True))


WEEKDAY = _alternation(WEEKDAYS_EN + WEEKDAYS_RU)
MONTH = _alternation(MONTHS_EN + MONTHS_RU)
_WEEKDAY_INDEX = [
    (re.compile(rf"^(?:{en}|{ru})$"), index)
    for index, (en, ru) in enumerate(zip(WEEKDAYS_EN, WEEKDAYS_RU, strict=True))
]
_MONTH_INDEX = [
    (re.compile(rf"^(?:{en}|{ru})$"), index + 1)
    for index, (en, ru) in enumerate(zip(MONTHS_EN, MONTHS_RU, strict=True))
]


def weekday_number(word: str) -> int | None:
    """0 for Monday … 6 for Sunday, from any listed form ("пятницу", "Fri")."""
    return next((i for pattern, i in _WEEKDAY_INDEX if pattern.match(word.lower())), None)


def month_number(word: str) -> int | None:
    """1 … 12 from any listed form ("марта", "Sept")."""
    return next((i for pattern, i in _MONTH_INDEX if pattern.match(word.lower())), None)


def is_abbreviation(word: str) -> bool:
    """A weekday's short form that is also a common word (needs a cue to be a day)."""
    return word.lower().rstrip(".") in _ABBREVIATIONS


# A part of the day said on its own and the hour a broker means (working hours 09:00-19:00).
PARTS_OF_DAY: tuple[tuple[str, int], ...] = (
    (r"first thing(?: in the morning)?|с самого утра", 9),
    (r"(?:in the |this )?morning|утром|с утра", 10),
    (r"(?:at )?(?:noon|midday)|в полдень", 12),
    (r"(?:at |around |by )?lunch(?:time)?|в обед", 13),
    (r"(?:in the |this )?afternoon|after lunch|днем|после обеда", 15),
    (r"(?:by |at )?(?:the )?end of (?:the )?(?:working )?day|eod|в конце (?:рабочего )?дня", 18),
    (r"(?:in the |this )?evening|tonight|вечером", 18),
    (r"at night|ночью", 21),
)
# Words right after an hour that say which half of the day it is ("в 8 вечера", "в 2 ночи").
HOUR_SUFFIXES: dict[str, str] = {"утра": "am", "дня": "pm", "вечера": "pm", "ночи": "night"}
# Parts of the day that put a bare hour after noon ("tomorrow evening at 7" is 19:00).
PM_PARTS = frozenset({15, 18, 21})
# Until when a part of the day lasts: "tonight" said at 20:00 is still tonight.
PART_ENDS: dict[int, int] = {9: 11, 10: 12, 12: 14, 13: 15, 15: 18, 18: 23, 21: 24}


# What a number before is counting when it is not a clock hour or a day of the month.
NOT_TIME_AFTER = (
    r"(?!\s*(?:[.,:/]\d|%|[€$]|k\b|m\b|к\b|млн|тыс|mln|mio|million|thousand|eur|euro|евро"
    r"|bed|br\b|bath|room|sq|m2|м2|км|km|метр|min|hour|hr|day|week|month|year|floor|percent"
    r"|people|option|listing|propert|unit|villa|apart|flat|house|plot|спал|комнат|этаж|минут"
    r"|час|дн|ден|недел|месяц|мес|год|лет|процент|вариант(?!ы)|объект(?!ы)|раз|квартир|вилл|дом|шт|м\b))"
)
UNIT_EN = r"(minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?)"
UNIT_RU = (
    r"(минут[уы]?|мин\.?|часа|часов|час|дня|дней|день|сутки|суток|недел[июь]|недель"
    r"|месяца|месяцев|месяц|мес\.?|года|год|лет)"
)
_UNIT_PREFIXES = {
    prefix: unit
    for unit, prefixes in {
        "minutes": "min мин",
        "hours": "h hr hour час",
        "days": "d day дн ден сут",
        "weeks": "w wk week нед",
        "months": "mo month мес",
        "years": "y yr year год лет",
    }.items()
    for prefix in prefixes.split()
}
# "end of the month", "в начале недели": where in the period.
POSITIONS = {
    word: position
    for position, words in {
        "start": "beginning start early начале",
        "middle": "middle mid середине",
        "end": "end late конце",
    }.items()
    for word in words.split()
}


def unit_name(word: str) -> str:
    word = word.rstrip(".")
    for prefix in sorted(_UNIT_PREFIXES, key=len, reverse=True):
        if word.startswith(prefix):
            return _UNIT_PREFIXES[prefix]
    raise ValueError(word)  # pragma: no cover - patterns only admit listed units


def shift_of(word: str | None) -> int:
    """this → 0, next/following → 1, last → -1."""
    if not word:
        return 0
    if word.startswith(("next", "след", "the following", "following")):
        return 1
    if word.startswith(("last", "прошл")):
        return -1
    return 0
