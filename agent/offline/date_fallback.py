"""dateparser for the long tail of date phrases the own grammar does not know ("a fortnight")."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

from agent.offline.date_words import DEFAULT_HOUR, MONTH

# Only text with one of these is worth dateparser's time (and its false alarms on "may", "sat").
_CUE = re.compile(rf"fortnight|from now|\bago\b|after next|\b(?:{MONTH})\b")
_STRONG = re.compile(r"\d|fortnight|from now|ago|after next")
_HAS_TIME = re.compile(r"\d:\d\d|\b[ap]\.?m\b|hour|minute|час|минут")


def _local(value: datetime, now: datetime) -> datetime:
    # Through UTC and back, so a wall time inside a DST gap lands on a real instant.
    return value.replace(tzinfo=now.tzinfo).astimezone(UTC).astimezone(now.tzinfo)


_SETTINGS = {"RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False}


def dateparser_fallback(
    text: str, now: datetime, future: bool
) -> tuple[datetime, bool, int, int] | None:
    """dateparser for the long tail ("in a fortnight", "3 weeks from now", "1st of May")."""
    if not _CUE.search(text.lower()):
        return None
    from dateparser.search import search_dates

    settings = {
        **_SETTINGS,
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future" if future else "past",
    }
    found = search_dates(text, languages=["en", "ru"], settings=settings)  # type: ignore[arg-type]
    for fragment, value in found or []:
        if not _STRONG.search(fragment.lower()):
            continue  # a lone "May" or "sat" is more often a word than a date
        start = text.find(fragment)
        has_time = bool(_HAS_TIME.search(fragment))
        if not has_time:
            value = datetime.combine(value.date(), time(DEFAULT_HOUR))
        at = _local(value, now)
        if future and at <= now:
            continue
        return at, has_time, start, start + len(fragment)
    return None
