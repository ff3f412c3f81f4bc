"""How an expected value of a task compares with what the store or the model produced."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

# Date, then optionally hour, minute, second, fraction, offset: each given part sets the precision.
_MOMENT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_CURRENCY = re.compile(r"€|\$|\beur\b|\beuro?s?\b", re.IGNORECASE)


class Either(tuple[Any, ...]):
    """One value known under several spellings: a reference's id and its readable name."""

    def shown(self) -> Any:
        """The readable spelling with the id beside it, as a person would want to read it."""
        first, *rest = self
        names = [str(v) for v in rest if v not in (None, first)]
        return f"{names[0]} ({first})" if names and first is not None else first


@dataclass(frozen=True)
class Moment:
    """A written date-time and how much of it was written (3 = the date, 5 = to the minute)."""

    value: datetime  # naive unless the text carried an offset
    precision: int

    @property
    def aware(self) -> bool:
        return self.value.tzinfo is not None


def parse_moment(text: str) -> Moment | None:
    """ "2026-03-17T11:00" → a minute-precise moment; None when the text is not a date-time."""
    match = _MOMENT.match(text.strip())
    if match is None:
        return None
    groups = match.groups()
    given = [int(g) for g in groups[:6] if g is not None]
    fraction = groups[6]
    precision = len(given) + (1 if fraction else 0)
    year, month, day, hour, minute, second = [*given, 0, 0, 0][:6]
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    try:
        value = datetime(year, month, day, hour, minute, second, micro)
    except ValueError:
        return None
    offset = groups[7]
    if offset:
        value = value.replace(tzinfo=_offset(offset))
    return Moment(value=value, precision=precision)


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _truncate(value: datetime, precision: int) -> tuple[int, ...]:
    parts = (
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )
    return parts[:precision]


def same_moment(expected: Moment, actual: Moment, tz: ZoneInfo) -> bool:
    """Compare on the wall clock of the broker (or of the offset the task wrote) to the
    precision the task wrote. An actual time without an offset is broker-local, as tools read it."""
    if actual.precision == 3:  # a stored date, not a moment: only its date can be compared
        return expected.precision == 3 and expected.value.date() == actual.value.date()
    seen = actual.value if actual.aware else actual.value.replace(tzinfo=tz)
    view = seen.astimezone(expected.value.tzinfo if expected.aware else tz)
    wanted = expected.value.replace(tzinfo=None)
    return _truncate(view.replace(tzinfo=None), expected.precision) == _truncate(
        wanted, expected.precision
    )


def as_number(value: Any) -> Decimal | None:
    """Money and numbers as a task may write them: 480000, "480000.00", "€480,000", "480 000"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        return None
    text = _CURRENCY.sub("", value)
    text = "".join(ch for ch in text if not ch.isspace() and ch != "_")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None


def fold(text: str) -> str:
    """Case-, spacing- and ё-insensitive form of a string."""
    normal = unicodedata.normalize("NFC", text)
    return " ".join(normal.split()).casefold().replace("ё", "е")


def same(expected: Any, actual: Any, tz: ZoneInfo) -> bool:
    """Whether `actual` is what the task expected: strings case-insensitive, numbers and money
    numerically, date-times in the broker's timezone to the written precision, lists as sets,
    objects by the keys the task gives."""
    if isinstance(actual, Either):
        return any(same(expected, spelling, tz) for spelling in actual)
    if isinstance(expected, list):
        if actual is None:
            return not expected
        return isinstance(actual, list) and same_set(expected, actual, tz)
    if isinstance(actual, list):
        return same_set([expected], actual, tz)
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and same(value, actual[key], tz) for key, value in expected.items()
        )
    if isinstance(actual, dict):
        return False
    wanted, got = as_number(expected), as_number(actual)
    if wanted is not None and got is not None:
        return wanted == got
    if isinstance(expected, str) and isinstance(actual, str):
        moment, seen = parse_moment(expected), parse_moment(actual)
        if moment is not None and seen is not None:
            return same_moment(moment, seen, tz)
        return fold(expected) == fold(actual)
    if isinstance(actual, (datetime, date)):
        return isinstance(expected, str) and same(expected, actual.isoformat(), tz)
    return bool(expected == actual)


def same_set(expected: list[Any], actual: list[Any], tz: ZoneInfo) -> bool:
    """Every expected value is present and nothing else is (order and repeats do not matter)."""
    return all(any(same(e, a, tz) for a in actual) for e in expected) and all(
        any(same(e, a, tz) for e in expected) for a in actual
    )


def holds(values: list[Any], wanted: Any, tz: ZoneInfo) -> bool:
    """Whether a list field holds `wanted` (an element equal under the rules above)."""
    return any(same(wanted, value, tz) for value in values)


def shown(actual: Any, tz: ZoneInfo, like: Any = None) -> str:
    """An actual value as a failure message shows it: times on the broker's clock (to the
    precision of `like`, the expected value, when it is a date-time), names before ids."""
    if isinstance(actual, Either):
        return shown(actual.shown(), tz, like)
    if isinstance(actual, list):
        inner = like[0] if isinstance(like, list) and like else like
        return "[" + ", ".join(shown(item, tz, inner) for item in actual) + "]"
    if actual is None:
        return "null"
    if isinstance(actual, bool):
        return "true" if actual else "false"
    if isinstance(actual, str):
        seen = parse_moment(actual)
        wanted = parse_moment(like) if isinstance(like, str) else None
        if seen is not None and seen.precision > 3 and wanted is not None:
            return _local_text(seen, tz, wanted)
        return actual
    return str(actual)


def _local_text(seen: Moment, tz: ZoneInfo, wanted: Moment) -> str:
    value = seen.value if seen.aware else seen.value.replace(tzinfo=tz)
    local = value.astimezone(wanted.value.tzinfo if wanted.aware else tz)
    if wanted.precision == 3:
        return local.date().isoformat()
    spec = {4: "minutes", 5: "minutes", 6: "seconds"}.get(wanted.precision, "auto")
    text = local.replace(tzinfo=None).isoformat(timespec=spec)
    return text if wanted.aware else f"{text} {tz.key}"


def expected_text(expected: Any) -> str:
    """An expected value as the task wrote it, in a failure message."""
    if isinstance(expected, list):
        return "[" + ", ".join(expected_text(item) for item in expected) + "]"
    if isinstance(expected, dict):
        return "{" + ", ".join(f"{k}: {expected_text(v)}" for k, v in expected.items()) + "}"
    if expected is None:
        return "null"
    if isinstance(expected, bool):
        return "true" if expected else "false"
    return str(expected)
