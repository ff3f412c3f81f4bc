"""What of a listing or buyer request is matched and embedded: facts, passages, wish clauses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from crm_store.features import FEATURE_ALIASES, feature_name, find_features
from crm_store.places import all_places, canonical_place, city_of, find_places
from crm_store.vocabulary import FEATURES, PROPERTY_TYPES
from memory.passages import content_words, split_passages, split_wishes

# A bit per feature and per canonical place, so set checks run as integer masks.
FEATURE_BITS: dict[str, int] = {
    key: 1 << i for i, key in enumerate(dict.fromkeys([*FEATURES, *FEATURE_ALIASES]))
}
PLACE_BITS: dict[str, int] = {place.name: 1 << i for i, place in enumerate(all_places())}
TYPE_BITS: dict[str, int] = {key: 1 << i for i, key in enumerate(PROPERTY_TYPES)}
_IMPLIED = {"private_pool": "pool", "covered_parking": "parking"}
_PLACE_PREFIXES: frozenset[str] = frozenset(
    word.lower()[:4]
    for place in all_places()
    for alias in (place.name, *place.aliases)
    for word in alias.replace("-", " ").split()
)


def feature_mask(keys: object) -> int:
    mask = 0
    for key in keys or ():  # type: ignore[attr-defined]
        mask |= FEATURE_BITS.get(str(key), 0)
    return mask


def mask_features(mask: int) -> list[str]:
    return [key for key, bit in FEATURE_BITS.items() if mask & bit]


@lru_cache(maxsize=4096)
def place_key(name: str) -> str:
    """A place as stored or typed → its canonical name ("Лимассол" → "Limassol"), else folded."""
    place = canonical_place(name)
    return place.name if place is not None else " ".join(name.split()).casefold()


@lru_cache(maxsize=200_000)
def passage_features(text: str) -> int:
    """Features a passage names, as a mask (cached: generated and real ads repeat sentences)."""
    return feature_mask(with_implied(find_features(text)))


@lru_cache(maxsize=200_000)
def clause_places(text: str) -> int:
    """Canonical places a wish clause names ("ideally Germasogeia"), as a mask."""
    words = text.lower().replace("-", " ").split()
    if not any(word[:4] in _PLACE_PREFIXES for word in words):
        return 0  # cheap pre-check: the full place search is ~0.6 ms a clause
    mask = 0
    for place in find_places(text):
        mask |= PLACE_BITS.get(place.name, 0)
    return mask


def with_implied(keys: object) -> list[str]:
    found = [str(k) for k in keys or ()]  # type: ignore[attr-defined]
    for specific, general in _IMPLIED.items():
        if specific in found and general not in found:
            found.append(general)
    return found


def _number(value: Any) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, (int, float, Decimal)) else float(str(value))


@dataclass(frozen=True)
class ListingDoc:
    """A listing's matchable facts and the passages its description is embedded as."""

    id: str
    owner: str
    stage: str
    property_type: str
    city: str
    district: str
    address: str
    price: float | None
    bedrooms: int | None
    bathrooms: int | None
    area_m2: float | None
    features: tuple[str, ...]  # stated in the record
    passages: tuple[str, ...]  # summary, feature phrases, then description sentences
    feature_bits: int  # stated or found in the description
    place_bits: int
    version: Any = None  # the row's updated_at: an unchanged row need not be parsed again

    @property
    def text(self) -> str:
        return " ".join(self.passages)


def listing_doc(row: Any) -> ListingDoc:
    """Build from an ORM Listing or a result row with the same column names."""
    city = place_key(row.city) if row.city else ""
    district = place_key(row.district) if row.district else ""
    features = tuple(str(f) for f in (row.features or ()))
    sentences = split_passages(row.description)
    stated = feature_mask(with_implied(features))
    found = 0
    for sentence in sentences:
        found |= passage_features(sentence)
    place_bits = PLACE_BITS.get(city, 0) | PLACE_BITS.get(district, 0)
    return ListingDoc(
        id=row.id,
        owner=row.owner,
        stage=row.stage,
        property_type=row.property_type or "",
        city=city,
        district=district,
        address=row.address or "",
        price=_number(row.price),
        bedrooms=row.bedrooms,
        bathrooms=row.bathrooms,
        area_m2=_number(row.area_m2),
        features=features,
        passages=(_summary(row, city, district), *_feature_phrases(features), *sentences),
        feature_bits=stated | found,
        place_bits=place_bits,
        version=getattr(row, "updated_at", None),
    )


