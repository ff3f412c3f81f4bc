"""One conversation turn as the channels see it: a broker's text in, the copilot's replies out."""

from __future__ import annotations

import logging
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

from agent import proposals
from agent.context import PROPOSED, TurnContext
from crm_store.context import Actor
from tools.deps import Backend

log = logging.getLogger(__name__)

# Builds the tool-bound model for one broker's turn (the offline model needs the broker and time).
ModelProvider = Callable[[Actor, Sequence[BaseTool]], Runnable[Any, Any]]

# A bare answer: every word is a yes (or every word a no). "yes, but at 3pm" is not one: it
# goes to the model, which reads what changed.
_YES_WORDS = frozenset(
    [
        "yes",
        "y",
        "yeah",
        "yep",
        "yup",
        "sure",
        "ok",
        "okay",
        "k",
        "that",
        "this",
        "confirm",
        "confirmed",
        "go",
        "ahead",
        "do",
        "it",
        "please",
        "correct",
        "right",
        "fine",
        "good",
        "sounds",
        "perfect",
        "thanks",
        "thank",
        "you",
        "да",
        "ага",
        "угу",
        "конечно",
        "подтверждаю",
        "давай",
        "ок",
        "окей",
        "верно",
        "делай",
        "хорошо",
        "пожалуйста",
        "согласен",
        "согласна",
        "точно",
        "так",
        "спасибо",
        "вперёд",
        "вперед",
    ]
)
_NO_WORDS = frozenset(
    [
        "no",
        "n",
        "nope",
        "nah",
        "that",
        "this",
        "cancel",
        "stop",
        "don't",
        "dont",
        "do",
        "not",
        "never",
        "mind",
        "forget",
        "it",
        "please",
        "thanks",
        "нет",
        "не",
        "надо",
        "отмена",
        "отмени",
        "отменить",
        "стоп",
        "спасибо",
        "пожалуйста",
    ]
)
# A message opening with a refusal and going on: "no, I meant…", "нет, лучше в пятницу".
_LEADING_NO = re.compile(
    r"^\W*(?:no(?:,?\s+thanks?(?:\s+you)?)?|nope|nah|never\s*mind|forget\s+(?:it|that)|"
    r"нет(?:,?\s+спасибо)?|не надо|не)\b\s*[,.;:!—–-]+\s*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Messages kept in a conversation's state (the model sees fewer: see agent.nodes).
MAX_KEPT_MESSAGES = 40
STUCK = {
    "en": "I could not finish that request. Please rephrase it or split it into steps.",
    "ru": "Не получилось выполнить запрос. Переформулируйте или разбейте на шаги.",
}


def classify_answer(text: str) -> str | None:
    """ "yes", "no", or None when the text is more than a bare answer."""
    words = _WORD.findall(text.lower())
    if not words or len(words) > 6:
        return None
    if all(word in _YES_WORDS for word in words) and not set(words) <= {"please", "thanks"}:
        return "yes"
    if all(word in _NO_WORDS for word in words) and not set(words) <= {"please", "thanks"}:
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


def _decided(decision: proposals.Decision) -> Reply:
    """The reply to an answered proposal: the accepted calls count as this turn's calls."""
    reply = Reply(texts=list(decision.texts), tool_calls=list(decision.calls))
    if decision.applied:
        reply.tool_results = list(decision.texts)
    return reply


def _direct_results(messages: Sequence[AnyMessage]) -> list[str]:
    """A turn that ended on tool results (a report returned directly): they are the reply."""
    trailing: list[str] = []
    for message in reversed(messages):
        if not isinstance(message, ToolMessage):
            break
        if PROPOSED not in message.additional_kwargs:  # held back, not a result
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
        """The read-back of the proposal the copilot last asked about, while it is open."""
        asked = self.graph.get_state(self._config(actor, channel)).values.get("asked")
        if not asked:
            return None
        actor = actor.with_message(channel, None)
        return dict(proposals.open_proposals(self.backend, actor)).get(asked)

    def send(self, actor: Actor, *, channel: str, text: str, auto_confirm: bool = False) -> Reply:
        """Handle one message; a bare yes/no answers the proposal the copilot asked about."""
        with self._lock(self.thread_id(actor, channel)):
            return self._send(actor, channel=channel, text=text, auto_confirm=auto_confirm)

    def decide(self, actor: Actor, *, channel: str, proposal_id: str, accept: bool) -> Reply:
        """Accept or decline a proposal by id (a button, the API); the conversation records it."""
        with self._lock(self.thread_id(actor, channel)):
            actor = actor.with_message(
                channel, f"[{'accept' if accept else 'decline'} {proposal_id}]"
            )
            config = self._config(actor, channel)
            reply = _decided(self._decide(actor, proposal_id, accept))
            self._ask_next(actor, config, reply)
            return reply

    def _send(self, actor: Actor, *, channel: str, text: str, auto_confirm: bool) -> Reply:
        started = time.perf_counter()
        actor = actor.with_message(channel, text)
        config = self._config(actor, channel)
        answer = classify_answer(text)
        if answer is not None:
            answered = self._answer(actor, config, text, answer)
            if answered is not None:
                answered.latency_ms = (time.perf_counter() - started) * 1000
                return answered
        declined = self._declined_first(actor, config, text)
        context = TurnContext(
            backend=self.backend,
            actor=actor,
            model=self.model_provider(actor, self.tools),
            tools={tool.name: tool for tool in self.tools},
        )
        known = {pid for pid, _ in proposals.open_proposals(self.backend, actor)}
        before = len(self.graph.get_state(config).values.get("messages", []))
        self._invoke({"messages": [HumanMessage(text)], "asked": None}, config, context)
        reply = self._reply(config, before, actor)
        fresh = [p for p in proposals.open_proposals(self.backend, actor) if p[0] not in known]
        self._ask_once(actor, reply, fresh)
        if len(fresh) > 1:  # one message, one question: its proposals are answered together
            fresh = [proposals.merge(self.backend, actor, [pid for pid, _ in reversed(fresh)])]
        if declined is not None:  # "no, I meant 257,500": the old change is off, the new one read
            reply.texts[:0] = declined.texts
        if fresh:
            self._remember_asked(config, fresh[0][0])
            reply.pending_confirmation = fresh[0][1]
        while auto_confirm and reply.pending_confirmation is not None:
            asked = self.graph.get_state(config).values.get("asked")
            reply.pending_confirmation = None
            decided = _decided(self._decide(actor, str(asked), accept=True))
            reply.texts.extend(decided.texts)
            reply.tool_calls.extend(decided.tool_calls)
            reply.tool_results.extend(decided.tool_results)
            self._ask_next(actor, config, reply, only_new_after=known)
        self._compact(config)
        reply.latency_ms = (time.perf_counter() - started) * 1000
        return reply

    @staticmethod
    def _ask_once(actor: Actor, reply: Reply, fresh: list[tuple[str, str]]) -> None:
        """Each new read-back is in the reply (where a tool already wrote it, or after); the
        last one ends with the one (yes/no) the broker answers."""
        for _, readback in reversed(fresh):
            if not any(readback in text for text in reply.texts):
                reply.texts.append(readback)
        if fresh:
            last = max(
                (i for i, text in enumerate(reply.texts) if any(r in text for _, r in fresh)),
                default=len(reply.texts) - 1,
            )
            reply.texts[last] += proposals.pick(proposals.ASK_SUFFIX, actor.language)

    def _declined_first(
        self, actor: Actor, config: RunnableConfig, text: str
    ) -> proposals.Decision | None:
        """A "no" that goes on ("no, I meant 257,500", "нет, уже на пятницу стоит") declines the
        change just asked about before the rest is read: it is never asked again later."""
        head = _LEADING_NO.match(text)
        asked = self.graph.get_state(config).values.get("asked")
        if head is None or not asked or not text[head.end() :].strip():
            return None
        if asked not in dict(proposals.open_proposals(self.backend, actor)):
            return None
        self._remember_asked(config, None)
        return self._decide(actor, str(asked), accept=False)

    def _answer(self, actor: Actor, config: RunnableConfig, text: str, answer: str) -> Reply | None:
        """A bare yes/no: the asked proposal is decided; with none asked but some open, the
        newest is read back first (a late "ok" never accepts a question nobody saw); with
        none open the model hears it (its own questions)."""
        open_now = proposals.open_proposals(self.backend, actor)
        if not open_now:
            return None
        asked = self.graph.get_state(config).values.get("asked")
        if asked in dict(open_now):
            reply = _decided(self._decide(actor, str(asked), accept=answer == "yes"))
            self._ask_next(actor, config, reply)
        else:
            newest_id, readback = open_now[0]
            reply = Reply(texts=[])
            reply.texts = [readback + proposals.pick(proposals.ASK_SUFFIX, actor.language)]
            reply.pending_confirmation = readback
            self._remember_asked(config, newest_id)
        self.graph.update_state(
            config,
            {"messages": [HumanMessage(text), AIMessage("\n".join(reply.texts))]},
            as_node="model",
        )
        return reply

    def _decide(self, actor: Actor, proposal_id: str, accept: bool) -> proposals.Decision:
        tools = {tool.name: tool for tool in self.tools}
        if accept:
            decision = proposals.accept(self.backend, actor, tools, proposal_id)
        else:
            decision = proposals.decline(self.backend, actor, proposal_id)
        for hook in decision.after_commit:
            try:
                hook()
            except Exception:  # committed already; a failed follow-on must not undo the answer
                log.exception("after-commit hook failed")
        return decision

    def _ask_next(
        self,
        actor: Actor,
        config: RunnableConfig,
        reply: Reply,
        only_new_after: set[str] | None = None,
    ) -> None:
        """Questions still open are asked in turn, so no request is lost."""
        open_now = proposals.open_proposals(self.backend, actor)
        if only_new_after is not None:
            open_now = [p for p in open_now if p[0] not in only_new_after]
        if not open_now:
            self._remember_asked(config, None)
            return
        next_id, readback = open_now[0]
        reply.texts.append(readback + proposals.pick(proposals.ASK_SUFFIX, actor.language))
        reply.pending_confirmation = readback
        self._remember_asked(config, next_id)

    def _remember_asked(self, config: RunnableConfig, proposal_id: str | None) -> None:
        self.graph.update_state(config, {"asked": proposal_id}, as_node="model")

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
            elif isinstance(message, ToolMessage) and PROPOSED not in message.additional_kwargs:
                reply.tool_results.append(str(message.content))
        reply.texts.extend(_direct_results(messages[before:]))
        return reply
