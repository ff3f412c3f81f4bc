"""What a tool receives from the runtime, never from the model: the broker, the store, the clock."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from crm_store.clock import Clock
from crm_store.context import Actor, Ctx


class Backend(Protocol):
    """The slice of the application runtime that tools use (app.runtime.Runtime provides it)."""

    @property
    def clock(self) -> Clock: ...

    def unit_of_work(self, actor: Actor) -> AbstractContextManager[Ctx]: ...

    def matcher(self) -> Any:
        """The matching engine; built on first use because it loads the embedding model."""
        ...

    def embedder(self) -> Any:
        """The embedding model behind the shared cache (client memory search)."""
        ...

    def brochure_dir(self) -> Path:
        """Where PDF brochures are written for the channels to send."""
        ...


@dataclass
class ToolDeps:
    """Injected into every tool call by the graph (InjectedToolArg): identity comes from here."""

    backend: Backend
    actor: Actor
    confirmed: bool = False  # the broker said yes to this very call
    # Work to do once the call's transaction has committed (index sync, matching, nudges).
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    # An accepted proposal runs all its calls in one transaction with its own claim: the
    # tools then work in this unit of work and leave committing (and after_commit) to it.
    shared: Ctx | None = None
