"""Matching quality: (a) a generated, graded relevance set — hybrid vs filter-only vs
embedding-only; (b) real rental ads — curated-list precision for amenity wishes."""

from __future__ import annotations

import random
import tempfile
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import rentals, synthetic
from benchmarks.common import Store, ndcg_at, precision_at, result, say, temporary_store
from crm_store.clock import FrozenClock
from crm_store.context import Ctx
from crm_store.models import Broker, BuyerRequest, Contact, Listing
from crm_store.repositories.base import bulk_insert
from memory.cache import CachedEmbedder, EmbeddingCache
from memory.documents import buyer_doc
from memory.embeddings import Embedder, SentenceTransformerEmbedder
from memory.matching import Matcher

REQUESTS = 60
SEED = 20260310


def run(
    *, listings: int = 2000, progress: bool = False, cache_dir: Path | None = None
) -> list[dict[str, Any]]:
    """Both quality benchmarks; `listings` sizes the generated pool (capped at 5000)."""
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as scratch:
        path = (cache_dir or Path(scratch)) / "embeddings.sqlite"
        embedder = CachedEmbedder(SentenceTransformerEmbedder(), EmbeddingCache(path))
        out = relevance_set(embedder, pool=min(max(listings, 500), 5000), progress=progress)
        out += real_rentals(embedder, progress=progress)
        return out


def _load(store: Store, rows: dict[type, list[dict[str, Any]]]) -> None:
    with store.sessions() as session:
        for model in (Broker, Contact, Listing, BuyerRequest):
            bulk_insert(session, model, rows.get(model, []))
        session.commit()


def _ctx(store: Store) -> Ctx:
    return Ctx(session=store.sessions(), clock=FrozenClock(synthetic.BASE_TIME))


def relevance_set(embedder: Embedder, *, pool: int, progress: bool) -> list[dict[str, Any]]:
    """(a) Generated listings with hidden qualities, requests with graded relevance."""
    rng = random.Random(SEED)
    brokers, contacts = synthetic.brokerage_rows(5, REQUESTS)
    owners = [b["id"] for b in brokers]
    listings = synthetic.make_listings(rng, pool, owners=owners)
    requests = [
        r
        for r in synthetic.make_requests(
            rng, REQUESTS * 3, owners=owners, contacts=[c["id"] for c in contacts]
        )
        # Keep requests that have something to find: at least 3 listings matching a wish.
        if sum(synthetic.relevance(r, lst) >= 2 for lst in listings) >= 3
    ][:REQUESTS]
    say(progress, f"relevance set: {pool} listings, {len(requests)} requests")
    with temporary_store() as store:
        _load(store, {Broker: brokers, Contact: contacts, Listing: [x.row for x in listings],
                      BuyerRequest: [r.row for r in requests]})  # fmt: skip
        ctx = _ctx(store)
        matcher = Matcher(embedder)
        matcher.snapshot.load(ctx.session)
        whole = embedder.embed([x.row["description"] for x in listings])
        by_id = {x.row["id"]: i for i, x in enumerate(listings)}
        scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
        by_language: dict[str, list[float]] = defaultdict(list)
        for request in requests:
            grades = [synthetic.relevance(request, x) for x in listings]
            rankings = _rankings(matcher, ctx, request.row["id"], embedder, whole, by_id)
            for method, ids in rankings.items():
                ranked = [grades[by_id[i]] for i in ids[:5]]
                scores[method].append(
                    (ndcg_at(ranked, grades), precision_at([g >= 2 for g in ranked]))
                )
            by_language[request.language].append(scores["hybrid"][-1][0])
        ctx.session.close()
    params = {
        "listings": pool,
        "requests": len(requests),
        "ground_truth": "0 if a hard criterion fails, else 1 + wished hidden qualities present"
        " (−1, min 1, in the +10% budget stretch); relevant = grade ≥ 2",
        "russian_requests": len(by_language["ru"]),
        "embedding_only": "whole wishes vs whole description, all active listings, no filters",
        "filter_only": "hard criteria, then structured fit, cheapest first",
    }
    out = []
    for method, pairs in scores.items():
        ndcg, precision = (float(np.mean([p[i] for p in pairs])) for i in (0, 1))
        out.append(result(f"match.quality.ndcg5.{method}", ndcg, "ndcg", **params))
        out.append(result(f"match.quality.precision5.{method}", precision, "ratio", **params))
    for language, values in by_language.items():
        value = float(np.mean(values))
        out.append(result(f"match.quality.ndcg5.hybrid_{language}", value, "ndcg", **params))
    return out


