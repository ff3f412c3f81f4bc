"""How a process assembles embeddings, the index and matching (called by app/runtime.py).

Nothing heavy happens here: the model loads on the first embedding, chromadb only when
`open_index` is asked for. One-shot commands should not take the embedded index (they would
hold its lock while a daemon needs it): they match from the store and the shared cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from memory.cache import CachedEmbedder, EmbeddingCache
from memory.embeddings import SentenceTransformerEmbedder
from memory.index import VectorIndex, open_index
from memory.lock import IndexLock
from memory.matching import Matcher
from memory.sync import IndexSync, SyncReport, reconcile_index

EMBEDDINGS_FILE = "embeddings.sqlite"
INDEX_DIRECTORY = "chroma"


@dataclass
class Memory:
    """The embedding, index and matching parts of one process."""

    embedder: CachedEmbedder
    matcher: Matcher
    index: VectorIndex | None = None

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
        if self.embedder.cache is not None:
            self.embedder.cache.close()


def build_embedder(*, var_dir: Path, embedding_model: str = "") -> CachedEmbedder:
    """The configured model (empty: the packaged MiniLM) behind the shared vector cache."""
    cache = EmbeddingCache(Path(var_dir) / EMBEDDINGS_FILE)
    return CachedEmbedder(SentenceTransformerEmbedder(embedding_model), cache)


def build_memory(
    *, var_dir: Path, embedding_model: str = "", chroma_url: str = "", own_index: bool = False
) -> Memory:
    """Parts for a process. With `own_index` (servers, bots, the nudge daemon, `index
    rebuild`) it opens the vector index — a Chroma server when `chroma_url` is set, else the
    embedded one if no other process owns it — and keeps it in sync through the matcher."""
    embedder = build_embedder(var_dir=var_dir, embedding_model=embedding_model)
    index = None
    if own_index or chroma_url:
        index = open_index(
            directory=Path(var_dir) / INDEX_DIRECTORY, url=chroma_url, embedder=embedder
        )
    matcher = Matcher(embedder, index_sync=IndexSync(index, embedder) if index else None)
    return Memory(embedder=embedder, matcher=matcher, index=index)


def catch_up_index(session: Session, memory: Memory) -> SyncReport | None:
    """At the start of an owning process: make the index match the store (a deleted or stale
    index is filled again from the store, never trusted over it)."""
    if memory.index is None:
        return None
    return reconcile_index(session, memory.index, memory.embedder)


def index_owner(var_dir: Path) -> int | None:
    """The process id that last took the embedded index (for "index is busy" messages)."""
    return IndexLock(Path(var_dir) / INDEX_DIRECTORY).owner_pid()
