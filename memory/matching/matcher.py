"""Hybrid matching both ways: hard criteria, then structured fit + wish evidence, with reasons."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from crm_store.context import Ctx
from crm_store.errors import Forbidden, NotFound
from crm_store.models import BuyerRequest, Listing
from crm_store.repositories import matching as store_reads
from crm_store.services.permissions import can_see_listing_facts, ensure_readable, visible_owner_ids
from memory.documents import BuyerDoc, ListingDoc, buyer_doc, listing_doc
from memory.embeddings import Embedder, Vectors
from memory.matching import ranking
from memory.matching.criteria import DEFAULT_CONFIG, MatchConfig
from memory.matching.queries import ListingQuery, WishQuery
from memory.matching.results import BuyerMatch, BuyerMatches, ListingMatch
from memory.matching.snapshot import MatchSnapshot
from memory.matching.threads import single_blas_thread

if TYPE_CHECKING:
    from memory.curated import CuratedListResult
    from memory.matching.results import NewMatchNotices
    from memory.sync import IndexSync


class Matcher:
    """One per process: holds the matching snapshot; every call takes the caller's Ctx."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        config: MatchConfig = DEFAULT_CONFIG,
        index_sync: IndexSync | None = None,
        check_seconds: float = 1.0,
        full_check_seconds: float = 30.0,
    ) -> None:
        self.embedder = embedder
        self.config = config
        self.index_sync = index_sync
        self.snapshot = MatchSnapshot(
            embedder, check_seconds=check_seconds, full_check_seconds=full_check_seconds
        )
        self._listing_docs: dict[Any, ListingDoc] = {}
        self._teams: dict[str, tuple[float, set[str]]] = {}
        self._names: dict[str, str] = {}
        self._names_at = 0.0
        self._buyer_docs: dict[Any, BuyerDoc] = {}
        # Channels may call from several threads; the snapshot's columns are not thread-safe.
        self._lock = threading.RLock()

    # ----- buyer → listings ---------------------------------------------------------------
    def listings_for_buyer(
        self, ctx: Ctx, *, request_id: str, limit: int = 10, min_score: float = 0.0
    ) -> list[ListingMatch]:
        """Active team listings for a buyer request, best first, each with its reasons."""
        request = self._request(ctx, request_id)
        buyer = buyer_doc(request)
        owners = self.team_owners(ctx, request.owner)
        return self.rank_listings(ctx, buyer, owners=owners, limit=limit, min_score=min_score)

    def rank_listings(
        self,
        ctx: Ctx,
        buyer: BuyerDoc,
        *,
        owners: set[str] | None,
        limit: int,
        min_score: float = 0.0,
        exclude: Collection[str] = (),
    ) -> list[ListingMatch]:
        """The best listings for any buyer criteria (curated lists, relaxed requests)."""
        with self._lock, single_blas_thread():
            return ranking.rank_listings(
                self, ctx, buyer, owners=owners, limit=limit, min_score=min_score, exclude=exclude
            )

    def count_listings(
        self, ctx: Ctx, buyer: BuyerDoc, *, owners: set[str] | None, min_score: float,
        exclude: Collection[str] = (),
    ) -> int:  # fmt: skip
        """How many listings would match (from the snapshot, not re-checked): for suggestions."""
        with self._lock, single_blas_thread():
            self.snapshot.ensure_fresh(ctx.session)
            _, scores, _ = ranking.scored_listings(self, buyer, owners, exclude)
        return int((scores >= min_score).sum())

    # ----- listing → buyers ---------------------------------------------------------------
    def buyers_for_listing(
        self, ctx: Ctx, *, listing_id: str, limit: int = 20, min_score: float = 0.0
    ) -> BuyerMatches:
        """Matching open buyer requests: the actor's own in full, colleagues' as a count."""
        listing = self._listing(ctx, listing_id)
        owners = self.team_owners(ctx, listing.owner)
        visible = visible_owner_ids(ctx)
        doc = listing_doc(listing)
        matches, others = self.rank_buyers(
            ctx, doc, owners=owners, visible=visible, limit=limit, min_score=min_score
        )
        return BuyerMatches(listing_id=listing.id, matches=matches, colleagues_count=others)

    def rank_buyers(
        self,
        ctx: Ctx,
        listing: ListingDoc,
        *,
        owners: set[str] | None,
        visible: set[str] | None,
        limit: int | None,
        min_score: float,
    ) -> tuple[list[BuyerMatch], int]:
        """Buyers for any listing facts: those `visible` in full, the others as a count."""
        with self._lock, single_blas_thread():
            return ranking.rank_buyers(
                self, ctx, listing, owners=owners, visible=visible, limit=limit, min_score=min_score
            )

    # ----- changes ------------------------------------------------------------------------
    def on_listing_changed(
        self,
        ctx: Ctx,
        *,
        listing_id: str,
        old_price: Any = None,
        old_stage: str | None = None,
    ) -> NewMatchNotices:
        """Call after a listing is created, edited, repriced or moved: keeps the snapshot and
        the vector index in sync and, when it became active or cheaper, nudges the brokers
        of matching buyers (idempotent)."""
        from memory.matching.notify import announce_listing

        listing = ctx.session.get(Listing, listing_id)
        with self._lock:
            if listing is None:
                self.snapshot.forget(listing_ids=[listing_id])
            elif self.snapshot.loaded:
                self.snapshot.apply_listings([listing])
        if self.index_sync is not None:
            self.index_sync.listing_changed(ctx.session, listing_id=listing_id)
        return announce_listing(self, ctx, listing, old_price=old_price, old_stage=old_stage)

    def on_buyer_request_changed(self, ctx: Ctx, *, request_id: str) -> None:
        """Call after a buyer request is created, edited or moved between stages."""
        request = ctx.session.get(BuyerRequest, request_id)
        with self._lock:
            if request is None:
                self.snapshot.forget(request_ids=[request_id])
            elif self.snapshot.loaded:
                self.snapshot.apply_requests([request])
        if self.index_sync is not None:
            self.index_sync.request_changed(ctx.session, request_id=request_id)

    def build_curated_list(
        self, ctx: Ctx, *, request_id: str, save: bool = True
    ) -> CuratedListResult:
        from memory.curated import build_curated_list

        return build_curated_list(self, ctx, request_id=request_id, save=save)

    # ----- helpers ------------------------------------------------------------------------
    def idf(self, word: str) -> float:
        """Rarity of a word among listing passages: lexical evidence weighs rare words more."""
        return self.snapshot.passages.idf(word)

    def wish_query(self, buyer: BuyerDoc) -> WishQuery:
        bank = self.snapshot.passages
        return WishQuery(buyer, self.clause_vectors(buyer), bank, self.config, self.idf)

    def listing_query(self, listing: ListingDoc) -> ListingQuery:
        passages = self.snapshot.passages
        return ListingQuery(
            listing,
            self.passage_vectors(listing),
            self.snapshot.clauses,
            self.config,
            self.idf,
            idf_version=len(passages),
        )

    def clause_ids(self, buyer: BuyerDoc) -> npt.NDArray[np.int64]:
        return self.snapshot.clauses.ids_for([clause.text for clause in buyer.clauses])

    def passage_ids(self, listing: ListingDoc) -> npt.NDArray[np.int64]:
        return self.snapshot.passages.ids_for(list(listing.passages))

    def clause_vectors(self, buyer: BuyerDoc) -> Vectors:
        return self.snapshot.clauses.vectors_of(self.clause_ids(buyer))

    def passage_vectors(self, listing: ListingDoc) -> Vectors:
        return self.snapshot.passages.vectors_of(self.passage_ids(listing))

    def listing_doc(self, row: Any) -> ListingDoc:
        """A listing's document, parsed once per version (id and updated_at)."""
        found = self.snapshot.listings.current(row.id, row.updated_at)
        if found is not None:
            return found
        return _cached(self._listing_docs, (row.id, row.updated_at), lambda: listing_doc(row))

    def buyer_doc(self, row: Any) -> BuyerDoc:
        found = self.snapshot.buyers.current(row.id, row.updated_at)
        if found is not None:
            return found
        return _cached(self._buyer_docs, (row.id, row.updated_at), lambda: buyer_doc(row))

    def fresh_listing_docs(self, ctx: Ctx, ids: list[str]) -> dict[str, ListingDoc]:
        """Current documents of these listings: the parsed copy when the row has not changed
        since (same updated_at), else the row read again. Deleted listings are left out."""
        stamps = store_reads.listing_stamps(ctx.session, ids)
        docs = {i: d for i in stamps if (d := self.snapshot.listings.current(i, stamps[i]))}
        changed = [i for i in stamps if i not in docs]
        if changed:
            for row in store_reads.listing_rows_by_id(ctx.session, changed).values():
                docs[row.id] = self.listing_doc(row)
        return docs

    def fresh_buyer_docs(self, ctx: Ctx, ids: list[str]) -> dict[str, BuyerDoc]:
        stamps = store_reads.request_stamps(ctx.session, ids)
        docs = {i: d for i in stamps if (d := self.snapshot.buyers.current(i, stamps[i]))}
        changed = [i for i in stamps if i not in docs]
        if changed:
            for row in store_reads.request_rows_by_id(ctx.session, changed).values():
                docs[row.id] = self.buyer_doc(row)
        return docs

    def broker_names(self, ctx: Ctx, ids: set[str]) -> dict[str, str]:
        """Brokers' names (cached like teams: they hardly ever change)."""
        now = time.monotonic()
        if (
            now - self._names_at >= self.snapshot.full_check_seconds
            or not ids <= self._names.keys()
        ):
            self._names.update(store_reads.broker_names(ctx.session, ids | self._names.keys()))
            self._names_at = now
        return {i: self._names.get(i, "") for i in ids}

    def team_owners(self, ctx: Ctx, owner: str) -> set[str]:
        """Brokers whose deals match with this owner's: the owner's team (re-read after
        `full_check_seconds`: teams change far more rarely than deals)."""
        now = time.monotonic()
        cached = self._teams.get(owner)
        if cached is not None and now - cached[0] < self.snapshot.full_check_seconds:
            return cached[1]
        team = store_reads.team_of(ctx.session, owner)
        members = store_reads.team_members(ctx.session, team) if team is not None else {owner}
        self._teams[owner] = (now, members)
        return members

    def _request(self, ctx: Ctx, request_id: str) -> BuyerRequest:
        request = ctx.session.get(BuyerRequest, request_id)
        if request is None:
            raise NotFound(
                f"No buyer request {request_id}. Check the id or search by the buyer's name.",
                f"Запрос {request_id} не найден. Проверьте номер или найдите по имени покупателя.",
            )
        ensure_readable(ctx, request, what="buyer request")
        return request

    def _listing(self, ctx: Ctx, listing_id: str) -> Listing:
        listing = ctx.session.get(Listing, listing_id)
        if listing is None:
            raise NotFound(
                f"No listing {listing_id}. Check the id or search by address.",
                f"Объект {listing_id} не найден. Проверьте номер или найдите по адресу.",
            )
        if not can_see_listing_facts(ctx, listing):
            raise Forbidden(
                "That listing belongs to another broker and is not active; ask its broker.",
                "Этот объект принадлежит другому брокеру и не активен; спросите его брокера.",
            )
        return listing


DocT = TypeVar("DocT")
_DOC_CACHE = 50_000


def _cached(cache: dict[Any, DocT], key: Any, build: Callable[[], DocT]) -> DocT:
    found = cache.get(key)
    if found is None:
        if len(cache) >= _DOC_CACHE:
            cache.pop(next(iter(cache)))
        found = cache[key] = build()
    return found
