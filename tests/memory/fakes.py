"""A small deterministic embedder: hashed word stems, so shared words mean similar vectors."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from memory.embeddings import Vectors, normalise_rows
from memory.passages import content_words

DIM = 512


class FakeEmbedder:
    """Counts every call, so tests can prove what was (not) embedded."""

    def __init__(self, name: str = "fake-words") -> None:
        self._name = name
        self.calls: list[list[str]] = []

    @property
    def name(self) -> str:
        return self._name

    @property
    def embedded(self) -> int:
        return sum(len(call) for call in self.calls)

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in content_words(text) or {"∅"}:
                bucket = int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % DIM
                out[row, bucket] += 1.0
        return normalise_rows(out)
