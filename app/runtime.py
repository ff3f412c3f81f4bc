"""Builds what a process needs from the settings — store, clock, and (lazily) the heavier parts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.settings import Settings, load_settings
from crm_store.clock import Clock, FrozenClock, SystemClock
from crm_store.context import SYSTEM, Actor, Ctx
from crm_store.db import make_engine, make_session_factory, unit_of_work

if TYPE_CHECKING:
    from agent.conversation import Copilot
    from agent.models import ModelConfig


@dataclass
class Runtime:
    """One process's wiring. Channels receive a Runtime; they never build their own parts.

    It is also the tools' Backend: units of work as a broker, the clock, the matcher."""

    settings: Settings = field(default_factory=load_settings)
    model_name: str | None = None  # overrides settings.model (e.g. `copilot eval --model`)
    ephemeral_conversations: bool = False  # keep checkpoints in memory (evals, benchmarks)

    @cached_property
    def clock(self) -> Clock:
        if self.settings.now is not None:
            return FrozenClock(self.settings.now)
        return SystemClock()

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.resolved_database_url)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @contextmanager
    def unit_of_work(self, actor: Actor = SYSTEM) -> Iterator[Ctx]:
        """One transaction acting as `actor`: committed on success, rolled back on error."""
        with unit_of_work(self.session_factory) as session:
            yield Ctx(session=session, actor=actor, clock=self.clock)

    def matcher(self) -> Any:
        """The matching engine (loads the embedding model on first use)."""
        return self._matcher

    @cached_property
    def _matcher(self) -> Any:
        from memory.factory import build_matcher

        return build_matcher(
            var_dir=self.settings.var_dir,
            model_name=self.settings.embedding_model,
            chroma_url=self.settings.chroma_url,
        )

    def extract_note_facts(self, actor: Actor, text: str) -> Any:
        """Facts from a dictated note by the configured model's extractor (tools call this)."""
        return self._note_extractor(actor, text)

    @cached_property
    def _note_extractor(self) -> Any:
        from agent.extraction import make_note_extractor

        return make_note_extractor(self.model_config, self)

    @property
    def model_config(self) -> ModelConfig:
        from agent.models import ModelConfig

        key = self.settings.openai_api_key
        return ModelConfig(
            name=self.model_name or self.settings.model,
            api_key=key.get_secret_value() if key else None,
            base_url=self.settings.openai_base_url,
            strict_tools=self.settings.openai_strict_tools,
            parallel_tool_calls=self.settings.openai_parallel_tool_calls,
            timeout_s=self.settings.openai_timeout_s,
            max_retries=self.settings.openai_max_retries,
        )

    @cached_property
    def copilot(self) -> Copilot:
        """The conversation engine with persistent checkpoints per broker and channel."""
        from agent.conversation import Copilot
        from agent.graph import build_graph
        from agent.models import make_model_provider
        from memory.checkpoints import open_checkpointer
        from tools.registry import all_tools

        checkpointer: Any
        if self.ephemeral_conversations:
            from langgraph.checkpoint.memory import InMemorySaver

            checkpointer = InMemorySaver()
        else:
            checkpointer = open_checkpointer(
                database_url=self.settings.resolved_database_url, var_dir=self.settings.var_dir
            )
        return Copilot(
            graph=build_graph(checkpointer),
            backend=self,
            tools=all_tools(),
            model_provider=make_model_provider(self.model_config, self),
        )

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
