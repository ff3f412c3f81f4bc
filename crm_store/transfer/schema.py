"""What one record of each entity looks like in the canonical JSON (SPEC §2 keys, in §2 order)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from crm_store.transfer.fields import (
    AppointmentStatus,
    BuyerStage,
    ChatId,
    Count,
    Email,
    Financing,
    FollowUpChannel,
    FollowUpStatus,
    Id,
    Language,
    LostReason,
    Mandate,
    Money,
    NoteSource,
    NotificationKind,
    NotificationStatus,
    Percent,
    Period,
    Phone,
    PropertyType,
    ProposalStatus,
    Reaction,
    Role,
    SellerStage,
    Source,
    Timezone,
    When,
    WithdrawnReason,
)

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


class ProposalCall(BaseModel):
    """One tool call of a proposal, exactly as it will run."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1)]
    args: dict[str, Any] = Field(default_factory=dict)


class ProposalRecord(Record):
    references: ClassVar[dict[str, str]] = {"broker": "brokers"}

    id: Id
    broker: Id
    channel: Annotated[str, Field(min_length=1)]
    thread: Annotated[str, Field(min_length=1)]
    calls: list[ProposalCall] = Field(default_factory=list)
    readback: str = ""
    created_at: When | None = None
    expires_at: When | None = None
    status: ProposalStatus = "pending"
    decided_at: When | None = None


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
    "proposals": ProposalRecord,
}
ENTITIES: tuple[str, ...] = tuple(SCHEMAS)

# Lists of nested objects whose `listing` is a reference too.
NESTED: dict[tuple[str, str], type[Record]] = {
    ("appointments", "feedback"): FeedbackItem,
    ("curated_lists", "items"): CuratedItem,
}
