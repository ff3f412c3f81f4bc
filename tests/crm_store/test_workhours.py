"""Working time is 09:00–19:00 broker-local, Monday to Saturday; Sundays never count."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from crm_store.services.workhours import (
    add_working_days,
    describe,
    is_working_time,
    next_working_slot,
)

NICOSIA = ZoneInfo("Asia/Nicosia")
LONDON = ZoneInfo("Europe/London")


def at(day: int, hour: int, minute: int = 0, *, month: int = 3, tz: ZoneInfo = NICOSIA):
    """A time in March 2026 (10th = Tuesday, 14th = Saturday, 15th = Sunday)."""
    return datetime(2026, month, day, hour, minute, tzinfo=tz)


@pytest.mark.parametrize(
    ("when", "working"),
    [
        (at(10, 9, 0), True),
        (at(10, 8, 59), False),
        (at(10, 18, 59), True),
        (at(10, 19, 0), False),
        (at(14, 12), True),  # Saturday
        (at(15, 12), False),  # Sunday
    ],
)
def test_is_working_time(when, working):
    assert is_working_time(when, tz=NICOSIA) is working


def test_working_time_is_judged_in_the_brokers_zone():
    instant = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)  # 09:30 Nicosia, 07:30 London
    assert is_working_time(instant, tz="Asia/Nicosia")
    assert not is_working_time(instant, tz="Europe/London")


@pytest.mark.parametrize(
    ("when", "slot"),
    [
        (at(10, 11, 15), at(10, 11, 15)),  # already working time
        (at(10, 18, 30), at(10, 18, 30)),
        (at(10, 7, 0), at(10, 9, 0)),  # early: this morning
        (at(10, 19, 30), at(11, 9, 0)),  # evening: next morning
        (at(14, 19, 30), at(16, 9, 0)),  # Saturday evening: Monday
        (at(15, 12, 0), at(16, 9, 0)),  # Sunday: Monday
        (at(15, 7, 0), at(16, 9, 0)),  # early Sunday: still Monday
    ],
)
def test_next_working_slot(when, slot):
    assert next_working_slot(when, tz=NICOSIA) == slot


def test_a_naive_time_is_read_as_broker_local():
    assert next_working_slot(datetime(2026, 3, 10, 20, 0), tz=LONDON) == at(11, 9, tz=LONDON)


@pytest.mark.parametrize(
    ("when", "days", "result"),
    [
        (at(10, 10), 1, at(11, 10)),
        (at(13, 10), 1, at(14, 10)),  # Friday → Saturday (a working day)
        (at(14, 10), 1, at(16, 10)),  # Saturday → Monday, skipping Sunday
        (at(14, 10), 2, at(17, 10)),
        (at(15, 10), 1, at(16, 10)),  # from a Sunday
        (at(10, 10), 6, at(17, 10)),  # a whole working week
        (at(10, 20), 1, at(11, 9)),  # the evening belongs to its day: next morning
        (at(10, 18, 59), 1, at(11, 18, 59)),
        (at(10, 7), 1, at(11, 9)),
        (at(14, 21), 1, at(16, 9)),  # Saturday night → Monday morning
        (at(10, 10), 0, at(10, 10)),
        (at(10, 20), 0, at(11, 9)),  # zero days: the next working slot
    ],
)
def test_add_working_days(when, days, result):
    assert add_working_days(when, days, tz=NICOSIA) == result


def test_add_working_days_keeps_the_wall_clock_across_summer_time():
    # Cyprus moves to summer time on Sunday 29 March 2026.
    monday = add_working_days(at(28, 10), 1, tz=NICOSIA)
    assert (monday.day, monday.hour, monday.utcoffset().total_seconds()) == (30, 10, 3 * 3600)


def test_negative_days_are_a_programming_error():
    with pytest.raises(ValueError):
        add_working_days(at(10, 10), -1, tz=NICOSIA)


def test_describe_in_both_languages():
    instant = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
    assert describe(instant, tz=NICOSIA) == "Wed 11 Mar 10:00"
    assert describe(instant, tz=NICOSIA, language="ru") == "ср 11 мар 10:00"
    assert describe(instant, tz=LONDON) == "Wed 11 Mar 08:00"
