"""What the matching benchmarks share: a throwaway store, percentiles, result records."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from crm_store.db import make_engine, make_session_factory
from crm_store.migrate import upgrade


def result(name: str, value: float, unit: str, **params: Any) -> dict[str, Any]:
    """One benchmark result in the SPEC §10 shape."""
    return {"name": name, "value": round(float(value), 4), "unit": unit, "params": params}


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else 0.0


def say(progress: bool, message: str) -> None:
    if progress:
        print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass
class Store:
    directory: Path
    url: str
    sessions: sessionmaker[Session]


@contextmanager
def temporary_store(prefix: str = "bench-") -> Iterator[Store]:
    """A fresh migrated SQLite store in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as directory:
        url = f"sqlite:///{directory}/store.sqlite"
        engine = make_engine(url)
        upgrade(engine)
        try:
            yield Store(Path(directory), url, make_session_factory(engine))
        finally:
            engine.dispose()


class Timer:
    """Milliseconds of each timed call."""

    def __init__(self) -> None:
        self.samples: list[float] = []

    @contextmanager
    def measure(self) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.samples.append((time.perf_counter() - start) * 1000.0)

    def p(self, q: float) -> float:
        return percentile(self.samples, q)


def ndcg_at(ranked_grades: Sequence[int], all_grades: Sequence[int], k: int = 5) -> float:
    """NDCG@k with gains 2^grade − 1; the ideal order is the best k grades of the whole pool."""

    def dcg(grades: Sequence[int]) -> float:
        return sum((2**g - 1) / np.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(all_grades, reverse=True))
    return dcg(ranked_grades) / ideal if ideal > 0 else 0.0


def precision_at(hits: Sequence[bool], k: int = 5) -> float:
    """Relevant items among the first k, over k (a short list counts its gaps as misses)."""
    return sum(1 for hit in hits[:k] if hit) / k
