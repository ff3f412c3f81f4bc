"""When something the broker reports happened ("yesterday evening", "вчера", "on Saturday").

The date grammar (dates.py) reads the future: the day a follow-up or a viewing is due. A report
tells the past, so a weekday there is the last one, not the next, and "yesterday" is a day at
all. Only the plain forms are read; anything else leaves the time of the event unknown (None),
which callers treat as "now", never as a guess.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

_DAY_BEFORE = re.compile(r"\b(?:the day before yesterday|позавчера)\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\b(?:yesterday(?:'?s)?|yday|вчера(?:шн\w*)?)\b", re.IGNORECASE)
_TODAY = re.compile(r"\b(?:today|this morning|this afternoon|сегодня)\b", re.IGNORECASE)
_WEEKDAYS = (
    (r"mon(?:day)?|понедельник", 0),
    (r"tue(?:s|sday)?|вторник", 1),
    (r"wed(?:nesday)?|сред[уа]", 2),
    (r"thu(?:rs|rsday)?|четверг", 3),
    (r"fri(?:day)?|пятниц[уа]", 4),
    (r"sat(?:urday)?|суббот[уа]", 5),
    (r"sun(?:day)?|воскресенье", 6),
)
_ON_WEEKDAY = re.compile(
    r"\b(?:on|last|в|во|в прошл\w+)\s+(" + "|".join(p for p, _ in _WEEKDAYS) + r")\b", re.IGNORECASE
)
_PARTS = (
    (re.compile(r"\b(?:morning|утром|с утра)\b", re.IGNORECASE), time(10, 0)),
    (re.compile(r"\b(?:afternoon|днём|днем|после обеда)\b", re.IGNORECASE), time(14, 0)),
    (re.compile(r"\b(?:evening|tonight|вечером)\b", re.IGNORECASE), time(18, 0)),
)
_MIDDAY = time(12, 0)
# A clock time said with the day ("yesterday at 6pm", "вчера в 18:00", "в 6 вечера").
_CLOCK = re.compile(
    r"(?:\b(?:at|around|в|около)\s+|@\s*)?\b(\d{1,2})(?:[:.](\d{2}))?\s*"
    r"(am|pm|a\.m\.|p\.m\.|утра|дня|вечера|ночи)?(?!\s*(?:k|к|m|%|тыс|млн|\d))",
    re.IGNORECASE,
)


def happened_at(text: str, now: datetime) -> datetime | None:
    """The moment a reported event took place, on the broker's clock (`now` is aware), or
    None when the text does not say."""
    today = now.date()
    day = None
    said: re.Match[str] | None = None
    if said := _DAY_BEFORE.search(text):
        day = today - timedelta(days=2)
    elif said := _YESTERDAY.search(text):
        day = today - timedelta(days=1)
    elif said := _TODAY.search(text):
        day = today
    elif said := _ON_WEEKDAY.search(text):
        word = said.group(1).lower()
        weekday = next(n for pattern, n in _WEEKDAYS if re.fullmatch(pattern, word))
        day = today - timedelta(days=(today.weekday() - weekday) % 7)
    if day is None or said is None:
        return None
    # the clock said with the day, not one of a plan later in the sentence ("…, call him
    # tomorrow at 10")
    near = text[max(0, said.start() - _NEAR) : said.end() + _NEAR]
    part = _clock(near) or next((at for pattern, at in _PARTS if pattern.search(text)), None)
    if day == today and part is None:
        return now
    moment = datetime.combine(day, part or _MIDDAY, tzinfo=now.tzinfo)
    return min(moment, now)


_NEAR = 16  # characters around the day word where its clock time is said
_ABOUT_HOUR = re.compile(r"\bчас(?:а|ов|ика)\s+$", re.IGNORECASE)
_HOUR_ENDS = re.compile(r"\s*(?:$|[,.;!?)\-—–]|(?:часов|часа|час|h|o'clock)\b)", re.IGNORECASE)


def _clock(text: str) -> time | None:
    """The time of day said as a clock: with minutes ("18:30"), or an hour after "at"/"в"
    or with am/pm ("at 6pm", "в 6 вечера"); a bare number is no time."""
    for match in _CLOCK.finditer(text):
        hour, minute, meridiem = int(match.group(1)), match.group(2), match.group(3)
        cued = match.group(0).lower().startswith(("at", "around", "в", "около", "@"))
        if minute is not None and "." in match.group(0) and not (cued or meridiem):
            continue  # "(12.03)" is a date, not 12:03
        if minute is None and meridiem is None:
            after = text[match.end() :]
            approx = _ABOUT_HOUR.search(text, 0, match.start())  # "часа в 4": about 4
            if not cued or not (_HOUR_ENDS.match(after) or approx):
                continue  # "в 2 квартирах", "at 3 listings": a count, not an hour
        mark = (meridiem or "").lower().replace(".", "")
        if mark in ("pm", "дня", "вечера") and hour < 12:
            hour += 12
        elif mark in ("am", "ночи", "утра") and hour == 12:
            hour = 0
        elif not mark and 1 <= hour <= 7:
            hour += 12  # "at 6" of a showing is in the evening, not at dawn
        if hour < 24 and int(minute or 0) < 60:
            return time(hour, int(minute or 0))
    return None
