"""Active listings as numpy columns: buyer → listings filters and scores 100k listings in ms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from memory.documents import TYPE_BITS, BuyerDoc, ListingDoc
from memory.matching.bank import Codes, Column, TextBank, gather_segments
from memory.matching.criteria import MatchConfig
from memory.matching.queries import WishQuery

Rows = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]
_ROW_COLUMNS = (
    "owner",
    "city",
    "district",
    "type_bit",
    "price",
    "bedrooms",
    "features",
    "place_bits",
)


class ListingTable:
    """One row per listing version; a changed listing gets a new row and its old one dies."""

    def __init__(self, passages: TextBank) -> None:
        self.passages = passages
        self.owners = Codes()
        self.places = Codes()
        self.row_of: dict[str, int] = {}
        self.row_ids: list[str] = []
        self.docs: list[ListingDoc] = []  # the document each row was built from
        self._new_columns()

    def _new_columns(self) -> None:
        self.alive = Column(np.bool_, False)
        self.owner = Column(np.int64, -1)
        self.city = Column(np.int64, -1)
        self.district = Column(np.int64, -1)
        self.type_bit = Column(np.int64)
        self.price = Column(np.float64, np.nan)
        self.bedrooms = Column(np.float64, np.nan)
        self.features = Column(np.int64)
        self.place_bits = Column(np.int64)
        self.psg_start = Column(np.int64)
        self.psg_len = Column(np.int64)
        self.psg_ids = Column(np.int64)

    def __len__(self) -> int:
        return len(self.row_of)

    def current(self, listing_id: str, version: Any) -> ListingDoc | None:
        """The snapshot's document of a listing, if it is of this version."""
        row = self.row_of.get(listing_id)
        doc = self.docs[row] if row is not None else None
        return doc if doc is not None and doc.version == version else None

    def upsert(self, docs: Sequence[ListingDoc]) -> None:
        """Add or replace listings; their passages are embedded once, in one batch."""
        if not docs:
            return
        self.remove([doc.id for doc in docs])
        flat = [p for doc in docs for p in doc.passages]
        ids = self.passages.ids_for(flat)
        start = self.psg_ids.size
        self.psg_ids.extend(ids)
        lengths = np.array([len(doc.passages) for doc in docs], dtype=np.int64)
        starts = start + np.concatenate(([0], np.cumsum(lengths)[:-1]))
        first = len(self.row_ids)
        self.alive.extend(np.ones(len(docs), dtype=np.bool_))
        self.owner.extend([self.owners.code(d.owner) for d in docs])
        self.city.extend([self.places.code(d.city) for d in docs])
        self.district.extend([self.places.code(d.district) for d in docs])
        self.type_bit.extend([TYPE_BITS.get(d.property_type, 0) for d in docs])
        self.price.extend([np.nan if d.price is None else d.price for d in docs])
        self.bedrooms.extend([np.nan if d.bedrooms is None else d.bedrooms for d in docs])
        self.features.extend([d.feature_bits for d in docs])
        self.place_bits.extend([d.place_bits for d in docs])
        self.psg_start.extend(starts)
        self.psg_len.extend(lengths)
        for offset, doc in enumerate(docs):
            self.row_of[doc.id] = first + offset
            self.row_ids.append(doc.id)
            self.docs.append(doc)

    def remove(self, ids: Sequence[str]) -> None:
        alive = self.alive.values
        for listing_id in ids:
            row = self.row_of.pop(listing_id, None)
            if row is not None:
                alive[row] = False
        if len(self.row_ids) > 4096 and len(self.row_of) < 0.6 * len(self.row_ids):
            self._compact()

    def _compact(self) -> None:
        """Drop dead rows (many listings changed): rebuild the columns from the living ones."""
        keep = np.flatnonzero(self.alive.values)
        old = {name: getattr(self, name).values[keep].copy() for name in _ROW_COLUMNS}
        ids, offsets = gather_segments(
            self.psg_start.values[keep], self.psg_len.values[keep], self.psg_ids.values
        )
        lengths = self.psg_len.values[keep].copy()
        row_ids = [self.row_ids[i] for i in keep]
        docs = [self.docs[i] for i in keep]
        self._new_columns()
        for name, values in old.items():
            getattr(self, name).extend(values)
        self.alive.extend(np.ones(len(keep), dtype=np.bool_))
        self.psg_ids.extend(ids)
        self.psg_start.extend(offsets)
        self.psg_len.extend(lengths)
        self.row_ids = row_ids
        self.docs = docs
        self.row_of = {listing_id: row for row, listing_id in enumerate(row_ids)}

    def candidates(self, buyer: BuyerDoc, owners: set[str] | None, config: MatchConfig) -> Rows:
        """Rows passing every hard criterion (the same rules as criteria.failed_criteria)."""
        mask = self.alive.values.copy()
        if owners is not None:
            mask &= self.owners.member(self.owner.values, owners)
        if buyer.cities or buyer.districts:
            mask &= self.places.member(self.district.values, buyer.districts) | self.places.member(
                self.city.values, buyer.open_cities
            )
        if buyer.property_types:
            wanted = sum(TYPE_BITS.get(t, 0) for t in set(buyer.property_types))
            mask &= (self.type_bit.values & wanted) != 0
        if buyer.bedrooms_min:
            with np.errstate(invalid="ignore"):
                mask &= self.bedrooms.values >= buyer.bedrooms_min
        if buyer.budget_max is not None:
            with np.errstate(invalid="ignore"):
                mask &= self.price.values <= buyer.budget_max * (1 + config.budget_stretch)
        if buyer.must_bits:
            mask &= (self.features.values & buyer.must_bits) == buyer.must_bits
        return np.flatnonzero(mask)

    def score(self, buyer: BuyerDoc, query: WishQuery, rows: Rows, config: MatchConfig) -> Scores:
        """Hybrid scores of candidate rows (the vector form of evidence.score_pair)."""
        structured = 0.5 * _price_fit(self.price.values[rows], buyer) + 0.5 * _bedrooms_fit(
            self.bedrooms.values[rows], buyer.bedrooms_min
        )
        if not buyer.clauses or not len(rows):
            return structured.astype(np.float32)
        pids, offsets = self.passage_runs(rows)
        evidence = query.listing_evidence(
            pids, offsets, self.features.values[rows], self.place_bits.values[rows]
        )
        weight = config.structured_weight
        return (weight * structured + (1 - weight) * evidence.mean(axis=0)).astype(np.float32)

    def passage_runs(self, rows: Rows) -> tuple[Rows, Rows]:
        """The passage ids of these rows, concatenated, and where each row's run starts."""
        return gather_segments(
            self.psg_start.values[rows], self.psg_len.values[rows], self.psg_ids.values
        )


def _price_fit(prices: npt.NDArray[np.float64], buyer: BuyerDoc) -> npt.NDArray[np.float64]:
    fit = np.ones(len(prices))
    if buyer.budget_max is None:
        return fit
    with np.errstate(invalid="ignore"):
        over = prices > buyer.budget_max
        fit[over] = np.maximum(0.5, 1.0 - 5.0 * (prices[over] / buyer.budget_max - 1.0))
        if buyer.budget_min is not None:
            fit[prices < buyer.budget_min] = 0.9
    return fit


def _bedrooms_fit(
    bedrooms: npt.NDArray[np.float64], bedrooms_min: int | None
) -> npt.NDArray[np.float64]:
    if not bedrooms_min:
        return np.ones(len(bedrooms))
    with np.errstate(invalid="ignore"):
        return np.where(bedrooms > bedrooms_min + 2, 0.9, 1.0)
