"""Natural dates in English and Russian resolve to the exact local time a broker means."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from agent.offline.dates import find_whens, parse_when, read_dates
from tests.conftest import TUESDAY_9AM

NICOSIA = ZoneInfo("Asia/Nicosia")
NOW = {
    # Tuesday 10 March 2026, 09:00 — the day the evals are set on.
    "tue": datetime(2026, 3, 10, 9, 0, tzinfo=NICOSIA),
    "tue_evening": datetime(2026, 3, 10, 20, 0, tzinfo=NICOSIA),
    "sunday": datetime(2026, 3, 15, 10, 0, tzinfo=NICOSIA),
    "month_end": datetime(2026, 3, 31, 16, 0, tzinfo=NICOSIA),
    "year_end": datetime(2026, 12, 31, 17, 0, tzinfo=NICOSIA),
    "new_york": datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("America/New_York")),
    # 02:30 on the night Cyprus moves its clocks from 03:00 to 04:00.
    "dst_night": datetime(2026, 3, 29, 2, 30, tzinfo=NICOSIA),
}

CASES = [
    # (now, text, local date and time, has_time)
    ("tue", "tomorrow", "2026-03-11 10:00", False),
    ("tue", "tomorrow morning", "2026-03-11 10:00", True),
    ("tue", "tomorrow afternoon", "2026-03-11 15:00", True),
    ("tue", "tonight", "2026-03-10 18:00", True),
    ("tue", "this evening", "2026-03-10 18:00", True),
    ("tue", "today at 5pm", "2026-03-10 17:00", True),
    ("tue", "at 16:30", "2026-03-10 16:30", True),
    ("tue", "at 4", "2026-03-10 16:00", True),
    ("tue", "in 3 days", "2026-03-13 10:00", False),
    ("tue", "in two weeks", "2026-03-24 10:00", False),
    ("tue", "in an hour", "2026-03-10 10:00", True),
    ("tue", "in half an hour", "2026-03-10 09:30", True),
    ("tue", "next week", "2026-03-16 10:00", False),
    ("tue", "next Tuesday at 11", "2026-03-17 11:00", True),
    ("tue", "next Friday", "2026-03-20 10:00", False),
    ("tue", "Thursday at 10", "2026-03-12 10:00", True),
    ("tue", "on Friday", "2026-03-13 10:00", False),
    ("tue", "Friday 17:00", "2026-03-13 17:00", True),
    ("tue", "friday at 3pm", "2026-03-13 15:00", True),
    ("tue", "on the 25th", "2026-03-25 10:00", False),
    ("tue", "March 25", "2026-03-25 10:00", False),
    ("tue", "25th of March at 9am", "2026-03-25 09:00", True),
    ("tue", "25/03", "2026-03-25 10:00", False),
    ("tue", "25.03 at 14:00", "2026-03-25 14:00", True),
    ("tue", "2026-04-02", "2026-04-02 10:00", False),
    ("tue", "end of the month", "2026-03-31 10:00", False),
    ("tue", "end of the week", "2026-03-13 10:00", False),
    ("tue", "next month", "2026-04-01 10:00", False),
    ("tue", "tomorrow evening at 7", "2026-03-11 19:00", True),
    ("tue", "at 8", "2026-03-10 20:00", True),
    ("tue", "Tuesday next week", "2026-03-17 10:00", False),
    ("tue", "in a fortnight", "2026-03-24 10:00", False),
    ("tue", "Remind me to call Ivan Petrov next Tuesday at 11", "2026-03-17 11:00", True),
    ("tue", "послезавтра", "2026-03-12 10:00", False),
    ("tue", "завтра в 10", "2026-03-11 10:00", True),
    ("tue", "завтра утром", "2026-03-11 10:00", True),
    ("tue", "завтра днём", "2026-03-11 15:00", True),
    ("tue", "через неделю", "2026-03-17 10:00", False),
    ("tue", "через 3 дня", "2026-03-13 10:00", False),
    ("tue", "через два часа", "2026-03-10 11:00", True),
    ("tue", "через полчаса", "2026-03-10 09:30", True),
    ("tue", "в пятницу в 15:00", "2026-03-13 15:00", True),
    ("tue", "в понедельник", "2026-03-16 10:00", False),
    ("tue", "в следующий вторник в 11", "2026-03-17 11:00", True),
    ("tue", "в следующую пятницу", "2026-03-20 10:00", False),
    ("tue", "в пт в 5", "2026-03-13 17:00", True),
    ("tue", "25 марта", "2026-03-25 10:00", False),
    ("tue", "25-го", "2026-03-25 10:00", False),
    ("tue", "в 14:30", "2026-03-10 14:30", True),
    ("tue", "в 8 вечера", "2026-03-10 20:00", True),
    ("tue", "в 3 дня", "2026-03-10 15:00", True),
    ("tue", "на следующей неделе", "2026-03-16 10:00", False),
    ("tue", "в конце месяца", "2026-03-31 10:00", False),
    ("tue", "в начале следующего месяца", "2026-04-01 10:00", False),
    ("tue", "вечером", "2026-03-10 18:00", True),
    ("tue", "в апреле", "2026-04-01 10:00", False),
    ("tue", "Позвонить Ольге завтра в 11:30 🙂", "2026-03-11 11:30", True),
    ("tue", "в четверг в 10 утра", "2026-03-12 10:00", True),
    ("tue", "завтра в 9 утра", "2026-03-11 09:00", True),
    ("tue", "в 12 дня", "2026-03-10 12:00", True),
    ("tue", "завтра 9.30", "2026-03-11 09:30", True),
    ("tue", "в пятницу 14.30", "2026-03-13 14:30", True),
    ("tue", "17.03 в 12:00", "2026-03-17 12:00", True),
    ("tue", "17 марта в 14:00", "2026-03-17 14:00", True),
    ("tue", "в эту пятницу", "2026-03-13 10:00", False),
    ("tue", "через 2 недели", "2026-03-24 10:00", False),
    ("tue", "через месяц", "2026-04-10 10:00", False),
    ("tue", "в среду вечером", "2026-03-11 18:00", True),
    ("tue", "на выходных", "2026-03-14 10:00", False),
    ("tue", "Перезвонить через 15 минут", "2026-03-10 09:15", True),
    ("tue", "at 10am tomorrow", "2026-03-11 10:00", True),
    ("tue", "tomorrow at noon", "2026-03-11 12:00", True),
    ("tue", "the day after tomorrow at 9", "2026-03-12 09:00", True),
    ("tue", "in 3 days at 10am", "2026-03-13 10:00", True),
    ("tue", "March 17th at 2pm", "2026-03-17 14:00", True),
    ("tue", "next Monday morning", "2026-03-16 10:00", True),
    ("tue", "this Friday", "2026-03-13 10:00", False),
    ("tue", "Friday next week", "2026-03-20 10:00", False),
    ("tue", "next week on Tuesday", "2026-03-17 10:00", False),
    ("tue", "Friday the 13th", "2026-03-13 10:00", False),
    ("tue", "the 25th at 3", "2026-03-25 15:00", True),
    ("tue", "25 March 2027", "2027-03-25 10:00", False),
    ("tue", "1/4 at 10", "2026-04-01 10:00", True),
    ("tue", "Wed 11am", "2026-03-11 11:00", True),
    ("tue", "first thing tomorrow", "2026-03-11 09:00", True),
    ("tue", "end of day", "2026-03-10 18:00", True),
    ("tue", "after lunch", "2026-03-10 15:00", True),
    ("tue", "this weekend", "2026-03-14 10:00", False),
    ("tue", "next weekend", "2026-03-21 10:00", False),
    ("tue", "3 weeks from now", "2026-03-31 10:00", False),
    ("tue", "wed 18th at 10", "2026-03-18 10:00", True),  # the day of the month decides
    ("tue", "thursday 19th", "2026-03-19 10:00", False),
    ("tue_evening", "tomorrow", "2026-03-11 10:00", False),
    ("tue_evening", "tonight", "2026-03-10 20:15", True),
    ("tue_evening", "at 4", "2026-03-11 16:00", True),
    ("tue_evening", "at 9", "2026-03-11 09:00", True),
    ("tue_evening", "в 10", "2026-03-11 10:00", True),
    ("tue_evening", "today", "2026-03-10 20:15", False),
    ("sunday", "next week", "2026-03-16 10:00", False),
    ("sunday", "Monday", "2026-03-16 10:00", False),
    ("sunday", "next Tuesday", "2026-03-17 10:00", False),
    ("sunday", "end of the week", "2026-03-20 10:00", False),
    ("sunday", "в следующий понедельник", "2026-03-16 10:00", False),
    ("month_end", "tomorrow", "2026-04-01 10:00", False),
    ("month_end", "next week", "2026-04-06 10:00", False),
    ("month_end", "in a month", "2026-04-30 10:00", False),
    ("month_end", "on the 30th", "2026-04-30 10:00", False),
    ("month_end", "at 10", "2026-04-01 10:00", True),
    ("year_end", "tomorrow", "2027-01-01 10:00", False),
    ("year_end", "March 25", "2027-03-25 10:00", False),
    ("year_end", "25.03", "2027-03-25 10:00", False),
    ("year_end", "на следующей неделе", "2027-01-04 10:00", False),
    ("year_end", "в следующем месяце", "2027-01-01 10:00", False),
    ("year_end", "через неделю", "2027-01-07 10:00", False),
    ("new_york", "tomorrow at 4pm", "2026-03-11 16:00", True),
    ("new_york", "next Tuesday at 11", "2026-03-17 11:00", True),
    ("new_york", "через два часа", "2026-03-10 11:00", True),
    ("dst_night", "in an hour", "2026-03-29 04:30", True),
    ("dst_night", "tomorrow", "2026-03-30 10:00", False),
]


@pytest.mark.parametrize(("now", "text", "expected", "has_time"), CASES)
def test_natural_date_resolves_to_the_local_time_meant(
    now: str, text: str, expected: str, has_time: bool
) -> None:
    when = parse_when(text, now=NOW[now])
    assert when is not None, text
    assert when.at.tzinfo is not None
    local = when.at.astimezone(NOW[now].tzinfo)
    assert local.strftime("%Y-%m-%d %H:%M") == expected
    assert when.has_time is has_time


@pytest.mark.parametrize(
    ("now", "text", "today", "next_week"),
    [
        ("tue", "Tuesday at 11", "2026-03-10 11:00", "2026-03-17 11:00"),
        ("tue", "Tuesday", "2026-03-10 10:00", "2026-03-17 10:00"),
        ("tue", "во вторник", "2026-03-10 10:00", "2026-03-17 10:00"),
        ("tue_evening", "Tuesday at 21:00", "2026-03-10 21:00", "2026-03-17 21:00"),
        ("sunday", "on Sunday at 11", "2026-03-15 11:00", "2026-03-22 11:00"),
        ("year_end", "в четверг в 18:00", "2026-12-31 18:00", "2027-01-07 18:00"),
    ],
)
def test_todays_weekday_alone_is_asked_with_both_days(
    now: str, text: str, today: str, next_week: str
) -> None:
    """ "On Tuesday" said on a Tuesday is never guessed: both moments are offered."""
    whens, doubts = read_dates(text, now=NOW[now])
    assert whens == []
    [doubt] = doubts
    assert doubt.kind == "today_or_next"
    shown = [o.astimezone(NOW[now].tzinfo).strftime("%Y-%m-%d %H:%M") for o in doubt.options]
    assert shown == [today, next_week]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("February 30 at 10", "no_such_date"),
        ("31 April", "no_such_date"),
        ("on March 99999999999999999999 at 10", "no_such_date"),
        ("32 марта в 10", "no_such_date"),
        ("at 25:00 tomorrow", "no_such_time"),
        ("завтра в 10:75", "no_such_time"),
        ("5 March 2087", "no_such_year"),
        ("в 2045 году 1 января", "no_such_year"),  # a trial: became 1 January 2027
        ("call him in 2045", "no_such_year"),
        ("2 марта", "day_passed"),  # said on 10 March: a slip, or next year? (became 2027)
        ("call him on 5 march at 11", "day_passed"),
    ],
)
def test_a_date_that_cannot_be_is_refused_with_its_reason(text: str, kind: str) -> None:
    whens, doubts = read_dates(text, now=NOW["tue"])
    assert whens == [] and [d.kind for d in doubts] == [kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("в пятн в 12", "2026-03-13 12:00"), ("в птн в 15:00", "2026-03-13 15:00"),
     ("fri at 9", "2026-03-13 09:00"), ("this Tuesday at 5", "2026-03-10 17:00"),
     ("email him fri", "2026-03-13 10:00"), ("call back thurs", "2026-03-12 10:00"),
     ("a viewing fri at half 3", "2026-03-13 15:30"),
     ("half past 10 tomorrow", "2026-03-11 10:30")],
)  # fmt: skip
def test_short_weekdays_and_this_weekday(text: str, expected: str) -> None:
    when = parse_when(text, now=NOW["tue"])
    assert when is not None and when.at.strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("on Tuesday at 8:30", "2026-03-17 08:30"), ("во вторник в 8:30", "2026-03-17 08:30")],
)
def test_todays_weekday_at_a_time_already_gone_is_next_week(text: str, expected: str) -> None:
    when = parse_when(text, now=NOW["tue"])
    assert when is not None and when.at.strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize("now", list(NOW))
@pytest.mark.parametrize(
    "text", ["tonight", "at 9", "Tuesday", "в пятницу в 15:00", "on the 10th", "через 3 дня"]
)
def test_never_returns_a_past_instant(now: str, text: str) -> None:
    whens, doubts = read_dates(text, now=NOW[now])
    if not whens:  # today's weekday: asked, and neither choice is in the past
        [doubt] = doubts
        assert doubt.kind == "today_or_next" and all(o > NOW[now] for o in doubt.options)
        return
    assert whens[0].at > NOW[now]


@pytest.mark.parametrize(
    "text",
    [
        "Show me 5 villas in Limassol up to 600k",
        "Add Ivan Petrov +357 99 123456, budget 500-600k, 3 bedrooms",
        "Клиент хочет 3 спальни, бюджет 1,5 млн",
        "She may call back",
        "Move Maria to viewing",
        "2.5 bathrooms, 120 m2, 3% commission",
        "покажи 5 вариантов в Пафосе",
        "a house on the 2nd floor",
        "2.50 bathrooms",
        "price 9.30",
        "Sun and sea, sat on the terrace",
        "we sat in the sun, a wed couple, mon ami",
        "",
    ],
)
def test_no_date_is_invented(text: str) -> None:
    assert parse_when(text, now=NOW["tue"]) is None


def test_span_and_text_point_into_the_message_as_typed() -> None:
    message = "Remind me  to call Ivan 🙂 next Tuesday at 11, please"
    when = parse_when(message, now=NOW["tue"])
    assert when is not None
    assert when.text == "next Tuesday at 11"
    assert message[when.span[0] : when.span[1]] == when.text


def test_a_dst_gap_time_lands_on_a_real_instant() -> None:
    when = parse_when(
        "tomorrow at 2:30am", now=datetime(2026, 3, 7, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    )
    assert when is not None
    assert when.at.strftime("%Y-%m-%d %H:%M %z") == "2026-03-08 03:30 -0400"


def test_two_sentences_keep_their_own_days() -> None:
    whens = find_whens("думает до пятницы. в пятн в 18 узнать решение", now=NOW["tue"])
    assert [(w.at.strftime("%d %H:%M"), w.has_time) for w in whens] == [
        ("13 10:00", False),
        ("13 18:00", True),
    ]


def test_several_expressions_are_found_in_order() -> None:
    whens = find_whens("move the viewing from Thursday at 10 to Friday at 3pm", now=NOW["tue"])
    assert [w.at.strftime("%d %H:%M") for w in whens] == ["12 10:00", "13 15:00"]
    assert [w.text for w in whens] == ["Thursday at 10", "Friday at 3pm"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Monday", "2026-03-09 10:00"),
        ("вчера в 5", "2026-03-09 17:00"),
        ("3 days ago", "2026-03-07 10:00"),
        ("2 дня назад", "2026-03-08 10:00"),
        ("last Friday", "2026-03-06 10:00"),
    ],
)
def test_past_dates_when_logging_what_happened(text: str, expected: str) -> None:
    when = parse_when(text, now=NOW["tue"], prefer_future=False)
    assert when is not None
    assert when.at.strftime("%Y-%m-%d %H:%M") == expected


def test_past_only_expressions_give_nothing_to_schedule() -> None:
    assert parse_when("yesterday at 5", now=NOW["tue"]) is None


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_when("tomorrow", now=datetime(2026, 3, 10, 9, 0))


def test_a_time_said_for_today_that_has_passed_stays_today_for_the_tool_to_refuse():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from agent.offline.dates import find_whens

    nine = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Nicosia"))
    [gone] = find_whens("call ivan petrov at 8am today", now=nine)  # the tool will say so
    assert gone.at == datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Asia/Nicosia"))
    [later] = find_whens("call ivan today at 11", now=nine)
    assert later.at == datetime(2026, 11, 23, 11, 0, tzinfo=ZoneInfo("Asia/Nicosia"))


def test_a_time_followed_by_the_listings_shown_is_still_the_time():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from agent.offline.dates import find_whens

    nine = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Nicosia"))
    [when] = find_whens("показ Ольге в субботу в 11 объекты l-39", now=nine)
    assert when.at == datetime(2026, 11, 28, 11, 0, tzinfo=ZoneInfo("Asia/Nicosia"))
    assert find_whens("в 11 объектах есть бассейн", now=nine) == []


@pytest.mark.parametrize(
    "text",
    [
        "call him on February 30 at 10",
        "on 31 April at 10am",
        "tomorrow at 25:00",
        "в пятницу в 10:75",
    ],
)
def test_an_impossible_date_or_time_gives_no_date_rather_than_another_one(text):
    assert find_whens(text, now=TUESDAY_9AM) == []


@pytest.mark.parametrize(
    ("text", "moments"),
    [
        ("с 17-го на 19 марта, в 18:00", ["2026-03-17 10:00", "2026-03-19 18:00"]),
        ("from thursday to friday 10am", ["2026-03-12 10:00", "2026-03-13 10:00"]),
    ],
)
def test_a_move_from_one_day_to_another_reads_both_days(text, moments):
    """ "с 17-го на 19 марта" is two days, the second the new one (not one date, the 19th)."""
    whens = find_whens(text, now=NOW["tue"])
    assert [w.at.strftime("%Y-%m-%d %H:%M") for w in whens] == moments


def test_russian_half_hours_and_todays_adjective():
    nicosia = ZoneInfo("Asia/Nicosia")
    now = datetime(2026, 3, 10, 9, 0, tzinfo=nicosia)
    [half] = find_whens("завтра в полдесятого", now=now)
    assert half.at == datetime(2026, 3, 11, 9, 30, tzinfo=nicosia)
    old, new = find_whens("с сегодняшних 14:00 на завтра на 17:00", now=now)
    assert old.at == datetime(2026, 3, 10, 14, 0, tzinfo=nicosia)
    assert new.at == datetime(2026, 3, 11, 17, 0, tzinfo=nicosia)


def test_a_date_and_the_same_day_with_its_time_are_one_moment():
    nicosia = ZoneInfo("Asia/Nicosia")
    now = datetime(2026, 3, 10, 9, 0, tzinfo=nicosia)
    [when] = find_whens("daniel 14/3 sat 11am viewings", now=now)
    assert when.at == datetime(2026, 3, 14, 11, 0, tzinfo=nicosia) and when.has_time
    assert len(find_whens("from today 2pm to tomorrow at 5pm", now=now)) == 2


def test_a_year_said_apart_is_the_dates_year_and_an_area_is_no_year() -> None:
    whens, _ = read_dates("call him on January 5 in 2027", now=NOW["tue"])
    assert [w.at.strftime("%Y-%m-%d") for w in whens] == ["2027-01-05"]
    assert read_dates("квартира в 2025 м2?", now=NOW["tue"]) == ([], [])
    # a year said in another sentence is not this date's (a second review)
    whens, _ = read_dates("на 5 мая. В 2027 году она переезжает", now=NOW["tue"])
    assert [w.at.strftime("%Y-%m-%d") for w in whens] == ["2026-05-05"]
