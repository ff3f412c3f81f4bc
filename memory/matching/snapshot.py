"""The matching working set of one process, loaded from the store and kept fresh cheaply."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from crm_store.models import BuyerRequest, Listing
from crm_store.repositories import matching as store_reads
from memory.documents import buyer_doc, listing_doc
from memory.embeddings import Embedder
from memory.matching.bank import TextBank
from memory.matching.buyer_table import BuyerTable
from memory.matching.listing_table import ListingTable

Progress = Callable[[str, int], None]


class MatchSnapshot:
    """Active listings and open requests as columns, vectors from the shared embedding cache.

    The store stays the source of truth: changes made in this process arrive through
    `apply_*`/`forget`; changes made by other processes are read from the audit trail (every
    service write is recorded there) at most every `check_seconds` — one indexed query — and,
    for writes that bypass it (bulk imports), by comparing row counts and the latest
    `updated_at` every `full_check_seconds`. Every result is re-checked against fresh rows.
    """

    def __init__(
        self, embedder: Embedder, *, check_seconds: float = 1.0, full_check_seconds: float = 30.0
    ) -> None:
        self.embedder = embedder
        self.check_seconds = check_seconds
        self.full_check_seconds = full_check_seconds
        self.passages = TextBank(embedder)
        self.clauses = TextBank(embedder, places=True)
        self.listings = ListingTable(self.passages)
        self.buyers = BuyerTable(self.clauses)
        self.loaded = False
        self._checked_at = 0.0
        self._fully_checked_at = 0.0
        self._audit_seen = 0
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
        now = time.monotonic()
        if now - self._checked_at >= self.check_seconds:
            self._checked_at = now
            self._follow_audit(session)
        if now - self._fully_checked_at >= self.full_check_seconds:
            self._fully_checked_at = now
            self._compare_fingerprints(session)

    def _follow_audit(self, session: Session) -> None:
        """Re-read the listings and requests the audit trail says changed since last time."""
        last = store_reads.last_audit_id(session)
        if last == self._audit_seen:
            return
        changed = store_reads.audited_since(session, self._audit_seen)
        self._audit_seen = last
        listings = store_reads.listing_rows_by_id(session, changed["listings"])
        self.forget(listing_ids=[i for i in changed["listings"] if i not in listings])
        self.apply_listings(list(listings.values()))
        requests = store_reads.request_rows_by_id(session, changed["buyer_requests"])
        self.forget(request_ids=[i for i in changed["buyer_requests"] if i not in requests])
        self.apply_requests(list(requests.values()))

    def _compare_fingerprints(self, session: Session) -> None:
        """Catch writes that left no audit entry (bulk imports): counts and latest update."""
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
        if self.loaded:
            gc.unfreeze()  # let the previous snapshot be collected once it is dropped
        self.reset()
        self._audit_seen = store_reads.last_audit_id(session)  # before reading: miss nothing
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
        self._checked_at = self._fully_checked_at = time.monotonic()
        # The snapshot lives as long as the process: move it out of the cyclic collector's
        # sight, or every full collection re-walks it (measured: p95 at 10k listings 47 → 15 ms).
        gc.collect()
        gc.freeze()

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
