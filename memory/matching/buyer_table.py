"""Open buyer requests as numpy columns: listing → buyers filters and scores 50k requests in ms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from memory.documents import TYPE_BITS, BuyerDoc, ListingDoc
from memory.matching.bank import Codes, Column, TextBank, gather_segments
from memory.matching.criteria import MatchConfig
from memory.matching.queries import ListingQuery

Rows = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]
_ANYWHERE = "\x00anywhere"


class BuyerTable:
    """One row per request version; places are posting lists (a request names several)."""

    def __init__(self, clauses: TextBank) -> None:
        self.clauses = clauses
        self.owners = Codes()
        self.row_of: dict[str, int] = {}
        self.row_ids: list[str] = []
        self.docs: list[BuyerDoc] = []  # the document each row was built from
        self.alive = Column(np.bool_, False)
        self.owner = Column(np.int64, -1)
        self.type_bits = Column(np.int64)
        self.bedrooms_min = Column(np.float64, np.nan)
        self.budget_min = Column(np.float64, np.nan)
        self.budget_max = Column(np.float64, np.nan)
        self.must = Column(np.int64)
        self.cl_start = Column(np.int64)
        self.cl_len = Column(np.int64)
        self.cl_ids = Column(np.int64)
        # place → rows: a district asked for, a city asked for without districts, or anywhere.
        self._by_place: dict[str, list[int]] = {}
        self._compiled: dict[str, npt.NDArray[np.int64]] = {}

    def __len__(self) -> int:
        return len(self.row_of)

    def current(self, request_id: str, version: Any) -> BuyerDoc | None:
        """The snapshot's document of a request, if it is of this version."""
        row = self.row_of.get(request_id)
        doc = self.docs[row] if row is not None else None
        return doc if doc is not None and doc.version == version else None

    def upsert(self, docs: Sequence[BuyerDoc]) -> None:
        if not docs:
            return
        self.remove([doc.id for doc in docs])
        flat = [clause.text for doc in docs for clause in doc.clauses]
        ids = self.clauses.ids_for(flat)
        start = self.cl_ids.size
        self.cl_ids.extend(ids)
        lengths = np.array([len(doc.clauses) for doc in docs], dtype=np.int64)
        starts = start + np.concatenate(([0], np.cumsum(lengths)[:-1]))
        first = len(self.row_ids)
        self.alive.extend(np.ones(len(docs), dtype=np.bool_))
        self.owner.extend([self.owners.code(d.owner) for d in docs])
        self.type_bits.extend(
            [sum(TYPE_BITS.get(t, 0) for t in set(d.property_types)) for d in docs]
        )
        self.bedrooms_min.extend([d.bedrooms_min or np.nan for d in docs])
        self.budget_min.extend([np.nan if d.budget_min is None else d.budget_min for d in docs])
        self.budget_max.extend([np.nan if d.budget_max is None else d.budget_max for d in docs])
        self.must.extend([d.must_bits for d in docs])
        self.cl_start.extend(starts)
        self.cl_len.extend(lengths)
        for offset, doc in enumerate(docs):
            row = first + offset
            self.row_of[doc.id] = row
            self.row_ids.append(doc.id)
            self.docs.append(doc)
            keys = (*doc.districts, *doc.open_cities) if doc.cities or doc.districts else ()
            for key in keys or (_ANYWHERE,):
                self._by_place.setdefault(key, []).append(row)
                self._compiled.pop(key, None)

    def remove(self, ids: Sequence[str]) -> None:
        # Dead rows stay in the place postings; the alive mask hides them.
        alive = self.alive.values
        for request_id in ids:
            row = self.row_of.pop(request_id, None)
            if row is not None:
                alive[row] = False

    def _rows_at(self, key: str) -> npt.NDArray[np.int64]:
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = np.asarray(self._by_place.get(key, []), np.int64)
        return compiled

    def candidates(self, listing: ListingDoc, owners: set[str] | None, config: MatchConfig) -> Rows:
        """Rows whose hard criteria this listing meets (the rules of criteria.failed_criteria)."""
        size = len(self.row_ids)
        located = np.zeros(size, dtype=np.bool_)
        for key in {listing.district, listing.city, _ANYWHERE} - {""}:
            located[self._rows_at(key)] = True
        mask = located & self.alive.values
        if owners is not None:
            mask &= self.owners.member(self.owner.values, owners)
        types = self.type_bits.values
        mask &= (types == 0) | ((types & TYPE_BITS.get(listing.property_type, 0)) != 0)
        minimum = self.bedrooms_min.values
        bedrooms = np.nan if listing.bedrooms is None else float(listing.bedrooms)
        with np.errstate(invalid="ignore"):
            mask &= np.isnan(minimum) | (minimum <= bedrooms)
            limit = self.budget_max.values * (1 + config.budget_stretch)
            price = np.nan if listing.price is None else listing.price
            mask &= np.isnan(limit) | (price <= limit)
        mask &= (self.must.values & ~listing.feature_bits) == 0
        return np.flatnonzero(mask)

    def score(
        self, listing: ListingDoc, query: ListingQuery, rows: Rows, config: MatchConfig
    ) -> Scores:
        """Hybrid scores of candidate rows (the vector form of evidence.score_pair)."""
        structured = 0.5 * _price_fit(listing.price, self, rows) + 0.5 * _bedrooms_fit(
            listing.bedrooms, self.bedrooms_min.values[rows]
        )
        lengths = self.cl_len.values[rows]
        if not len(rows) or not lengths.any():
            return structured.astype(np.float32)
        cids, _ = self.clause_runs(rows)
        best = query.clause_scores(cids)
        owner_of_clause = np.repeat(np.arange(len(rows)), lengths)
        per_buyer = np.bincount(owner_of_clause, weights=best, minlength=len(rows))
        wish = per_buyer / np.maximum(lengths, 1)
        weight = config.structured_weight
        scores = np.where(lengths > 0, weight * structured + (1 - weight) * wish, structured)
        return scores.astype(np.float32)

    def clause_runs(self, rows: Rows) -> tuple[Rows, Rows]:
        """The wish-clause ids of these rows, concatenated, and where each row's run starts."""
        return gather_segments(
            self.cl_start.values[rows], self.cl_len.values[rows], self.cl_ids.values
        )


def _price_fit(price: float | None, table: BuyerTable, rows: Rows) -> npt.NDArray[np.float64]:
    fit = np.ones(len(rows))
    if price is None:
        return fit
    top = table.budget_max.values[rows]
    low = table.budget_min.values[rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        over = price > top
        fit[over] = np.maximum(0.5, 1.0 - 5.0 * (price / top[over] - 1.0))
        fit[~over & (price < low)] = 0.9
    return fit


def _bedrooms_fit(
    bedrooms: int | None, minimum: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    if bedrooms is None:
        return np.ones(len(minimum))
    with np.errstate(invalid="ignore"):
        return np.where(minimum + 2 < bedrooms, 0.9, 1.0)
