"""Ranking on the snapshot, then re-checking the best against fresh rows from the store."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from crm_store.context import Ctx
from crm_store.repositories import matching as store_reads
from memory.documents import BuyerDoc, ListingDoc
from memory.matching.criteria import passes, structured_fit, structured_reasons
from memory.matching.evidence import wish_reasons
from memory.matching.queries import ListingQuery, WishQuery
from memory.matching.results import BuyerMatch, ListingFacts, ListingMatch

if TYPE_CHECKING:
    from memory.matching.matcher import Matcher

SLACK = 10  # extra candidates re-checked against the store, in case the snapshot is stale
Rows = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]


def top_indices(scores: Scores, count: int) -> Rows:
    """Indices of the `count` best scores, best first."""
    if count <= 0 or not len(scores):
        return np.zeros(0, dtype=np.int64)
    if count < len(scores):
        part = np.argpartition(-scores, count - 1)[:count]
        return part[np.argsort(-scores[part], kind="stable")]
    return np.argsort(-scores, kind="stable")


def _hybrid(matcher: Matcher, buyer: BuyerDoc, listing: ListingDoc, wish: float | None) -> float:
    weight = matcher.config.structured_weight
    structured = structured_fit(buyer, listing)
    return structured if wish is None else weight * structured + (1 - weight) * wish


def scored_listings(
    matcher: Matcher, buyer: BuyerDoc, owners: set[str] | None, exclude: Collection[str] = ()
) -> tuple[Rows, Scores, WishQuery]:
    table = matcher.snapshot.listings
    rows = table.candidates(buyer, owners, matcher.config)
    if exclude:
        dropped = np.array([table.row_of[i] for i in exclude if i in table.row_of], np.int64)
        rows = rows[~np.isin(rows, dropped)]
    query = matcher.wish_query(buyer)
    return rows, table.score(buyer, query, rows, matcher.config), query


def rank_listings(
    matcher: Matcher,
    ctx: Ctx,
    buyer: BuyerDoc,
    *,
    owners: set[str] | None,
    limit: int,
    min_score: float = 0.0,
    exclude: Collection[str] = (),
) -> list[ListingMatch]:
    """The best listings for a buyer, each confirmed on a fresh row and explained."""
    session = ctx.session
    matcher.snapshot.ensure_fresh(session)
    table = matcher.snapshot.listings
    rows, scores, query = scored_listings(matcher, buyer, owners, exclude)
    keep = scores >= min_score
    rows, scores = rows[keep], scores[keep]
    ids = [table.row_ids[rows[i]] for i in top_indices(scores, limit + SLACK)]
    fresh = matcher.fresh_listing_docs(ctx, ids)
    found: list[tuple[float, ListingDoc, list[Any]]] = []
    for listing_id in ids:
        doc = fresh.get(listing_id)
        if doc is None or doc.stage != store_reads.ACTIVE or not passes(buyer, doc, matcher.config):
            matcher.snapshot.forget(listing_ids=[listing_id])  # stale: fix and skip
            if doc is not None and doc.stage == store_reads.ACTIVE:
                matcher.snapshot.listings.upsert([doc])
            continue
        if owners is not None and doc.owner not in owners:
            continue
        evidence = query.explain(doc, matcher.passage_ids(doc)) if buyer.clauses else []
        wish = sum(e.score for e in evidence) / len(evidence) if evidence else None
        score = _hybrid(matcher, buyer, doc, wish)
        if score >= min_score:
            found.append((score, doc, structured_reasons(buyer, doc) + wish_reasons(doc, evidence)))
    found.sort(key=lambda item: (-item[0], item[1].id))
    names = matcher.broker_names(ctx, {doc.owner for _, doc, _ in found[:limit]})
    return [
        ListingMatch(ListingFacts.of(doc, names.get(doc.owner, "")), round(score, 4), tuple(r))
        for score, doc, r in found[:limit]
    ]


def rank_buyers(
    matcher: Matcher,
    ctx: Ctx,
    listing: ListingDoc,
    *,
    owners: set[str] | None,
    visible: set[str] | None,
    limit: int | None,
    min_score: float,
) -> tuple[list[BuyerMatch], int]:
    """Buyers for a listing: those `visible` confirmed and explained, the others counted."""
    session = ctx.session
    matcher.snapshot.ensure_fresh(session)
    table = matcher.snapshot.buyers
    query = matcher.listing_query(listing)
    rows = table.candidates(listing, owners, matcher.config)
    scores = table.score(listing, query, rows, matcher.config)
    keep = scores >= min_score
    rows, scores = rows[keep], scores[keep]
    if visible is None:
        mine = np.ones(len(rows), dtype=np.bool_)
    else:
        mine = table.owners.member(table.owner.values[rows], visible)
    others = int((~mine).sum())
    rows, scores = rows[mine], scores[mine]
    count = (limit + SLACK) if limit is not None else len(scores)
    ids = [table.row_ids[rows[i]] for i in top_indices(scores, count)]
    fresh = matcher.fresh_buyer_docs(ctx, ids)
    found: list[tuple[float, BuyerDoc, list[Any]]] = []
    for request_id in ids:
        buyer = fresh.get(request_id)
        is_open = buyer is not None and store_reads.is_open_request(buyer.stage)
        if buyer is None or not is_open or not passes(buyer, listing, matcher.config):
            matcher.snapshot.forget(request_ids=[request_id])  # stale: fix and skip
            if buyer is not None and is_open:
                matcher.snapshot.buyers.upsert([buyer])
            continue
        evidence = query.explain(buyer, matcher.clause_ids(buyer)) if buyer.clauses else []
        wish = sum(e.score for e in evidence) / len(evidence) if evidence else None
        score = _hybrid(matcher, buyer, listing, wish)
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


__all__ = ["ListingQuery", "rank_buyers", "rank_listings", "scored_listings", "top_indices"]
