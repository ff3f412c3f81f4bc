"""People's names: Russian case forms back to nominative, and one key for Latin and Cyrillic."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pymorphy3 loads its dictionaries on first use; keep the import cheap.
    from pymorphy3 import MorphAnalyzer
    from pymorphy3.analyzer import Parse

_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
# Words around a name in a request ("позвонить", "с", "клиенту") carry no part of the name.
_DROPPABLE_POS = frozenset(
    {"PREP", "CONJ", "PRCL", "INTJ", "INFN", "VERB", "ADVB", "NPRO", "PRED", "GRND", "NUMR"}
)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_EDGE_PUNCT = ".,;:!?\"'«»()[]"

_morph: MorphAnalyzer | None = None
_morph_lock = threading.Lock()


@lru_cache(maxsize=65536)
def parses(word: str) -> tuple[Any, ...]:
    """pymorphy3's readings of one word, most likely first, parsed once per process: the
    offline model asks about the same word in several places (names, lemmas, places, verbs)."""
    return tuple(morph().parse(word))


def morph() -> MorphAnalyzer:
    """The shared Russian analyzer, loaded once (~0.2 s and ~15 MB) on first use."""
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                from pymorphy3 import MorphAnalyzer

                _morph = MorphAnalyzer(lang="ru")
    return _morph


def _name_parses(word: str) -> list[Parse]:
    """Singular parses of `word` as a first name, surname or patronymic, most likely first."""
    found = [
        p
        for p in parses(word.lower())
        if _NAME_TAGS & p.tag.grammemes and "plur" not in p.tag.grammemes
    ]
    return sorted(found, key=lambda p: -p.score)


def _adjective_parses(word: str) -> list[Parse]:
    """Singular full-adjective parses: Толстого, Белая, Крутой are surnames after a name."""
    found = [
        p for p in parses(word.lower()) if p.tag.POS == "ADJF" and "plur" not in p.tag.grammemes
    ]
    return sorted(found, key=lambda p: -p.score)


def _is_filler(word: str) -> bool:
    """A dictionary word that is not a name (a verb, preposition, common noun...)."""
    readings = parses(word.lower())
    top = readings[0]
    if not top.is_known:
        return False  # an unknown word next to a name is most likely a foreign surname
    return top.tag.POS in _DROPPABLE_POS or not any(_NAME_TAGS & p.tag.grammemes for p in readings)


def _gender(candidates: list[list[Parse]]) -> str | None:
    """The person's gender: a first name decides, then a patronymic, then the surnames agree."""
    for tag in ("Name", "Patr", "Surn"):
        genders: set[str] | None = None
        for parses in candidates:
            tagged = {str(p.tag.gender) for p in parses if tag in p.tag.grammemes}
            tagged.discard("None")
            if tagged:
                genders = tagged if genders is None else genders & tagged
        if genders and len(genders) == 1:
            return genders.pop()
        if genders and tag != "Surn":
            # Several readings (Саша): take the most likely reading of the first such word.
            for parses in candidates:
                for p in parses:
                    if tag in p.tag.grammemes and p.tag.gender:
                        return str(p.tag.gender)
    return None


