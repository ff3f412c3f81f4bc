"""Scripted chat models and a store-backed test backend for graph tests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from pydantic import Field
from sqlalchemy.orm import Session, sessionmaker

from crm_store.clock import Clock
from crm_store.context import Actor, Ctx
from crm_store.db import unit_of_work


class ScriptedChatModel(BaseChatModel):
    """Answers with the next scripted AIMessage; records what it was shown. Supports bind_tools
    (GenericFakeChatModel does not)."""

    script: list[AIMessage]
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        self.seen.append(list(messages))
        if not self.script:
            raise AssertionError("the scripted model ran out of answers")
        return ChatResult(generations=[ChatGeneration(message=self.script.pop(0))])

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, Any]:
        self.bound_tools = [getattr(t, "name", str(t)) for t in tools]
        return self


def call(name: str, args: dict[str, Any], call_id: str) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id}])


@dataclass
class StoreBackend:
    """The Backend protocol over a test store."""

    session_factory: sessionmaker[Session]
    clock: Clock
    matcher_instance: Any = None
    uows: list[str] = field(default_factory=list)

    @contextmanager
    def unit_of_work(self, actor: Actor) -> Iterator[Ctx]:
        with unit_of_work(self.session_factory) as session:
            self.uows.append(actor.broker_id or "")
            yield Ctx(session=session, actor=actor, clock=self.clock)

    def matcher(self) -> Any:
        return self.matcher_instance


def provider_for(model: ScriptedChatModel):
    def provide(actor: Actor, tools: Sequence[BaseTool]) -> Runnable[Any, Any]:
        return model.bind_tools(list(tools))

    return provide


def offline_copilot(backend: StoreBackend) -> Any:
    """The real graph with the offline model and every tool, over a test store."""
    from langgraph.checkpoint.memory import InMemorySaver

    from agent.conversation import Copilot
    from agent.graph import build_graph
    from agent.models import ModelConfig, make_model_provider
    from tools.registry import all_tools

    return Copilot(
        graph=build_graph(InMemorySaver()),
        backend=backend,
        tools=all_tools(),
        model_provider=make_model_provider(ModelConfig(name="offline"), backend),
    )
