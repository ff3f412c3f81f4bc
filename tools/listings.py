"""The team's listings as facts: a plain search ("3-bed apartments in Limassol under 500k") and
one listing's facts ("tell me about l-4") — a colleague's active listing included, without its
seller's contact data (SPEC §1)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from langchain_core.tools import tool
from pydantic import Field

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.models import Listing
from crm_store.services import listing_search
from crm_store.services.amounts import parse_money
from crm_store.services.display import features_text
from tools.base import ToolArgs, run_tool
from tools.deps import ToolDeps
from tools.render import listing_line, say

MAX_BEDROOMS = 50


class FindListingsArgs(ToolArgs):
    property_type: str | None = Field(None, description="apartment|villa|house|penthouse|…")
    city: str | None = Field(None, description="Limassol, Paphos, Larnaca, Nicosia, Famagusta")
    district: str | None = Field(None, description="a district such as Germasogeia")
    bedrooms_min: int | None = Field(None, description="at least this many bedrooms")
    price_min: Decimal | None = Field(None, description="EUR")
    price_max: Decimal | None = Field(None, description="EUR")
    features: list[str] = Field(default_factory=list, description="must have, e.g. sea_view")


@tool("find_listings", args_schema=FindListingsArgs, return_direct=True)
def find_listings(
    property_type: str | None = None,
    city: str | None = None,
    district: str | None = None,
    bedrooms_min: int | None = None,
    price_min: Decimal | None = None,
    price_max: Decimal | None = None,
    features: list[str] | None = None,
    deps: ToolDeps | None = None,
) -> str:
    """The team's active listings that fit plain criteria, cheapest first (facts only)."""
    query = listing_search.ListingQuery(
        property_types=[property_type] if property_type else [],
        cities=[city] if city else [],
        districts=[district] if district else [],
        bedrooms_min=bedrooms_min,
        price_min=price_min,
        price_max=price_max,
        features=list(features or []),
    )

    def work(ctx: Ctx) -> str:
        language = ctx.actor.language
        if bedrooms_min is not None and not 0 <= bedrooms_min <= MAX_BEDROOMS:
            raise InvalidInput(
                f"bedrooms_min must be between 0 and {MAX_BEDROOMS}.",
                f"bedrooms_min: от 0 до {MAX_BEDROOMS}.",
            )
        bounded = replace(
            query,
            price_min=parse_money(price_min, field="price_min"),
            price_max=parse_money(price_max, field="price_max"),
        )
        found, total = listing_search.search(ctx, bounded)
        if not found:
            return say(
                language,
                "No active listing of the team fits that.",
                "Ни один активный объект команды под это не подходит.",
            )
        lines = [
            say(language, f"Active listings that fit ({total}):", f"Подходящие объекты ({total}):")
        ]
        lines += [f"- {_line(item, language)}" for item in found]
        if total > len(found):
            lines.append(
                say(language, f"…and {total - len(found)} more.", f"…и ещё {total - len(found)}.")
            )
        return "\n".join(lines)

    return run_tool(deps, work)


def _line(item: listing_search.Found, language: str) -> str:
    line = listing_line(item.listing, language)
    if item.own:
        return line
    return line + say(language, f" · {item.broker}'s listing", f" · объект: {item.broker}")


def listing_facts(ctx: Ctx, listing: Listing) -> str:
    """One listing's facts as the actor may see them: a colleague's without its seller."""
    language = ctx.actor.language
    item = listing_search.facts_of(ctx, listing)
    lines = [_line(item, language)]
    if listing.address:
        lines.append(say(language, f"Address: {listing.address}", f"Адрес: {listing.address}"))
    sizes = [
        say(language, f"{listing.bathrooms} bath", f"санузлов: {listing.bathrooms}")
        if listing.bathrooms
        else "",
        f"{listing.area_m2:g} m²" if listing.area_m2 else "",
    ]
    if any(sizes):
        lines.append(", ".join(s for s in sizes if s))
    if listing.features:
        lines.append(features_text(listing.features, language))
    if listing.description:
        text = listing.description.strip()
        lines.append(text if len(text) <= 300 else text[:297].rstrip() + "…")
    seller = listing_search.seller_name(ctx, item)
    if seller:
        lines.append(say(language, f"Seller: {seller}", f"Продавец: {seller}"))
    elif not item.own:
        lines.append(
            say(
                language,
                f"For the seller and viewings, ask {item.broker}.",
                f"О продавце и показах — к брокеру: {item.broker}.",
            )
        )
    return "\n".join(lines)


find_listings.metadata = {"read_only": True}
TOOLS = [find_listings]
