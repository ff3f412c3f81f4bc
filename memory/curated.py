"""Curated Lists: 3–7 diverse, ranked listings a buyer has not disliked, or what to relax."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from crm_store.context import Ctx
from crm_store.models import CuratedList
from crm_store.repositories import matching as store_reads
from crm_store.repositories.base import add
from memory.documents import BuyerDoc, buyer_doc
from memory.matching.criteria import relaxable_criteria, relaxed
from memory.matching.matcher import Matcher
from memory.matching.results import ListingMatch

MIN_ITEMS = 3
MAX_ITEMS = 7
POOL_SIZE = 60  # good matches considered before diversity picks the list

_UNIT = re.compile(
    r"\b(?:apt|apartment|flat|unit|suite|ste|кв|квартира|διαμ)\.?\s*#?\s*[\w-]+|#\s*[\w-]+", re.I
)
_PUNCT = re.compile(r"[^\w\s]+")


@dataclass(frozen=True)
class Relaxation:
    """Loosening one criterion and how many more good matches that would bring."""

    criterion: str
    added: int
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CuratedListResult:
    request_id: str
    buyer: str
    buyer_name: str
    owner: str
    items: list[ListingMatch]
    curated_list_id: str | None = None
    relaxation: Relaxation | None = None
    disliked_excluded: int = 0
    weak_matches: int = 0  # listings meeting every criterion but few of the wishes

    @property
    def enough(self) -> bool:
        return len(self.items) >= MIN_ITEMS


def building_key(address: str) -> str:
    """The building an address is in: unit and flat numbers dropped ("Apt 5, 12 Makariou")."""
    text = _PUNCT.sub(" ", _UNIT.sub(" ", address.lower()))
    return " ".join(text.split())


def street_key(address: str) -> str:
    """The street: the building key without house numbers."""
    return " ".join(w for w in building_key(address).split() if not any(c.isdigit() for c in w))


def near_duplicates(a: ListingMatch, b: ListingMatch) -> bool:
    """Same kind of unit in the same place at nearly the same price: one is enough to show."""
    x, y = a.listing, b.listing
    if (x.district, x.city, x.property_type, x.bedrooms) != (
        y.district,
        y.city,
        y.property_type,
        y.bedrooms,
    ):
        return False
    if x.price is None or y.price is None or abs(x.price - y.price) > 0.05 * max(x.price, y.price):
        return False
    if x.area_m2 and y.area_m2:
        return abs(x.area_m2 - y.area_m2) <= 0.05 * max(x.area_m2, y.area_m2)
    return True


# Each pass loosens diversity a little when strict rules leave fewer than MIN_ITEMS.
_PASSES = (
    {"per_building": 1, "per_street": 2, "near_dupes": False},
    {"per_building": 1, "per_street": 3, "near_dupes": True},
    {"per_building": 2, "per_street": 4, "near_dupes": True},
)


def diversify(pool: list[ListingMatch], limit: int = MAX_ITEMS) -> list[ListingMatch]:
    """Best first, but not several units of one building or street, nor near-duplicates."""
    chosen: list[ListingMatch] = []
    for rules in _PASSES:
        chosen = []
        buildings: dict[str, int] = {}
        streets: dict[str, int] = {}
        for match in pool:
            building = building_key(match.listing.address)
            street = street_key(match.listing.address)
            if building and buildings.get(building, 0) >= rules["per_building"]:
                continue
            if street and streets.get(street, 0) >= rules["per_street"]:
                continue
            if not rules["near_dupes"] and any(near_duplicates(match, c) for c in chosen):
                continue
            chosen.append(match)
            if building:
                buildings[building] = buildings.get(building, 0) + 1
            if street:
                streets[street] = streets.get(street, 0) + 1
            if len(chosen) == limit:
                return chosen
        if len(chosen) >= MIN_ITEMS:
            return chosen
    return chosen


def build_curated_list(
    matcher: Matcher, ctx: Ctx, *, request_id: str, save: bool = True
) -> CuratedListResult:
    """Pick and store a Curated List; with fewer than 3 good matches, say what to relax."""
    request = matcher._request(ctx, request_id)
    buyer = buyer_doc(request)
    owners = matcher.team_owners(ctx, request.owner)
    disliked = store_reads.disliked_listing_ids(ctx.session, request.buyer)
    good = matcher.config.good_score
    pool = matcher.rank_listings(
        ctx, buyer, owners=owners, limit=POOL_SIZE, min_score=good, exclude=disliked
    )
    items = diversify(pool)
    names = store_reads.contact_names(ctx.session, [request.buyer])
    result = CuratedListResult(
        request_id=request.id,
        buyer=request.buyer,
        buyer_name=names.get(request.buyer, ""),
        owner=request.owner,
        items=items,
        disliked_excluded=len(disliked),
    )
    if len(items) < MIN_ITEMS:
        passing = matcher.count_listings(ctx, buyer, owners=owners, min_score=0.0, exclude=disliked)
        return replace(
            result,
            relaxation=_best_relaxation(matcher, ctx, buyer, owners, disliked),
            weak_matches=max(0, passing - len(pool)),
        )
    if not save:
        return result
    stored = add(
        ctx,
        CuratedList(
            owner=request.owner,
            buyer_request=request.id,
            items=[
                {
                    "listing": m.listing.id,
                    "rank": rank,
                    "score": round(m.score, 4),
                    "reasons": m.reason_texts("en"),
                }
                for rank, m in enumerate(items, start=1)
            ],
            created_at=ctx.now(),
        ),
    )
    return replace(result, curated_list_id=stored.id)


def suggest_relaxation(matcher: Matcher, ctx: Ctx, *, request_id: str) -> Relaxation | None:
    """The one criterion whose loosening would add the most good matches (None: none helps)."""
    request = matcher._request(ctx, request_id)
    owners = matcher.team_owners(ctx, request.owner)
    disliked = store_reads.disliked_listing_ids(ctx.session, request.buyer)
    return _best_relaxation(matcher, ctx, buyer_doc(request), owners, disliked)


def _best_relaxation(
    matcher: Matcher, ctx: Ctx, buyer: BuyerDoc, owners: set[str], exclude: set[str]
) -> Relaxation | None:
    good = matcher.config.good_score
    now = matcher.count_listings(ctx, buyer, owners=owners, min_score=good, exclude=exclude)
    best: Relaxation | None = None
    for criterion in relaxable_criteria(buyer):
        looser = relaxed(buyer, criterion)
        if looser is None:
            continue
        count = matcher.count_listings(ctx, looser, owners=owners, min_score=good, exclude=exclude)
        if count - now > (best.added if best else 0):
            best = Relaxation(criterion, count - now, _relaxation_params(buyer, looser, criterion))
    return best


def _relaxation_params(buyer: BuyerDoc, looser: BuyerDoc, criterion: str) -> dict[str, Any]:
    if criterion == "budget":
        return {"from": buyer.budget_max, "to": looser.budget_max}
    if criterion == "bedrooms_min":
        return {"from": buyer.bedrooms_min, "to": looser.bedrooms_min}
    if criterion == "districts":
        return {"districts": list(buyer.districts), "cities": list(looser.cities)}
    if criterion == "property_types":
        return {"types": list(buyer.property_types)}
    if criterion.startswith("must_haves:"):
        return {"feature": criterion.split(":", 1)[1]}
    if criterion.startswith("wish:"):
        return {"wish": buyer.clauses[int(criterion.split(":", 1)[1])].text}
    return {"cities": list(buyer.cities)}
