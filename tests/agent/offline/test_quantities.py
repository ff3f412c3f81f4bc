"""Bedrooms (Cyprus convention), timelines, percentages and counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agent.offline.quantities import (
    find_bedrooms,
    find_count,
    find_percent,
    find_timeline_months,
    match_bedrooms,
    match_timeline_months,
)


@pytest.mark.parametrize(
    ("text", "bedrooms"),
    [
        ("3-bed villa", 3),
        ("3 bedrooms", 3),
        ("three-bedroom apartment", 3),
        ("3br in Limassol", 3),
        ("2 bed 2 bath", 2),
        ("bedrooms: 4", 4),
        ("studio in Paphos", 0),
        ("budget 500k, 3 bedrooms", 3),
        ("3 спальни", 3),
        ("3-спальная квартира", 3),
        ("трёхспальная", 3),
        ("с тремя спальнями", 3),
        ("минимум 2 спальни", 2),
        # Rooms in Russian count the living room; Cyprus brokers count bedrooms.
        ("трёшка в Лимассоле", 2),
        ("ищут трешку", 2),
        ("двушка", 1),
        ("однушка", 0),
        ("трёхкомнатная квартира", 2),
        ("3-комнатная", 2),
        ("4 комнаты", 3),
        ("3к квартира в Лимассоле", 2),
        ("студия", 0),
    ],
)
def test_bedrooms(text: str, bedrooms: int) -> None:
    assert find_bedrooms(text) == bedrooms


@pytest.mark.parametrize(
    "text", ["top 5 villas", "budget 500k", "2 bathrooms", "call at 3", "5 вариантов", ""]
)
def test_no_bedrooms(text: str) -> None:
    assert find_bedrooms(text) is None


@pytest.mark.parametrize("text", ["4+ bedrooms", "at least 3 bedrooms", "от 2 спален"])
def test_a_minimum_number_of_bedrooms_is_marked(text: str) -> None:
    found = match_bedrooms(text)
    assert found is not None
    assert found.qualifier == "min"


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("within 3-6 months", 6),
        ("over the next 6 months", 6),
        ("in 6 months", 6),
        ("next year", 12),
        ("in 2 years", 24),
        ("1-2 years", 24),
        ("a year or two", 24),
        ("in half a year", 6),
        ("asap", 1),
        ("через полгода", 6),
        ("не раньше чем через год", 12),
        ("в течение 3 месяцев", 3),
        ("в течение года", 12),
        ("через год-два", 24),
        ("через 2 года", 24),
        ("в следующем году", 12),
        ("полтора года", 18),
        ("срочно", 1),
    ],
)
def test_timeline_months(text: str, months: int) -> None:
    assert find_timeline_months(text) == months


@pytest.mark.parametrize("text", ["call tomorrow", "3 months ago", "3 bedrooms", ""])
def test_no_timeline(text: str) -> None:
    assert find_timeline_months(text) is None


def test_not_before_a_year_is_a_lower_bound() -> None:
    found = match_timeline_months("Клиент купит не раньше чем через год")
    assert found is not None
    assert (found.value, found.qualifier, found.text) == (
        Decimal(12),
        "min",
        "не раньше чем через год",
    )


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        ("3%", Decimal(3)),
        ("commission 2,5 %", Decimal("2.5")),
        ("2.5 percent", Decimal("2.5")),
        ("5 процентов", Decimal(5)),
        ("пять процентов", Decimal(5)),
    ],
)
def test_percent(text: str, percent: Decimal) -> None:
    assert find_percent(text) == percent


@pytest.mark.parametrize("text", ["no percent here", "500k", ""])
def test_no_percent(text: str) -> None:
    assert find_percent(text) is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("top 5", 5),
        ("show me top-3 villas", 3),
        ("5 вариантов", 5),
        ("пять вариантов", 5),
        ("show me 3", 3),
        ("покажи 7 объектов", 7),
        ("first 10 listings", 10),
        ("3 best options", 3),
        ("find 5 villas with 3 bedrooms", 5),
    ],
)
def test_count(text: str, count: int) -> None:
    assert find_count(text) == count


@pytest.mark.parametrize("text", ["I want a villa", "3 bedrooms", "show me 3-bed villas", "500k"])
def test_no_count(text: str) -> None:
    assert find_count(text) is None


def test_span_points_at_the_words_as_typed() -> None:
    text = "Ищут  ТРЁШКУ 🙂 у моря"
    found = match_bedrooms(text)
    assert found is not None
    assert text[found.span[0] : found.span[1]] == "ТРЁШКУ"
