"""What every metric shares: its result type and the filters (broker, period, city, side)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.places import canonical_city
from crm_store.services.followups import resolve_owner_ids
from crm_store.services.periods import Period, parse_period

SIDES = ("seller", "buyer")
Number = int | float | Decimal


@dataclass(frozen=True)
class Metric:
    """One number a manager asked for, how it was cut, and a one-line answer (EN and RU)."""

    name: str
    value: Number | None
    unit: str  # count | ratio | days | EUR
    en: str
    ru: str
    count: int | None = None  # how many records the value is computed over
    breakdown: dict[str, Any] = field(default_factory=dict)

    def text(self, language: str = "en") -> str:
        return self.ru if language == "ru" else self.en


def owners(ctx: Ctx, owner_ids: Collection[str] | None) -> set[str] | None:
    """The brokers looked at: the actor's own (a manager: the team), never beyond."""
    return resolve_owner_ids(ctx, owner_ids)


def period_of(ctx: Ctx, period: Any) -> Period | None:
    return None if period is None else parse_period(period, tz=ctx.actor.timezone)


def period_or_this_month(ctx: Ctx, period: Any) -> Period:
    """The period asked for; without one, the current broker-local month."""
    return parse_period(period or f"{ctx.local_now():%Y-%m}", tz=ctx.actor.timezone)


def city_of(city: str | None) -> str | None:
    """A city in any spelling ("Лимассол") as stored; unknown cities are refused."""
    if city is None:
        return None
    found = canonical_city(city)
    if found is None:
        raise InvalidInput(f"'{city}' is not a city we cover.", f"«{city}» — не наш город.")
    return found


def side_of_filter(side: str | None) -> str | None:
    if side is not None and side not in SIDES:
        raise InvalidInput(
            f"Side is seller or buyer, not '{side}'.", f"Сторона: seller или buyer, не «{side}»."
        )
    return side


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def scope_text(period: Period | None, city: str | None, side: str | None) -> tuple[str, str]:
    """ " (2026-03, Limassol, buyer side)" in both languages, empty when uncut."""
    en = [
        p for p in (period.label if period else None, city, f"{side} side" if side else None) if p
    ]
    side_ru = {"seller": "продавцы", "buyer": "покупатели"}.get(side or "")
    ru = [p for p in (period.label if period else None, city, side_ru) if p]
    return (f" ({', '.join(en)})" if en else "", f" ({', '.join(ru)})" if ru else "")


def average(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
