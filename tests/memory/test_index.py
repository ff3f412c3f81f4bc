"""The chromadb index: our embedder only, one owner per embedded index, rebuilt from the store."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from crm_store.context import Ctx
from crm_store.models import Listing
from memory.index import IndexItem, VectorIndex, open_index
from memory.matching import Matcher
from memory.sync import IndexSync, rebuild_index, reconcile_index
from tests.factories import make_buyer_request, make_contact, make_listing
from tests.memory.conftest import Team
from tests.memory.fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
DESCRIPTIONS = [
    "Sea view flat near the marina.",
    "Quiet villa with a garden and a fireplace.",
    "Penthouse with a roof terrace and jacuzzi.",
    "Townhouse close to schools, covered parking.",
    "New build apartment with a communal pool.",
]


@pytest.fixture
def index(tmp_path: Path, embedder: FakeEmbedder) -> Iterator[VectorIndex]:
    opened = open_index(directory=tmp_path / "chroma", embedder=embedder)
    assert opened is not None
    yield opened
    opened.close()


def _fill_store(ctx: Ctx, team: Team) -> None:
    for i, text in enumerate(DESCRIPTIONS * 3):
        make_listing(
            ctx,
            owner=team.anna if i % 2 else team.boris,
            description=text,
            city=["Limassol", "Paphos"][i % 2],
            district=["Germasogeia", "Peyia"][i % 2],
            price=Decimal(300000 + 25000 * i),
            stage="active_listing" if i < 12 else "prospect",
        )
    buyer = make_contact(ctx, owner=team.anna)
    for wishes in ("sea view", "garden and fireplace", ""):
        make_buyer_request(ctx, owner=team.anna, buyer=buyer, wishes=wishes)


def test_documents_are_embedded_by_our_embedder(index: VectorIndex, embedder: FakeEmbedder) -> None:
    index.upsert("notes", [IndexItem(id="n-1", text="Client loves sea views", metadata={"a": 1})])
    assert embedder.calls == [["Client loves sea views"]]
    collection = index.collection("notes")
    assert collection._embedding_function.embedder is embedder  # never chromadb's default
    stored = collection.configuration["embedding_function"]
    assert stored.name() == "broker_copilot" and stored.get_config() == {"model": "fake-words"}
    hits = index.query("notes", text="sea views", limit=1)
    assert hits[0].id == "n-1" and hits[0].similarity > 0.5


def test_rebuild_fills_the_index_from_the_store(
    ctx: Ctx, team: Team, index: VectorIndex, embedder: FakeEmbedder
) -> None:
    _fill_store(ctx, team)
    report = rebuild_index(ctx.session, index, embedder)
    assert (report.listings, report.buyer_requests) == (12, 3)
    assert index.count("listings") == 12 and index.count("buyer_requests") == 3
    hits = index.query("listings", text="fireplace garden", where={"city": "Paphos"}, limit=3)
    assert hits[0].metadata["city"] == "Paphos"
    top = ctx.session.get(Listing, hits[0].id)
    assert top is not None and "fireplace" in (top.description or "")


def test_a_deleted_index_is_rebuilt_to_identical_results(
    ctx: Ctx, team: Team, tmp_path: Path, embedder: FakeEmbedder
) -> None:
    _fill_store(ctx, team)
    directory = tmp_path / "chroma"

    def build_and_query() -> list[tuple[str, float]]:
        index = open_index(directory=directory, embedder=embedder)
        assert index is not None
        try:
            rebuild_index(ctx.session, index, embedder)
            hits = index.query("listings", text="quiet garden fireplace", limit=12)
            hits += index.query("buyer_requests", text="sea view flat", limit=3)
            return [(h.id, round(h.similarity, 5)) for h in hits]
        finally:
            index.close()

    before = build_and_query()
    shutil.rmtree(directory)
    after = build_and_query()
    assert before == after and len(before) == 15


def test_sync_follows_stage_and_price_changes(
    ctx: Ctx, team: Team, index: VectorIndex, embedder: FakeEmbedder
) -> None:
    _fill_store(ctx, team)
    rebuild_index(ctx.session, index, embedder)
    matcher = Matcher(
        embedder, index_sync=IndexSync(index, embedder), check_seconds=0, full_check_seconds=0
    )
    sold, cheaper = ctx.session.get(Listing, "l-1"), ctx.session.get(Listing, "l-2")
    assert sold is not None and cheaper is not None
    sold.stage = "sold"
    cheaper.price = Decimal("1000.00")
    ctx.session.flush()
    matcher.on_listing_changed(ctx, listing_id="l-1", old_stage="active_listing")
    matcher.on_listing_changed(ctx, listing_id="l-2", old_price=Decimal("325000"))

    assert index.count("listings") == 11
    hits = index.query("listings", text="anything", where={"price": {"$lt": 2000}}, limit=5)
    assert [h.id for h in hits] == ["l-2"]


def test_reconcile_catches_up_with_changes_made_while_unowned(
    ctx: Ctx, team: Team, index: VectorIndex, embedder: FakeEmbedder
) -> None:
    _fill_store(ctx, team)
    rebuild_index(ctx.session, index, embedder)
    new = make_listing(ctx, owner=team.anna, description="Brand new listing")
    gone = ctx.session.get(Listing, "l-3")
    assert gone is not None
    gone.stage = "withdrawn"
    ctx.session.flush()

    report = reconcile_index(ctx.session, index, embedder)

    assert (report.listings, report.removed) == (1, 1)
    ids = set(index.fingerprints("listings"))
    assert new.id in ids and "l-3" not in ids and len(ids) == 12


def _worker(directory: Path, store_url: str, request_id: str, hold: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.memory.index_worker", str(directory), store_url, request_id,
         str(hold)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.slow
def test_a_second_process_never_opens_an_owned_embedded_index(
    ctx: Ctx, team: Team, store_url: str, tmp_path: Path, index: VectorIndex
) -> None:
    _fill_store(ctx, team)
    ctx.session.commit()
    request_id = "r-1"

    other = _worker(tmp_path / "chroma", store_url, request_id, 0)
    out, err = other.communicate(timeout=120)

    assert other.returncode == 0, err
    result = json.loads(out)
    assert result["owner"] is False and result["indexed"] == -1
    assert result["chromadb_imported"] is False  # it did not even load chromadb
    assert len(result["matches"]) == 6  # the Limassol listings, matched from the store


@pytest.mark.slow
def test_two_processes_at_once_neither_hangs_nor_corrupts(
    ctx: Ctx, team: Team, store_url: str, tmp_path: Path, embedder: FakeEmbedder
) -> None:
    _fill_store(ctx, team)
    ctx.session.commit()
    directory = tmp_path / "chroma"
    first = open_index(directory=directory, embedder=embedder)
    assert first is not None
    rebuild_index(ctx.session, first, embedder)
    first.close()

    workers = [_worker(directory, store_url, "r-2", 2.0) for _ in range(2)]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(json.loads(out))

    assert sorted(r["owner"] for r in results) == [False, True]
    owner = next(r for r in results if r["owner"])
    assert owner["indexed"] == 12  # the index is intact
    assert results[0]["matches"] == results[1]["matches"] and results[0]["matches"]
