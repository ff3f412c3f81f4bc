"""The value types of the canonical JSON: money, aware datetimes, ids and the vocabularies."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field

from crm_store import vocabulary as v

_MONEY = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def describe(value: Any) -> str:
    """A value quoted the way it appears in the file, for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _one_of(values: tuple[str, ...], what: str) -> Callable[[str], str]:
    allowed = ", ".join(values)

    def check(value: str) -> str:
        if value not in values:
            raise ValueError(f"is not {what}; use one of {allowed}")
        return value

    return check


def _parse_when(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                'is not an ISO-8601 datetime; write it like "2026-03-10T09:00:00+02:00"'
            ) from None
    else:
        raise ValueError('is not a datetime; write a string like "2026-03-10T09:00:00+02:00"')
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            'has no UTC offset; add one, like "2026-03-10T09:00:00+02:00" or "…+00:00"'
        )
    return moment.astimezone(UTC)


def _parse_money(value: Any) -> Any:
    if isinstance(value, str) and _MONEY.match(value):
        try:
            return Decimal(value).quantize(Decimal("0.01"))
        except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
            pass
    raise ValueError('is not an amount of EUR; write a string with 2 decimals, like "450000.00"')


def _parse_percent(value: Any) -> Any:
    amount = _parse_money(value)
    if amount > 100:
        raise ValueError('is not a percentage; write a string from "0.00" to "100.00"')
    return amount


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError('is not an IANA time zone; write one like "Asia/Nicosia"') from None
    return value


def _check_period(value: str) -> str:
    if not _PERIOD.match(value):
        raise ValueError('is not a month; write it as YYYY-MM, like "2026-03"')
    return value


def _check_phone(value: str) -> str:
    if not _E164.match(value):
        raise ValueError('is not an E.164 phone number; write it like "+35799123456"')
    return value


def _check_email(value: str) -> str:
    if "@" not in value.strip("@") or any(c.isspace() for c in value):
        raise ValueError('is not an email address; write it like "name@example.com"')
    return value


def _chat_id(value: int) -> int:
    if not -(2**63) <= value < 2**63:
        raise ValueError("is out of range for a Telegram user id")
    return value


def _non_negative(value: int) -> int:
    if value < 0:
        raise ValueError("is negative; use 0 or more")
    return value


Id = Annotated[str, Field(min_length=1, max_length=64)]
When = Annotated[datetime, BeforeValidator(_parse_when)]
Money = Annotated[Decimal, BeforeValidator(_parse_money)]
Percent = Annotated[Decimal, BeforeValidator(_parse_percent)]
Count = Annotated[int, AfterValidator(_non_negative)]
ChatId = Annotated[int, AfterValidator(_chat_id)]
Timezone = Annotated[str, AfterValidator(_check_timezone)]
Period = Annotated[str, AfterValidator(_check_period)]
Phone = Annotated[str, AfterValidator(_check_phone)]
Email = Annotated[str, AfterValidator(_check_email)]
Role = Annotated[str, AfterValidator(_one_of(v.ROLES, "a role"))]
Language = Annotated[str, AfterValidator(_one_of(v.LANGUAGES, "a language"))]
Source = Annotated[str, AfterValidator(_one_of(v.SOURCES, "a contact source"))]
SellerStage = Annotated[str, AfterValidator(_one_of(v.ALL_SELLER_STAGES, "a seller stage"))]
BuyerStage = Annotated[str, AfterValidator(_one_of(v.ALL_BUYER_STAGES, "a buyer stage"))]
Mandate = Annotated[str, AfterValidator(_one_of(v.MANDATES, "a mandate"))]
PropertyType = Annotated[str, AfterValidator(_one_of(v.PROPERTY_TYPES, "a property type"))]
WithdrawnReason = Annotated[
    str, AfterValidator(_one_of(v.WITHDRAWN_REASONS, "a reason for withdrawing"))
]
LostReason = Annotated[str, AfterValidator(_one_of(v.LOST_REASONS, "a reason for a lost deal"))]
Financing = Annotated[str, AfterValidator(_one_of(v.FINANCING, "a kind of financing"))]
FollowUpChannel = Annotated[
    str, AfterValidator(_one_of(v.FOLLOW_UP_CHANNELS, "a follow-up channel"))
]
FollowUpStatus = Annotated[str, AfterValidator(_one_of(v.FOLLOW_UP_STATUSES, "a follow-up status"))]
AppointmentStatus = Annotated[
    str, AfterValidator(_one_of(v.APPOINTMENT_STATUSES, "an appointment status"))
]
Reaction = Annotated[str, AfterValidator(_one_of(v.REACTIONS, "a reaction"))]
NoteSource = Annotated[str, AfterValidator(_one_of(v.NOTE_SOURCES, "a note source"))]
NotificationKind = Annotated[
    str, AfterValidator(_one_of(v.NOTIFICATION_KINDS, "a notification kind"))
]
NotificationStatus = Annotated[
    str, AfterValidator(_one_of(v.NOTIFICATION_STATUSES, "a notification status"))
]
ProposalStatus = Annotated[str, AfterValidator(_one_of(v.PROPOSAL_STATUSES, "a proposal status"))]
