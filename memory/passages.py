"""Long text cut into sentences, wishes into clauses, and the words lexical evidence uses."""

from __future__ import annotations

import re
from functools import lru_cache

from crm_store.features import find_features

MAX_PASSAGES = 24
MAX_PASSAGE_WORDS = 40
MIN_PASSAGE_WORDS = 3
MIN_PREFIX = 4  # a wish word this long also matches longer words it begins ("fire" → "fireplace")
PASSAGE_OVERLAP = 10

# Sentence ends, bullets and line breaks; ads glue sentences ("DCMonthly"), so a lower→upper
# letter joint without a space is a boundary too.
_SENTENCE_BREAK = re.compile(
    r"(?<=[.!?])\s+(?=[^a-z])|(?<=;)\s+|(?<=[a-z][.!?])(?=[A-Z])|\s*[\r\n]+\s*|\s+[-–•*]+\s+"
    r"|(?<=\w)-\s+(?=[A-Z])|(?<=[a-z0-9])(?=[A-Z][a-z])|(?<=[A-Z]{2})(?=[A-Z][a-z]{2})"
    r"|\s*(?:--|\*\*+|•)\s*"
)
_CLAUSE_BREAK = re.compile(r"[.;!?\n\r]+|,\s+|\s+(?:but|also|plus|а также|также|но)\s+", re.I)
_AND_BREAK = re.compile(r"\s+(?:and|и)\s+", re.I)
_WORD = re.compile(r"[0-9a-zа-яёα-ω]+", re.I)


def _words(text: str) -> list[str]:
    return text.split()


_STOPWORDS = frozenset(
    _words(
        """a an the and or of to in on at for with from by is are be was were it its this that
        these those we you your our they them their i me my he she his her as if so not no but
        also very would like love want wants need needs looking look prefer ideally some any all
        has have had will can could should please must nice good great really just more most well
        near close within about into than there here what which who whom how when where one two
        three four five и в во на с со к ко по о об от до за для из у не ни а но же бы ли что
        чтобы как это этот эта эти мы вы они он она оно мне нам нас вас его ее их или да нет очень
        хотим хочет хочу хотят хотелось нужен нужна нужно нужны желательно чтоб был была было были
        есть"""
    )
)
_RU_SUFFIXES = tuple(
    sorted(
        _words(
            """ами ями ого его ому ему ыми ими ой ей ом ем ам ям ах ях ая яя ое ее ые ие ый ий ую
            юю ов ев а я ы и е у ю о"""
        ),
        key=len,
        reverse=True,
    )
)


def split_passages(text: str | None) -> list[str]:
    """Sentences (long ones cut into windows), so one fact is not diluted by the whole text."""
    if not text:
        return []
    pieces = [p.strip(" -–•*,:") for p in _SENTENCE_BREAK.split(text) if p and p.strip()]
    passages: list[str] = []
    carry = ""
    for piece in pieces:
        piece = f"{carry} {piece}".strip() if carry else piece
        words = piece.split()
        if len(words) < MIN_PASSAGE_WORDS:
            carry = piece  # too short to stand alone ("Pool."): join it to the next one
            continue
        carry = ""
        # Overlapping windows, so a phrase cut at a window edge is whole in the next one.
        step = MAX_PASSAGE_WORDS - PASSAGE_OVERLAP
        for start in range(0, max(1, len(words) - PASSAGE_OVERLAP), step):
            passages.append(" ".join(words[start : start + MAX_PASSAGE_WORDS]))
    if carry:
        if passages and len(carry.split()) < MIN_PASSAGE_WORDS and not _has_word(carry):
            passages[-1] = f"{passages[-1]} {carry}"
        else:
            passages.append(carry)
    return _dedupe(passages)[:MAX_PASSAGES]


def split_wishes(text: str | None) -> list[str]:
    """A buyer's wishes as separate clauses ("quiet street, near schools; a fireplace")."""
    return list(_split_wishes(text or ""))


@lru_cache(maxsize=50_000)
def _split_wishes(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    clauses: list[str] = []
    for part in _CLAUSE_BREAK.split(text):
        part = part.strip(" -–•*:()\"'")
        if not part:
            continue
        halves = _AND_BREAK.split(part)
        # Split "a pool and a fireplace" but keep "washer and dryer": only when each side
        # is a phrase of its own (two words or more) or names a feature of its own.
        if len(halves) > 1 and (
            all(len(h.split()) >= 2 for h in halves) or all(find_features(h) for h in halves)
        ):
            clauses.extend(h.strip() for h in halves)
        else:
            clauses.append(part)
    return tuple(_dedupe([c for c in clauses if _has_word(c)])[:12])


def _has_word(text: str) -> bool:
    return any(len(w) > 2 for w in _WORD.findall(text))


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for item in items:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude stem, good enough for overlap ("parking" ~ "park", "бассейном" ~ "бассейн")."""
    word = word.lower().replace("ё", "е")
    if "а" <= word[:1] <= "я":
        for suffix in _RU_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
        return word
    return _stem_en(word)


def _stem_en(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=200_000)
def content_words(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning (stop words and short tokens dropped)."""
    words = (w.lower() for w in _WORD.findall(text))
    return frozenset(stem(w) for w in words if len(w) > 2 and w not in _STOPWORDS)


def word_matches(wish_word: str, text_word: str) -> bool:
    """A wish word matches the same word, or a longer word it begins (compounds, forms)."""
    return wish_word == text_word or (
        len(wish_word) >= MIN_PREFIX and text_word.startswith(wish_word)
    )


def matched_words(wish_words: frozenset[str], text_words: frozenset[str]) -> set[str]:
    """The wish words found in a text, exactly or as the start of a longer word."""
    return {w for w in wish_words if w in text_words or any(word_matches(w, t) for t in text_words)}
