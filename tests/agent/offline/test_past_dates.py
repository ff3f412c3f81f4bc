"""When a reported event happened: the past, never the next such day."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from agent.offline.past_dates import happened_at

NICOSIA = ZoneInfo("Asia/Nicosia")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=NICOSIA)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("took him to the penthouse yesterday evening", datetime(2026, 3, 9, 18, 0)),
        ("вчера показал Ольге трёшку", datetime(2026, 3, 9, 12, 0)),
        ("showed them the flat on saturday", datetime(2026, 3, 7, 12, 0)),
        ("в субботу утром смотрели виллу", datetime(2026, 3, 7, 10, 0)),
        ("showed her l-2 on tuesday", datetime(2026, 3, 10, 9, 0)),  # today, not next week
        ("позавчера возил Морозова", datetime(2026, 3, 8, 12, 0)),
        ("showed him the villa this morning", datetime(2026, 3, 10, 9, 0)),  # never ahead
        # the clock said with the day is the time of the showing
        ("stephen viewed l-212 yesterday at 6pm - neutral", datetime(2026, 3, 9, 18, 0)),
        ("показ вчера в 18:30, понравилась", datetime(2026, 3, 9, 18, 30)),
        ("вчера в 6 вечера смотрели виллу", datetime(2026, 3, 9, 18, 0)),
        ("saw it yesterday at 6, neutral", datetime(2026, 3, 9, 18, 0)),
        # a number that is no hour
        ("вчера были в 2 квартирах на Потамосе", datetime(2026, 3, 9, 12, 0)),
        ("yesterday he saw the 3 bed at 450k", datetime(2026, 3, 9, 12, 0)),
        # a time of a plan later in the sentence is not the showing's
        ("showed the villa yesterday, call him tomorrow at 10", datetime(2026, 3, 9, 12, 0)),
    ],
)
def test_a_reported_day_is_read_in_the_past(text, expected):
    assert happened_at(text, NOW) == expected.replace(tzinfo=NICOSIA)


def test_no_day_said_is_none_never_a_guess():
    assert happened_at("showed him the villa, he loved it", NOW) is None
