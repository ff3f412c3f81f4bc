"""The matching working set of one process, loaded from the store and kept fresh cheaply."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from crm_store.models import BuyerRequest, Listing
from memory.documents import buyer_doc, listing_doc
from memory.embeddings import Embedder
from memory.matching import store_reads
from memory.matching.bank import TextBank
from memory.matching.buyer_table import BuyerTable
from memory.matching.listing_table import ListingTable

Progress = Callable[[str, int], None]


class MatchSnapshot:
    """Active listings and open requests as columns, vectors from the shared embedding cache.

    The store stays the source of truth: changes made in this process arrive through
    `upsert_*`/`remove_*`; changes made by other processes are picked up by comparing a
    row count and the latest `updated_at` at most every `check_seconds`, and every result is
    re-checked against fresh rows before it is returned.
    """

    def __init__(self, embedder: Embedder, *, check_seconds: float = 1.0) -> None:
        self.embedder = embedder
        self.check_seconds = check_seconds
        self.passages = TextBank(embedder)
        self.clauses = TextBank(embedder, places=True)
        self.listings = ListingTable(self.passages)
        self.buyers = BuyerTable(self.clauses)
        self.loaded = False
        self._checked_at = 0.0
        self._seen: dict[str, tuple[int, Any]] = {}

    def reset(self) -> None:
        self.passages = TextBank(self.embedder)
        self.clauses = TextBank(self.embedder, places=True)
        self.listings = ListingTable(self.passages)
        self.buyers = BuyerTable(self.clauses)
        self.loaded = False
        self._seen = {}

    def ensure_fresh(self, session: Session, *, progress: Progress | None = None) -> None:
        if not self.loaded:
            self.load(session, progress=progress)
            return
        if time.monotonic() - self._checked_at < self.check_seconds:
            return
        self._checked_at = time.monotonic()
        for model in (Listing, BuyerRequest):
            seen = self._seen.get(model.__tablename__)
            now = store_reads.fingerprint(session, model)
            if seen == now:
                continue
            if seen is None or now[0] < seen[0]:
                self.load(session)  # rows were deleted: start over rather than guess
                return
            self._catch_up(session, model, since=seen[1])
            self._seen[model.__tablename__] = now

    def load(self, session: Session, *, progress: Progress | None = None) -> None:
        """Read every active listing and open request; vectors come from the cache."""
        self.reset()
        for model in (Listing, BuyerRequest):
            self._seen[model.__tablename__] = store_reads.fingerprint(session, model)
        for batch in store_reads.active_listing_rows(session):
            self.listings.upsert([listing_doc(row) for row in batch])
            if progress:
                progress("listings", len(batch))
        for batch in store_reads.open_request_rows(session):
            self.buyers.upsert([buyer_doc(row) for row in batch])
            if progress:
                progress("buyer_requests", len(batch))
        self.loaded = True
        self._checked_at = time.monotonic()

    def _catch_up(self, session: Session, model: type[Any], *, since: Any) -> None:
        if model is Listing:
            for batch in store_reads.active_listing_rows(session, since=since):
                self.apply_listings(batch)
        else:
            for batch in store_reads.open_request_rows(session, since=since):
                self.apply_requests(batch)

    def apply_listings(self, rows: Sequence[Any]) -> None:
        """Fresh listing rows (ORM or column rows): active ones are (re)indexed, others dropped."""
        active = [row for row in rows if row.stage == store_reads.ACTIVE]
        self.listings.remove([row.id for row in rows if row.stage != store_reads.ACTIVE])
        self.listings.upsert([listing_doc(row) for row in active])

    def apply_requests(self, rows: Sequence[Any]) -> None:
        open_rows = [row for row in rows if store_reads.is_open_request(row.stage)]
        self.buyers.remove([row.id for row in rows if not store_reads.is_open_request(row.stage)])
        self.buyers.upsert([buyer_doc(row) for row in open_rows])

    def forget(self, *, listing_ids: Iterable[str] = (), request_ids: Iterable[str] = ()) -> None:
        self.listings.remove(list(listing_ids))
        self.buyers.remove(list(request_ids))
