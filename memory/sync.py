"""Keeps the vector index in step with the store, and rebuilds it from the store (the truth)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_store.models import BuyerRequest, Listing
from crm_store.repositories import matching as store_reads
from memory.documents import BuyerDoc, ListingDoc, buyer_doc, listing_doc
from memory.embeddings import Embedder, Vectors, normalise_rows
from memory.index import IndexItem, VectorIndex

log = logging.getLogger(__name__)
Tick = Callable[[int], None]


def _fingerprint(text: str, metadata: dict[str, Any]) -> str:
    facts = "|".join(f"{k}={metadata[k]}" for k in sorted(metadata))
    return hashlib.sha256(f"{text}\x00{facts}".encode()).hexdigest()[:16]


def listing_metadata(doc: ListingDoc) -> dict[str, Any]:
    """Facts a where-filter may use; numbers as numbers, unknown numbers as -1."""
    return {
        "owner": doc.owner,
        "stage": doc.stage,
        "property_type": doc.property_type,
        "city": doc.city,
        "district": doc.district,
        "price": float(doc.price) if doc.price is not None else -1.0,
        "bedrooms": int(doc.bedrooms) if doc.bedrooms is not None else -1,
    }


def request_metadata(doc: BuyerDoc) -> dict[str, Any]:
    return {
        "owner": doc.owner,
        "stage": doc.stage,
        "budget_max": float(doc.budget_max) if doc.budget_max is not None else -1.0,
        "bedrooms_min": int(doc.bedrooms_min or 0),
        "cities": ",".join(doc.cities),
    }


def request_texts(doc: BuyerDoc) -> list[str]:
    """What a request is embedded as: its wish clauses, or its criteria when it has none."""
    if doc.clauses:
        return [clause.text for clause in doc.clauses]
    kinds = "/".join(doc.property_types) or "property"
    rooms = f"{doc.bedrooms_min} bedroom " if doc.bedrooms_min else ""
    where = ", ".join((*doc.districts, *doc.cities)) or "anywhere"
    return [f"{rooms}{kinds} in {where}"]


def mean_vectors(embedder: Embedder, groups: Sequence[Sequence[str]]) -> Vectors:
    """One vector per group of passages (their normalised mean), embedded in one batch."""
    flat = [text for group in groups for text in group]
    vectors = embedder.embed(flat)
    out = np.zeros((len(groups), vectors.shape[1] if len(flat) else 1), dtype=np.float32)
    start = 0
    for i, group in enumerate(groups):
        out[i] = vectors[start : start + len(group)].mean(axis=0)
        start += len(group)
    return normalise_rows(out)


def listing_items(embedder: Embedder, docs: Sequence[ListingDoc]) -> list[IndexItem]:
    vectors = mean_vectors(embedder, [doc.passages for doc in docs])
    items = []
    for doc, vector in zip(docs, vectors, strict=True):
        meta = listing_metadata(doc)
        meta["fp"] = _fingerprint(doc.text, meta)
        items.append(IndexItem(id=doc.id, metadata=meta, vector=vector))
    return items


def request_items(embedder: Embedder, docs: Sequence[BuyerDoc]) -> list[IndexItem]:
    vectors = mean_vectors(embedder, [request_texts(doc) for doc in docs])
    items = []
    for doc, vector in zip(docs, vectors, strict=True):
        meta = request_metadata(doc)
        meta["fp"] = _fingerprint(" ".join(request_texts(doc)), meta)
        items.append(IndexItem(id=doc.id, metadata=meta, vector=vector))
    return items


class IndexSync:
    """Called (through the Matcher) after a listing or buyer request changes.

    With no index (another process owns the embedded one) this does nothing: the owner's
    `reconcile_index` picks the change up from the store, and matching never reads chroma.
    Nothing is embedded for a record that leaves the index, so editing a prospect never pays
    for loading the model.
    """

    def __init__(self, index: VectorIndex | None, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def listing_changed(self, session: Session, *, listing_id: str) -> None:
        if self.index is None:
            return
        listing = session.get(Listing, listing_id)
        if listing is None or listing.stage != store_reads.ACTIVE:
            self.index.delete("listings", [listing_id])
            return
        self.index.upsert("listings", listing_items(self.embedder, [listing_doc(listing)]))

    def request_changed(self, session: Session, *, request_id: str) -> None:
        if self.index is None:
            return
        request = session.get(BuyerRequest, request_id)
        if request is None or not store_reads.is_open_request(request.stage):
            self.index.delete("buyer_requests", [request_id])
            return
        self.index.upsert("buyer_requests", request_items(self.embedder, [buyer_doc(request)]))


@dataclass(frozen=True)
class SyncReport:
    listings: int
    buyer_requests: int
    removed: int = 0


def rebuild_index(
    session: Session,
    index: VectorIndex,
    embedder: Embedder,
    *,
    progress: bool = False,
    batch: int = 512,
) -> SyncReport:
    """Drop the listing and request collections and fill them again from the store."""
    index.drop("listings")
    index.drop("buyer_requests")
    listings = _count(session, Listing, Listing.stage == store_reads.ACTIVE)
    requests = _count(session, BuyerRequest, store_reads.OPEN_REQUEST)
    with _progress_bar(progress, listings + requests) as tick:
        _fill(
            index, "listings", embedder, store_reads.active_listing_rows(session, batch=batch), tick
        )
        _fill(
            index,
            "buyer_requests",
            embedder,
            store_reads.open_request_rows(session, batch=batch),
            tick,
        )
    return SyncReport(listings=listings, buyer_requests=requests)


def reconcile_index(session: Session, index: VectorIndex, embedder: Embedder) -> SyncReport:
    """Bring the index up to date with the store: what changed while another process owned
    nothing, or since a crash, is re-indexed; what left the store or its stage is removed."""
    counts = []
    removed = 0
    for kind in ("listings", "buyer_requests"):
        indexed = index.fingerprints(kind)
        seen: set[str] = set()
        changed = 0
        for batch in _batches(session, kind):
            fresh = _items(embedder, kind, batch)
            seen.update(it.id for it in fresh)
            stale = [it for it in fresh if indexed.get(it.id) != it.metadata.get("fp")]
            index.upsert(kind, stale)
            changed += len(stale)
        gone = [doc_id for doc_id in indexed if doc_id not in seen]
        index.delete(kind, gone)
        removed += len(gone)
        counts.append(changed)
    return SyncReport(listings=counts[0], buyer_requests=counts[1], removed=removed)


def _batches(session: Session, kind: str, batch: int = 2000) -> Iterable[Sequence[Any]]:
    if kind == "listings":
        return store_reads.active_listing_rows(session, batch=batch)
    return store_reads.open_request_rows(session, batch=batch)


def _items(embedder: Embedder, kind: str, rows: Sequence[Any]) -> list[IndexItem]:
    if kind == "listings":
        return listing_items(embedder, [listing_doc(row) for row in rows])
    return request_items(embedder, [buyer_doc(row) for row in rows])


def _fill(
    index: VectorIndex, kind: str, embedder: Embedder, batches: Iterable[Sequence[Any]], tick: Tick
) -> None:
    for rows in batches:
        index.upsert(kind, _items(embedder, kind, rows))
        tick(len(rows))


def _count(session: Session, model: Any, condition: Any) -> int:
    return int(
        session.execute(select(func.count()).select_from(model).where(condition)).scalar_one()
    )


class _progress_bar:
    """A rich progress bar when asked for, a no-op otherwise."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled
        self.total = total
        self._progress: Any = None

    def __enter__(self) -> Tick:
        if not self.enabled:
            return lambda _n: None
        from rich.progress import Progress

        self._progress = Progress(transient=False)
        self._progress.start()
        task = self._progress.add_task("Indexing", total=self.total)
        return lambda n: self._progress.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
