"""How tools word things for brokers: money, times, places, deals — in English or Russian."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from crm_store.models import BuyerRequest, Contact, Listing
from crm_store.places import place_name
from crm_store.services.workhours import describe
from crm_store.vocabulary import stage_name


def say(language: str, en: str, ru: str) -> str:
    return ru if language == "ru" else en


def money(value: Decimal | None, language: str = "en") -> str:
    """€480,000 (EN) or €480 000 (RU); cents only when there are some."""
    if value is None:
        return "—"
    text = f"{value:,.2f}" if value % 1 else f"{value:,.0f}"
    if language == "ru":
        text = text.replace(",", " ").replace(".", ",")
    return f"€{text}"


def when(dt: datetime | None, *, tz: str, language: str = "en") -> str:
    return describe(dt, tz=tz, language=language) if dt is not None else "—"


def place(city: str | None, district: str | None, language: str = "en") -> str:
    parts = [place_name(p, language) for p in (district, city) if p]
    return ", ".join(parts) or "—"


def listing_line(listing: Listing, language: str = "en") -> str:
    """ "l-12 Villa, Peyia, Paphos — €850,000, 4 bd (Active Listing)"."""
    kind = listing.property_type.capitalize()
    beds = f", {listing.bedrooms} bd" if listing.bedrooms else ""
    facts = f"{money(listing.price, language)}{beds}"
    stage = stage_name(listing.stage, language)
    where = place(listing.city, listing.district, language)
    return f"{listing.id} {kind}, {where} — {facts} ({stage})"


def request_line(request: BuyerRequest, buyer: Contact | None, language: str = "en") -> str:
    """ "r-3 Ivan Petrov: €400,000–€500,000, Limassol, 3+ bd (Qualification)"."""
    budget = _budget(request, language)
    where = ", ".join(place_name(c, language) for c in [*request.districts, *request.cities]) or "—"
    beds = f", {request.bedrooms_min}+ bd" if request.bedrooms_min else ""
    who = buyer.full_name if buyer else request.buyer
    stage = stage_name(request.stage, language)
    return f"{request.id} {who}: {budget}, {where}{beds} ({stage})"


def _budget(request: BuyerRequest, language: str) -> str:
    low, high = request.budget_min, request.budget_max
    if low and high:
        return f"{money(low, language)}–{money(high, language)}"
    if high:
        return say(language, "up to ", "до ") + money(high, language)
    if low:
        return say(language, "from ", "от ") + money(low, language)
    return say(language, "budget unknown", "бюджет не указан")