def _rankings(
    matcher: Matcher, ctx: Ctx, request_id: str, embedder: Embedder, whole: np.ndarray,
    by_id: dict[str, int],
) -> dict[str, list[str]]:  # fmt: skip
    hybrid = [m.listing.id for m in matcher.listings_for_buyer(ctx, request_id=request_id, limit=5)]
    request = ctx.session.get(BuyerRequest, request_id)
    assert request is not None
    doc = buyer_doc(request)
    table = matcher.snapshot.listings
    rows = table.candidates(doc, None, matcher.config)
    plain = replace(doc, clauses=())
    structured = table.score(plain, matcher.wish_query(plain), rows, matcher.config)
    prices = table.price.values[rows]
    order = np.lexsort((prices, -structured))
    filter_only = [table.row_ids[rows[i]] for i in order[:5]]
    wish = embedder.embed([request.wishes or ""])[0]
    sims = whole @ wish
    embedding_only = [table.row_ids[table.row_of[i]] for i in _ids_by(sims, by_id)[:5]]
    candidates = [table.row_ids[r] for r in rows]
    filtered = sorted(candidates, key=lambda i: -sims[by_id[i]])[:5]
    return {
        "hybrid": hybrid,
        "filter_only": filter_only,
        "embedding_only": embedding_only,
        "filter_then_whole_embedding": filtered,
    }


def _ids_by(sims: np.ndarray, by_id: dict[str, int]) -> list[str]:
    ids = list(by_id)
    return [ids[i] for i in np.argsort(-sims, kind="stable")]


def real_rentals(embedder: Embedder, *, progress: bool) -> list[dict[str, Any]]:
    """(b) The real ads: precision@5 of the curated list for one-amenity wishes."""
    ads = rentals.load_ads()
    stats = rentals.amenity_stats(ads)
    buyers = rentals.buyer_rows([s.name for s in stats], start=1)
    say(progress, f"real rentals: {len(ads)} ads, {len(buyers)} buyer wishes")
    brokers, contacts = synthetic.brokerage_rows(1, 1)
    found: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    with temporary_store() as store:
        _load(store, {Broker: brokers, Contact: contacts, Listing: [a.row for a in ads],
                      BuyerRequest: [row for row, _, _ in buyers]})  # fmt: skip
        ctx = _ctx(store)
        matcher = Matcher(embedder)
        matcher.snapshot.load(ctx.session)
        whole = embedder.embed([a.row["description"] for a in ads])
        has = {a.id: a.amenities for a in ads}
        for row, amenity, kind in buyers:
            curated = matcher.build_curated_list(ctx, request_id=row["id"], save=False)
            ranked = matcher.listings_for_buyer(ctx, request_id=row["id"], limit=5)
            sims = whole @ embedder.embed([row["wishes"]])[0]
            baseline = [ads[i].id for i in np.argsort(-sims, kind="stable")[:5]]
            into = found[(amenity, kind)]
            into["curated"].append(
                precision_at([amenity in has[m.listing.id] for m in curated.items])
            )
            into["hybrid_ranking"].append(
                precision_at([amenity in has[m.listing.id] for m in ranked])
            )
            into["whole_description_embedding"].append(
                precision_at([amenity in has[i] for i in baseline])
            )
        ctx.session.close()
    out = []
    reliable = [s for s in stats if s.label_reliable]
    noisy = [s for s in stats if not s.label_reliable]
    for suffix, chosen, kind in (
        ("", reliable, "named"),
        ("_described_needs", reliable, "need"),
        ("_label_noisy", noisy, "named"),
    ):
        out += _rental_results(suffix, chosen, kind, found, len(ads))
    return out


def _rental_results(
    suffix: str,
    chosen: list[rentals.AmenityStats],
    kind: str,
    found: dict[tuple[str, str], dict[str, list[float]]],
    ads: int,
) -> list[dict[str, Any]]:
    names = [s.name for s in chosen]
    params = {
        "ads": ads,
        "amenities": names,
        "wishes": kind,
        "buyers": sum(len(found[(a, kind)]["curated"]) for a in names),
        "selection": "amenities in >=5% of the ads; main figure: wishes naming the amenity in"
        " everyday words, for amenities whose label agrees with the ads naming them"
        " (>=10 ads, >=60%); needs described without naming it and label-noisy amenities apart",
        "label_agreement": {s.name: [s.named, round(s.agreement, 2)] for s in chosen},
        "random": "expected precision of a random order (share of ads with the amenity)",
        "per_amenity_curated": {
            a: round(float(np.mean(found[(a, kind)]["curated"])), 3) for a in names
        },
    }
    out = []
    for method in ("curated", "hybrid_ranking", "whole_description_embedding"):
        value = float(np.mean([v for a in names for v in found[(a, kind)][method]]))
        out.append(
            result(f"match.quality.rentals.precision5.{method}{suffix}", value, "ratio", **params)
        )
    weights = [len(found[(a, kind)]["curated"]) for a in names]
    value = float(np.average([s.share for s in chosen], weights=weights))
    out.append(result(f"match.quality.rentals.precision5.random{suffix}", value, "ratio", **params))
    return out
