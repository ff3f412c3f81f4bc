"""Builds what a process needs from the settings — store, clock, and (lazily) the heavier parts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
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

    own_index: bool = False  # servers and daemons keep the vector index; one-shots never do

    def matcher(self) -> Any:
        """The matching engine (the embedding model loads on its first embedding)."""
        return self.memory.matcher

    def embedder(self) -> Any:
        """The configured embedding model behind the shared content-hash cache."""
        return self.memory.embedder

    def brochure_dir(self) -> Path:
        return self.settings.var_dir / "brochures"

    @cached_property
    def memory(self) -> Any:
        """Embeddings, index and matching; an index-owning process first catches the index up."""
        from memory.wiring import build_memory, catch_up_index

        memory = build_memory(
            var_dir=self.settings.var_dir,
            embedding_model=self.settings.embedding_model,
            chroma_url=self.settings.chroma_url,
            own_index=self.own_index,
        )
        if memory.index is not None:
            with self.unit_of_work() as ctx:
                catch_up_index(ctx.session, memory)
        return memory

    def listing_changed(
        self, actor: Actor, listing_id: str, old_price: Any, old_stage: str | None
    ) -> None:
        """After a listing's change commits: keep matching in sync and, when it became active
        or cheaper, record new-match nudges for the brokers of fitting buyers (SPEC §5)."""
        from crm_store.models import Listing
        from memory.matching.notify import match_trigger

        with self.unit_of_work(actor) as ctx:
            listing = ctx.session.get(Listing, listing_id)
            triggered = listing is not None and match_trigger(
                listing, old_price=old_price, old_stage=old_stage
            )
            if triggered or "memory" in self.__dict__:
                self.matcher().on_listing_changed(
                    ctx, listing_id=listing_id, old_price=old_price, old_stage=old_stage
                )

    def request_changed(self, actor: Actor, request_id: str) -> None:
        """After a buyer request's change commits: refresh matching if it is loaded here."""
        if "memory" in self.__dict__:
            with self.unit_of_work(actor) as ctx:
                self.matcher().on_buyer_request_changed(ctx, request_id=request_id)

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
            self._checkpoint_connection = getattr(checkpointer, "conn", None)
        return Copilot(
            graph=build_graph(checkpointer),
            backend=self,
            tools=all_tools(),
            model_provider=make_model_provider(self.model_config, self, warm_up=self.own_index),
        )

    def close(self) -> None:
        """Release the store, the checkpoints and the index (committed work is already safe)."""
        connection = getattr(self, "_checkpoint_connection", None)
        if connection is not None:
            connection.close()
            self._checkpoint_connection = None
        if "memory" in self.__dict__:
            self.memory.close()
        if "engine" in self.__dict__:
            self.engine.dispose()
