"""Cyprus places under their canonical English names, recognised in Russian and Greek too."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Place:
    name: str
    city: str  # the city a district belongs to; a city's own city is itself
    aliases: tuple[str, ...]

    @property
    def is_city(self) -> bool:
        return self.name == self.city


CITIES: dict[str, tuple[str, ...]] = {
    "Limassol": ("Lemesos", "Лимассол", "Лимасол", "Λεμεσός"),
    "Paphos": ("Pafos", "Пафос", "Πάφος"),
    "Larnaca": ("Larnaka", "Ларнака", "Ларнака", "Λάρνακα"),
    "Nicosia": ("Lefkosia", "Никосия", "Λευκωσία"),
    "Famagusta": ("Ammochostos", "Фамагуста", "Αμμόχωστος"),
}

DISTRICTS: dict[str, dict[str, tuple[str, ...]]] = {
    "Limassol": {
        "Germasogeia": ("Yermasoyia", "Germasoyia", "Гермасойя", "Гермасоя", "Γερμασόγεια"),
        "Potamos Germasogeia": ("Potamos Yermasoyia", "Потамос Гермасойя", "Ποταμός Γερμασόγειας"),
        "Agios Tychonas": ("Ayios Tychonas", "Agios Tychon", "Агиос Тихонас", "Άγιος Τύχωνας"),
        "Mesa Geitonia": ("Mesa Yitonia", "Меса Гитония", "Меса Гейтония", "Μέσα Γειτονιά"),
        "Agios Athanasios": ("Ayios Athanasios", "Агиос Афанасиос", "Άγιος Αθανάσιος"),
        "Neapolis": ("Неаполис", "Νεάπολη"),
        "Old Town": ("Limassol Center", "Центр Лимассола", "Старый город", "Παλιά Πόλη"),
        "Mouttagiaka": ("Moutayiaka", "Муттагиака", "Муттайяка", "Μουτταγιάκα"),
        "Parekklisia": ("Парекклисия", "Παρεκκλησιά"),
        "Zakaki": ("Закаки", "Ζακάκι"),
        "Ypsonas": ("Ипсонас", "Ύψωνας"),
        "Kato Polemidia": ("Като Полемидия", "Κάτω Πολεμίδια"),
    },
    "Paphos": {
        "Peyia": ("Pegeia", "Пейя", "Пейа", "Πέγεια"),
        "Kato Paphos": ("Kato Pafos", "Като Пафос", "Κάτω Πάφος"),
        "Chloraka": ("Хлорака", "Χλώρακα"),
        "Tala": ("Тала", "Τάλα"),
        "Emba": ("Empa", "Эмба", "Έμπα"),
        "Geroskipou": ("Yeroskipou", "Героскипу", "Γεροσκήπου"),
        "Kissonerga": ("Киссонерга", "Κισσόνεργα"),
        "Coral Bay": ("Корал Бэй", "Корал Бей"),
        "Universal": ("Юниверсал", "Γιουνιβέρσαλ"),
    },
    "Larnaca": {
        "Mackenzie": ("Makenzy", "Макензи", "Маккензи", "Μακένζι"),
        "Oroklini": ("Voroklini", "Ороклини", "Βορόκληνη"),
        "Pervolia": ("Перволия", "Περβόλια"),
        "Aradippou": ("Арадиппу", "Αραδίππου"),
        "Livadia": ("Livadhia", "Ливадия", "Λιβάδια"),
        "Kiti": ("Кити", "Κίτι"),
    },
    "Nicosia": {
        "Strovolos": ("Строволос", "Στρόβολος"),
        "Engomi": ("Egkomi", "Энгоми", "Эгкоми", "Έγκωμη"),
        "Aglantzia": ("Аглантзия", "Αγλαντζιά"),
        "Lakatamia": ("Лакатамия", "Λακατάμια"),
        "Latsia": ("Лация", "Латсия", "Λατσιά"),
        "Acropolis": ("Акрополис", "Ακρόπολη"),
    },
    "Famagusta": {
        "Ayia Napa": ("Agia Napa", "Айя-Напа", "Айя Напа", "Αγία Νάπα"),
        "Protaras": ("Протарас", "Πρωταράς"),
        "Paralimni": ("Паралимни", "Παραλίμνι"),
        "Deryneia": ("Dherynia", "Дериния", "Δερύνεια"),
    },
}

# Russian nouns change their ending with case ("в Пафосе", "из Никосии"); accept those endings.
_RU_ENDINGS = r"(?:а|у|е|и|ы|ой|ом|ою|ей|ам|ах|ами|ии|ию|ия|ее|ея|ю|я)?"
_RU_VOWELS = "аяоеыиьй"


def _fold(text: str) -> str:
    """Lower-case and strip accents (Greek tonos too), keeping the script."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("ё", "е"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("-", " ")


def _is_cyrillic(text: str) -> bool:
    return any("а" <= ch <= "я" for ch in text)


@lru_cache(maxsize=1)
def all_places() -> tuple[Place, ...]:
    places: list[Place] = []
    for city, aliases in CITIES.items():
        places.append(Place(city, city, aliases))
        for district, district_aliases in DISTRICTS[city].items():
            places.append(Place(district, city, district_aliases))
    return tuple(places)


def _alias_pattern(alias: str) -> str:
    folded = _fold(alias)
    words = folded.split()
    if _is_cyrillic(folded):
        # Inflect each word: drop a final vowel and accept a case ending instead.
        parts = []
        for word in words:
            # Short single words ("Тала", "Кити") stay whole: their stems are common words.
            long_enough = len(word) > 4 or (len(words) > 1 and len(word) == 4)
            stem = word[:-1] if long_enough and word[-1] in _RU_VOWELS else word
            parts.append(re.escape(stem) + _RU_ENDINGS)
        body = r"\s+".join(parts)
    else:
        body = r"\s+".join(re.escape(word) for word in words)
    return rf"(?<![\w]){body}(?![\w])"


@lru_cache(maxsize=1)
def _matchers() -> tuple[tuple[re.Pattern[str], Place], ...]:
    pairs: list[tuple[re.Pattern[str], Place, int]] = []
    for place in all_places():
        for alias in (place.name, *place.aliases):
            pairs.append((re.compile(_alias_pattern(alias)), place, len(alias)))
    # Longer aliases first, so "Potamos Germasogeia" wins over "Germasogeia".
    pairs.sort(key=lambda item: -item[2])
    return tuple((pattern, place) for pattern, place, _ in pairs)


def find_places(text: str) -> list[Place]:
    """Every place named in free text, in order of appearance, longest names first."""
    folded = _fold(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Place]] = []
    for pattern, place in _matchers():
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < t_end and end > t_start for t_start, t_end in taken):
                continue
            taken.append((start, end))
            if all(p.name != place.name for _, p in found):
                found.append((start, place))
    return [place for _, place in sorted(found, key=lambda item: item[0])]


def canonical_place(text: str) -> Place | None:
    """The place a short text names ("Лимассол", "limassol", "Λεμεσός"), or None."""
    places = find_places(text)
    return places[0] if places else None


def canonical_city(text: str) -> str | None:
    place = canonical_place(text)
    return place.name if place is not None and place.is_city else None


def city_of(district: str) -> str | None:
    for place in all_places():
        if place.name.lower() == district.lower():
            return place.city
    return None


def place_name(name: str, language: str = "en") -> str:
    """A canonical place in the broker's language (the first Russian alias for Russian)."""
    if language != "ru":
        return name
    for place in all_places():
        if place.name == name:
            for alias in place.aliases:
                if _is_cyrillic(_fold(alias)):
                    return alias
    return name
