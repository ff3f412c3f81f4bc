"""Hard criteria (place, type, bedrooms, budget with stretch, must-haves) and the structured fit."""

from __future__ import annotations

from dataclasses import dataclass, replace

from memory.documents import BuyerDoc, ListingDoc, feature_mask, mask_features, open_cities
from memory.matching.reasons import Reason


def relaxable_criteria(buyer: BuyerDoc) -> list[str]:
    """What a broker could loosen, in the order suggested on a tie ("must_haves:pool" drops a
    must-have, "wish:1" makes the second wish optional)."""
    return [
        "budget",
        "bedrooms_min",
        "districts",
        "property_types",
        *(f"must_haves:{key}" for key in buyer.must_haves),
        "cities",
        *(f"wish:{i}" for i in range(len(buyer.clauses))),
    ]


@dataclass(frozen=True)
class MatchConfig:
    """The knobs of hybrid scoring; defaults were set on the synthetic relevance set."""

    budget_stretch: float = 0.10
    structured_weight: float = 0.35  # the rest is the wish fit
    dense_weight: float = 0.65  # of a passage's evidence; the rest is word overlap
    dense_center: float = 0.45  # cosine that counts as half evidence (MiniLM)
    dense_width: float = 0.07  # how sharply evidence rises around the center
    feature_floor: float = 0.8  # a wished vocabulary feature present scores at least this
    good_score: float = 0.55  # a "good" match for curated lists and new_match nudges


DEFAULT_CONFIG = MatchConfig()


def location_ok(buyer: BuyerDoc, listing: ListingDoc) -> bool:
    if not buyer.cities and not buyer.districts:
        return True
    if listing.district and listing.district in buyer.districts:
        return True
    return listing.city in buyer.open_cities


def failed_criteria(
    buyer: BuyerDoc, listing: ListingDoc, config: MatchConfig = DEFAULT_CONFIG
) -> list[str]:
    """The hard criteria this listing fails for this buyer (empty: it passes)."""
    failed: list[str] = []
    if not location_ok(buyer, listing):
        failed.append("location")
    if buyer.property_types and listing.property_type not in buyer.property_types:
        failed.append("property_types")
    if buyer.bedrooms_min and (listing.bedrooms is None or listing.bedrooms < buyer.bedrooms_min):
        failed.append("bedrooms_min")
    if buyer.budget_max is not None and (
        listing.price is None or listing.price > buyer.budget_max * (1 + config.budget_stretch)
    ):
        failed.append("budget")
    if buyer.must_bits & ~listing.feature_bits:
        failed.append("must_haves")
    return failed


def passes(buyer: BuyerDoc, listing: ListingDoc, config: MatchConfig = DEFAULT_CONFIG) -> bool:
    return not failed_criteria(buyer, listing, config)


def price_fit(price: float | None, budget_min: float | None, budget_max: float | None) -> float:
    """1 within budget, falling to 0.5 at the end of the stretch, 0.9 below the range."""
    if price is None or budget_max is None:
        return 1.0
    if price > budget_max:
        return max(0.5, 1.0 - 5.0 * (price / budget_max - 1.0))
    if budget_min is not None and price < budget_min:
        return 0.9
    return 1.0


def bedrooms_fit(bedrooms: int | None, bedrooms_min: int | None) -> float:
    """More bedrooms than asked is fine; far more usually means far over what they want."""
    if not bedrooms_min or bedrooms is None:
        return 1.0
    return 1.0 if bedrooms <= bedrooms_min + 2 else 0.9


def structured_fit(buyer: BuyerDoc, listing: ListingDoc) -> float:
    return 0.5 * price_fit(listing.price, buyer.budget_min, buyer.budget_max) + 0.5 * bedrooms_fit(
        listing.bedrooms, buyer.bedrooms_min
    )


def structured_reasons(buyer: BuyerDoc, listing: ListingDoc) -> list[Reason]:
    reasons: list[Reason] = []
    if listing.price is not None and buyer.budget_max is not None:
        if listing.price > buyer.budget_max:
            pct = round((listing.price / buyer.budget_max - 1) * 100) or 1
            reasons.append(Reason("budget_stretch", {"price": listing.price, "pct": pct}))
        elif buyer.budget_min is not None and listing.price < buyer.budget_min:
            reasons.append(Reason("below_budget_range", {"price": listing.price}))
        else:
            reasons.append(Reason("within_budget", {"price": listing.price}))
    if listing.bedrooms:
        reasons.append(Reason("bedrooms", {"bedrooms": listing.bedrooms}))
    if listing.district and listing.district in buyer.districts:
        reasons.append(Reason("place", {"place": listing.district}))
    if buyer.must_bits:
        keys = mask_features(buyer.must_bits & listing.feature_bits)
        if keys:
            reasons.append(Reason("must_have", {"features": keys}))
    return reasons


def relaxed(buyer: BuyerDoc, criterion: str) -> BuyerDoc | None:
    """The request with one criterion loosened a step, or None when there is nothing to loosen."""
    if criterion == "budget" and buyer.budget_max is not None:
        return replace(buyer, budget_max=buyer.budget_max * 1.15)
    if criterion == "bedrooms_min" and buyer.bedrooms_min and buyer.bedrooms_min > 1:
        return replace(buyer, bedrooms_min=buyer.bedrooms_min - 1)
    if criterion == "districts" and buyer.districts:
        from crm_store.places import city_of

        cities = tuple(dict.fromkeys([*buyer.cities, *(city_of(d) or d for d in buyer.districts)]))
        return replace(buyer, districts=(), cities=cities, open_cities=open_cities(cities, ()))
    if criterion == "property_types" and buyer.property_types:
        return replace(buyer, property_types=())
    if criterion.startswith("must_haves:") and buyer.must_haves:
        dropped = criterion.split(":", 1)[1]
        kept = tuple(key for key in buyer.must_haves if key != dropped)
        if kept == buyer.must_haves:
            return None
        return replace(buyer, must_haves=kept, must_bits=feature_mask(kept))
    if criterion.startswith("wish:"):
        index = int(criterion.split(":", 1)[1])
        kept_clauses = tuple(c for i, c in enumerate(buyer.clauses) if i != index)
        return (
            replace(buyer, clauses=kept_clauses) if len(kept_clauses) < len(buyer.clauses) else None
        )
    if criterion == "cities" and buyer.cities and not buyer.districts:
        return replace(buyer, cities=(), open_cities=())
    return None
