"""The brokerage's fixed vocabulary (SPEC §2–§3): allowed field values and display names."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    SELLER = "seller"
    BUYER = "buyer"


ROLES = ("broker", "manager", "admin")
LANGUAGES = ("en", "ru")
SOURCES = ("referral", "portal", "website", "social", "call", "walk_in", "other")
MANDATES = ("exclusive", "open")
PROPERTY_TYPES = ("apartment", "villa", "house", "townhouse", "penthouse", "plot", "commercial")
FEATURES = (
    "sea_view",
    "mountain_view",
    "pool",
    "private_pool",
    "garden",
    "parking",
    "covered_parking",
    "roof_garden",
    "jacuzzi",
    "new_build",
    "furnished",
    "air_conditioning",
    "underfloor_heating",
    "fireplace",
    "storage",
    "elevator",
    "gym",
    "beachfront",
    "pet_friendly",
    "smart_home",
    "solar_panels",
    "dishwasher",
    "washer",
    "balcony",
    "bbq",
    "near_schools",
    "quiet",
)
FINANCING = ("cash", "mortgage", "unknown")
FOLLOW_UP_CHANNELS = ("call", "message", "email", "meeting")
FOLLOW_UP_STATUSES = ("open", "done", "cancelled")
APPOINTMENT_STATUSES = ("scheduled", "done", "no_show", "cancelled")
REACTIONS = ("liked", "neutral", "disliked")
NOTE_SOURCES = ("text", "dictation", "voice")
NOTIFICATION_KINDS = (
    "daily_digest",
    "due_soon",
    "missed",
    "gap",
    "new_match",
    "stale_deal",
    "weekly_review",
)
NOTIFICATION_STATUSES = ("pending", "sent", "failed")
PROPOSAL_STATUSES = ("pending", "accepted", "declined", "expired")

SELLER_STAGES = (
    "prospect",
    "contacted",
    "agreement_signed",
    "active_listing",
    "sold",
    "commission_payment",
    "closed_won",
)
SELLER_EXIT = "withdrawn"
WITHDRAWN_REASONS = ("changed_mind", "sold_independently", "unsatisfied_with_service", "other")

BUYER_STAGES = (
    "qualification",
    "demand_research",
    "viewing",
    "decision",
    "signing",
    "payment",
    "closed_won",
)
BUYER_EXIT = "closed_lost"
LOST_REASONS = (
    "bought_elsewhere",
    "budget",
    "changed_plans",
    "unresponsive",
    "competitor",
    "other",
)

ALL_SELLER_STAGES = (*SELLER_STAGES, SELLER_EXIT)
ALL_BUYER_STAGES = (*BUYER_STAGES, BUYER_EXIT)

STAGE_NAMES: dict[str, dict[str, str]] = {
    "prospect": {"en": "Prospect", "ru": "Потенциальный продавец"},
    "contacted": {"en": "Contacted", "ru": "Контакт установлен"},
    "agreement_signed": {"en": "Agreement Signed", "ru": "Договор подписан"},
    "active_listing": {"en": "Active Listing", "ru": "Активный объект"},
    "sold": {"en": "Sold", "ru": "Продан"},
    "commission_payment": {"en": "Agent Commission Payment", "ru": "Выплата комиссии"},
    "withdrawn": {"en": "Listing Withdrawn", "ru": "Снят с продажи"},
    "qualification": {"en": "Qualification", "ru": "Квалификация"},
    "demand_research": {"en": "Demand Research", "ru": "Изучение потребностей"},
    "viewing": {"en": "Solution/Viewing", "ru": "Подбор и показы"},
    "decision": {"en": "Decision Making", "ru": "Принятие решения"},
    "signing": {"en": "Deal Signing", "ru": "Подписание сделки"},
    "payment": {"en": "Payment Process", "ru": "Оплата"},
    "closed_won": {"en": "Closed Won", "ru": "Сделка закрыта"},
    "closed_lost": {"en": "Closed Lost", "ru": "Сделка потеряна"},
}


def stage_name(stage: str, language: str = "en") -> str:
    """The display name of a stage in the broker's language."""
    names = STAGE_NAMES.get(stage)
    if names is None:
        return stage
    return names.get(language, names["en"])


def stages_of(side: Side) -> tuple[str, ...]:
    """The ordered open-to-won stages of one side."""
    return SELLER_STAGES if side is Side.SELLER else BUYER_STAGES


def exit_stage_of(side: Side) -> str:
    return SELLER_EXIT if side is Side.SELLER else BUYER_EXIT


def is_terminal(stage: str) -> bool:
    """Won, withdrawn and lost deals are closed until reactivated."""
    return stage in ("closed_won", SELLER_EXIT, BUYER_EXIT)
