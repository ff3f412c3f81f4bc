"""Broker-local working time (SPEC §4): 09:00–19:00, Monday to Saturday, never on Sunday."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WORKDAY_START = time(9, 0)
WORKDAY_END = time(19, 0)
SUNDAY = 6  # date.weekday()

TzLike = ZoneInfo | str


def zone(tz: TzLike) -> ZoneInfo:
    """An IANA zone from a name or a ZoneInfo."""
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def to_local(dt: datetime, *, tz: TzLike) -> datetime:
    """`dt` as broker-local time; a naive value is read as already broker-local."""
    if dt.tzinfo is None:
        return local_at(dt.date(), dt.time(), tz=tz)
    return dt.astimezone(zone(tz))


def local_at(day: date, at: time, *, tz: TzLike) -> datetime:
    """The aware instant of a broker-local wall time (normalised across DST changes)."""
    naive = datetime.combine(day, at.replace(tzinfo=None))
    return naive.replace(tzinfo=zone(tz)).astimezone(UTC).astimezone(zone(tz))


def is_working_day(day: date) -> bool:
    return day.weekday() != SUNDAY


def is_working_time(dt: datetime, *, tz: TzLike) -> bool:
    """True from 09:00 (inclusive) to 19:00 (exclusive) broker-local, except on Sundays."""
    local = to_local(dt, tz=tz)
    return is_working_day(local.date()) and WORKDAY_START <= local.time() < WORKDAY_END


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def next_working_slot(dt: datetime, *, tz: TzLike) -> datetime:
    """`dt` itself when it is working time, else the start of the next working morning."""
    local = to_local(dt, tz=tz)
    if is_working_time(local, tz=tz):
        return local
    day = local.date()
    if local.time() >= WORKDAY_END or not is_working_day(day):
        day = next_working_day(day)
    return local_at(day, WORKDAY_START, tz=tz)


def add_working_days(dt: datetime, days: int, *, tz: TzLike) -> datetime:
    """The `days`-th working day after dt's local date (Sundays skipped), at the same time of day.

    A time outside 09:00–19:00 becomes 09:00 of that day, so the evening counts as part of its
    own day: Tuesday 20:00 plus one working day is Wednesday 09:00. Zero days is the next
    working slot.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    local = to_local(dt, tz=tz)
    if days == 0:
        return next_working_slot(local, tz=tz)
    day = local.date()
    for _ in range(days):
        day = next_working_day(day)
    at = local.time() if WORKDAY_START <= local.time() < WORKDAY_END else WORKDAY_START
    return local_at(day, at, tz=tz)


_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
}


def describe(dt: datetime, *, tz: TzLike, language: str = "en") -> str:
    """A broker-local time as brokers read it: "Wed 11 Mar 10:00" / "ср 11 мар 10:00"."""
    local = to_local(dt, tz=tz)
    return f"{describe_day(local.date(), language=language)} {local:%H:%M}"


def describe_day(day: date, *, language: str = "en") -> str:
    """A calendar day as brokers read it: "Wed 11 Mar" / "ср 11 мар"."""
    lang = language if language in _WEEKDAYS else "en"
    return f"{_WEEKDAYS[lang][day.weekday()]} {day.day} {_MONTHS[lang][day.month - 1]}"
