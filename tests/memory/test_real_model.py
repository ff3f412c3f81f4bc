"""The packaged all-MiniLM-L6-v2, for real (loaded once per session; ~10 s)."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from crm_store.context import Ctx
from memory.cache import CachedEmbedder, EmbeddingCache
from memory.embeddings import Embedder, SentenceTransformerEmbedder
from memory.matching import Matcher
from tests.factories import make_buyer_request, make_contact, make_listing
from tests.memory.conftest import Team

ROOT = Path(__file__).resolve().parents[2]
BOILERPLATE = [
    "This bright apartment is located in a popular residential area of the city.",
    "The open-plan living and dining area leads to a covered veranda.",
    "The kitchen is fully fitted with modern appliances and plenty of storage.",
    "Both bedrooms have built-in wardrobes and the master has an en-suite shower room.",
    "The complex is well maintained and has a lift and covered parking.",
    "Shops, cafes and bus stops are within a few minutes walk.",
    "The property comes with a title deed and is ready to move into.",
    "Viewings can be arranged at short notice through our office.",
]
FIREPLACE = "In the lounge a wood-burning fireplace keeps the home warm in winter."


@pytest.fixture(scope="session")
def minilm(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    cache = EmbeddingCache(tmp_path_factory.mktemp("emb") / "embeddings.sqlite")
    return CachedEmbedder(SentenceTransformerEmbedder(), cache)


@pytest.mark.slow
def test_the_packaged_model_embeds_offline(minilm: Embedder) -> None:
    vectors = minilm.embed(["sea view", "ocean view", "covered parking"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert minilm.name == "all-MiniLM-L6-v2"


@pytest.mark.slow
@pytest.mark.parametrize("wish", ["a fireplace", "cosy winter evenings by an open fire"])
def test_a_wish_finds_the_one_sentence_of_a_long_description_that_answers_it(
    ctx: Ctx, team: Team, minilm: Embedder, wish: str
) -> None:
    listings = []
    for i in range(6):
        sentences = BOILERPLATE[i % 3 :] + BOILERPLATE[: i % 3]
        if i == 4:
            sentences.insert(5, FIREPLACE)  # one sentence among nine
        listings.append(
            make_listing(
                ctx,
                owner=team.anna,
                address=f"{i + 1} Makariou Ave",
                price=Decimal(400000 + i * 5000),
                description=" ".join(sentences),
            )
        )
    request = make_buyer_request(
        ctx, owner=team.anna, buyer=make_contact(ctx, owner=team.anna), wishes=wish
    )

    matches = Matcher(minilm, check_seconds=0, full_check_seconds=0).listings_for_buyer(
        ctx, request_id=request.id
    )

    assert matches[0].listing.id == listings[4].id
    assert matches[0].score > matches[1].score + 0.1
    reasons = " ".join(matches[0].reason_texts())
    assert "fireplace" in reasons


@pytest.mark.slow
def test_whole_description_embedding_dilutes_the_one_sentence(minilm: Embedder) -> None:
    """Why passages: the sentence itself is far closer to the wish than the whole ad is."""
    description = " ".join([*BOILERPLATE[:5], FIREPLACE, *BOILERPLATE[5:]])
    wish, whole, sentence = minilm.embed(["a fireplace", description, FIREPLACE])
    assert wish @ sentence > wish @ whole + 0.15


@pytest.mark.slow
def test_matching_modules_import_without_the_heavy_libraries() -> None:
    code = (
        "import sys, memory.matching, memory.curated, memory.render, memory.sync, memory.index,"
        " memory.embeddings, memory.cache, memory.wiring;"
        " print([m for m in ('sentence_transformers', 'torch', 'chromadb') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
