"""Unique texts with their vectors and word postings: passages of listings, clauses of wishes."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from memory.cache import normalise_text
from memory.documents import clause_places, passage_features
from memory.embeddings import Embedder, Vectors
from memory.passages import MIN_PREFIX, content_words


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
        self._postings: dict[str, list[int]] = {}
        self._compiled: dict[str, npt.NDArray[np.int64]] = {}
        self._totals: tuple[object, npt.NDArray[np.float32]] | None = None
        self._vocabulary: list[str] | None = None  # sorted, rebuilt after new words arrive
        self._expanded: dict[str, npt.NDArray[np.int64] | None] = {}

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
        for offset, (text, text_words) in enumerate(zip(texts, words, strict=True)):
            self.ids[text] = start + offset
            self.texts.append(text)
            for word in text_words:
                if word not in self._postings:
                    self._vocabulary = None
                self._postings.setdefault(word, []).append(start + offset)
                self._compiled.pop(word, None)
        self._expanded.clear()

    def matrix(self) -> Vectors:
        return self.vectors.values

    def idf(self, word: str) -> float:
        """How rare a word is among the bank's texts (BM25's idf: always positive)."""
        df = len(self._postings.get(word, ()))
        return math.log(1.0 + (len(self.texts) - df + 0.5) / (df + 0.5))

    def weighted_counts(self, weights: dict[str, float]) -> npt.NDArray[np.float32]:
        """For every text, the summed weight of the given (wish) words it matches."""
        counts = np.zeros(len(self.texts), dtype=np.float32)
        for word, weight in weights.items():
            posting = self._matching(word)
            if posting is not None:
                counts[posting] += weight  # a text appears once per posting list
        return counts

    def weighted_counts_from(
        self, text_words: frozenset[str], idf: Callable[[str], float]
    ) -> npt.NDArray[np.float32]:
        """For every (wish) text, the summed idf of its words that `text_words` match."""
        matched: set[str] = set()
        for word in text_words:
            if word in self._postings:
                matched.add(word)
            for end in range(MIN_PREFIX, len(word)):
                if word[:end] in self._postings:
                    matched.add(word[:end])
        counts = np.zeros(len(self.texts), dtype=np.float32)
        for word in matched:
            counts[self._posting(word)] += idf(word)  # type: ignore[index]
        return counts

    def _matching(self, word: str) -> npt.NDArray[np.int64] | None:
        """Texts holding the word, or (4+ letters) a word it begins: "fire" → "fireplace"."""
        if word in self._expanded:
            return self._expanded[word]
        words = [word]
        if len(word) >= MIN_PREFIX:
            if self._vocabulary is None:
                self._vocabulary = sorted(self._postings)
            first = bisect.bisect_left(self._vocabulary, word)
            last = bisect.bisect_left(self._vocabulary, word + "\uffff")
            words = self._vocabulary[first:last]
        postings = [p for w in words if (p := self._posting(w)) is not None]
        found = None
        if len(postings) == 1:
            found = postings[0]
        elif postings:
            found = np.unique(np.concatenate(postings))
        self._expanded[word] = found
        return found

    def weight_totals(
        self, idf: Callable[[str], float], version: object
    ) -> npt.NDArray[np.float32]:
        """Per text, the summed idf of its own words (cached until `version` changes)."""
        if self._totals is None or self._totals[0] != (version, len(self.texts)):
            totals = np.zeros(len(self.texts), dtype=np.float32)
            for word in self._postings:
                totals[self._posting(word)] += idf(word)  # type: ignore[index]
            self._totals = ((version, len(self.texts)), totals)
        return self._totals[1]

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

    def member(self, column: npt.NDArray[np.int64], names: Sequence[str] | set[str]) -> Any:
        """Per row, whether its code is one of `names` (a lookup table: faster than isin)."""
        table = np.zeros(len(self._codes) + 1, dtype=np.bool_)  # the extra slot is code -1
        table[self.known(names)] = True
        return table[column]


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
