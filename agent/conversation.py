"""One conversation turn as the channels see it: a broker's text in, the copilot's replies out."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    HumanMessage,
    RemoveMessage,
    ToolMessage,
)
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.tools import BaseTool
from langgraph.errors import GraphRecursionError
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from agent.context import TurnContext
from crm_store.context import Actor
from tools.deps import Backend

# Builds the tool-bound model for one broker's turn (the offline model needs the broker and time).
ModelProvider = Callable[[Actor, Sequence[BaseTool]], Runnable[Any, Any]]

_YES = re.compile(
    r"^\s*(yes|y|yeah|yep|sure|ok|okay|confirm|confirmed|go ahead|do it|да|ага|угу|конечно|"
    r"подтверждаю|давай|ок|верно|делай)\b",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(no|n|nope|cancel|stop|don'?t|нет|не надо|отмена|отмени|отменить|стоп|не)\b",
    re.IGNORECASE,
)
# Messages kept in a conversation's state (the model sees fewer: see agent.nodes).
MAX_KEPT_MESSAGES = 40
STUCK = {
    "en": "I could not finish that request. Please rephrase it or split it into steps.",
    "ru": "Не получилось выполнить запрос. Переформулируйте или разбейте на шаги.",
}


def classify_answer(text: str) -> str | None:
    """ "yes", "no", or None when the text is a new request rather than an answer."""
    if _YES.match(text):
        return "yes"
    if _NO.match(text):
        return "no"
    return None


@dataclass
class Reply:
    """What the broker sees after one message, and what the turn cost."""

    texts: list[str]
    pending_confirmation: str | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    tool_results: list[str] = field(default_factory=list)
    model_calls: int = 0
    tokens_in: int = 0  # prompt tokens of all model calls of the turn
    tokens_out: int = 0
    max_call_tokens_in: int = 0  # the largest single model call's prompt
    latency_ms: float = 0.0


def _direct_results(messages: Sequence[AnyMessage]) -> list[str]:
    """A turn that ended on tool results (a report returned directly): they are the reply."""
    trailing: list[str] = []
    for message in reversed(messages):
        if not isinstance(message, ToolMessage):
            break
        trailing.insert(0, str(message.content))
    return trailing


@dataclass
class Copilot:
    """The graph plus what it needs per turn; channels call `send`."""

    graph: CompiledStateGraph[Any, Any, Any, Any]
    backend: Backend
    tools: Sequence[BaseTool]
    model_provider: ModelProvider
    recursion_limit: int = 16
    _locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    _locks_guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _lock(self, thread_id: str) -> threading.Lock:
        """One turn at a time per conversation (two HTTP requests of one broker queue up)."""
        with self._locks_guard:
            return self._locks.setdefault(thread_id, threading.Lock())

    def thread_id(self, actor: Actor, channel: str) -> str:
        return f"{actor.broker_id}:{channel}"

    def pending_question(self, actor: Actor, channel: str) -> str | None:
        state = self.graph.get_state(self._config(actor, channel))
        for pending in state.interrupts:
            value = pending.value
            if isinstance(value, dict):
                return str(value.get("question", ""))
        return None

    def send(self, actor: Actor, *, channel: str, text: str, auto_confirm: bool = False) -> Reply:
        """Handle one message; a pending confirmation is answered by yes/no first."""
        with self._lock(self.thread_id(actor, channel)):
            return self._send(actor, channel=channel, text=text, auto_confirm=auto_confirm)

    def _send(self, actor: Actor, *, channel: str, text: str, auto_confirm: bool) -> Reply:
        started = time.perf_counter()
        actor = actor.with_message(channel, text)
        config = self._config(actor, channel)
        context = TurnContext(
            backend=self.backend,
            actor=actor,
            model=self.model_provider(actor, self.tools),
            tools={tool.name: tool for tool in self.tools},
        )
        before = len(self.graph.get_state(config).values.get("messages", []))
        payload: Any = {"messages": [HumanMessage(text)]}
        if self.pending_question(actor, channel) is not None:
            answer = classify_answer(text)
            self._invoke(Command(resume=answer or "no"), config, context)
            if answer is not None:
                payload = None
        if payload is not None:
            self._invoke(payload, config, context)
        while auto_confirm and self.pending_question(actor, channel) is not None:
            self._invoke(Command(resume="yes"), config, context)
        reply = self._reply(config, before, actor)
        self._compact(config)
        reply.latency_ms = (time.perf_counter() - started) * 1000
        return reply

    def _compact(self, config: RunnableConfig) -> None:
        """Keep a conversation small: drop its oldest turns from the state, so every turn loads
        the same little however long the broker has been talking. A pending question is left
        untouched."""
        state = self.graph.get_state(config)
        if state.interrupts or state.next:
            return
        messages: list[AnyMessage] = state.values.get("messages", [])
        if len(messages) > MAX_KEPT_MESSAGES:
            keep_from = next(
                (
                    i
                    for i in range(len(messages) - MAX_KEPT_MESSAGES, len(messages))
                    if isinstance(messages[i], HumanMessage)
                ),
                len(messages) - 1,
            )
            stale = [RemoveMessage(id=m.id) for m in messages[:keep_from] if m.id]
            self.graph.update_state(config, {"messages": stale}, as_node="model")

    def _invoke(self, payload: Any, config: RunnableConfig, context: TurnContext) -> None:
        try:
            # One checkpoint per run instead of one per step: a turn writes once.
            self.graph.invoke(payload, config, context=context, durability="exit")
        except GraphRecursionError:
            language = context.actor.language
            self.graph.update_state(
                config, {"messages": [AIMessage(STUCK.get(language, STUCK["en"]))]}, as_node="model"
            )

    def _config(self, actor: Actor, channel: str) -> RunnableConfig:
        return {
            "configurable": {"thread_id": self.thread_id(actor, channel)},
            "recursion_limit": self.recursion_limit,
        }

    def _reply(self, config: RunnableConfig, before: int, actor: Actor) -> Reply:
        messages: list[AnyMessage] = self.graph.get_state(config).values.get("messages", [])
        reply = Reply(texts=[])
        for message in messages[before:]:
            if isinstance(message, AIMessage):
                reply.model_calls += 1
                usage: dict[str, Any] = dict(message.usage_metadata or {})
                call_tokens = int(usage.get("input_tokens", 0))
                reply.tokens_in += call_tokens
                reply.max_call_tokens_in = max(reply.max_call_tokens_in, call_tokens)
                reply.tokens_out += int(usage.get("output_tokens", 0))
                reply.tool_calls.extend(
                    {"name": call["name"], "args": call["args"]} for call in message.tool_calls
                )
                if not message.tool_calls and message.content:
                    reply.texts.append(str(message.content))
            elif isinstance(message, ToolMessage):
                reply.tool_results.append(str(message.content))
        reply.texts.extend(_direct_results(messages[before:]))
        question = self.pending_question(actor, actor.channel)
        if question:
            reply.pending_confirmation = question
            suffix = " (да/нет)" if actor.language == "ru" else " (yes/no)"
            reply.texts.append(question + suffix)
        return reply
