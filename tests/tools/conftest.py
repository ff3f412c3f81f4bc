"""Tools run against a real store with injected dependencies, as the graph runs them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.agent.fakes import StoreBackend
from tests.conftest import as_broker
from tests.factories import make_broker
from tools.deps import ToolDeps


class ToolRunner:
    def __init__(self, backend: StoreBackend, actor: Any) -> None:
        self.backend = backend
        self.actor = actor

    def __call__(self, tool: Any, confirmed: bool = False, **args: Any) -> str:
        deps = ToolDeps(backend=self.backend, actor=self.actor, confirmed=confirmed)
        return str(tool.invoke({**args, "deps": deps}))

    def deps(self, confirmed: bool = False) -> ToolDeps:
        return ToolDeps(backend=self.backend, actor=self.actor, confirmed=confirmed)

    def as_(self, broker: Any, language: str | None = None) -> ToolRunner:
        actor = as_broker_actor(broker)
        if language:
            actor = type(actor)(**{**actor.__dict__, "language": language})
        return ToolRunner(self.backend, actor)


def as_broker_actor(broker: Any) -> Any:
    from crm_store.services.brokers import actor_for

    return actor_for(broker, channel="test", message="test")


@pytest.fixture
def anna(ctx):
    broker = make_broker(ctx, name="Anna Georgiou")
    ctx.session.commit()
    return broker


@pytest.fixture
def run(ctx, session_factory, clock, anna) -> ToolRunner:
    backend = StoreBackend(session_factory=session_factory, clock=clock)
    return ToolRunner(backend, as_broker(ctx, anna).actor)
