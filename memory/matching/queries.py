"""One matching question, evaluated once per distinct text and reused for every candidate.

`WishQuery` holds a buyer's wish clauses against the bank of listing passages; `ListingQuery`
holds a listing's passages against the bank of wish clauses. Both compute each passage–clause
score once (memoised on demand), so ranking thousands of candidates and explaining the chosen
few read the same numbers — the same formula as `evidence.score_pair`, which tests compare.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from memory.documents import BuyerDoc, ListingDoc
from memory.embeddings import Vectors
from memory.matching.bank import TextBank
from memory.matching.criteria import MatchConfig
from memory.matching.evidence import ClauseEvidence, Idf, calibrate, with_feature
from memory.passages import content_words

Ids = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float32]


def _share(clause_bits: npt.NDArray[np.int64], listing_bits: npt.NDArray[np.int64]) -> Floats:
    """Per pair, the share of the clause's vocabulary features the listing has."""
    named = np.bitwise_count(clause_bits)
    found = np.bitwise_count(clause_bits & listing_bits)
    return np.where(named > 0, found / np.maximum(named, 1), 0.0).astype(np.float32)


class WishQuery:
    """A buyer's clauses against listing passages: scores per (clause, passage) on demand."""

    def __init__(
        self, buyer: BuyerDoc, clause_vecs: Vectors, bank: TextBank, config: MatchConfig, idf: Idf
    ) -> None:
        self.buyer = buyer
        self.clause_vecs = clause_vecs
        self.bank = bank
        self.config = config
        self.idf = idf
        self._size = -1
        self._sync()

    def _sync(self) -> None:
        """(Re)size the memo when the bank has grown (a fresh row brought new passages)."""
        if self._size == len(self.bank):
            return
        self._size = len(self.bank)
        count = len(self.buyer.clauses)
        self._memo = np.full((count, self._size), np.nan, dtype=np.float32)
        self._complete = False
        self._overlap = np.zeros((count, self._size), dtype=np.float32)
        for i, clause in enumerate(self.buyer.clauses):
            weights = {word: self.idf(word) for word in clause.words}
            total = sum(weights.values())
            if total:
                self._overlap[i] = self.bank.weighted_counts(weights) / np.float32(total)

    def passage_scores(self, pids: Ids) -> Floats:
        """(clauses × len(pids)) evidence of each clause in each passage."""
        self._sync()
        if not len(self.buyer.clauses) or not len(pids):
            return np.zeros((len(self.buyer.clauses), len(pids)), dtype=np.float32)
        if not self._complete:
            if len(pids) * 4 >= self._size:
                # Most of the bank is asked for: score every passage once, no bookkeeping.
                self._fill(np.flatnonzero(np.isnan(self._memo[0])))
                self._complete = True
            else:
                missing = pids[np.isnan(self._memo[0, pids])]
                if len(missing):
                    self._fill(np.unique(missing))
        return np.take(self._memo, pids, axis=1)

    def _fill(self, ids: Ids) -> None:
        dense = self.clause_vecs @ self.bank.vectors_of(ids).T
        weight = self.config.dense_weight
        self._memo[:, ids] = (
            weight * calibrate(dense, self.config) + (1 - weight) * self._overlap[:, ids]
        )

    def listing_evidence(
        self,
        pids: Ids,
        offsets: Ids,
        features: npt.NDArray[np.int64],
        places: npt.NDArray[np.int64],
    ) -> Floats:
        """(clauses × listings) best evidence per listing, passages given as runs of pids."""
        best = np.maximum.reduceat(self.passage_scores(pids), offsets, axis=1)
        for i, clause in enumerate(self.buyer.clauses):
            if clause.feature_bits:
                share = _share(np.int64(clause.feature_bits), features)  # type: ignore[arg-type]
                best[i] = with_feature(best[i], share, self.config)
            if clause.place_bits:
                best[i] = np.where((places & clause.place_bits) != 0, 1.0, best[i])
        return best

    def explain(self, listing: ListingDoc, pids: Ids) -> list[ClauseEvidence]:
        """Per clause, the evidence and the passage it came from, for one listing."""
        scores = self.passage_scores(pids)
        out = []
        for i, clause in enumerate(self.buyer.clauses):
            top = int(np.argmax(scores[i]))
            score = float(scores[i, top])
            if clause.feature_bits:
                share = (clause.feature_bits & listing.feature_bits).bit_count() / (
                    clause.feature_bits.bit_count()
                )
                score = float(with_feature(score, share, self.config))
            out.append(
                _named(ClauseEvidence(clause, score, "passage", listing.passages[top]), listing)
            )
        return out


class ListingQuery:
    """A listing's passages against wish clauses: each clause's evidence on demand."""

    def __init__(
        self,
        listing: ListingDoc,
        passage_vecs: Vectors,
        bank: TextBank,
        config: MatchConfig,
        idf: Idf,
        idf_version: object = None,
    ) -> None:
        self.listing = listing
        self.passage_vecs = passage_vecs
        self.bank = bank
        self.config = config
        self.idf = idf
        self.idf_version = idf_version
        self._words = [content_words(p) for p in listing.passages]
        self._size = -1
        self._sync()

    def _sync(self) -> None:
        if self._size == len(self.bank):
            return
        self._size = len(self.bank)
        totals = self.bank.weight_totals(self.idf, self.idf_version).copy()
        totals[totals == 0] = 1.0
        self._overlap = np.stack(
            [self.bank.weighted_counts_from(words, self.idf) / totals for words in self._words],
            axis=1,
        )
        self._best = np.full(self._size, np.nan, dtype=np.float32)
        self._where = np.zeros(self._size, dtype=np.int64)

    def clause_scores(self, cids: Ids) -> Floats:
        """Evidence of each clause (by bank id) in this listing."""
        self._sync()
        missing = cids[np.isnan(self._best[cids])]
        if len(missing):
            missing = np.unique(missing)
            dense = self.bank.vectors_of(missing) @ self.passage_vecs.T
            weight = self.config.dense_weight
            combined = (
                weight * calibrate(dense, self.config) + (1 - weight) * self._overlap[missing]
            )
            best = combined.max(axis=1)
            self._where[missing] = combined.argmax(axis=1)
            listing = self.listing
            share = _share(self.bank.features.values[missing], np.int64(listing.feature_bits))  # type: ignore[arg-type]
            best = with_feature(best, share, self.config)
            placed = (self.bank.place_bits.values[missing] & listing.place_bits) != 0
            self._best[missing] = np.where(placed, 1.0, best)
        return self._best[cids]

    def explain(self, buyer: BuyerDoc, cids: Ids) -> list[ClauseEvidence]:
        scores = self.clause_scores(cids)
        out = []
        for clause, cid, score in zip(buyer.clauses, cids, scores, strict=True):
            passage = self.listing.passages[int(self._where[cid])]
            out.append(
                _named(ClauseEvidence(clause, float(score), "passage", passage), self.listing)
            )
        return out


def _named(item: ClauseEvidence, listing: ListingDoc) -> ClauseEvidence:
    """Say what kind of evidence it is, the way `evidence.clause_evidence` does."""
    clause = item.clause
    if clause.place_bits & listing.place_bits:
        return ClauseEvidence(clause, 1.0, "place")
    if clause.feature_bits & listing.feature_bits:
        return ClauseEvidence(clause, item.score, "feature", item.passage)
    return item
