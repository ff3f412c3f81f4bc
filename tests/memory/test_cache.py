"""The content-hash cache: unchanged text is embedded once, across instances and processes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from memory.cache import CachedEmbedder, EmbeddingCache, text_hash
from tests.memory.fakes import FakeEmbedder


def test_unchanged_text_is_never_embedded_twice(tmp_path: Path) -> None:
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, EmbeddingCache(tmp_path / "emb.sqlite"))
    first = cached.embed(["sea view", "quiet street", "sea view"])
    assert inner.embedded == 2  # the repeated text was embedded once
    second = cached.embed(["quiet  street ", "sea view"])  # whitespace does not count as change
    assert inner.embedded == 2
    assert np.allclose(second[0], first[1]) and np.allclose(second[1], first[0])


def test_another_process_reuses_the_shared_file(tmp_path: Path) -> None:
    path = tmp_path / "emb.sqlite"
    CachedEmbedder(FakeEmbedder(), EmbeddingCache(path)).embed(["pool", "garden"])
    later = FakeEmbedder()  # a new process: empty memory, same file
    vectors = CachedEmbedder(later, EmbeddingCache(path)).embed(["garden", "pool", "gym"])
    assert later.calls == [["gym"]]
    assert vectors.shape == (3, 512)


def test_models_never_share_vectors(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    CachedEmbedder(FakeEmbedder("model-a"), cache).embed(["pool"])
    other = FakeEmbedder("model-b")
    CachedEmbedder(other, cache).embed(["pool"])
    assert other.embedded == 1
    assert cache.count("model-a") == cache.count("model-b") == 1


def test_vectors_are_stored_as_float32_under_the_sha256_of_the_text(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    CachedEmbedder(FakeEmbedder(), cache).embed(["fireplace"])
    stored = cache.get_many("fake-words", [text_hash("fireplace")])
    assert stored[text_hash("fireplace")].dtype == np.float32
