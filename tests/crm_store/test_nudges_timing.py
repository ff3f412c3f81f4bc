"""When nudges are due, broker-local: the broker's day, Monday's review, keys and snoozing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from crm_store.services import nudges_timing as timing

NICOSIA = ZoneInfo("Asia/Nicosia")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("local", "open_"),
    [
        (datetime(2026, 3, 10, 8, 29, tzinfo=NICOSIA), False),  # Tuesday, before the digest
        (datetime(2026, 3, 10, 8, 30, tzinfo=NICOSIA), True),
        (datetime(2026, 3, 10, 18, 59, tzinfo=NICOSIA), True),
        (datetime(2026, 3, 10, 19, 0, tzinfo=NICOSIA), False),  # end of working hours
        (datetime(2026, 3, 14, 10, 0, tzinfo=NICOSIA), True),  # Saturday works
        (datetime(2026, 3, 8, 10, 0, tzinfo=NICOSIA), False),  # Sunday never
    ],
)
def test_the_brokers_day_runs_0830_to_1900_monday_to_saturday(local: datetime, open_: bool):
    assert timing.broker_day_open(local.astimezone(UTC), tz="Asia/Nicosia") is open_
    assert (timing.digest_day(local, tz="Asia/Nicosia") is not None) is open_


def test_the_day_is_read_in_the_brokers_own_timezone():
    # 08:30 in New York is 14:30 in Limassol; 09:00 in Limassol is 03:00 in New York.
    ny_morning = datetime(2026, 3, 10, 8, 30, tzinfo=NEW_YORK)
    assert timing.digest_day(ny_morning, tz="America/New_York") == date(2026, 3, 10)
    cy_morning = datetime(2026, 3, 10, 9, 0, tzinfo=NICOSIA)
    assert timing.digest_day(cy_morning, tz="America/New_York") is None
    # Tuesday 08:30 in Tokyo is still Monday in UTC: the key carries Tokyo's date.
    tokyo = datetime(2026, 3, 10, 8, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert tokyo.astimezone(UTC).date() == date(2026, 3, 9)
    assert timing.digest_day(tokyo, tz="Asia/Tokyo") == date(2026, 3, 10)


def test_weekly_review_is_due_from_monday_0900_manager_local():
    monday = datetime(2026, 3, 9, 8, 59, tzinfo=NICOSIA)
    assert timing.weekly_week(monday, tz="Asia/Nicosia") is None
    assert timing.weekly_week(monday.replace(minute=0, hour=9), tz="Asia/Nicosia") == "2026-W11"
    assert timing.weekly_week(monday.replace(hour=23), tz="Asia/Nicosia") == "2026-W11"
    tuesday = datetime(2026, 3, 10, 9, 0, tzinfo=NICOSIA)
    assert timing.weekly_week(tuesday, tz="Asia/Nicosia") is None


def test_iso_week_crosses_the_year_as_iso_does():
    assert timing.iso_week(date(2026, 1, 1)) == "2026-W01"
    assert timing.iso_week(date(2027, 1, 1)) == "2026-W53"


def test_keys_follow_the_spec_formats():
    at = datetime(2026, 3, 10, 11, 0, tzinfo=NICOSIA)
    assert timing.digest_key("b-1", date(2026, 3, 10)) == "digest:b-1:2026-03-10"
    assert timing.due_key("f-7", at) == "due:f-7:2026-03-10T09:00Z"
    assert timing.missed_key("f-7") == "missed:f-7"
    assert timing.gap_key("r-3", date(2026, 3, 10)) == "gap:r-3:2026-03-10"
    assert timing.stale_key("l-2", "2026-W11") == "stale:l-2:2026-W11"
    assert timing.weekly_key("main", "2026-W11") == "weekly:main:2026-W11"
    assert timing.weekly_key("main", "2026-W11", manager_id="b-9") == "weekly:main:2026-W11:b-9"


def test_snooze_is_one_working_day_at_the_same_time_never_in_the_past():
    now = datetime(2026, 3, 10, 9, 0, tzinfo=NICOSIA)  # Tuesday
    later_today = datetime(2026, 3, 10, 15, 0, tzinfo=NICOSIA)
    assert timing.snooze_until(later_today, now, tz="Asia/Nicosia") == datetime(
        2026, 3, 11, 15, 0, tzinfo=NICOSIA
    )
    overdue = datetime(2026, 3, 6, 11, 30, tzinfo=NICOSIA)  # last Friday
    assert timing.snooze_until(overdue, now, tz="Asia/Nicosia") == datetime(
        2026, 3, 11, 11, 30, tzinfo=NICOSIA
    )
    saturday = datetime(2026, 3, 14, 10, 0, tzinfo=NICOSIA)  # skips Sunday
    assert timing.snooze_until(saturday, now, tz="Asia/Nicosia") == datetime(
        2026, 3, 16, 10, 0, tzinfo=NICOSIA
    )


def test_state_nudges_wait_for_the_brokers_day_reminders_do_not():
    night = datetime(2026, 3, 10, 22, 0, tzinfo=NICOSIA)
    assert timing.deliverable_now("due_soon", night, tz="Asia/Nicosia")
    for kind in ("missed", "gap", "stale_deal", "new_match", "daily_digest"):
        assert not timing.deliverable_now(kind, night, tz="Asia/Nicosia")
