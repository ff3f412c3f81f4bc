"""Property features and types as brokers say them in English and Russian, mapped to our keys."""

from __future__ import annotations

import re
from functools import lru_cache

# Canonical key → phrases (lower-case; Russian given as stems where endings vary).
FEATURE_ALIASES: dict[str, tuple[str, ...]] = {
    "sea_view": (
        "sea view",
        "sea views",
        "view of the sea",
        "ocean view",
        "вид на море",
        "видом на море",
        "морской вид",
    ),
    "mountain_view": ("mountain view", "mountain views", "вид на горы", "видом на горы"),
    "pool": ("pool", "swimming pool", "communal pool", "бассейн"),
    "private_pool": (
        "private pool",
        "own pool",
        "свой бассейн",
        "собственный бассейн",
        "личный бассейн",
        "частный бассейн",
    ),
    "garden": ("garden", "yard", "сад", "садом", "сада", "участок с садом"),
    "parking": (
        "parking",
        "garage",
        "parking space",
        "парковка",
        "парковкой",
        "гараж",
        "парковочное место",
    ),
    "covered_parking": ("covered parking", "крытая парковка", "крытой парковкой"),
    "roof_garden": (
        "roof garden",
        "roof terrace",
        "rooftop terrace",
        "терраса на крыше",
        "сад на крыше",
    ),
    "jacuzzi": ("jacuzzi", "hot tub", "джакузи"),
    "new_build": (
        "new build",
        "new-build",
        "newly built",
        "brand new",
        "новостройка",
        "новостройке",
        "новый дом",
    ),
    "furnished": ("furnished", "fully furnished", "с мебелью", "меблирован"),
    "air_conditioning": ("air conditioning", "air-conditioning", "a/c", "кондиционер"),
    "underfloor_heating": (
        "underfloor heating",
        "теплый пол",
        "тёплый пол",
        "теплые полы",
        "тёплые полы",
    ),
    "fireplace": ("fireplace", "камин", "камином"),
    "storage": ("storage room", "storeroom", "кладовая", "кладовка", "кладовой"),
    "elevator": ("elevator", "lift", "лифт", "лифтом"),
    "gym": (
        "gym",
        "fitness center",
        "fitness centre",
        "спортзал",
        "тренажерный зал",
        "тренажёрный зал",
    ),
    "beachfront": (
        "beachfront",
        "on the beach",
        "first line",
        "first-line",
        "на первой линии",
        "первая линия",
        "у самого моря",
    ),
    "pet_friendly": (
        "pet friendly",
        "pet-friendly",
        "pets allowed",
        "dog",
        "dogs",
        "cat",
        "cats",
        "с собакой",
        "собака",
        "собаки",
        "кошка",
        "питомц",
        "животны",
    ),
    "smart_home": ("smart home", "умный дом"),
    "solar_panels": (
        "solar panels",
        "solar water heater",
        "солнечные панели",
        "солнечными панелями",
    ),
    "dishwasher": ("dishwasher", "посудомоечная машина", "посудомойка", "посудомойкой"),
    "washer": ("washer", "washing machine", "laundry", "стиральная машина", "стиралка"),
    "balcony": ("balcony", "veranda", "balconies", "балкон", "балконом", "веранда", "верандой"),
    "bbq": ("bbq", "barbecue", "барбекю", "мангал"),
    "near_schools": (
        "near schools",
        "close to schools",
        "school nearby",
        "near a school",
        "schools nearby",
        "рядом со школой",
        "рядом с школой",
        "близко к школе",
        "возле школы",
        "школа рядом",
        "школы рядом",
        "рядом школа",
    ),
    "quiet": (
        "quiet",
        "peaceful",
        "tranquil",
        "тихий",
        "тихом",
        "тихое",
        "тихая",
        "спокойный",
        "спокойном",
    ),
}

PROPERTY_TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    "apartment": (
        "apartment",
        "flat",
        "apt",
        "квартира",
        "квартиру",
        "квартиры",
        "квартир",
        "апартаменты",
        "апартаментов",
    ),
    "villa": ("villa", "villas", "вилла", "виллу", "виллы", "вилл"),
    "house": ("house", "detached house", "дом", "дома", "домов", "частный дом"),
    "townhouse": ("townhouse", "town house", "таунхаус", "таунхауса", "таунхаусы"),
    "penthouse": ("penthouse", "пентхаус", "пентхауса", "пентхаусы"),
    "plot": ("plot", "land", "участок", "участка", "земля", "землю"),
    "commercial": (
        "commercial",
        "office",
        "shop",
        "коммерческая",
        "коммерческую",
        "офис",
        "магазин",
    ),
}

FEATURE_NAMES_RU: dict[str, str] = {
    "sea_view": "вид на море",
    "mountain_view": "вид на горы",
    "pool": "бассейн",
    "private_pool": "свой бассейн",
    "garden": "сад",
    "parking": "парковка",
    "covered_parking": "крытая парковка",
    "roof_garden": "терраса на крыше",
    "jacuzzi": "джакузи",
    "new_build": "новостройка",
    "furnished": "с мебелью",
    "air_conditioning": "кондиционеры",
    "underfloor_heating": "тёплый пол",
    "fireplace": "камин",
    "storage": "кладовая",
    "elevator": "лифт",
    "gym": "спортзал",
    "beachfront": "первая линия",
    "pet_friendly": "можно с животными",
    "smart_home": "умный дом",
    "solar_panels": "солнечные панели",
    "dishwasher": "посудомоечная машина",
    "washer": "стиральная машина",
    "balcony": "балкон",
    "bbq": "барбекю",
    "near_schools": "рядом школы",
    "quiet": "тихое место",
}

# Keys whose phrases are implied by a more specific key ("private pool" is also a pool).
_IMPLIES = {"private_pool": "pool", "covered_parking": "parking"}


def _compile(aliases: dict[str, tuple[str, ...]]) -> list[tuple[re.Pattern[str], str]]:
    pairs = [(alias, key) for key, phrases in aliases.items() for alias in phrases]
    pairs.sort(key=lambda pair: -len(pair[0]))
    return [
        (
            re.compile(rf"(?<!\w){re.escape(alias)}(?!\w)" if len(alias) < 6 else re.escape(alias)),
            key,
        )
        for alias, key in pairs
    ]


@lru_cache(maxsize=1)
def _feature_patterns() -> list[tuple[re.Pattern[str], str]]:
    return _compile(FEATURE_ALIASES)


@lru_cache(maxsize=1)
def _type_patterns() -> list[tuple[re.Pattern[str], str]]:
    return _compile(PROPERTY_TYPE_ALIASES)


def _find(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> list[str]:
    lowered = text.lower().replace("ё", "е")
    found: dict[str, int] = {}
    for pattern, key in patterns:
        match = pattern.search(lowered)
        if match and key not in found:
            found[key] = match.start()
    return [key for key, _ in sorted(found.items(), key=lambda item: item[1])]


def find_features(text: str) -> list[str]:
    """Feature keys named in free text, English or Russian, in order of appearance."""
    keys = _find(text, _feature_patterns())
    for specific, general in _IMPLIES.items():
        if specific in keys and general not in keys:
            keys.append(general)
    return keys


def find_property_types(text: str) -> list[str]:
    """Property types named in free text ("villa", "квартиру", "таунхаус")."""
    return _find(text, _type_patterns())


def feature_name(key: str, language: str = "en") -> str:
    """A feature key as a broker would read it ("sea_view" → "sea view" / "вид на море")."""
    if language == "ru":
        return FEATURE_NAMES_RU.get(key, key.replace("_", " "))
    return key.replace("_", " ")
