"""Start-up without the garbage collector: loading LangGraph, LangChain, SQLAlchemy and our
modules allocates ~150,000 long-lived objects, and the collector scans them again and again
while they are being created (~370 collections, ~0.16 s of a one-shot `copilot chat -m`).
None of it is garbage, so the CLI loads with collection paused, then freezes what it loaded
(later collections skip it) and resumes. Only the CLI does this: a library user's process
decides its own collection policy."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading() -> Iterator[None]:
    """Pause collection while modules load; always resumes, even when loading fails."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
