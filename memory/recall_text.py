"""The words of client memory: a question's topic, a text's passages, and lexical evidence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from crm_store.features import FEATURE_ALIASES, find_features
from crm_store.services.names import latin_key, spelling_key
from memory.passages import content_words, split_passages

FEATURE_CREDIT = 0.9  # a word answered by a feature the passage names, not by the word itself
FUZZY_CUTOFF = 85  # rapidfuzz ratio of two stems that count as the same word (typos)
FUZZY_MIN_LENGTH = 5
BLOCK_WORDS = 150  # passages are cut per block, so a long transcript is searched to its end


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# How a question is asked, not what it is about ("what did Ivan say about …", "кто хотел …").
FRAME_WORDS = _words(
    """what who whom which whose when did does do has have had say said says tell told telling
    mention mentioned mentions talk talked talking speak spoke ask asked asking about wanted want
    wants wish wished client clients anyone anybody someone somebody any my me remind find show
    notes note feedback was were is are ever again something anything everything
    что кто кого какой какая какие какую когда сказал сказала сказали говорил говорила говорили
    упоминал упоминала упоминали рассказывал рассказывала про насчет насчёт хотел хотела хотели
    искал искала искали просил просила просили клиент клиента клиенты клиентов моих мои мой из
    напомни найди покажи заметки заметках отзыв отзывы кто-то кто-нибудь что-то"""
)
# Words every property note uses; dropped from a question unless nothing else is left in it.
GENERIC_WORDS = _words(
    """place places home homes house houses property properties apartment apartments flat flats
    somewhere thing things area option options
    место места жилье жильё дом дома квартира квартиру квартиры недвижимость вариант
    варианты"""
)
# Alias words too vague to stand for their feature on their own ("new" ≠ new build).
WEAK_CUES = _words(
    """allow brand build built center centre communal condition cover first friendly fully home
    hot line machine nearby new newly own private room smart space water air
    близк возл дом зал лини машин мест нов перв пол ряд сам свой собственн частн личн умн тепл
    крыт участок"""
)
_TOKEN = re.compile(r"[0-9a-zа-яёα-ω]+(?:[-'’][0-9a-zа-яё]+)*", re.I)
_BLOCK_BREAK = re.compile(r"(?<=[.!?…])\s+|\s*[\r\n]+\s*")


@dataclass(frozen=True)
class Concept:
    """One content word of a question and the features it is a cue for."""

    stem: str
    features: frozenset[str]


@dataclass(frozen=True)
class Topic:
    """What a question is about: the text to embed and the words to look for."""

    text: str
    concepts: tuple[Concept, ...]

    @property
    def empty(self) -> bool:
        return not self.concepts


@lru_cache(maxsize=1)
def _feature_cues() -> dict[str, frozenset[str]]:
    """Word stem → the features whose aliases use it ("собак" → pet_friendly)."""
    cues: dict[str, set[str]] = {}
    for key, aliases in FEATURE_ALIASES.items():
        for alias in aliases:
            for stem in content_words(alias):
                if stem not in WEAK_CUES:
                    cues.setdefault(stem, set()).add(key)
    return {stem: frozenset(keys) for stem, keys in cues.items()}


def query_topic(query: str, *, names: Iterable[str] = (), drop_all_names: bool = False) -> Topic:
    """The question without its frame and the client's name: "what did Ivan say about schools?"
    → "schools". With `drop_all_names` (one resolved client) any spelling or case of the name
    goes ("Ивана"); otherwise only capitalised words that are some client's name part."""
    tokens = [m.group(0) for m in _TOKEN.finditer(query)]
    name_keys = {spelling_key(part) for name in names for part in re.split(r"[\s-]+", name) if part}
    name_keys.discard("")
    kept: list[str] = []
    for token in tokens:
        lowered = token.lower()
        if lowered in FRAME_WORDS:
            continue
        if name_keys and _is_name(token, name_keys, fuzzy=drop_all_names):
            continue
        kept.append(token)
    # The embedded text keeps its generic words (it reads naturally); the words looked for do not.
    looked_for = [t for t in kept if content_words(t) and t.lower() not in GENERIC_WORDS] or kept
    concepts: dict[str, Concept] = {}
    for token in looked_for:
        for stem in content_words(token):
            features = set(_feature_cues().get(stem, ())) | set(find_features(token))
            concepts.setdefault(stem, Concept(stem, frozenset(features)))
    return Topic(" ".join(kept), tuple(concepts.values()))


