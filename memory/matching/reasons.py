"""Why a listing fits a buyer, in words a broker reads (English and Russian)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm_store.features import feature_name
from crm_store.places import place_name


def money_short(value: float, language: str = "en") -> str:
    """€520k, €1.25M, €950 — how brokers say prices in a message."""
    if value >= 1_000_000:
        amount = f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".")
        return f"€{amount}M" if language != "ru" else f"€{amount} млн"
    if value >= 10_000:
        amount = f"{value / 1000:.0f}"
        return f"€{amount}k" if language != "ru" else f"€{amount} тыс."
    return f"€{value:,.0f}" if language != "ru" else f"€{value:,.0f}".replace(",", " ")


def money_full(value: float, language: str = "en") -> str:
    text = f"€{value:,.0f}"
    return text.replace(",", " ") if language == "ru" else text


def _plural_ru(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def bedrooms_text(n: int, language: str = "en") -> str:
    if language == "ru":
        return f"{n} {_plural_ru(n, 'спальня', 'спальни', 'спален')}"
    return f"{n} bedroom" if n == 1 else f"{n} bedrooms"


def _features(keys: list[str], language: str) -> str:
    return ", ".join(feature_name(key, language) for key in keys)


def _quote(text: str, language: str) -> str:
    short = text if len(text) <= 90 else text[:87].rsplit(" ", 1)[0] + "…"
    return f"«{short}»" if language == "ru" else f"“{short}”"


@dataclass(frozen=True)
class Reason:
    """One piece of evidence: a code and its facts, rendered in any language on demand."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, language: str = "en") -> str:
        render = _RENDER.get(self.code)
        return render(self.params, language) if render else self.code

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, **self.params}


def _within_budget(p: dict[str, Any], lang: str) -> str:
    price = money_short(p["price"], lang)
    return f"{price} — в рамках бюджета" if lang == "ru" else f"{price} within budget"


def _stretch(p: dict[str, Any], lang: str) -> str:
    price, pct = money_short(p["price"], lang), p["pct"]
    if lang == "ru":
        return f"{price} — на {pct}% выше бюджета (допустимо до 10%)"
    return f"{price}, {pct}% above budget (within the 10% stretch)"


def _below_range(p: dict[str, Any], lang: str) -> str:
    price = money_short(p["price"], lang)
    return f"{price} — ниже ожидаемой цены" if lang == "ru" else f"{price}, below the budget range"


def _place(p: dict[str, Any], lang: str) -> str:
    where = place_name(p["place"], lang)
    if p.get("wished"):
        return f"{where} — как хотели" if lang == "ru" else f"in {where}, as wished"
    return f"район {where}" if lang == "ru" else f"in {where}"


def _must(p: dict[str, Any], lang: str) -> str:
    names = _features(p["features"], lang)
    return f"{names} — обязательно, есть" if lang == "ru" else f"{names}: must-have, present"


def _wished(p: dict[str, Any], lang: str) -> str:
    names = _features(p["features"], lang)
    return f"{names} — как просили" if lang == "ru" else f"{names} requested and present"


def _described(p: dict[str, Any], lang: str) -> str:
    names = _features(p["features"], lang)
    return f"в описании: {names}" if lang == "ru" else f"described as {names}"


def _passage(p: dict[str, Any], lang: str) -> str:
    quote = _quote(p["passage"], lang)
    wish = p.get("wish", "")
    if lang == "ru":
        return f"«{wish}» → в описании: {quote}" if wish else f"в описании: {quote}"
    return f"“{wish}” → described: {quote}" if wish else f"described: {quote}"


def _type(p: dict[str, Any], lang: str) -> str:
    return p["type"]


_RENDER = {
    "within_budget": _within_budget,
    "budget_stretch": _stretch,
    "below_budget_range": _below_range,
    "bedrooms": lambda p, lang: bedrooms_text(int(p["bedrooms"]), lang),
    "place": _place,
    "must_have": _must,
    "wish_feature": _wished,
    "described_feature": _described,
    "wish_passage": _passage,
    "property_type": _type,
}


def reason_texts(reasons: list[Reason], language: str = "en") -> list[str]:
    return [reason.text(language) for reason in reasons]
