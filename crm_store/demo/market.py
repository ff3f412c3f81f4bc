"""What property costs in the demo: €/m² by city, district and type, with premiums."""

from __future__ import annotations

import random
from decimal import Decimal

# Asking price of a resale apartment, EUR per covered m², by city (2025–26 market levels).
CITY_RATE = {
    "Limassol": 4300,
    "Paphos": 2500,
    "Larnaca": 2700,
    "Nicosia": 2300,
    "Famagusta": 2900,
}

# How a district prices against its city; the sea front and the tourist strip cost most.
DISTRICT_FACTOR = {
    "Potamos Germasogeia": 1.6,
    "Agios Tychonas": 1.7,
    "Mouttagiaka": 1.35,
    "Germasogeia": 1.2,
    "Old Town": 1.15,
    "Neapolis": 1.05,
    "Parekklisia": 1.1,
    "Mesa Geitonia": 0.95,
    "Agios Athanasios": 0.9,
    "Zakaki": 0.95,
    "Ypsonas": 0.72,
    "Kato Polemidia": 0.75,
    "Kato Paphos": 1.25,
    "Coral Bay": 1.3,
    "Peyia": 1.0,
    "Chloraka": 1.05,
    "Kissonerga": 1.0,
    "Universal": 1.05,
    "Tala": 1.0,
    "Emba": 0.85,
    "Geroskipou": 0.95,
    "Mackenzie": 1.3,
    "Oroklini": 1.0,
    "Pervolia": 0.95,
    "Livadia": 0.85,
    "Kiti": 0.9,
    "Aradippou": 0.78,
    "Engomi": 1.15,
    "Acropolis": 1.05,
    "Strovolos": 1.0,
    "Aglantzia": 1.0,
    "Lakatamia": 0.9,
    "Latsia": 0.9,
    "Ayia Napa": 1.2,
    "Protaras": 1.15,
    "Paralimni": 0.85,
    "Deryneia": 0.8,
}

TYPE_FACTOR = {
    "apartment": 1.0,
    "penthouse": 1.4,
    "villa": 1.3,
    "house": 1.0,
    "townhouse": 0.95,
    "commercial": 1.15,
    "plot": 0.11,  # EUR per m² of land is a fraction of a built m²
}


def price_for(
    rng: random.Random, kind: str, city: str, district: str, area: float, features: set[str]
) -> Decimal:
    """Area × a €/m² that fits city, district and type, with a premium for views and newness."""
    rate = CITY_RATE[city] * DISTRICT_FACTOR.get(district, 1.0) * TYPE_FACTOR[kind]
    if "sea_view" in features:
        rate *= 1.1
    if "beachfront" in features:
        rate *= 1.2
    if "new_build" in features:
        rate *= 1.08
    price = area * rate * rng.uniform(0.88, 1.12)
    step = 5000 if price >= 1_000_000 else 1000
    return Decimal(max(step, round(price / step) * step))


def typical_price(kind: str, city: str, district: str | None, bedrooms: int | None) -> Decimal:
    """What a property like this usually costs; buyer budgets are anchored on it."""
    areas = {
        "apartment": (40, 62, 95, 132, 175),
        "penthouse": (125, 125, 125, 170, 230),
        "villa": (195, 195, 195, 195, 260, 340, 420),
        "house": (115, 115, 115, 160, 210, 260),
        "townhouse": (105, 105, 105, 140, 175),
    }
    if kind == "plot":
        area = 900.0
    elif kind == "commercial":
        area = 150.0
    else:
        table = areas[kind]
        area = float(table[min(bedrooms or 2, len(table) - 1)])
    district_factor = DISTRICT_FACTOR.get(district, 1.0) if district else 1.0
    return Decimal(round(area * CITY_RATE[city] * district_factor * TYPE_FACTOR[kind]))
