"""How numbers and fields read to brokers: "€850K", "40%", "Villa", "3-6 months", "звонок"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from crm_store.features import feature_name

PROPERTY_TYPE_NAMES = {
    "apartment": ("Apartment", "Квартира"),
    "villa": ("Villa", "Вилла"),
    "house": ("House", "Дом"),
    "townhouse": ("Townhouse", "Таунхаус"),
    "penthouse": ("Penthouse", "Пентхаус"),
    "plot": ("Plot", "Участок"),
    "commercial": ("Commercial", "Коммерческая"),
}
MANDATE_NAMES = {
    "exclusive": ("Exclusive", "Эксклюзив"),
    "open": ("Open", "Открытый"),
    None: ("Not signed", "Не подписан"),
}
FOLLOW_UP_CHANNEL_NAMES = {
    "call": ("call", "звонок"),
    "message": ("message", "сообщение"),
    "email": ("email", "письмо"),
    "meeting": ("meeting", "встреча"),
}
# Brokers speak of timelines in ranges; a stored month count reads as the range it falls in.
TIMELINE_RANGES = ((3, "0-3"), (6, "3-6"), (12, "6-12"))


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "ru" else pair[0]


def compact_eur(amount: Decimal | float | int | None, language: str = "en") -> str:
    """€850K, €1.25M, €900; "—" when unknown."""
    if amount is None:
        return "—"
    value = Decimal(str(amount))
    for size, suffix in ((Decimal(1_000_000), "M"), (Decimal(1_000), "K")):
        if abs(value) >= size:
            scaled = (value / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            text = f"{scaled:f}".rstrip("0").rstrip(".")
            if language == "ru":
                text = text.replace(".", ",")
            return f"€{text}{suffix}"
    return f"€{value.quantize(Decimal(1), rounding=ROUND_HALF_UP)}"


def percent(probability: float) -> str:
    """0.675 → "68%" (half up, as people round)."""
    exact = Decimal(str(round(probability * 100, 6)))
    return f"{exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def property_type_name(key: str | None, language: str = "en") -> str:
    pair = PROPERTY_TYPE_NAMES.get(key or "")
    return _pick(pair, language) if pair else (key or "—").capitalize()


def channel_name(key: str | None, language: str = "en") -> str:
    """A follow-up's channel in the broker's language: "call" / "звонок"."""
    return _pick(FOLLOW_UP_CHANNEL_NAMES.get(key or "", (key or "", key or "")), language)


EXIT_REASON_NAMES = {
    "changed_mind": ("changed their mind", "передумал"),
    "sold_independently": ("sold it themselves", "продал сам"),
    "unsatisfied_with_service": ("unhappy with our service", "недоволен сервисом"),
    "bought_elsewhere": ("bought elsewhere", "купил в другом месте"),
    "budget": ("budget", "бюджет"),
    "changed_plans": ("changed plans", "изменились планы"),
    "unresponsive": ("stopped responding", "перестал отвечать"),
    "competitor": ("went to a competitor", "ушёл к конкуренту"),
    "other": ("other", "другое"),
}


def exit_reason_name(reason: str | None, language: str = "en") -> str:
    """Why a listing was withdrawn or a buyer lost, as a broker says it; free text as given."""
    key = (reason or "").split(":", 1)[0].strip()
    pair = EXIT_REASON_NAMES.get(key)
    if pair is None:
        return reason or ""
    detail = (reason or "").split(":", 1)[1].strip() if ":" in (reason or "") else ""
    return _pick(pair, language) + (f" ({detail})" if detail else "")


def mandate_name(key: str | None, language: str = "en") -> str:
    return _pick(MANDATE_NAMES.get(key, (str(key), str(key))), language)


def timeline_text(months: int | None, language: str = "en") -> str:
    """6 → "3-6 months"; 18 → "12+ months"; None → "not set"."""
    ru = language == "ru"
    if months is None:
        return "не указан" if ru else "not set"
    for top, label in TIMELINE_RANGES:
        if months <= top:
            return f"{label} мес." if ru else f"{label} months"
    return "12+ мес." if ru else "12+ months"


def features_text(keys: Any, language: str = "en") -> str:
    return ", ".join(feature_name(str(key), language) for key in keys or ())


CRITERIA_LABELS = {
    "budget_min": ("budget from", "бюджет от"),
    "budget_max": ("budget up to", "бюджет до"),
    "cities": ("cities", "города"),
    "districts": ("districts", "районы"),
    "property_types": ("types", "типы"),
    "bedrooms_min": ("bedrooms", "спален"),
    "must_haves": ("must-haves", "обязательно"),
    "wishes": ("wishes", "пожелания"),
    "timeline_months": ("timeline", "срок"),
    "financing": ("financing", "оплата"),
}


def criteria_change_text(key: str, value: Any, language: str = "en") -> str:
    """One changed criterion as a broker reads it: "budget up to €500K", "must-haves: pool"."""
    label = _pick(CRITERIA_LABELS.get(key, (key, key)), language)
    joiner = " " if key in ("budget_min", "budget_max") else ": "
    return f"{label}{joiner}{criteria_value_text(key, value, language)}"


def criteria_value_text(key: str, value: Any, language: str = "en") -> str:
    """A criterion's value alone ("€500K", "pool, garden"), for "(was …)" in a read-back."""
    if key in ("budget_min", "budget_max"):
        return compact_eur(value, language) if value is not None else "—"
    if key == "must_haves":
        return features_text(value, language) or "—"
    if key == "property_types":
        return ", ".join(property_type_name(v, language) for v in value or ()) or "—"
    if key == "timeline_months":
        return timeline_text(value, language)
    if key == "bedrooms_min":
        return f"{value}+" if value is not None else "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return str(value) if value not in (None, "") else "—"
