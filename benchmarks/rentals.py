"""Real rental ads as listings, and buyers who ask for one amenity in everyday words.

The ads' `amenities` column is withheld from the listings and used only as the ground truth.
Amenities are benchmarked when they appear in at least 5% of the ads; those whose label
contradicts the ads' own words (see `amenity_stats`) are reported apart from the main figure.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

_LOCATED = re.compile(r"located at ([^,]+),")
DATA = Path(__file__).parent / "data" / "us_rentals_sample.csv"
MIN_SHARE = 0.05
SQFT_TO_M2 = 0.092903

# Amenity → (how an ad names it, wishes naming it in everyday words, a wish describing the
# need without naming it). The main figure uses the naming wishes; the needs are reported too.
AMENITIES: dict[str, tuple[str, list[str], str]] = {
    "Parking": (r"\bparking\b", ["a parking space", "covered parking or a garage"],
                "somewhere to park my car"),
    "Pool": (r"\bpool\b", ["a swimming pool", "a pool to swim in"],
             "somewhere to swim in the summer"),
    "Dishwasher": (r"dishwasher", ["a dishwasher", "a dish washer in the kitchen"],
                   "I hate washing dishes by hand"),
    "Refrigerator": (r"refrigerator", ["a fridge", "a refrigerator"],
                     "a place to keep food cold"),
    "Patio/Deck": (r"\bpatio|\bdeck\b", ["a patio", "a deck or a balcony"],
                   "outdoor space to sit outside"),
    "Cable or Satellite": (r"\bcable\b|satellite", ["cable TV", "satellite TV"],
                           "lots of TV channels"),
    "Storage": (r"\bstorage\b", ["a storage unit", "extra storage space"],
                "room to store my bike and boxes"),
    "Internet Access": (r"internet", ["wifi", "internet access"], "I work online from home"),
    "Gym": (r"\bgym\b", ["a gym", "a fitness room"], "a place to work out"),
    "Clubhouse": (r"clubhouse", ["a clubhouse", "a residents' lounge"],
                  "a room for parties with neighbours"),
    "Garbage Disposal": (r"disposal", ["a garbage disposal", "a waste disposer in the sink"],
                         "grind food scraps down the drain"),
    "Washer Dryer": (r"\bwasher", ["a washer and dryer", "a washing machine in the unit"],
                     "do laundry at home"),
    "Fireplace": (r"fireplace", ["a fireplace", "an open fire in the living room"],
                  "cosy evenings by the fire"),
    "Playground": (r"playground", ["a playground", "a play area for kids"],
                   "somewhere for children to play"),
    "AC": (r"air condition|\ba/?c\b", ["air conditioning", "AC"], "stay cool in hot summers"),
    "Elevator": (r"elevator", ["a lift", "an elevator"], "no stairs please"),
    "Tennis": (r"tennis", ["a tennis court", "tennis courts nearby"],
               "somewhere to play a racket sport"),
    "Gated": (r"\bgated\b", ["a gated community", "a gated entrance"],
              "a secure, controlled entrance"),
    "Hot Tub": (r"hot tub", ["a hot tub", "a jacuzzi"], "a warm bubbling bath to relax in"),
}  # fmt: skip
MIN_NAMED = 10  # ads that name the amenity, to judge whether its label can be trusted
MIN_AGREEMENT = 0.6  # of those ads, the share whose label carries the amenity


@dataclass(frozen=True)
class Ad:
    id: str
    amenities: frozenset[str]
    row: dict[str, Any]


def load_ads(path: Path = DATA) -> list[Ad]:
    ads: list[Ad] = []
    at = datetime(2026, 1, 5, tzinfo=UTC)
    with path.open(encoding="utf-8") as handle:
        for n, raw in enumerate(csv.DictReader(handle), start=1):
            amenities = raw["amenities"] if raw["amenities"] not in ("", "null") else ""
            bedrooms = _int(raw["bedrooms"])
            feet = _int(raw["square_feet"])
            ads.append(
                Ad(
                    id=f"l-{n}",
                    amenities=frozenset(a for a in amenities.split(",") if a),
                    row={
                        "id": f"l-{n}",
                        "owner": "b-1",
                        "seller": None,
                        "stage": "active_listing",
                        "property_type": "apartment",
                        "city": raw["cityname"],
                        "district": None,
                        "address": _address(raw["body"]),
                        "price": Decimal(raw["price"] or "0"),
                        "bedrooms": bedrooms,
                        "bathrooms": _int(raw["bathrooms"]),
                        "area_m2": round(feet * SQFT_TO_M2, 1) if feet else None,
                        "features": [],  # the amenities stay hidden: they are the answer key
                        "description": f"{raw['title']}. {raw['body']}",
                        "listed_at": at,
                        "created_at": at,
                        "updated_at": at,
                    },
                )
            )
    return ads


@dataclass(frozen=True)
class AmenityStats:
    name: str
    share: float  # ads whose label has it: the expected precision of a random order
    named: int  # ads whose text names it
    agreement: float  # of those, the share whose label has it

    @property
    def label_reliable(self) -> bool:
        return self.named >= MIN_NAMED and self.agreement >= MIN_AGREEMENT


def amenity_stats(ads: list[Ad]) -> list[AmenityStats]:
    """Every amenity in ≥5% of the ads, with how far its label agrees with the ads' own words.

    Where ads name an amenity and most labels still lack it ("Fitness facilities" without
    "Gym"), the label is no ground truth for text; those amenities are reported apart.
    """
    stats = []
    for name, (pattern, _, _) in AMENITIES.items():
        share = sum(name in ad.amenities for ad in ads) / len(ads)
        if share < MIN_SHARE:
            continue
        regex = re.compile(pattern, re.I)
        named = [ad for ad in ads if regex.search(ad.row["description"])]
        agreement = sum(name in ad.amenities for ad in named) / len(named) if named else 0.0
        stats.append(AmenityStats(name, share, len(named), agreement))
    return stats


def buyer_rows(amenities: list[str], *, start: int) -> list[tuple[dict[str, Any], str, str]]:
    """One buyer request per wish of each amenity, with no other criteria:
    (row, amenity, "named" or "need")."""
    at = datetime(2026, 1, 5, tzinfo=UTC)
    rows: list[tuple[dict[str, Any], str, str]] = []
    for amenity in amenities:
        _, named, need = AMENITIES[amenity]
        for wish, kind in [*((w, "named") for w in named), (need, "need")]:
            row = {
                "id": f"r-{start + len(rows)}",
                "owner": "b-1",
                "buyer": "c-1",
                "stage": "viewing",
                "cities": [],
                "districts": [],
                "property_types": [],
                "must_haves": [],
                "wishes": wish,
                "financing": "unknown",
                "nurturing": False,
                "created_at": at,
                "updated_at": at,
            }
            rows.append((row, amenity, kind))
    return rows


def _address(body: str) -> str | None:
    """The street address template ads state ("This unit is located at 855 Hinman Avenue, …")."""
    found = _LOCATED.search(body)
    return found.group(1).strip() if found else None


def _int(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None