def _is_name(token: str, name_keys: set[str], *, fuzzy: bool) -> bool:
    if not fuzzy:
        return token[:1].isupper() and spelling_key(token) in name_keys
    key = latin_key(token)  # nominative first: "Ивана" → "ivan"
    return any(fuzz.ratio(key, name) >= 80 for name in name_keys if len(name) > 2)


def text_passages(text: str | None) -> list[tuple[str, str]]:
    """(passage, snippet) pairs of a text; the snippet marks with "…" where the text goes on."""
    if not text or not text.strip():
        return []
    whole = " ".join(text.split())
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for block in _blocks(text):
        for passage in split_passages(block):
            if passage.lower() in seen:
                continue
            seen.add(passage.lower())
            head = "" if whole.startswith(passage[:24]) else "…"
            tail = "" if whole.endswith(passage[-24:]) else "…"
            pairs.append((passage, f"{head}{passage}{tail}"))
    return pairs


def _blocks(text: str) -> list[str]:
    """Sentences gathered into blocks of ~BLOCK_WORDS words, cut only between sentences."""
    blocks: list[str] = []
    current: list[str] = []
    size = 0
    for sentence in _BLOCK_BREAK.split(text):
        words = len(sentence.split())
        if current and size + words > BLOCK_WORDS:
            blocks.append(" ".join(current))
            current, size = [], 0
        if words:
            current.append(sentence.strip())
            size += words
    if current:
        blocks.append(" ".join(current))
    return blocks


def passage_evidence(topic: Topic, passages: Sequence[str]) -> np.ndarray:
    """Per passage, the share of the topic's words it answers: the word itself (or a typo of it)
    counts fully, a feature the word is a cue for counts `FEATURE_CREDIT`."""
    if not topic.concepts or not passages:
        return np.zeros(len(passages), dtype=np.float32)
    stems = [content_words(p) for p in passages]
    vocabulary = sorted(set().union(*stems))
    accepted = [_spellings(c.stem, vocabulary) for c in topic.concepts]
    folded = [p.lower().replace("ё", "е") for p in passages]
    evidence = np.zeros(len(passages), dtype=np.float32)
    for concept, spellings in zip(topic.concepts, accepted, strict=True):
        patterns = [_feature_pattern(key) for key in sorted(concept.features)]
        for i, words in enumerate(stems):
            if words & spellings:
                evidence[i] += 1.0
            elif any(pattern.search(folded[i]) for pattern in patterns):
                evidence[i] += FEATURE_CREDIT
    return evidence / len(topic.concepts)


def _spellings(stem: str, vocabulary: list[str]) -> frozenset[str]:
    """The stem and the passage words that are typos or near forms of it."""
    if len(stem) < FUZZY_MIN_LENGTH:
        return frozenset({stem})
    close = process.extract(
        stem, vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
    )
    return frozenset({stem, *(word for word, _score, _index in close)})


@lru_cache(maxsize=128)
def _feature_pattern(key: str) -> re.Pattern[str]:
    """Any alias of one feature, matched as crm_store.features does (short ones as whole words)."""
    aliases = sorted(FEATURE_ALIASES.get(key, ()), key=len, reverse=True)
    parts = [
        rf"(?<!\w){re.escape(a.replace('ё', 'е'))}(?!\w)"
        if len(a) < 6
        else re.escape(a.replace("ё", "е"))
        for a in aliases
    ]
    return re.compile("|".join(parts) or r"(?!x)x")
