"""What one record of each entity looks like in the canonical JSON (SPEC §2 keys, in §2 order)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from crm_store import vocabulary as v

# The contract names these reference fields; each may carry a readable `<field>_name` sibling.
REFERENCE_FIELDS = (
    "owner",
    "seller",
    "buyer",
    "contact",
    "deal",
    "author",
    "broker",
    "by",
    "buyer_request",
    "listing",
)

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


class Record(BaseModel):
    """Strict: a number is not a string, a string is not money, an unknown key is an error."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    # Which fields point at which entity ("deal": a listing or a buyer request).
    references: ClassVar[dict[str, str]] = {}


class FeedbackItem(Record):
    references: ClassVar[dict[str, str]] = {"listing": "listings"}

    listing: Id
    reaction: Reaction
    text: str | None = None


class CuratedItem(Record):
    references: ClassVar[dict[str, str]] = {"listing": "listings"}

    listing: Id
    rank: Count
    score: float
    reasons: list[str] = Field(default_factory=list)


class BrokerRecord(Record):
    id: Id
    name: str
    role: Role = "broker"
    team: str = "main"
    timezone: Timezone = "Asia/Nicosia"
    language: Language = "en"
    telegram_user_id: ChatId | None = None
    slack_user_id: str | None = None
    active: bool = True


class ContactRecord(Record):
    references: ClassVar[dict[str, str]] = {"owner": "brokers"}

    id: Id
    owner: Id
    full_name: str
    phones: list[Phone] = Field(default_factory=list)
    emails: list[Email] = Field(default_factory=list)
    language: Language | None = None
    source: Source = "other"
    tags: list[str] = Field(default_factory=list)
    created_at: When | None = None  # defaults to the moment of the import


class ListingRecord(Record):
    references: ClassVar[dict[str, str]] = {"owner": "brokers", "seller": "contacts"}

    id: Id
    owner: Id
    seller: Id | None = None
    stage: SellerStage = "prospect"
    mandate: Mandate | None = None
    property_type: PropertyType = "apartment"
    city: str | None = None
    district: str | None = None
    address: str | None = None
    price: Money | None = None
    bedrooms: Count | None = None
    bathrooms: Count | None = None
    area_m2: float | None = None
    features: list[str] = Field(default_factory=list)
    description: str | None = None
    commission_pct: Percent | None = None
    listed_at: When | None = None
    closed_price: Money | None = None
    withdrawn_reason: WithdrawnReason | None = None
    created_at: When | None = None
    updated_at: When | None = None  # defaults to created_at


class BuyerRequestRecord(Record):
    references: ClassVar[dict[str, str]] = {"owner": "brokers", "buyer": "contacts"}

    id: Id
    owner: Id
    buyer: Id
    stage: BuyerStage = "qualification"
    budget_min: Money | None = None
    budget_max: Money | None = None
    cities: list[str] = Field(default_factory=list)
    districts: list[str] = Field(default_factory=list)
    property_types: list[PropertyType] = Field(default_factory=list)
    bedrooms_min: Count | None = None
    must_haves: list[str] = Field(default_factory=list)
    wishes: str | None = None
    timeline_months: Count | None = None
    financing: Financing = "unknown"
    nurturing: bool | None = None  # derived from timeline_months (SPEC §4) when absent
    lost_reason: LostReason | None = None
    expected_commission: Money | None = None
    created_at: When | None = None
    updated_at: When | None = None


class StageChangeRecord(Record):
    references: ClassVar[dict[str, str]] = {"deal": "deals", "by": "brokers"}

    id: Id
    deal: Id
    from_stage: str | None = None  # checked against the deal's side once deals are known
    to_stage: str
    at: When
    by: Id | None = None
    reason: str | None = None


class FollowUpRecord(Record):
    references: ClassVar[dict[str, str]] = {
        "owner": "brokers",
        "contact": "contacts",
        "deal": "deals",
    }

    id: Id
    owner: Id
    contact: Id
    deal: Id | None = None
    due_at: When
    channel: FollowUpChannel = "call"
    purpose: str | None = None
    status: FollowUpStatus = "open"
    completed_at: When | None = None
    outcome: str | None = None


class AppointmentRecord(Record):
    references: ClassVar[dict[str, str]] = {
        "owner": "brokers",
        "contact": "contacts",
        "deal": "deals",
    }

    id: Id
    owner: Id
    contact: Id
    deal: Id | None = None
    listings: list[Id] = Field(default_factory=list)
    scheduled_at: When
    status: AppointmentStatus = "scheduled"
    feedback: list[FeedbackItem] = Field(default_factory=list)
    next_step: str | None = None


class NoteRecord(Record):
    references: ClassVar[dict[str, str]] = {
        "author": "brokers",
        "contact": "contacts",
        "deal": "deals",
    }

    id: Id
    author: Id
    contact: Id | None = None
    deal: Id | None = None
    text: str
    source: NoteSource = "text"
    transcript: str | None = None
    facts: dict[str, Any] | None = None
    created_at: When | None = None


class CuratedListRecord(Record):
    references: ClassVar[dict[str, str]] = {
        "owner": "brokers",
        "buyer_request": "buyer_requests",
    }

    id: Id
    owner: Id
    buyer_request: Id
    items: list[CuratedItem] = Field(default_factory=list)
    created_at: When | None = None
    sent_at: When | None = None


class NotificationRecord(Record):
    references: ClassVar[dict[str, str]] = {"broker": "brokers"}

    id: Id
    broker: Id
    kind: NotificationKind
    dedupe_key: Annotated[str, Field(min_length=1)]
    payload: dict[str, Any] = Field(default_factory=dict)
    channel: str | None = None
    created_at: When | None = None
    sent_at: When | None = None
    status: NotificationStatus = "pending"


class PlanRecord(Record):
    references: ClassVar[dict[str, str]] = {"broker": "brokers"}

    id: Id
    team: str
    broker: Id | None = None
    period: Period
    revenue_target: Money | None = None
    deals_target: Count | None = None


# The canonical entities in SPEC §2 order, which is also an order that satisfies every foreign key.
SCHEMAS: dict[str, type[Record]] = {
    "brokers": BrokerRecord,
    "contacts": ContactRecord,
    "listings": ListingRecord,
    "buyer_requests": BuyerRequestRecord,
    "stage_changes": StageChangeRecord,
    "follow_ups": FollowUpRecord,
    "appointments": AppointmentRecord,
    "notes": NoteRecord,
    "curated_lists": CuratedListRecord,
    "notifications": NotificationRecord,
    "plans": PlanRecord,
}
ENTITIES: tuple[str, ...] = tuple(SCHEMAS)

# Lists of nested objects whose `listing` is a reference too.
NESTED: dict[tuple[str, str], type[Record]] = {
    ("appointments", "feedback"): FeedbackItem,
    ("curated_lists", "items"): CuratedItem,
}
