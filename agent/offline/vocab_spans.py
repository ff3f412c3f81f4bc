"""Where features, property types and places are named in a message, with their spans.

The alias lists (crm_store.features, crm_store.places) hold common forms; Russian words in
other cases ("террасу на крыше", "тёплыми полами") are also matched in their dictionary form.
Places are found as the shortest run of words (up to three) that names each.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agent.offline.normalise import normalise
from crm_store.features import FEATURE_ALIASES, PROPERTY_TYPE_ALIASES
from crm_store.places import Place, canonical_place, find_places

_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


# (kind, span, words as written, value): the caller wraps them as slots.
Found = tuple[str, tuple[int, int], str, object]


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and span[1] > a for a, b in taken)


_PLURAL = "(?:e?s)?"  # "flats", "houses", "pools": an English short word's plural too


@lru_cache(maxsize=1)
def _alias_patterns() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    pairs = [
        ("feature", alias, key) for key, aliases in FEATURE_ALIASES.items() for alias in aliases
    ]
    pairs += [("type", a, key) for key, aliases in PROPERTY_TYPE_ALIASES.items() for a in aliases]
    pairs.sort(key=lambda item: -len(item[1]))
    # As crm_store.features: short aliases whole words, longer ones also inside a word form
    # ("бассейн" in "бассейном").
    return tuple(
        (
            kind,
            re.compile(
                rf"(?<![\w]){re.escape(alias)}{_PLURAL if alias.isascii() else ''}(?![\w])"
                if len(alias) < 6
                else re.escape(alias)
            ),
            key,
        )
        for kind, alias, key in pairs
    )


# "the office", "our office", "в офис": the brokerage's own place, never a listing's type
# (and "a home office", "домашний офис": a room of the home, not a commercial property)
_OUR_PLACE = re.compile(
    r"(?:\b(?:the|our|my|to|at|into|in|home)|(?<!\w)(?:в|из|у нас в|домашн\w*))\s+$"
)


def features_and_types(text: str) -> list[Found]:
    norm = normalise(text)
    lower = norm.lower
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern, key in _alias_patterns():
        for match in pattern.finditer(lower):
            if _overlaps(match.span(), taken):
                continue
            office = lower[match.start() : match.start() + 4] in ("offi", "офис")
            if office and _OUR_PLACE.search(lower, 0, match.start()):
                continue  # "walked into the office": where the broker works, not a listing
            taken.append(match.span())
            a, b = norm.to_original(*match.span())
            found.append((kind, (a, b), text[a:b], key))
    if _CYRILLIC.search(text):
        found += _lemma_matches(text, [item[1] for item in found])
    return found


_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@lru_cache(maxsize=16384)
def _lemma(word: str) -> str:
    if not _CYRILLIC.search(word):
        return word.lower()
    from crm_store.services.names import parses

    return str(parses(word.lower())[0].normal_form)


@lru_cache(maxsize=1)
def _lemma_patterns() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """The Russian aliases with every word in its dictionary form."""
    pairs = [
        ("feature", alias, key) for key, aliases in FEATURE_ALIASES.items() for alias in aliases
    ]
    pairs += [("type", a, key) for key, aliases in PROPERTY_TYPE_ALIASES.items() for a in aliases]
    lemmatised = {
        (kind, " ".join(_lemma(w) for w in alias.split()), key)
        for kind, alias, key in pairs
        if _CYRILLIC.search(alias)
    }
    ordered = sorted(lemmatised, key=lambda item: (-len(item[1]), item))
    return tuple(
        (kind, re.compile(rf"(?<![\w]){re.escape(alias)}(?![\w])"), key)
        for kind, alias, key in ordered
    )


def _lemma_matches(text: str, taken: list[tuple[int, int]]) -> list[Found]:
    """Features and types named in another case ("террасу на крыше" → roof_garden): the alias
    lists hold common forms only, so Russian words are also matched in their dictionary form."""
    words = list(_WORD.finditer(text))
    pieces: list[str] = []
    starts: list[int] = []
    position = 0
    for word in words:
        starts.append(position)
        lemma = _lemma(word.group())
        pieces.append(lemma)
        position += len(lemma) + 1
    lemmas = " ".join(pieces)
    found: list[Found] = []
    for kind, pattern, key in _lemma_patterns():
        for match in pattern.finditer(lemmas):
            first = max(i for i, s in enumerate(starts) if s <= match.start())
            last = max(i for i, s in enumerate(starts) if s < match.end())
            span = (words[first].start(), words[last].end())
            if _overlaps(span, taken):
                continue
            taken.append(span)
            found.append((kind, span, text[span[0] : span[1]], key))
    return found


@lru_cache(maxsize=8192)
def _place_of(words: str) -> Place | None:
    return canonical_place(words)


def _place_by_lemma(word: str) -> Place | None:
    """A short Russian place name in another case ("в Пейе" → Пейя): the aliases inflect only
    longer names, so a single Cyrillic word is also tried in its dictionary forms."""
    if not _CYRILLIC.search(word) or len(word) < 4:
        return None
    from crm_store.services.names import parses

    for parse in parses(word.lower())[:3]:
        if parse.normal_form != word.lower():
            place = _place_of(str(parse.normal_form))
            if place is not None:
                return place
    return None


def places(text: str) -> list[Found]:
    """Places with the shortest run of words that names each (n-grams of up to 3 words)."""
    words = list(_WORD.finditer(text))
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    if not find_places(text):
        for word in words:
            place = _place_by_lemma(word.group())
            if place is not None:
                found.append(("place", word.span(), word.group(), place))
        return found
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            run = words[i : i + size]
            span = (run[0].start(), run[-1].end())
            if _overlaps(span, taken):
                continue
            place = _place_of(text[span[0] : span[1]])
            if place is None:
                continue
            if size > 1:
                inner = (text[run[1].start() : span[1]], text[span[0] : run[-2].end()])
                if any(_place_of(part) == place for part in inner):
                    continue  # a shorter run names it; take that one
            taken.append(span)
            found.append(("place", span, text[span[0] : span[1]], place))
    for word in words:
        if not _overlaps(word.span(), taken):
            place = _place_by_lemma(word.group())
            if place is not None:
                found.append(("place", word.span(), word.group(), place))
    return found
