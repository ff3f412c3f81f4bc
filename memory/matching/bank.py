"""Unique texts with their vectors and word postings: passages of listings, clauses of wishes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from memory.cache import normalise_text
from memory.documents import clause_places, passage_features
from memory.embeddings import Embedder, Vectors
from memory.passages import content_words


class Column:
    """A numpy column that grows by doubling, so appends stay cheap."""

    def __init__(self, dtype: Any, fill: Any = 0, width: int = 0) -> None:
        self.dtype = np.dtype(dtype)
        self.fill = fill
        self.width = width
        self.size = 0
        self._data = self._alloc(1024)

    def _alloc(self, rows: int) -> npt.NDArray[Any]:
        shape = (rows, self.width) if self.width else (rows,)
        return np.full(shape, self.fill, dtype=self.dtype)

    def extend(self, values: npt.ArrayLike) -> None:
        block = np.asarray(values, dtype=self.dtype)
        count = block.shape[0] if block.ndim else 1
        if self.size + count > self._data.shape[0]:
            grown = self._alloc(max(self._data.shape[0] * 2, self.size + count))
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : self.size + count] = block
        self.size += count

    @property
    def values(self) -> npt.NDArray[Any]:
        return self._data[: self.size]


class TextBank:
    """Each distinct text once: its vector, feature and place masks, and which words it holds."""

    def __init__(self, embedder: Embedder, *, places: bool = False) -> None:
        self.embedder = embedder
        self.places = places
        self.ids: dict[str, int] = {}
        self.texts: list[str] = []
        self.vectors = Column(np.float32, width=0)
        self.features = Column(np.int64)
        self.place_bits = Column(np.int64)
        self.word_counts = Column(np.float32)
        self._postings: dict[str, list[int]] = {}
        self._compiled: dict[str, npt.NDArray[np.int64]] = {}

    def __len__(self) -> int:
        return len(self.texts)

    def ids_for(self, texts: Sequence[str]) -> npt.NDArray[np.int64]:
        """Ids of these texts, embedding (through the cache) those the bank has not seen."""
        normalised = [normalise_text(text) for text in texts]
        new = [text for text in dict.fromkeys(normalised) if text not in self.ids]
        if new:
            self._add(new)
        return np.fromiter(
            (self.ids[text] for text in normalised), dtype=np.int64, count=len(texts)
        )

    def _add(self, texts: list[str]) -> None:
        vectors = self.embedder.embed(texts)
        if self.vectors.width == 0:
            self.vectors = Column(np.float32, width=int(vectors.shape[1]))
        start = len(self.texts)
        self.vectors.extend(vectors)
        self.features.extend([passage_features(t) for t in texts])
        self.place_bits.extend([clause_places(t) if self.places else 0 for t in texts])
        words = [content_words(t) for t in texts]
        self.word_counts.extend([len(w) for w in words])
        for offset, (text, text_words) in enumerate(zip(texts, words, strict=True)):
            self.ids[text] = start + offset
            self.texts.append(text)
            for word in text_words:
                self._postings.setdefault(word, []).append(start + offset)
                self._compiled.pop(word, None)

    def matrix(self) -> Vectors:
        return self.vectors.values

    def overlap_counts(self, words: frozenset[str]) -> npt.NDArray[np.float32]:
        """For every text in the bank, how many of `words` it contains."""
        counts = np.zeros(len(self.texts), dtype=np.float32)
        for word in words:
            posting = self._posting(word)
            if posting is not None:
                counts[posting] += 1.0  # a text appears once per posting list
        return counts

    def _posting(self, word: str) -> npt.NDArray[np.int64] | None:
        compiled = self._compiled.get(word)
        if compiled is None:
            raw = self._postings.get(word)
            if raw is None:
                return None
            compiled = self._compiled[word] = np.asarray(raw, dtype=np.int64)
        return compiled

    def vectors_of(self, ids: npt.NDArray[np.int64]) -> Vectors:
        return self.vectors.values[ids]


class Codes:
    """Small integer codes for names (owners, cities, districts) so filters compare integers."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}

    def code(self, name: str) -> int:
        if not name:
            return -1
        found = self._codes.get(name)
        if found is None:
            found = self._codes[name] = len(self._codes)
        return found

    def known(self, names: Sequence[str] | set[str]) -> npt.NDArray[np.int64]:
        """Codes of the names seen so far (a name never seen matches nothing anyway)."""
        return np.fromiter((self._codes[n] for n in names if n in self._codes), dtype=np.int64)


def gather_segments(
    starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64], flat: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Concatenate flat[start:start+length] for every row; also where each row's run begins."""
    offsets = np.zeros(len(lengths), dtype=np.int64)
    if len(lengths) > 1:
        np.cumsum(lengths[:-1], out=offsets[1:])
    total = int(lengths.sum()) if len(lengths) else 0
    positions = np.repeat(starts - offsets, lengths) + np.arange(total, dtype=np.int64)
    return flat[positions], offsets
