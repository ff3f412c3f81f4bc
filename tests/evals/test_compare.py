"""Comparison rules of eval expectations: broker-local times to the written precision, money in
any spelling, case-insensitive text, lists as sets, objects by the given keys."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from evals.compare import Either, as_number, parse_moment, same, shown

NICOSIA = ZoneInfo("Asia/Nicosia")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("expected", "stored", "equal"),
    [
        # Winter: Nicosia is UTC+2, so 09:00Z is 11:00 on the broker's clock.
        ("2026-03-17T11:00", "2026-03-17T09:00:00+00:00", True),
        ("2026-03-17T11:00", "2026-03-17T11:00:00+00:00", False),
        ("2026-03-17T09:00", "2026-03-17T09:00:00+00:00", False),
        # Summer time starts on 2026-03-29 (03:00 → 04:00): 11:00 local is then 08:00Z.
        ("2026-03-28T11:00", "2026-03-28T09:00:00+00:00", True),
        ("2026-03-30T11:00", "2026-03-30T08:00:00+00:00", True),
        ("2026-03-30T11:00", "2026-03-30T09:00:00+00:00", False),
        # Minute precision ignores seconds; second precision does not.
        ("2026-03-17T11:00", "2026-03-17T09:00:59+00:00", True),
        ("2026-03-17T11:00:00", "2026-03-17T09:00:59+00:00", False),
        # Hour precision.
        ("2026-03-17T11", "2026-03-17T09:45:00+00:00", True),
        # An expected offset is honoured as written instead of the broker's zone.
        ("2026-03-17T09:00Z", "2026-03-17T09:00:00+00:00", True),
        ("2026-03-17T11:00+02:00", "2026-03-17T09:00:00+00:00", True),
        ("2026-03-17T09:00+00:00", "2026-03-17T11:00:00+02:00", True),
    ],
)
def test_datetimes_compare_on_the_brokers_clock(expected, stored, equal):
    assert same(expected, stored, NICOSIA) is equal


@pytest.mark.parametrize(
    ("expected", "stored", "equal"),
    [
        ("2026-03-17", "2026-03-17T09:00:00+00:00", True),
        # 22:30Z on the 16th is already 00:30 on the 17th in Nicosia.
        ("2026-03-17", "2026-03-16T22:30:00+00:00", True),
        ("2026-03-16", "2026-03-16T22:30:00+00:00", False),
        # 21:30Z on the 16th is still the 16th (23:30 local).
        ("2026-03-16", "2026-03-16T21:30:00+00:00", True),
    ],
)
def test_a_date_compares_the_local_date(expected, stored, equal):
    assert same(expected, stored, NICOSIA) is equal


def test_the_same_instant_is_another_day_for_a_broker_elsewhere():
    stored = "2026-03-17T02:00:00+00:00"  # 04:00 in Nicosia, 22:00 on the 16th in New York
    assert same("2026-03-17", stored, NICOSIA)
    assert not same("2026-03-17", stored, NEW_YORK)
    assert same("2026-03-16T22:00", stored, NEW_YORK)


def test_a_time_the_model_wrote_without_offset_is_broker_local():
    assert same("2026-03-17T11:00", "2026-03-17T11:00", NICOSIA)
    assert same("2026-03-17T09:00Z", "2026-03-17T11:00", NICOSIA)


@pytest.mark.parametrize(
    "written", ["480000", 480000, "480000.00", "€480,000", "480 000 €", 480000.0, "EUR 480,000.00"]
)
def test_money_in_any_spelling_equals_the_stored_amount(written):
    assert same(written, "480000.00", NICOSIA)
    assert not same(written, "480000.01", NICOSIA)


def test_money_against_a_float_argument_of_a_tool_call():
    assert same("€400,000", 400000.0, NICOSIA)
    assert as_number("1,5") is None  # a decimal comma is not guessed at


def test_strings_compare_case_and_spacing_insensitive_and_yo_as_ye():
    assert same("ivan  PETROV", "Ivan Petrov", NICOSIA)
    assert same("Пётр", "петр", NICOSIA)
    assert not same("Ivan", "Ivan Petrov", NICOSIA)


def test_lists_compare_as_sets():
    assert same(["pool", "Sea_View"], ["sea_view", "pool"], NICOSIA)
    assert same(["pool"], ["pool", "pool"], NICOSIA)
    assert not same(["pool"], ["pool", "garden"], NICOSIA)
    assert not same(["pool", "garden"], ["pool"], NICOSIA)
    assert same([], [], NICOSIA)
    assert same([], None, NICOSIA)


def test_booleans_and_nulls_compare_naturally():
    assert same(True, True, NICOSIA)
    assert not same(True, 1, NICOSIA)
    assert not same(1, True, NICOSIA)
    assert not same(False, None, NICOSIA)
    assert same(None, None, NICOSIA)
    assert not same(None, "", NICOSIA)
    assert not same("null", None, NICOSIA)


def test_objects_match_on_the_keys_the_task_gives():
    facts = {"budget_max": "500000.00", "cities": ["Limassol"], "note": "x"}
    assert same({"budget_max": 500000, "cities": ["limassol"]}, facts, NICOSIA)
    assert not same({"budget_max": 400000}, facts, NICOSIA)
    assert not same({"missing": None, "other": 1}, facts, NICOSIA)


def test_a_reference_matches_by_id_or_by_name():
    contact = Either(("c-1", "Ivan Petrov"))
    assert same("c-1", contact, NICOSIA)
    assert same("ivan petrov", contact, NICOSIA)
    assert not same("Maria Ioannou", contact, NICOSIA)
    assert same(
        ["12 amathountos ave", "l-2"],
        [Either(("l-1", "12 Amathountos Ave")), Either(("l-2", "7 Coral Bay Rd"))],
        NICOSIA,
    )


def test_failure_messages_show_times_on_the_brokers_clock_and_names_before_ids():
    assert shown("2026-03-17T10:00:00+00:00", NICOSIA, like="2026-03-17T11:00") == (
        "2026-03-17T12:00 Asia/Nicosia"
    )
    assert shown("2026-03-16T22:30:00+00:00", NICOSIA, like="2026-03-16") == "2026-03-17"
    assert shown(Either(("c-1", "Ivan Petrov")), NICOSIA) == "Ivan Petrov (c-1)"
    assert shown([None, True], NICOSIA) == "[null, true]"


def test_parse_moment_knows_what_is_not_a_date_time():
    assert parse_moment("2026-02-30") is None
    assert parse_moment("2026-03") is None
    assert parse_moment("next Tuesday") is None
    moment = parse_moment("2026-03-17T11:00")
    assert moment is not None and moment.precision == 5 and not moment.aware