def _case(candidates: list[list[Parse]], gender: str | None) -> str | None:
    """The grammatical case every word of the name can share (nominative wins when possible)."""
    common: set[str] | None = None
    for parses in candidates:
        fitting = [p for p in parses if gender is None or p.tag.gender == gender]
        declined = [p for p in fitting if "Fixd" not in p.tag.grammemes]
        if fitting and not declined:
            continue  # an indeclinable name (Георгиу) fits any case
        cases = {str(p.tag.case) for p in declined}
        common = cases if common is None else common & cases
    if common is None:
        return "nomn"
    if not common:
        return None
    if "nomn" in common:
        return "nomn"
    order = ("gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "loc2", "acc2")
    return next((case for case in order if case in common), sorted(common)[0])


def _restore_case(word: str, like: str) -> str:
    """Give `word` the capitalisation of the word it came from."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
    return word


def _nominative_word(original: str, parses: list[Parse], gender: str | None, case: str) -> str:
    fitting = [
        p for p in parses if (gender is None or p.tag.gender == gender) and p.tag.case == case
    ]
    # A declinable reading (Анне → Анна) beats the indeclinable one (the foreign name Анне).
    fitting.sort(key=lambda p: "Fixd" in p.tag.grammemes)
    if case == "nomn" or not fitting:
        return original
    inflected = fitting[0].inflect({"nomn", "sing"})
    return _restore_case(inflected.word, original) if inflected else original


@lru_cache(maxsize=4096)
def to_nominative(name: str) -> str:
    """A person's name as said in a sentence ("с Марией Ивановой") back to "Мария Иванова"."""
    tokens = [t.strip(_EDGE_PUNCT) for t in name.split()]
    tokens = [t for t in tokens if t]
    if not any(_CYRILLIC.search(t) for t in tokens):
        return " ".join(tokens)
    words: list[tuple[str, list[Parse]]] = []
    for token in tokens:
        if not _CYRILLIC.search(token):
            words.append((token, []))
            continue
        words.append((token, _name_parses(token)))
    has_name = any(parses for _, parses in words)
    adjectival: dict[int, list[Parse]] = {}  # "Белого" after "Андрея": a surname like an adjective
    if has_name:
        kept: list[tuple[str, list[Parse]]] = []
        for token, parses in words:
            if parses or not _CYRILLIC.search(token) or not _is_filler(token):
                kept.append((token, parses))
            elif kept and token[:1].isupper() and (surname := _adjective_parses(token)):
                adjectival[len(kept)] = surname
                kept.append((token, []))
        words = kept
    cyrillic = [parses for token, parses in words if parses]
    if not cyrillic:
        return " ".join(token for token, _ in words)
    gender = _gender(cyrillic)
    case = _case(cyrillic, gender)
    if case is None and gender is not None:
        gender, case = None, _case(cyrillic, None)
    out: list[str] = []
    for position, (token, parses) in enumerate(words):
        if position in adjectival and case is not None:
            out.append(_nominative_word(token, adjectival[position], gender, case))
        elif not parses or case is None:
            out.append(token)
        elif "-" in token:  # a double name (Анной-Марией): decline each part
            parts = [
                _nominative_word(part, _name_parses(part), gender, case) if part else part
                for part in token.split("-")
            ]
            out.append("-".join(parts))
        else:
            out.append(_nominative_word(token, parses, gender, case))
    return " ".join(out)


# Transliteration variants folded to one spelling, applied in order (after lower-casing).
_MAGIC_E = re.compile(r"(?<=[^\W\d_aeiou])a([bdfgklmnprtvz])e\b", re.IGNORECASE)
_FOLDS: tuple[tuple[str, str], ...] = (
    ("shch", "sh"),
    ("cz", "c"),
    ("shh", "sh"),
    ("sch", "sh"),
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("ks", "x"),
    ("cs", "x"),
    ("w", "v"),
    ("tz", "c"),
    ("ts", "c"),
    ("j", "y"),
)
# Then the vowels, once ё written "yo" after a consonant (Fyodor, Pyotr) became "e".
_VOWEL_FOLDS: tuple[tuple[str, str], ...] = (
    ("ye", "e"),
    ("ou", "u"),
    ("y", "i"),
)
_YO = re.compile(r"([bcdfghklmnprstvxz])yo")
_DOUBLED = re.compile(r"([a-z])\1+")
_NON_LETTER = re.compile(r"[^a-z ]+")


def latin_key(name: str) -> str:
    """A comparison key: nominative, in Latin letters, lower-case, spelling variants folded."""
    return spelling_key(to_nominative(name))


@lru_cache(maxsize=65536)
def spelling_key(name: str) -> str:
    """latin_key of a name already in the nominative (a stored name): no morphology, fast."""
    from cyrtranslit import to_latin

    text = name.replace("ё", "е").replace("Ё", "Е")
    # (an English long "a" is "ей" in Russian: Kate / Кейт, Blake / Блейк)
    text = to_latin(text, "ru") if _CYRILLIC.search(text) else _MAGIC_E.sub(r"ej\1", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("'", "").replace("’", "").replace("ʹ", "")
    text = _NON_LETTER.sub(" ", text)
    for old, new in _FOLDS:
        text = text.replace(old, new)
    text = _YO.sub(r"\1e", text)
    for old, new in _VOWEL_FOLDS:
        text = text.replace(old, new)
    text = _DOUBLED.sub(r"\1", text)
    return " ".join(text.split())


# A name that is only part of the other scores below an exact match: a first name alone
# ("Ivan" for "Ivan Petrov") PARTIAL_NAME_SCORE, a full name inside a longer one ("Ivan
# Petrov" for "Ivan Petrov Sergeevich", likely the same person) CONTAINED_NAME_SCORE.
PARTIAL_NAME_SCORE = 90.0
CONTAINED_NAME_SCORE = 95.0


def key_similarity(a: str, b: str) -> float:
    """name_similarity over keys already computed with latin_key (0–100)."""
    from rapidfuzz import fuzz

    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    whole = float(fuzz.token_sort_ratio(a, b))
    overlap = float(fuzz.token_set_ratio(a, b))
    if overlap == 100.0:  # every word of one name appears in the other
        shorter = min(len(a.split()), len(b.split()))
        part = PARTIAL_NAME_SCORE if shorter == 1 else CONTAINED_NAME_SCORE
    else:
        part = overlap * PARTIAL_NAME_SCORE / 100.0
    return max(whole, part)


def name_similarity(a: str, b: str) -> float:
    """How alike two people's names are (0–100), whatever the script or grammatical case."""
    return key_similarity(latin_key(a), latin_key(b))


def rank_keys(
    query_key: str, keys: Mapping[str, str], *, limit: int | None = 5, cutoff: float = 0.0
) -> list[tuple[str, float]]:
    """The ids whose latin keys best match `query_key`, best first, scored as key_similarity.

    Both rapidfuzz scorers first run natively over all keys (process.extract) to pick the
    candidates, so ranking a broker's few thousand contacts stays in the milliseconds; only
    those candidates are then scored exactly.
    """
    from rapidfuzz import fuzz, process

    if not query_key or not keys:
        return []
    candidates: set[str] = set()
    # token_set counts at least PARTIAL_NAME_SCORE / 100 of itself: a looser raw cut-off.
    loose = min(100.0, cutoff * 100.0 / PARTIAL_NAME_SCORE)
    for scorer, raw_cutoff in ((fuzz.token_sort_ratio, cutoff), (fuzz.token_set_ratio, loose)):
        for _, _, key_id in process.extract(
            query_key, keys, scorer=scorer, limit=None, score_cutoff=raw_cutoff
        ):
            candidates.add(key_id)
    scored = [(key_id, key_similarity(query_key, keys[key_id])) for key_id in candidates]
    ranked = sorted(
        ((key_id, score) for key_id, score in scored if score >= cutoff),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked if limit is None else ranked[:limit]
