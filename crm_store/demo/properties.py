"""Demo properties: where they are, their size, features and a price that fits the market."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from crm_store.demo.addresses import address_for
from crm_store.demo.market import price_for
from crm_store.demo.odds import Odds
from crm_store.places import DISTRICTS

CITY_WEIGHTS = {"Limassol": 45, "Paphos": 22, "Larnaca": 15, "Nicosia": 10, "Famagusta": 8}

SEA_FRONT = {
    "Potamos Germasogeia",
    "Agios Tychonas",
    "Mouttagiaka",
    "Kato Paphos",
    "Coral Bay",
    "Mackenzie",
    "Ayia Napa",
    "Protaras",
    "Pervolia",
}
INLAND = {
    "Ypsonas",
    "Kato Polemidia",
    "Mesa Geitonia",
    "Zakaki",
    "Neapolis",
    "Emba",
    "Geroskipou",
    "Aradippou",
    "Universal",
}
TYPE_WEIGHTS = {
    "Limassol": (44, 9, 12, 9, 9, 9, 8),
    "Paphos": (30, 3, 24, 15, 12, 13, 3),
    "Larnaca": (44, 5, 10, 14, 12, 10, 5),
    "Nicosia": (46, 6, 6, 16, 10, 8, 8),
    "Famagusta": (40, 5, 20, 10, 12, 10, 3),
}
TYPES = ("apartment", "penthouse", "villa", "house", "townhouse", "plot", "commercial")
CITY_ODDS = Odds.of(CITY_WEIGHTS)
TYPE_ODDS = {city: Odds(TYPES, weights) for city, weights in TYPE_WEIGHTS.items()}
APARTMENT_BEDS = Odds((0, 1, 2, 3, 4), (5, 25, 40, 25, 5))
VILLA_BEDS = Odds((3, 4, 5, 6), (35, 35, 20, 10))
HOUSE_BEDS = Odds((2, 3, 4, 5), (15, 45, 30, 10))
TOWNHOUSE_BEDS = Odds((2, 3, 4), (35, 50, 15))
RESIDENTIAL = ("apartment", "penthouse", "villa", "house", "townhouse")


@dataclass(frozen=True)
class Property:
    property_type: str
    city: str
    district: str
    address: str
    bedrooms: int | None
    bathrooms: int | None
    area_m2: float
    features: tuple[str, ...]  # what the listing form records
    extras: tuple[str, ...]  # true of the property but only said in the description
    price: Decimal


def pick_city(rng: random.Random) -> str:
    return CITY_ODDS.pick(rng)


def pick_type(rng: random.Random, city: str) -> str:
    return TYPE_ODDS[city].pick(rng)


def size_for(rng: random.Random, kind: str) -> tuple[int | None, int | None, float]:
    """Bedrooms, bathrooms and area (covered m², land m² for plots) typical of the type."""
    if kind == "plot":
        return None, None, float(rng.randrange(350, 5000, 25))
    if kind == "commercial":
        return None, rng.choice((1, 1, 2)), float(rng.randrange(40, 600, 5))
    if kind == "apartment":
        beds = APARTMENT_BEDS.pick(rng)
        area = (40, 62, 95, 132, 175)[beds] * rng.uniform(0.85, 1.18)
        baths = 1 if beds <= 1 else rng.choice((1, 2)) if beds == 2 else beds - 1
    elif kind == "penthouse":
        beds = rng.choice((2, 3, 3, 4))
        area = (0, 0, 125, 170, 230)[beds] * rng.uniform(0.85, 1.2)
        baths = beds
    elif kind == "villa":
        beds = VILLA_BEDS.pick(rng)
        area = (0, 0, 0, 195, 260, 340, 420)[beds] * rng.uniform(0.85, 1.2)
        baths = beds + rng.choice((-1, 0, 0, 1))
    elif kind == "house":
        beds = HOUSE_BEDS.pick(rng)
        area = (0, 0, 115, 160, 210, 260)[beds] * rng.uniform(0.85, 1.2)
        baths = max(1, beds - rng.choice((0, 1, 1)))
    else:  # townhouse
        beds = TOWNHOUSE_BEDS.pick(rng)
        area = (0, 0, 105, 140, 175)[beds] * rng.uniform(0.88, 1.15)
        baths = beds - rng.choice((0, 1))
    return beds, max(baths, 1), float(round(area))


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def features_for(rng: random.Random, kind: str, city: str, district: str) -> set[str]:
    """Features consistent with the type and place (no pool on a plot, no sea view in Nicosia)."""
    f: set[str] = set()
    coastal = city != "Nicosia"
    sea_p = (
        0.0
        if not coastal
        else 0.7
        if district in SEA_FRONT
        else 0.1
        if district in INLAND
        else 0.35
    )
    if _chance(rng, sea_p):
        f.add("sea_view")
    elif _chance(rng, 0.3 if city in ("Nicosia", "Paphos") else 0.15):
        f.add("mountain_view")
    if district in SEA_FRONT and kind in ("apartment", "penthouse", "villa") and _chance(rng, 0.15):
        f.add("beachfront")
    if kind == "plot":
        return f
    if kind == "commercial":
        f.update(
            x
            for x, p in (
                ("parking", 0.6),
                ("air_conditioning", 0.9),
                ("elevator", 0.4),
                ("storage", 0.4),
                ("new_build", 0.2),
            )
            if _chance(rng, p)
        )
        return f
    base = {
        "air_conditioning": 0.85,
        "parking": 0.8,
        "storage": 0.4,
        "furnished": 0.35,
        "new_build": 0.22,
        "dishwasher": 0.45,
        "washer": 0.5,
        "pet_friendly": 0.15,
        "quiet": 0.3,
        "near_schools": 0.22,
        "smart_home": 0.06,
        "solar_panels": 0.3,
    }
    by_type = {
        "apartment": {
            "balcony": 0.85,
            "elevator": 0.7,
            "pool": 0.3,
            "covered_parking": 0.35,
            "gym": 0.08,
        },
        "penthouse": {
            "roof_garden": 1.0,
            "elevator": 0.95,
            "balcony": 0.7,
            "jacuzzi": 0.4,
            "covered_parking": 0.6,
            "underfloor_heating": 0.35,
            "pool": 0.35,
        },
        "villa": {
            "garden": 0.95,
            "private_pool": 0.75,
            "bbq": 0.5,
            "underfloor_heating": 0.45,
            "fireplace": 0.35,
            "jacuzzi": 0.2,
            "covered_parking": 0.5,
            "solar_panels": 0.7,
        },
        "house": {
            "garden": 0.85,
            "fireplace": 0.35,
            "bbq": 0.4,
            "private_pool": 0.15,
            "covered_parking": 0.4,
            "solar_panels": 0.65,
        },
        "townhouse": {"garden": 0.55, "pool": 0.4, "balcony": 0.6, "covered_parking": 0.3},
    }[kind]
    for name, p in (*base.items(), *by_type.items()):
        if _chance(rng, p):
            f.add(name)
    if kind == "villa" and "private_pool" not in f:
        f.add("pool")  # a villa without its own pool sits on a complex with a shared one
    if "private_pool" in f:
        f.add("pool")
    if "covered_parking" in f:
        f.add("parking")
    return f


# Soft features that agents often only mention in the text of the advert.
TEXT_ONLY_PRONE = (
    "fireplace",
    "dishwasher",
    "washer",
    "near_schools",
    "quiet",
    "pet_friendly",
    "storage",
    "bbq",
    "underfloor_heating",
    "solar_panels",
)


def make_property(
    rng: random.Random,
    *,
    city: str | None = None,
    kind: str | None = None,
    district: str | None = None,
) -> Property:
    """A property anywhere the SPEC knows; fields not given are drawn to fit each other."""
    city = city or pick_city(rng)
    kind = kind or pick_type(rng, city)
    district = district or rng.choice(tuple(DISTRICTS[city]))
    beds, baths, area = size_for(rng, kind)
    real = features_for(rng, kind, city, district)
    extras = {f for f in sorted(real) if f in TEXT_ONLY_PRONE and _chance(rng, 0.5)}
    listed = tuple(f for f in sorted(real) if f not in extras)
    price = price_for(rng, kind, city, district, area, real)
    return Property(
        kind,
        city,
        district,
        address_for(rng, kind, city, district),
        beds,
        baths,
        area,
        listed,
        tuple(sorted(extras)),
        price,
    )
