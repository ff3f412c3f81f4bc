"""The chromadb vector index: embedded (one owning process) or a shared Chroma server."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from memory.embeddings import PACKAGED_MODEL_NAME, Embedder, SentenceTransformerEmbedder
from memory.lock import IndexLock

log = logging.getLogger(__name__)

KINDS = ("listings", "buyer_requests", "notes")
Metadata = dict[str, str | int | float | bool]


@dataclass(frozen=True)
class IndexItem:
    """One document: its id in the store, a vector (or text to embed) and filterable facts."""

    id: str
    metadata: Metadata = field(default_factory=dict)
    text: str = ""
    vector: np.ndarray | None = None


@dataclass(frozen=True)
class IndexHit:
    id: str
    similarity: float
    metadata: dict[str, Any]


class IndexUnavailable(RuntimeError):
    """Another process owns the embedded index: use the store (or a Chroma server) instead."""


@cache
def _embedding_function_class() -> type:
    """Our embedding function in chromadb's shape (built on first use: chromadb imports slowly)."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class CopilotEmbeddingFunction(EmbeddingFunction[Documents]):
        """Chroma calls our embedder, never its default (which would download a model)."""

        def __init__(self, embedder: Embedder) -> None:
            self.embedder = embedder

        def __call__(self, input: Documents) -> Embeddings:
            return list(self.embedder.embed(list(input)))

        @staticmethod
        def name() -> str:
            return "broker_copilot"

        def get_config(self) -> dict[str, Any]:
            return {"model": self.embedder.name}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> CopilotEmbeddingFunction:
            model = str(config.get("model", ""))
            return CopilotEmbeddingFunction(
                SentenceTransformerEmbedder("" if model == PACKAGED_MODEL_NAME else model)
            )

        def default_space(self) -> Any:
            return "cosine"

    return CopilotEmbeddingFunction


def chroma_embedding_function(embedder: Embedder) -> Any:
    return _embedding_function_class()(embedder)


def _settings() -> Any:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=True)


class VectorIndex:
    """Collections of listings, buyer requests and notes; vectors come from our embedder."""

    def __init__(
        self, client: Any, embedder: Embedder, *, lock: IndexLock | None, location: str
    ) -> None:
        self.client = client
        self.embedder = embedder
        self.lock = lock
        self.location = location
        self._function = chroma_embedding_function(embedder)
        self._collections: dict[str, Any] = {}
        self.max_batch = int(client.get_max_batch_size())

    def collection(self, kind: str) -> Any:
        if kind not in KINDS:
            raise ValueError(f"unknown index kind {kind!r}")
        found = self._collections.get(kind)
        if found is None:
            found = self._collections[kind] = self.client.get_or_create_collection(
                kind,
                embedding_function=self._function,
                configuration={"hnsw": {"space": "cosine"}},
            )
        return found

    def upsert(self, kind: str, items: Sequence[IndexItem]) -> None:
        """Add or replace documents; items without a vector are embedded from their text."""
        if not items:
            return
        to_embed = [i for i, item in enumerate(items) if item.vector is None]
        vectors: list[Any] = [item.vector for item in items]
        if to_embed:
            fresh = self.embedder.embed([items[i].text for i in to_embed])
            for row, i in enumerate(to_embed):
                vectors[i] = fresh[row]
        matrix = np.asarray(vectors, dtype=np.float32)
        collection = self.collection(kind)
        for start in range(0, len(items), self.max_batch):
            chunk = items[start : start + self.max_batch]
            collection.upsert(
                ids=[item.id for item in chunk],
                embeddings=matrix[start : start + len(chunk)],
                metadatas=[item.metadata or {"_": True} for item in chunk],
            )

    def delete(self, kind: str, ids: Sequence[str]) -> None:
        if ids:
            self.collection(kind).delete(ids=list(ids))

    def query(
        self,
        kind: str,
        *,
        text: str | None = None,
        vector: np.ndarray | None = None,
        where: dict[str, Any] | None = None,
        limit: int = 10,
    ) -> list[IndexHit]:
        """Nearest documents to a text or vector, optionally filtered on their facts."""
        if vector is None:
            vector = self.embedder.embed([text or ""])[0]
        result = self.collection(kind).query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=limit,
            where=where or None,
            include=["metadatas", "distances"],
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        metadatas = (result.get("metadatas") or [[]])[0]
        return [
            IndexHit(id=i, similarity=1.0 - float(d), metadata=dict(m or {}))
            for i, d, m in zip(ids, distances, metadatas, strict=False)
        ]

    def count(self, kind: str) -> int:
        return int(self.collection(kind).count())

    def fingerprints(self, kind: str) -> dict[str, str]:
        """Every document id with the fingerprint it was indexed under (for reconciling)."""
        found: dict[str, str] = {}
        collection = self.collection(kind)
        total, page = collection.count(), 5000
        for offset in range(0, total, page):
            got = collection.get(include=["metadatas"], limit=page, offset=offset)
            for doc_id, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
                found[doc_id] = str((meta or {}).get("fp", ""))
        return found

    def drop(self, kind: str) -> None:
        """Remove a whole collection (before a rebuild)."""
        self._collections.pop(kind, None)
        try:
            self.client.delete_collection(kind)
        except Exception:
            log.debug("collection %s was not there", kind)

    def close(self) -> None:
        self._collections.clear()
        close = getattr(self.client, "close", None)
        if callable(close):
            close()
        if self.lock is not None:
            self.lock.release()


def open_index(
    *, directory: Path | str | None, url: str = "", embedder: Embedder
) -> VectorIndex | None:
    """A Chroma server when `url` is set (shared by all processes); otherwise the embedded
    index in `directory` — or None at once when another process owns it."""
    if url:
        import chromadb

        parsed = urlparse(url if "://" in url else f"http://{url}")
        client = chromadb.HttpClient(
            host=parsed.hostname or "localhost",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=_settings(),
        )
        return VectorIndex(client, embedder, lock=None, location=url)
    if directory is None:
        raise ValueError("an embedded index needs a directory")
    lock = IndexLock(directory)
    if not lock.acquire():
        log.info("index %s is owned by process %s", directory, lock.owner_pid())
        return None
    try:
        import chromadb

        Path(directory).mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(directory), settings=_settings())
        return VectorIndex(client, embedder, lock=lock, location=str(directory))
    except BaseException:
        lock.release()
        raise
