"""Start-up without the garbage collector: loading LangGraph, LangChain, SQLAlchemy and our
modules allocates ~150,000 long-lived objects, and the collector scans them again and again
while they are being created (~370 collections, ~0.16 s of a one-shot `copilot chat -m`).
None of it is garbage, so the `copilot` process loads with collection paused, then freezes
what it loaded (later collections skip it) and resumes. Only that process freezes: code that
calls the CLI in-process (tests, a library user) keeps its own collection policy."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_cli_process = False


def mark_cli_process() -> None:
    """Called by the `copilot` executable: this process is ours to tune."""
    global _cli_process
    _cli_process = True


@contextmanager
def loading() -> Iterator[None]:
    """Pause collection while modules load; always resumes, even when loading fails. In the
    `copilot` process, what was loaded is frozen out of later collections."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _cli_process:
                gc.freeze()
            gc.enable()
