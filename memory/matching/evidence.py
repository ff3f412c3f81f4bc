"""How well a listing answers each wish: feature vocabulary, places, and passage-level evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from crm_store.features import find_features
from memory.documents import FEATURE_BITS, BuyerDoc, ListingDoc, WishClause, with_implied
from memory.embeddings import Vectors
from memory.matching.criteria import DEFAULT_CONFIG, MatchConfig, structured_fit
from memory.matching.reasons import Reason
from memory.passages import content_words, matched_words

FloatArray = npt.NDArray[np.float32]
Idf = Callable[[str], float]


def calibrate(sims: npt.NDArray[np.floating], config: MatchConfig) -> FloatArray:
    """Cosine → evidence in (0, 1): MiniLM puts unrelated sentences at 0–0.25 and close
    paraphrases above 0.55; a smooth curve keeps "exactly this" above "roughly this"."""
    return (1.0 / (1.0 + np.exp(-(sims - config.dense_center) / config.dense_width))).astype(
        np.float32
    )


def combine(dense: FloatArray, overlap: FloatArray, config: MatchConfig) -> FloatArray:
    """A passage's evidence for a wish: calibrated similarity blended with shared words."""
    return (
        config.dense_weight * calibrate(dense, config) + (1 - config.dense_weight) * overlap
    ).astype(np.float32)


def word_overlap(
    clause_words: frozenset[str], passage_words: frozenset[str], idf: Idf = lambda _w: 1.0
) -> float:
    """Share of the wish's content words the passage contains, rare words weighing more."""
    total = sum(idf(word) for word in clause_words)
    if not total:
        return 0.0
    return sum(idf(word) for word in matched_words(clause_words, passage_words)) / total


def with_feature(passage: Any, share: Any, config: MatchConfig) -> Any:
    """A wished feature found in the vocabulary is strong evidence; how prominently a passage
    states it breaks ties ("Fireplace" as a bullet beats a fireplace in a long sentence)."""
    floor = config.feature_floor
    return np.maximum(passage, share * (floor + (1 - floor) * passage))


def feature_share(clause_bits: int, listing_bits: int) -> float:
    if not clause_bits:
        return 0.0
    return (clause_bits & listing_bits).bit_count() / clause_bits.bit_count()


@dataclass(frozen=True)
class ClauseEvidence:
    clause: WishClause
    score: float
    kind: str  # feature | place | passage
    passage: str | None = None


def clause_evidence(
    clause: WishClause,
    clause_vec: Vectors,
    listing: ListingDoc,
    passage_vecs: Vectors,
    config: MatchConfig = DEFAULT_CONFIG,
    idf: Idf = lambda _w: 1.0,
) -> ClauseEvidence:
    """The strongest evidence of one wish in one listing, and where it was found."""
    best = ClauseEvidence(clause, 0.0, "passage")
    if len(listing.passages):
        sims = passage_vecs @ clause_vec.reshape(-1)
        overlaps = np.array(
            [word_overlap(clause.words, content_words(p), idf) for p in listing.passages],
            dtype=np.float32,
        )
        scores = combine(sims.astype(np.float32), overlaps, config)
        top = int(np.argmax(scores))
        best = ClauseEvidence(clause, float(scores[top]), "passage", listing.passages[top])
    share = feature_share(clause.feature_bits, listing.feature_bits)
    if share:
        boosted = float(with_feature(best.score, share, config))
        if boosted > best.score:
            best = ClauseEvidence(clause, boosted, "feature", best.passage)
    if clause.place_bits & listing.place_bits and best.score < 1.0:
        best = ClauseEvidence(clause, 1.0, "place")
    return best


def score_pair(
    buyer: BuyerDoc,
    listing: ListingDoc,
    clause_vecs: Vectors,
    passage_vecs: Vectors,
    config: MatchConfig = DEFAULT_CONFIG,
    idf: Idf = lambda _w: 1.0,
) -> tuple[float, list[ClauseEvidence]]:
    """The hybrid score of a pair that passed the hard criteria, with the wish evidence."""
    structured = structured_fit(buyer, listing)
    if not buyer.clauses:
        return structured, []
    evidence = [
        clause_evidence(clause, clause_vecs[i], listing, passage_vecs, config, idf)
        for i, clause in enumerate(buyer.clauses)
    ]
    wish = sum(e.score for e in evidence) / len(evidence)
    weight = config.structured_weight
    return weight * structured + (1 - weight) * wish, evidence


def wish_reasons(
    listing: ListingDoc, evidence: list[ClauseEvidence], *, min_score: float = 0.3
) -> list[Reason]:
    """Readable evidence: requested features present, features the description names, quotes.

    A quote is shown from a lower score than a claim would need: the broker reads the sentence
    and judges it, where "requested and present" states a fact."""
    stated = set(listing.features)
    in_record: list[str] = []
    in_text: list[str] = []
    reasons: list[Reason] = []
    for item in evidence:
        if item.score < min_score:
            continue
        present = [
            key
            for key in _named_features(item.clause.text)
            if FEATURE_BITS.get(key, 0) & listing.feature_bits
        ]
        if present and item.kind != "place" and item.score >= 0.5:
            for key in present:
                if key not in in_record and key not in in_text:
                    (in_record if key in stated else in_text).append(key)
        elif item.kind == "place":
            place = listing.district or listing.city
            reasons.append(Reason("place", {"place": place, "wished": True}))
        elif item.passage is not None:
            reasons.append(
                Reason("wish_passage", {"wish": item.clause.text, "passage": item.passage})
            )
    head: list[Reason] = []
    if in_record:
        head.append(Reason("wish_feature", {"features": in_record}))
    if in_text:
        head.append(Reason("described_feature", {"features": in_text}))
    return head + reasons


@lru_cache(maxsize=50_000)
def _named_features(text: str) -> tuple[str, ...]:
    """Feature keys a wish names, in the order it names them."""
    return tuple(with_implied(find_features(text)))
