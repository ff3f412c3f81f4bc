"""Hybrid matching both ways: hard criteria, then structured fit + wish evidence, with reasons."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import numpy as np

from crm_store.context import Ctx
from crm_store.errors import Forbidden, NotFound
from crm_store.models import BuyerRequest, Listing
from crm_store.services.permissions import can_see_listing_facts, ensure_readable, visible_owner_ids
from memory.documents import BuyerDoc, ListingDoc, buyer_doc, listing_doc
from memory.embeddings import Embedder, Vectors
from memory.matching import store_reads
from memory.matching.criteria import DEFAULT_CONFIG, MatchConfig, passes, structured_reasons
from memory.matching.evidence import score_pair, wish_reasons
from memory.matching.results import BuyerMatch, BuyerMatches, ListingFacts, ListingMatch
from memory.matching.snapshot import MatchSnapshot

if TYPE_CHECKING:
    from memory.curated import CuratedListResult
    from memory.matching.results import NewMatchNotices
    from memory.sync import IndexSync

_SLACK = 10  # extra candidates re-checked against the store, in case the snapshot is stale


class Matcher:
    """One per process: holds the matching snapshot; every call takes the caller's Ctx."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        config: MatchConfig = DEFAULT_CONFIG,
        index_sync: IndexSync | None = None,
        check_seconds: float = 1.0,
    ) -> None:
        self.embedder = embedder
        self.config = config
        self.index_sync = index_sync
        self.snapshot = MatchSnapshot(embedder, check_seconds=check_seconds)

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
        session = ctx.session
        self.snapshot.ensure_fresh(session)
        table = self.snapshot.listings
        rows, scores = self._scored_listings(buyer, owners, exclude)
        keep = scores >= min_score
        rows, scores = rows[keep], scores[keep]
        top = _top(scores, limit + _SLACK)
        ids = [table.row_ids[rows[i]] for i in top]
        fresh = store_reads.listing_rows_by_id(session, ids)
        clause_vecs = self.clause_vectors(buyer)
        found: list[tuple[float, ListingDoc, list[Any]]] = []
        for listing_id in ids:
            row = fresh.get(listing_id)
            doc = listing_doc(row) if row is not None else None
            if (
                doc is None
                or doc.stage != store_reads.ACTIVE
                or not passes(buyer, doc, self.config)
            ):
                # The snapshot was stale: fix it and skip the listing.
                self.snapshot.forget(listing_ids=[listing_id])
                if row is not None:
                    self.snapshot.apply_listings([row])
                continue
            if owners is not None and doc.owner not in owners:
                continue
            score, evidence = score_pair(
                buyer, doc, clause_vecs, self.passage_vectors(doc), self.config, self.idf
            )
            if score >= min_score:
                found.append(
                    (score, doc, structured_reasons(buyer, doc) + wish_reasons(doc, evidence))
                )
        found.sort(key=lambda item: (-item[0], item[1].id))
        names = store_reads.broker_names(session, {doc.owner for _, doc, _ in found})
        return [
            ListingMatch(ListingFacts.of(doc, names.get(doc.owner, "")), round(score, 4), tuple(r))
            for score, doc, r in found[:limit]
        ]

    def _scored_listings(
        self, buyer: BuyerDoc, owners: set[str] | None, exclude: Collection[str] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        table = self.snapshot.listings
        rows = table.candidates(buyer, owners, self.config)
        if exclude:
            dropped = {table.row_of[i] for i in exclude if i in table.row_of}
            rows = np.array([r for r in rows if r not in dropped], dtype=np.int64)
        scores = table.score(buyer, self.clause_vectors(buyer), rows, self.config)
        return rows, scores

    def count_listings(
        self, ctx: Ctx, buyer: BuyerDoc, *, owners: set[str] | None, min_score: float,
        exclude: Collection[str] = (),
    ) -> int:  # fmt: skip
        """How many listings would match (from the snapshot, not re-checked): for suggestions."""
        self.snapshot.ensure_fresh(ctx.session)
        _, scores = self._scored_listings(buyer, owners, exclude)
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
        session = ctx.session
        self.snapshot.ensure_fresh(session)
        table = self.snapshot.buyers
        passage_vecs = self.passage_vectors(listing)
        rows = table.candidates(listing, owners, self.config)
        passages = self.snapshot.passages
        scores = table.score(
            listing, passage_vecs, rows, self.config, self.idf, idf_version=len(passages)
        )
        keep = scores >= min_score
        rows, scores = rows[keep], scores[keep]
        owner_col = table.owner.values[rows]
        if visible is None:
            mine = np.ones(len(rows), dtype=np.bool_)
        else:
            mine = np.isin(owner_col, table.owners.known(visible))
        others = int((~mine).sum())
        rows, scores = rows[mine], scores[mine]
        top = _top(scores, (limit + _SLACK) if limit is not None else len(scores))
        ids = [table.row_ids[rows[i]] for i in top]
        fresh = store_reads.request_rows_by_id(session, ids)
        found: list[tuple[float, BuyerDoc, list[Any]]] = []
        for request_id in ids:
            row = fresh.get(request_id)
            buyer = buyer_doc(row) if row is not None else None
            if (
                buyer is None
                or not store_reads.is_open_request(buyer.stage)
                or not passes(buyer, listing, self.config)
            ):
                self.snapshot.forget(request_ids=[request_id])
                if row is not None:
                    self.snapshot.apply_requests([row])
                continue
            score, evidence = score_pair(
                buyer, listing, self.clause_vectors(buyer), passage_vecs, self.config, self.idf
            )
            if score >= min_score:
                reasons = structured_reasons(buyer, listing) + wish_reasons(listing, evidence)
                found.append((score, buyer, reasons))
        found.sort(key=lambda item: (-item[0], item[1].id))
        found = found[:limit] if limit is not None else found
        names = store_reads.contact_names(session, {buyer.buyer for _, buyer, _ in found})
        matches = [
            BuyerMatch(b.id, b.buyer, names.get(b.buyer, ""), b.owner, round(s, 4), tuple(r))
            for s, b, r in found
        ]
        return matches, others

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

    def clause_vectors(self, buyer: BuyerDoc) -> Vectors:
        bank = self.snapshot.clauses
        return bank.vectors_of(bank.ids_for([clause.text for clause in buyer.clauses]))

    def passage_vectors(self, listing: ListingDoc) -> Vectors:
        bank = self.snapshot.passages
        return bank.vectors_of(bank.ids_for(list(listing.passages)))

    def team_owners(self, ctx: Ctx, owner: str) -> set[str]:
        """Brokers whose deals match with this owner's: the owner's team."""
        team = store_reads.team_of(ctx.session, owner)
        return store_reads.team_members(ctx.session, team) if team is not None else {owner}

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


def _top(scores: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` best scores, best first."""
    if count <= 0 or not len(scores):
        return np.zeros(0, dtype=np.int64)
    if count < len(scores):
        part = np.argpartition(-scores, count - 1)[:count]
        return part[np.argsort(-scores[part], kind="stable")]
    return np.argsort(-scores, kind="stable")
