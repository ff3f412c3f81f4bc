"""Curated Lists and matches as chat messages, in English and Russian."""

from __future__ import annotations

from crm_store.features import feature_name
from crm_store.places import place_name
from memory.curated import MIN_ITEMS, CuratedListResult, Relaxation
from memory.matching.reasons import bedrooms_text, money_full, money_short
from memory.matching.results import BuyerMatches, ListingFacts, ListingMatch

TYPE_NAMES_RU = {
    "apartment": "квартира",
    "villa": "вилла",
    "house": "дом",
    "townhouse": "таунхаус",
    "penthouse": "пентхаус",
    "plot": "участок",
    "commercial": "коммерческая недвижимость",
}


def _es(count: int) -> str:
    return "" if count == 1 else "es"


def _type(kind: str, language: str) -> str:
    if language == "ru":
        return TYPE_NAMES_RU.get(kind, kind).capitalize()
    return (kind or "property").capitalize()


def _place(facts: ListingFacts, language: str) -> str:
    parts = [
        place_name(p, language) if p[:1].isupper() else p.title()
        for p in (facts.district, facts.city)
        if p
    ]
    address = facts.address.lower()
    # "…, Agiou Andreou 138, Ypsonas" already names the district: say it once.
    return ", ".join(p for p in dict.fromkeys(parts) if p.lower() not in address)


def listing_line(facts: ListingFacts, language: str = "en") -> str:
    """ "Villa, 3 bedrooms, 4 Tala Square, Peyia, Paphos — €520,000 (l-12)": the address is a
    shared fact (brokers show a listing by its street), the seller is never named."""
    head = [_type(facts.property_type, language)]
    if facts.bedrooms:
        head.append(bedrooms_text(facts.bedrooms, language))
    if facts.address:
        head.append(facts.address)
    where = _place(facts, language)
    if where:
        head.append(where)
    price = money_full(facts.price, language) if facts.price is not None else "—"
    return f"{', '.join(head)} — {price} ({facts.id})"


def facts_line(facts: ListingFacts, language: str = "en") -> str:
    """Area, bathrooms and features: "180 m² · 2 bathrooms · sea view, pool"."""
    parts: list[str] = []
    if facts.area_m2:
        parts.append(f"{facts.area_m2:.0f} м²" if language == "ru" else f"{facts.area_m2:.0f} m²")
    if facts.bathrooms:
        parts.append(
            f"санузлов: {facts.bathrooms}" if language == "ru" else f"{facts.bathrooms} bathrooms"
        )
    if facts.features:
        parts.append(", ".join(feature_name(f, language) for f in facts.features[:6]))
    return " · ".join(parts)


def match_block(rank: int, match: ListingMatch, language: str = "en") -> str:
    lines = [f"{rank}. {listing_line(match.listing, language)}"]
    facts = facts_line(match.listing, language)
    if facts:
        lines.append(f"   {facts}")
    reasons = match.reason_texts(language)
    if reasons:
        label = "Почему" if language == "ru" else "Why"
        lines.append(f"   {label}: " + "; ".join(reasons))
    return "\n".join(lines)


def relaxation_text(relaxation: Relaxation | None, language: str = "en") -> str:
    if relaxation is None:
        if language == "ru":
            return "Ослабление одного критерия не добавит вариантов — стоит пересмотреть запрос."
        return (
            "No single criterion change adds matches — the request needs a rethink with the buyer."
        )
    p, n, ru = relaxation.params, relaxation.added, language == "ru"
    c = relaxation.criterion
    if c == "budget":
        what = (
            f"поднять бюджет до {money_short(p['to'], language)}"
            if ru
            else f"raise the budget to {money_short(p['to'])}"
        )
    elif c == "bedrooms_min":
        what = (
            f"рассмотреть от {bedrooms_text(p['to'], language)}"
            if ru
            else f"accept {p['to']}+ bedrooms"
        )
    elif c == "districts":
        cities = ", ".join(place_name(x, language) for x in p["cities"])
        what = (
            f"искать по всему городу ({cities})"
            if ru
            else f"search all of {cities}, not only the chosen districts"
        )
    elif c == "property_types":
        what = "рассмотреть другие типы объектов" if ru else "consider other property types"
    elif c.startswith("must_haves:"):
        name = feature_name(p["feature"], language)
        what = (
            f"сделать «{name}» желательным, а не обязательным"
            if ru
            else f"make “{name}” a wish, not a must-have"
        )
    elif c.startswith("wish:"):
        wish = p["wish"]
        what = f"сделать «{wish}» необязательным" if ru else f"make “{wish}” optional"
    else:
        what = "искать и в других городах" if ru else "look in other cities too"
    if ru:
        return f"Чтобы расширить выбор: {what} — это добавит вариантов: {n}."
    return f"To widen the search: {what} — that adds {n} more good match{_es(n)}."


def render_curated_list(result: CuratedListResult, language: str = "en") -> str:
    """The message a broker forwards or reads out: ranked listings with their reasons."""
    ru = language == "ru"
    who = result.buyer_name or result.request_id
    count = len(result.items)
    if result.enough:
        head = (
            f"Подборка для {who}: объектов — {count}"
            if ru
            else f"Curated list for {who}: {count} listings"
        )
    elif count:
        head = (
            f"Хороших вариантов для {who} только {count} (для подборки нужно от {MIN_ITEMS}):"
            if ru
            else f"Only {count} good match{_es(count)} for {who} "
            f"(a curated list needs at least {MIN_ITEMS}):"
        )
    else:
        head = f"Для {who} нет хороших вариантов." if ru else f"No good matches for {who} yet."
    blocks = [head] + [match_block(i, m, language) for i, m in enumerate(result.items, start=1)]
    if not result.enough:
        if result.weak_matches:
            n = result.weak_matches
            blocks.append(
                f"Ещё объектов по критериям, но почти без желаемого: {n}."
                if ru
                else f"{n} more {'listing meets' if n == 1 else 'listings meet'} every criterion"
                " but few of the wishes."
            )
        blocks.append(relaxation_text(result.relaxation, language))
    return "\n".join(blocks)


def render_buyer_matches(matches: BuyerMatches, language: str = "en") -> str:
    """Buyers for a listing: the actor's own by name, colleagues' only as a number."""
    ru = language == "ru"
    lines = [
        f"Подходящие покупатели для {matches.listing_id}: {len(matches.matches)}"
        if ru
        else f"Matching buyers for {matches.listing_id}: {len(matches.matches)}"
    ]
    for i, m in enumerate(matches.matches, start=1):
        lines.append(
            f"{i}. {m.buyer_name or m.buyer} ({m.request_id}) — "
            + "; ".join(m.reason_texts(language))
        )
    if matches.colleagues_count:
        n = matches.colleagues_count
        lines.append(
            f"Ещё совпадений у покупателей коллег: {n} (их брокеры получат уведомление)."
            if ru
            else f"Plus {n} match{_es(n)} among colleagues' buyers (their brokers are notified)."
        )
    return "\n".join(lines)
