"""Phone numbers as brokers type them, stored as E.164 so one client is one number."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from crm_store.errors import InvalidInput

DEFAULT_REGION = "CY"
# A Russian number dialled the domestic way ("8 916 123-45-67") from a Cyprus broker's phone.
_RUSSIAN_TRUNK = re.compile(r"^8\d{10}$")


def _parse(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalize_phone(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """The E.164 form ("+35799123456") of a number typed in any usual way, or InvalidInput."""
    text = (raw or "").strip()
    number = _parse(text, region) if text else None
    if number is None:
        digits = re.sub(r"\D", "", text)
        if region != "RU" and _RUSSIAN_TRUNK.match(digits):
            number = _parse(digits, "RU")
    if number is None:
        raise InvalidInput(
            f"'{raw}' is not a phone number I can use. Write it with the country code, "
            "e.g. +357 99 123456 or +7 916 123-45-67 (a Cyprus number may be just 99 123456).",
            f"«{raw}» — не похоже на номер телефона. Укажите его с кодом страны, "
            "например +357 99 123456 или +7 916 123-45-67 (кипрский можно как 99 123456).",
            field="phone",
            value=raw,
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def find_phones(text: str, *, region: str = DEFAULT_REGION) -> list[str]:
    """Every valid phone number mentioned in free text, as E.164, in order, without repeats."""
    found: list[str] = []
    for match in phonenumbers.PhoneNumberMatcher(text or "", region):
        e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
        if e164 not in found:
            found.append(e164)
    return found


def format_phone(e164: str) -> str:
    """A stored number for display ("+357 99 123456"); anything unparsable is shown as is."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def try_normalize_phone(raw: str, *, region: str = DEFAULT_REGION) -> str | None:
    """normalize_phone, or None for text that is not a phone number (for searching)."""
    try:
        return normalize_phone(raw, region=region)
    except InvalidInput:
        return None
