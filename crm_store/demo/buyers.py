"""What demo buyers look for: budgets anchored on the market, places, types, wishes in EN/RU."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from crm_store.demo.market import typical_price
from crm_store.demo.odds import Odds
from crm_store.demo.properties import CITY_WEIGHTS
from crm_store.places import DISTRICTS

# (property types wanted, weight): families want houses, investors flats, a few want land.
SEARCHES = (
    (("apartment",), 34),
    (("apartment", "penthouse"), 10),
    (("penthouse",), 4),
    (("villa",), 14),
    (("villa", "house"), 12),
    (("house", "townhouse"), 10),
    (("townhouse",), 6),
    (("plot",), 6),
    (("commercial",), 4),
)
BEDROOMS = {
    "apartment": (1, 2, 2, 3),
    "penthouse": (2, 3),
    "villa": (3, 3, 4, 5),
    "house": (2, 3, 3, 4),
    "townhouse": (2, 3, 3),
}
MUST_HAVES = {
    "apartment": ("sea_view", "parking", "pool", "elevator", "balcony"),
    "penthouse": ("sea_view", "roof_garden", "jacuzzi", "parking"),
    "villa": ("private_pool", "garden", "sea_view", "parking"),
    "house": ("garden", "parking", "fireplace"),
    "townhouse": ("garden", "pool", "parking"),
    "plot": ("sea_view",),
    "commercial": ("parking",),
}
SEARCH_ODDS = Odds([s for s, _ in SEARCHES], [w for _, w in SEARCHES])
CITY_ODDS = Odds(tuple(CITY_WEIGHTS), (50, 22, 14, 8, 6))
MUST_COUNT = Odds((0, 1, 2), (45, 40, 15))
SOFT_COUNT = Odds((0, 1, 2), (20, 55, 25))
FINANCING = Odds(("cash", "mortgage", "unknown"), (45, 30, 25))
TIMELINES = (1, 2, 3, 4, 6, 6, 9, 12)
LONG_TIMELINES = (18, 24, 36)

# Wishes as brokers jot them down, one bank per language; some repeat a must-have in words.
WISHES = {
    "en": {
        "sea_view": ("must see the sea from the living room", "sea view is a must"),
        "private_pool": ("own pool, not communal", "wants a private pool for the kids"),
        "garden": ("needs a garden for the dog", "some garden, they love growing vegetables"),
        "parking": ("two cars, needs parking", "covered parking preferred"),
        "roof_garden": ("roof terrace for parties",),
        "fireplace": ("would love a fireplace",),
        "pool": ("pool in the complex is fine",),
        "elevator": ("elderly mother moves in, so a lift or ground floor",),
        "balcony": ("big balcony for morning coffee",),
        "jacuzzi": ("jacuzzi would be a plus",),
        "seaside": ("walk to the beach", "close to the marina"),
        "soft": (
            "quiet area near a good school",
            "home office, both work remotely",
            "modern kitchen, they cook a lot",
            "good rental yield, will let it out in summer",
            "not on a main road",
            "ready to move in, no renovation",
            "close to the international school",
            "pets welcome, they have two cats",
            "near the airport, flies a lot",
            "wants a dishwasher and a proper laundry room",
        ),
    },
    "ru": {
        "sea_view": ("хотят вид на море", "обязательно вид на море из гостиной"),
        "private_pool": ("свой бассейн, не общий", "нужен бассейн для детей"),
        "garden": ("нужен сад для собаки", "небольшой сад, любят возиться с огородом"),
        "parking": ("две машины, нужна парковка", "желательно крытая парковка"),
        "roof_garden": ("терраса на крыше для гостей",),
        "fireplace": ("хотели бы камин",),
        "pool": ("общий бассейн подойдёт",),
        "elevator": ("переезжает пожилая мама, нужен лифт или первый этаж",),
        "balcony": ("большой балкон",),
        "jacuzzi": ("джакузи будет плюсом",),
        "seaside": ("чтобы до пляжа пешком", "рядом с мариной"),
        "soft": (
            "тихий район рядом с хорошей школой",
            "нужен кабинет, оба работают удалённо",
            "хорошая доходность, будут сдавать летом",
            "не на главной дороге",
            "готово к заселению, без ремонта",
            "рядом с международной школой",
            "с животными, у них две кошки",
            "ближе к аэропорту, часто летает",
            "нужна посудомойка и нормальная прачечная",
        ),
    },
}


@dataclass(frozen=True)
class Search:
    cities: list[str]
    districts: list[str]
    property_types: list[str]
    bedrooms_min: int | None
    must_haves: list[str]
    wishes: str
    budget_min: Decimal | None
    budget_max: Decimal
    timeline_months: int | None
    financing: str


def _round_budget(value: float) -> Decimal:
    step = 50_000 if value >= 1_000_000 else 10_000
    return Decimal(max(step, round(value / step) * step))


def make_search(rng: random.Random, *, language: str, long_timeline: bool) -> Search:
    """A buyer's criteria; the budget is what such a property costs there, give or take."""
    cities_pool = tuple(CITY_WEIGHTS)
    city = CITY_ODDS.pick(rng)
    cities = [city]
    if rng.random() < 0.12:
        other = rng.choice([c for c in cities_pool if c != city])
        cities.append(other)
    districts: list[str] = []
    if rng.random() < 0.45:
        districts = rng.sample(tuple(DISTRICTS[city]), rng.randrange(1, 4))
    types = list(SEARCH_ODDS.pick(rng))
    main = types[0]
    beds = rng.choice(BEDROOMS[main]) if main in BEDROOMS else None
    options = tuple(f for f in MUST_HAVES[main] if not (f == "sea_view" and city == "Nicosia"))
    must = sorted(rng.sample(options, min(len(options), MUST_COUNT.pick(rng))))
    anchor = typical_price(main, city, districts[0] if districts else None, beds)
    budget_max = _round_budget(float(anchor) * rng.uniform(0.85, 1.35))
    budget_min = None
    if rng.random() < 0.7:
        budget_min = _round_budget(float(budget_max) * rng.uniform(0.55, 0.85))
        if budget_min >= budget_max:
            budget_min = None
    if long_timeline:
        timeline: int | None = rng.choice(LONG_TIMELINES)
    else:
        timeline = rng.choice(TIMELINES) if rng.random() < 0.9 else None
    financing = FINANCING.pick(rng)
    return Search(
        cities,
        sorted(districts),
        types,
        beds,
        must,
        wishes_for(rng, language, must, seaside="Nicosia" not in cities),
        budget_min,
        budget_max,
        timeline,
        financing,
    )


def wishes_for(rng: random.Random, language: str, must: list[str], *, seaside: bool) -> str:
    """One to three short clauses, as a broker notes them during the first call."""
    bank = WISHES[language]
    parts = [rng.choice(bank[f]) for f in must if f in bank and rng.random() < 0.6]
    soft = bank["soft"] + bank["seaside"] if seaside else bank["soft"]
    parts.extend(rng.sample(soft, SOFT_COUNT.pick(rng)))
    if not parts:
        parts = [rng.choice(soft)]
    rng.shuffle(parts)
    return ", ".join(parts)
