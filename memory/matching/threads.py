"""Small matrix products on one BLAS thread: waking OpenBLAS's pool costs more than the work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any


@cache
def _openblas() -> Any:
    """OpenBLAS as loaded by numpy (threadpoolctl comes with sentence-transformers)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - then numpy keeps its default
        return None
    return ThreadpoolController().select(internal_api="openblas")


@contextmanager
def single_blas_thread() -> Iterator[None]:
    """Measured on 2 cores: a (2×384)·(384×775) product between Python work takes ~15 ms
    with OpenBLAS's two threads (they must be woken) and ~0.15 ms on one."""
    controller = _openblas()
    if controller is None or not controller.lib_controllers:
        yield
        return
    with controller.limit(limits=1):
        yield
