"""A generated brokerage for the matching benchmarks: listings with hidden qualities, buyers
who wish for some of them in other words, and the ground-truth rule that grades each pair.

Qualities are stated in listing descriptions with one set of phrasings and wished for with
another, so neither exact words nor the feature vocabulary alone can find them all; about half
of the qualities that have a feature key also appear in the listing's structured features.
Descriptions are built from a bounded set of sentences (realistic for template-written ads, and
what lets 100k listings be embedded in minutes through the sentence cache).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from benchmarks.synthetic_text import FILLERS, QUALITIES
from crm_store.places import DISTRICTS

TYPES: dict[str, tuple[float, tuple[int, int] | None, int, int]] = {
    "apartment": (0.45, (1, 3), 110_000, 85_000),
    "villa": (0.15, (3, 6), 350_000, 140_000),
    "house": (0.10, (2, 5), 220_000, 90_000),
    "townhouse": (0.10, (2, 4), 180_000, 80_000),
    "penthouse": (0.08, (2, 4), 300_000, 120_000),
    "plot": (0.05, None, 180_000, 0),
    "commercial": (0.07, None, 250_000, 0),
}  # type → (share, bedrooms range, base price, price per bedroom)
CITY_FACTOR = {"Limassol": 1.4, "Paphos": 0.9, "Larnaca": 0.85, "Nicosia": 0.95, "Famagusta": 1.0}
CITY_WEIGHT = {"Limassol": 0.35, "Paphos": 0.25, "Larnaca": 0.15, "Nicosia": 0.15, "Famagusta": 0.1}
STREETS = ["Makariou", "Anexartisias", "Gladstonos", "Leontiou", "Andreou", "Omonias",
           "Roosevelt", "Kyprianou", "Digeni", "Kolonakiou", "Tombs", "Poseidonos"]  # fmt: skip
BASE_TIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass
class GenListing:
    row: dict[str, Any]
    qualities: frozenset[str]


@dataclass
class GenRequest:
    row: dict[str, Any]
    wishes: list[str] = field(default_factory=list)  # quality names
    language: str = "en"


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def make_listings(
    rng: random.Random, count: int, *, owners: list[str], start: int = 1, quality_p: float = 0.18
) -> list[GenListing]:
    """Listings in `active_listing`, ids l-{start}…, each quality present with `quality_p`."""
    out: list[GenListing] = []
    shares = {t: spec[0] for t, spec in TYPES.items()}
    for n in range(start, start + count):
        city = _weighted(rng, CITY_WEIGHT)
        district = rng.choice(list(DISTRICTS[city]))
        kind = _weighted(rng, shares)
        _, rooms, base, per_room = TYPES[kind]
        bedrooms = rng.randint(*rooms) if rooms else None
        price = (base + per_room * (bedrooms or 0)) * CITY_FACTOR[city] * rng.uniform(0.75, 1.3)
        qualities = frozenset(q for q in QUALITIES if rng.random() < quality_p)
        sentences = [rng.choice(QUALITIES[q].phrasings) for q in sorted(qualities)]
        sentences += [rng.choice(group) for group in rng.sample(FILLERS, rng.randint(3, 5))]
        rng.shuffle(sentences)
        keys = [QUALITIES[q].feature for q in sorted(qualities)]
        features = [key for key in keys if key is not None and rng.random() < 0.5]
        at = BASE_TIME - timedelta(minutes=n)
        out.append(
            GenListing(
                row={
                    "id": f"l-{n}",
                    "owner": rng.choice(owners),
                    "seller": None,
                    "stage": "active_listing",
                    "mandate": rng.choice(["exclusive", "open"]),
                    "property_type": kind,
                    "city": city,
                    "district": district,
                    "address": f"{rng.randint(1, 200)} {rng.choice(STREETS)} Street, {district}",
                    "price": Decimal(round(price, -3)),
                    "bedrooms": bedrooms,
                    "bathrooms": max(1, (bedrooms or 1) - 1),
                    "area_m2": float(40 + 45 * (bedrooms or 2) + rng.randint(-15, 30)),
                    "features": features,
                    "description": " ".join(sentences),
                    "commission_pct": Decimal("3.00"),
                    "listed_at": at,
                    "created_at": at,
                    "updated_at": at,
                },
                qualities=qualities,
            )
        )
    return out


def typical_price(city: str | None, kind: str | None, bedrooms: int | None) -> float:
    kinds = [kind] if kind else ["apartment", "house"]
    prices = []
    for k in kinds:
        _, rooms, base, per_room = TYPES[k]
        beds = bedrooms if (bedrooms and rooms) else (rooms[0] if rooms else 0)
        prices.append((base + per_room * beds) * CITY_FACTOR.get(city or "Paphos", 1.0))
    return sum(prices) / len(prices)


def make_requests(
    rng: random.Random,
    count: int,
    *,
    owners: list[str],
    contacts: list[str],
    start: int = 1,
    russian_share: float = 0.2,
) -> list[GenRequest]:
    """Open buyer requests with criteria around typical prices and 1–3 wishes each."""
    out: list[GenRequest] = []
    for n in range(start, start + count):
        language = "ru" if rng.random() < russian_share else "en"
        pool = [q for q in QUALITIES if language == "en" or QUALITIES[q].wishes_ru]
        wished = rng.sample(pool, rng.randint(1, 3))
        phrases = [
            rng.choice(QUALITIES[q].wishes if language == "en" else QUALITIES[q].wishes_ru)
            for q in wished
        ]
        city = _weighted(rng, CITY_WEIGHT) if rng.random() < 0.85 else None
        districts = (
            rng.sample(list(DISTRICTS[city]), rng.randint(1, 2))
            if city and rng.random() < 0.25
            else []
        )
        kind = (
            rng.choice(["apartment", "villa", "house", "townhouse", "penthouse"])
            if rng.random() < 0.5
            else None
        )
        rooms = TYPES[kind or "apartment"][1]
        bedrooms = rng.randint(rooms[0], rooms[1]) if rooms and rng.random() < 0.6 else None
        budget = typical_price(city, kind, bedrooms) * rng.uniform(1.0, 1.5)
        must = ["parking"] if rng.random() < 0.1 else []
        at = BASE_TIME - timedelta(minutes=n)
        out.append(
            GenRequest(
                row={
                    "id": f"r-{n}",
                    "owner": rng.choice(owners),
                    "buyer": rng.choice(contacts),
                    "stage": rng.choice(["qualification", "demand_research", "viewing"]),
                    "budget_min": None,
                    "budget_max": Decimal(round(budget, -3)),
                    "cities": [city] if city else [],
                    "districts": districts,
                    "property_types": [kind] if kind else [],
                    "bedrooms_min": bedrooms,
                    "must_haves": must,
                    "wishes": ", ".join(phrases),
                    "timeline_months": rng.choice([3, 6, 12]),
                    "financing": "unknown",
                    "nurturing": False,
                    "created_at": at,
                    "updated_at": at,
                },
                wishes=wished,
                language=language,
            )
        )
    return out


def relevance(request: GenRequest, listing: GenListing, *, stretch: float = 0.10) -> int:
    """The ground truth: 0 when a hard criterion fails (SPEC §5 rules on the record and the
    hidden qualities), else 1 + the number of wished qualities the listing has, one less
    (never below 1) when the price is in the +10% stretch above the budget."""
    r, lst = request.row, listing.row
    if r["cities"] or r["districts"]:
        narrowed = {c for c, ds in DISTRICTS.items() for d in r["districts"] if d in ds}
        open_cities = [c for c in r["cities"] if c not in narrowed]
        if lst["district"] not in r["districts"] and lst["city"] not in open_cities:
            return 0
    if r["property_types"] and lst["property_type"] not in r["property_types"]:
        return 0
    if r["bedrooms_min"] and (lst["bedrooms"] is None or lst["bedrooms"] < r["bedrooms_min"]):
        return 0
    budget = float(r["budget_max"]) if r["budget_max"] is not None else None
    price = float(lst["price"])
    if budget is not None and price > budget * (1 + stretch):
        return 0
    if any(m not in listing.qualities for m in r["must_haves"]):
        return 0
    grade = 1 + sum(1 for q in request.wishes if q in listing.qualities)
    if budget is not None and price > budget:
        grade = max(1, grade - 1)
    return grade


def brokerage_rows(
    brokers: int, contacts: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One team of brokers and the buyers' contacts (rows for bulk insert)."""
    broker_rows = [
        {"id": f"b-{i}", "name": f"Broker {i}", "role": "broker", "team": "main",
         "timezone": "Asia/Nicosia", "language": "en", "active": True}
        for i in range(1, brokers + 1)
    ]  # fmt: skip
    contact_rows = [
        {"id": f"c-{i}", "owner": f"b-{1 + i % brokers}", "full_name": f"Buyer {i}", "phones": [],
         "emails": [], "source": "portal", "tags": [], "created_at": BASE_TIME}
        for i in range(1, contacts + 1)
    ]  # fmt: skip
    return broker_rows, contact_rows
