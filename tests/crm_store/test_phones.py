"""Phone numbers typed any usual way are one E.164 number; nonsense is refused with advice."""

from __future__ import annotations

import pytest

from crm_store.errors import InvalidInput
from crm_store.services.phones import find_phones, format_phone, normalize_phone


@pytest.mark.parametrize("raw", ["+357 99 123456", "0035799123456", "99123456", "99-123-456"])
def test_cyprus_variants_are_one_number(raw: str) -> None:
    assert normalize_phone(raw) == "+35799123456"


def test_russian_numbers() -> None:
    assert normalize_phone("+7 916 123-45-67") == "+79161234567"
    assert normalize_phone("8 916 1234567", region="RU") == "+79161234567"
    # Dialled the Russian domestic way from Cyprus: still the Russian number.
    assert normalize_phone("8 916 123-45-67") == "+79161234567"


def test_region_decides_numbers_without_a_country_code() -> None:
    assert normalize_phone("916 123-45-67", region="RU") == "+79161234567"
    assert normalize_phone("020 7946 0958", region="GB") == "+442079460958"


@pytest.mark.parametrize("raw", ["12345", "abc", "", "+357 99 12345"])
def test_invalid_numbers_say_which_format_to_use(raw: str) -> None:
    with pytest.raises(InvalidInput) as error:
        normalize_phone(raw)
    assert "+357 99 123456" in error.value.en
    assert "+357 99 123456" in error.value.ru
    assert error.value.ru != error.value.en


def test_find_phones_in_free_text() -> None:
    text = "Call him on 99 123456 or +7 916 123-45-67 (same: +357 99 123456), mail x@y.com"
    assert find_phones(text) == ["+35799123456", "+79161234567"]
    assert find_phones("no numbers here, only 2026 and 3 bedrooms") == []


def test_format_phone_for_display() -> None:
    assert format_phone("+35799123456") == "+357 99 123456"
    assert format_phone("not a number") == "not a number"
