"""A content-hash embedding cache shared by every process, so unchanged text is embedded once."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from memory.embeddings import Embedder, Vectors, normalise_rows

_SPACES = re.compile(r"\s+")
_SQL_CHUNK = 500  # well under SQLite's host-parameter limit


def normalise_text(text: str) -> str:
    """The form that is hashed and embedded: whitespace collapsed, ends trimmed."""
    return _SPACES.sub(" ", text).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


class EmbeddingCache:
    """SQLite file of model + sha256(text) → float32 blob; WAL mode, safe for many processes."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings ("
            " model TEXT NOT NULL, sha256 TEXT NOT NULL, dim INTEGER NOT NULL,"
            " vector BLOB NOT NULL, PRIMARY KEY (model, sha256)) WITHOUT ROWID"
        )
        self._db.commit()

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, Vectors]:
        found: dict[str, Vectors] = {}
        with self._lock:
            for start in range(0, len(hashes), _SQL_CHUNK):
                chunk = list(hashes[start : start + _SQL_CHUNK])
                marks = ",".join("?" * len(chunk))
                query = (
                    f"SELECT sha256, vector FROM embeddings WHERE model = ? AND sha256 IN ({marks})"
                )
                rows = self._db.execute(query, [model, *chunk]).fetchall()
                for sha, blob in rows:
                    found[sha] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: Iterable[tuple[str, Vectors]]) -> None:
        rows = [
            (model, sha, int(vec.shape[-1]), vec.astype(np.float32).tobytes()) for sha, vec in items
        ]
        if not rows:
            return
        with self._lock:
            # Another process may have stored the same text meanwhile: identical, so ignore.
            self._db.executemany("INSERT OR IGNORE INTO embeddings VALUES (?, ?, ?, ?)", rows)
            self._db.commit()

    def count(self, model: str | None = None) -> int:
        with self._lock:
            if model is None:
                return int(self._db.execute("SELECT count(*) FROM embeddings").fetchone()[0])
            query = "SELECT count(*) FROM embeddings WHERE model = ?"
            return int(self._db.execute(query, (model,)).fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


@dataclass
class CacheStats:
    memory_hits: int = 0
    disk_hits: int = 0
    encoded: int = 0


class CachedEmbedder:
    """Wraps an Embedder: memory first, then the shared file, and only then the model."""

    def __init__(
        self,
        embedder: Embedder,
        cache: EmbeddingCache | None = None,
        *,
        memory_items: int = 200_000,
        batch_size: int = 4096,
    ) -> None:
        self.inner = embedder
        self.cache = cache
        self.memory_items = memory_items
        self.batch_size = batch_size
        self.stats = CacheStats()
        self._memory: dict[str, Vectors] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.inner.name

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Vectors for `texts` in order; only texts never seen by this model reach the model."""
        normalised = [normalise_text(text) for text in texts]
        hashes = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in normalised]
        vectors = self.lookup(hashes)
        missing: dict[str, str] = {}
        for sha, text in zip(hashes, normalised, strict=True):
            if sha not in vectors and sha not in missing:
                missing[sha] = text
        if missing:
            vectors.update(self._encode(missing))
        if not hashes:
            return np.zeros((0, self._dim_hint()), dtype=np.float32)
        return np.stack([vectors[sha] for sha in hashes]).astype(np.float32, copy=False)

    def lookup(self, hashes: Sequence[str]) -> dict[str, Vectors]:
        """The vectors already known for these hashes (memory, then disk); never encodes."""
        found: dict[str, Vectors] = {}
        wanted: list[str] = []
        with self._lock:
            for sha in hashes:
                vec = self._memory.get(sha)
                if vec is not None:
                    found[sha] = vec
                    self.stats.memory_hits += 1
                elif sha not in found:
                    wanted.append(sha)
        if wanted and self.cache is not None:
            from_disk = self.cache.get_many(self.name, list(dict.fromkeys(wanted)))
            self.stats.disk_hits += len(from_disk)
            found.update(from_disk)
            self._remember(from_disk.items())
        return found

    def _encode(self, missing: dict[str, str]) -> dict[str, Vectors]:
        shas = list(missing)
        encoded: dict[str, Vectors] = {}
        for start in range(0, len(shas), self.batch_size):
            batch = shas[start : start + self.batch_size]
            rows = normalise_rows(self.inner.embed([missing[sha] for sha in batch]))
            pairs = list(zip(batch, rows, strict=True))
            encoded.update(pairs)
            if self.cache is not None:
                self.cache.put_many(self.name, pairs)
            self._remember(pairs)
        self.stats.encoded += len(shas)
        return encoded

    def _remember(self, pairs: Iterable[tuple[str, Vectors]]) -> None:
        with self._lock:
            for sha, vec in pairs:
                if len(self._memory) >= self.memory_items:
                    # Oldest first out: dicts keep insertion order.
                    self._memory.pop(next(iter(self._memory)))
                self._memory[sha] = vec

    def _dim_hint(self) -> int:
        with self._lock:
            for vec in self._memory.values():
                return int(vec.shape[-1])
        dim = getattr(self.inner, "dim", None)
        return int(dim) if isinstance(dim, int) else 0