def _summary(row: Any, city: str, district: str) -> str:
    """One always-present passage with the facts a wish may name ("3 bedroom villa in Peyia")."""
    rooms = f"{row.bedrooms} bedroom " if row.bedrooms else ""
    where = ", ".join(p for p in (row.district, row.city) if p) or district or city
    kind = row.property_type or "property"
    return f"{rooms}{kind} in {where}".strip() if where else f"{rooms}{kind}".strip()


def _feature_phrases(features: tuple[str, ...]) -> list[str]:
    return [feature_name(key) for key in features]


def open_cities(cities: tuple[str, ...], districts: tuple[str, ...]) -> tuple[str, ...]:
    """Named cities in which the buyer named no district ("Limassol, or Peyia in Paphos")."""
    narrowed = {_city_of(d) for d in districts}
    return tuple(c for c in cities if c not in narrowed)


@lru_cache(maxsize=4096)
def _city_of(district: str) -> str | None:
    return city_of(district)


_CYRILLIC = re.compile("[А-Яа-яЁё]")


@dataclass(frozen=True)
class WishClause:
    text: str
    feature_bits: int
    place_bits: int
    words: frozenset[str]


def wish_clause(text: str) -> WishClause:
    return WishClause(
        text=text,
        feature_bits=passage_features(text),
        place_bits=clause_places(text),
        words=content_words(text),
    )


@dataclass(frozen=True)
class BuyerDoc:
    """A buyer request's hard criteria and its wishes, clause by clause."""

    id: str
    owner: str
    buyer: str
    stage: str
    budget_min: float | None
    budget_max: float | None
    cities: tuple[str, ...]
    districts: tuple[str, ...]
    open_cities: tuple[str, ...]  # cities where any district will do
    property_types: tuple[str, ...]
    bedrooms_min: int | None
    must_haves: tuple[str, ...]
    must_bits: int
    clauses: tuple[WishClause, ...]
    version: Any = None

    @property
    def text(self) -> str:
        return "; ".join(clause.text for clause in self.clauses)


def buyer_doc(row: Any) -> BuyerDoc:
    """Build from an ORM BuyerRequest or a result row with the same column names."""
    must = tuple(with_implied(row.must_haves or ()))
    cities = tuple(dict.fromkeys(place_key(c) for c in (row.cities or ()) if c))
    districts = tuple(dict.fromkeys(place_key(d) for d in (row.districts or ()) if d))
    return BuyerDoc(
        id=row.id,
        owner=row.owner,
        buyer=row.buyer,
        stage=row.stage,
        budget_min=_number(row.budget_min),
        budget_max=_number(row.budget_max),
        cities=cities,
        districts=districts,
        open_cities=open_cities(cities, districts),
        property_types=tuple(str(t) for t in (row.property_types or ())),
        bedrooms_min=row.bedrooms_min,
        must_haves=must,
        must_bits=feature_mask(must),
        clauses=judgeable_clauses(split_wishes(row.wishes)),
        version=getattr(row, "updated_at", None),
    )


def judgeable_clauses(texts: Iterable[str]) -> tuple[WishClause, ...]:
    """The wishes matching can weigh. The default embedding model is English-only: a Russian
    wish with no recognised feature or place would score zero against every listing and drag
    good matches below the bar, so it is left out of the wish fit (SPEC §5: Russian wishes
    match through structured fit and the recognised vocabulary). The text itself is kept on
    the request; only the score ignores it."""
    clauses = (wish_clause(text) for text in texts)
    return tuple(
        c for c in clauses if c.feature_bits or c.place_bits or not _CYRILLIC.search(c.text)
    )
