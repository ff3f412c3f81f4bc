"""A Curated List as a PDF brochure for the buyer: a cover with their criteria, a page per listing.

What reaches the buyer: the listing's facts, price, description and why it fits — never the
seller's name or phone (also scrubbed from the description's text), nor the exact address (the
broker gives that with the viewing). Fonts and their Cyrillic caveat: memory/brochure_layout.py.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import InvalidInput, NotFound
from crm_store.features import feature_name
from crm_store.models import BuyerRequest, Contact, CuratedList, Listing
from crm_store.places import place_name
from crm_store.repositories import people
from crm_store.repositories.appointments import listings_by_ids
from crm_store.repositories.deals import get_buyer_request
from crm_store.services.permissions import can_see_listing_facts, ensure_readable
from memory.brochure_layout import Cover, ListingPage, write_brochure
from memory.matching.reasons import Reason, money_full
from memory.render import TYPE_NAMES_RU

MAX_DESCRIPTION = 1100  # characters; cut at a sentence end so a page never overflows
MAX_REASONS = 7
MAX_WISHES = 300

_LABELS = {
    "en": {
        "title": "Curated selection", "budget": "Budget", "places": "Location",
        "types": "Property type", "bedrooms": "Bedrooms", "bathrooms": "Bathrooms",
        "area": "Area", "features": "Features", "must": "Must-haves", "wishes": "Wishes",
        "why": "Why it fits", "about": "About the property", "listing": "Listing",
        "property": "Property {rank} of {count}", "page": "Page", "prepared": "Prepared by {name}",
        "selected": "{count} properties selected · {date}", "from": "from", "to": "up to",
    },
    "ru": {
        "title": "Подборка объектов", "budget": "Бюджет", "places": "Район",
        "types": "Тип", "bedrooms": "Спальни", "bathrooms": "Санузлы",
        "area": "Площадь", "features": "Особенности", "must": "Обязательно",
        "wishes": "Пожелания", "why": "Почему подходит", "about": "Об объекте",
        "listing": "Объект", "property": "Объект {rank} из {count}", "page": "Стр.",
        "prepared": "Подготовил(а): {name}", "selected": "Объектов в подборке: {count} · {date}",
        "from": "от", "to": "до",
    },
}  # fmt: skip
_MONTHS_RU = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
# Eight digits or more in one run of digits and separators (a Cyprus number has 8): a phone,
# not a price ("1 250 000", "€1,250,000").
_PHONE_LIKE = re.compile(r"\+?\(?\d(?:[\s().\-/]*\d){7,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*[\r\n]+\s*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def render_brochure(
    ctx: Ctx,
    *,
    curated_list_id: str,
    out_dir: Path,
    language: str = "en",
    brokerage: str = "",
) -> Path:
    """Writes the brochure of a Curated List under `out_dir` and returns its path (not sent)."""
    lang = "ru" if language == "ru" else "en"
    curated = ctx.session.get(CuratedList, curated_list_id)
    if curated is None:
        raise NotFound(
            f"There is no curated list {curated_list_id}. Build one for the buyer first.",
            f"Подборки {curated_list_id} нет. Сначала соберите подборку для покупателя.",
        )
    ensure_readable(ctx, curated, what="curated list")
    request = get_buyer_request(ctx.session, curated.buyer_request)
    buyer = people.get_contact(ctx.session, request.buyer) if request else None
    broker = people.get_broker(ctx.session, curated.owner)
    items = sorted(
        (i for i in curated.items or [] if isinstance(i, dict)), key=lambda i: i.get("rank", 0)
    )
    found = listings_by_ids(ctx.session, [str(i.get("listing")) for i in items])
    shown = [
        (item, found[item["listing"]])
        for item in items
        if item.get("listing") in found and _on_offer(ctx, found[item["listing"]])
    ]
    if not shown:
        raise InvalidInput(
            "None of this curated list's listings is still on the market. Build a new list.",
            "Ни один объект этой подборки больше не продаётся. Соберите новую подборку.",
        )
    sellers = _sellers(ctx, [listing for _item, listing in shown])
    labels = _LABELS[lang]
    broker_name = broker.name if broker else ctx.actor.name
    buyer_name = buyer.full_name if buyer else ""
    cover = Cover(
        heading=brokerage or broker_name,
        title=labels["title"],
        buyer_name=buyer_name,
        criteria=_criteria(request, lang),
        summary=labels["selected"].format(
            count=len(shown), date=_date(curated.created_at.astimezone(ctx.actor.tz), lang)
        ),
        prepared_by=labels["prepared"].format(name=broker_name),
    )
    pages = [
        _listing_page(item, listing, sellers.get(listing.seller or ""), rank, len(shown), lang)
        for rank, (item, listing) in enumerate(shown, start=1)
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"curated-{curated.id}-{_slug(buyer_name) or 'buyer'}.pdf"
    # Written aside and moved in: a channel never picks up a half-written file.
    handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=".brochure-", suffix=".pdf")
    os.close(handle)
    try:
        write_brochure(Path(temporary), cover=cover, pages=pages, page_word=labels["page"])
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


def _on_offer(ctx: Ctx, listing: Listing) -> bool:
    return listing.stage == "active_listing" and can_see_listing_facts(ctx, listing)


def _sellers(ctx: Ctx, listings: list[Listing]) -> dict[str, Contact]:
    """Sellers are read only to scrub their name and phones from the descriptions."""
    ids = [listing.seller for listing in listings if listing.seller]
    return {c.id: c for c in people.contacts_by_ids(ctx.session, ids)}


def _criteria(request: BuyerRequest | None, lang: str) -> list[tuple[str, str]]:
    if request is None:
        return []
    labels = _LABELS[lang]
    rows: list[tuple[str, str]] = []
    low, high = request.budget_min, request.budget_max
    if low and high:
        rows.append((labels["budget"], f"{_money(low, lang)} – {_money(high, lang)}"))
    elif high:
        rows.append((labels["budget"], f"{labels['to']} {_money(high, lang)}"))
    elif low:
        rows.append((labels["budget"], f"{labels['from']} {_money(low, lang)}"))
    places = [*(request.districts or []), *(request.cities or [])]
    if places:
        rows.append((labels["places"], ", ".join(place_name(str(p), lang) for p in places)))
    if request.property_types:
        rows.append((labels["types"], ", ".join(_type(t, lang) for t in request.property_types)))
    if request.bedrooms_min:
        rows.append((labels["bedrooms"], f"{request.bedrooms_min}+"))
    if request.must_haves:
        names = ", ".join(feature_name(str(k), lang) for k in request.must_haves)
        rows.append((labels["must"], names))
    if request.wishes and request.wishes.strip():
        rows.append((labels["wishes"], _shorten(request.wishes.strip(), MAX_WISHES)))
    return rows


def _listing_page(
    item: dict[str, Any], listing: Listing, seller: Contact | None, rank: int, count: int, lang: str
) -> ListingPage:
    labels = _LABELS[lang]
    facts: list[tuple[str, str]] = []
    if listing.bedrooms is not None:
        facts.append((labels["bedrooms"], str(listing.bedrooms)))
    if listing.bathrooms is not None:
        facts.append((labels["bathrooms"], str(listing.bathrooms)))
    if listing.area_m2:
        facts.append(
            (labels["area"], f"{float(listing.area_m2):.0f} {'м²' if lang == 'ru' else 'm²'}")
        )
    if listing.features:
        names = ", ".join(feature_name(str(k), lang) for k in listing.features)
        facts.append((labels["features"], names))
    description = _scrub(listing.description or "", seller)
    return ListingPage(
        kicker=labels["property"].format(rank=rank, count=count),
        title=_title(listing, lang),
        price=_money(listing.price, lang) if listing.price is not None else "—",
        reference=f"{labels['listing']} {listing.id}",
        facts=facts,
        reasons_heading=labels["why"],
        reasons=_reasons(item.get("reasons"), lang)[:MAX_REASONS],
        description_heading=labels["about"],
        description=_shorten(description, MAX_DESCRIPTION),
        footer_left=f"{labels['listing']} {listing.id}",
    )


def _title(listing: Listing, lang: str) -> str:
    """ "Villa in Germasogeia, Limassol" / "Вилла — Гермасойя, Лимассол"."""
    where = ", ".join(
        dict.fromkeys(place_name(p, lang) for p in (listing.district, listing.city) if p)
    )
    kind = _type(listing.property_type, lang)
    if not where:
        return kind
    return f"{kind} — {where}" if lang == "ru" else f"{kind} in {where}"


def _reasons(reasons: Any, lang: str) -> list[str]:
    """Stored reasons are texts; structured ones ({"code": …}) are rendered in `lang`."""
    texts: list[str] = []
    for reason in reasons or []:
        if isinstance(reason, dict) and reason.get("code"):
            params = {k: v for k, v in reason.items() if k != "code"}
            texts.append(Reason(str(reason["code"]), params).text(lang))
        elif isinstance(reason, str) and reason.strip():
            texts.append(reason.strip())
    return texts


def _scrub(text: str, seller: Contact | None) -> str:
    """The description without the sentences that give a phone, an e-mail or the seller's name:
    they are about reaching the seller, which goes through the broker."""
    secrets = [_EMAIL, _PHONE_LIKE]
    if seller is not None:
        for digits in (re.sub(r"\D", "", str(p)) for p in seller.phones or []):
            if len(digits) >= 6:  # the known phone in any spacing
                secrets.append(re.compile(r"[\s().-]*".join(digits[-6:])))
        for part in {seller.full_name, *seller.full_name.split()}:
            if len(part) >= 3:
                secrets.append(re.compile(rf"(?<!\w){re.escape(part)}(?!\w)", re.I))
    kept = [
        sentence
        for sentence in _SENTENCE_END.split(text)
        if sentence.strip() and not any(secret.search(sentence) for secret in secrets)
    ]
    return " ".join(" ".join(kept).split())


def _shorten(text: str, limit: int) -> str:
    """Whole sentences up to `limit` characters, else words, ending with "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end > limit // 2:
        return cut[: end + 1] + " …"
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _money(value: Decimal | float | int, lang: str) -> str:
    return money_full(float(value), lang)


def _type(kind: str | None, lang: str) -> str:
    if lang == "ru":
        return TYPE_NAMES_RU.get(kind or "", kind or "объект").capitalize()
    return (kind or "property").capitalize()


def _date(at: datetime, lang: str) -> str:
    if lang == "ru":
        return f"{at.day} {_MONTHS_RU[at.month - 1]} {at.year}"
    return f"{at.day} {at:%B %Y}"


def _slug(name: str) -> str:
    """An ASCII file-name part: "Ольга Смирнова" → "olga-smirnova"."""
    if re.search("[а-яё]", name, re.I):
        from cyrtranslit import to_latin

        name = to_latin(name, "ru")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"['’`]", "", ascii_name)  # "Ol'ga" → "olga", not "ol-ga"
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40]
