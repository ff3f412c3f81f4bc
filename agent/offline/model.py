"""The embedded default model: a LangChain chat model that emits real tool calls, offline.

Two phases per command. UNDERSTAND (no tool results yet this turn): the broker's last message
→ tool calls, or one question, or a short reply (agent/offline/understand.py). ANSWER (this
turn's tools have run): their results → one reply (agent/offline/answer.py). So a one-action
command costs exactly two model calls. Deterministic and without network; usage is reported
with agent/tokens.py's estimate so benchmarks compare it with hosted models.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable

from agent.context import UNCERTAIN
from agent.offline.answer import SAY, compose_answer, has_results
from agent.offline.carry import LAST, SUBJECT
from agent.offline.dialogue import PENDING, carried
from agent.offline.language import Language, detect_language
from agent.offline.understand import last_human_text, understand
from agent.schemas import tool_tokens
from agent.tokens import estimate_tokens, message_tokens


def _tool_name(tool: Any) -> str:
    if isinstance(tool, dict):
        function = tool.get("function", tool)
        return str(function.get("name", ""))
    return str(getattr(tool, "name", getattr(tool, "__name__", "")))


def _text(content: Any) -> str:
    return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)


class OfflineChatModel(BaseChatModel):
    """Understands brokers' commands in English and Russian; calls only the tools bound."""

    backend: Any  # tools.deps.Backend: unit_of_work(actor) for read-only lookups, clock
    actor: Any  # crm_store.context.Actor: whose store, language, timezone
    tool_names: tuple[str, ...] = ()
    schema_tokens: int = 0

    @property
    def _llm_type(self) -> str:
        return "broker-copilot-offline"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, AIMessage]:
        """A copy that knows which tools it may call (and what their schemas cost in tokens)."""
        names = tuple(_tool_name(tool) for tool in tools)
        tokens = sum(tool_tokens(tool) for tool in tools)
        return self.model_copy(update={"tool_names": names, "schema_tokens": tokens})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        if has_results(messages):
            language = detect_language(last_human_text(messages), default=self._language())
            answer = compose_answer(messages, language)
            message = AIMessage(content=answer.text, additional_kwargs=answer.kwargs)
        else:
            found = understand(
                messages,
                backend=self.backend,
                actor=self.actor,
                tools=frozenset(self.tool_names),
            )
            calls = [
                {"name": call.name, "args": call.args, "id": _call_id(messages, index)}
                for index, call in enumerate(found.calls)
            ]
            extra: dict[str, Any] = {}
            inferred = {
                str(call["id"]): ""
                for call, found_call in zip(calls, found.calls, strict=True)
                if found_call.inferred
            }
            if inferred:  # the tool words each change; the broker confirms before it runs
                extra[UNCERTAIN] = inferred
            if found.pending is not None:
                extra[PENDING] = found.pending
            subject = found.subject or carried(messages, SUBJECT)
            if subject:
                extra[SUBJECT] = subject if isinstance(subject, dict) else {"name": subject}
            if found.last:
                extra[LAST] = found.last
            if calls and found.text:
                extra[SAY] = found.text
            content = "" if calls else found.text
            message = AIMessage(content=content, tool_calls=calls, additional_kwargs=extra)
        message.usage_metadata = self._usage(messages, message)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _language(self) -> Language:
        return "ru" if getattr(self.actor, "language", "en") == "ru" else "en"

    def _usage(self, messages: list[BaseMessage], reply: AIMessage) -> Any:
        prompt = self.schema_tokens + sum(message_tokens(m) for m in messages)
        output = estimate_tokens(_text(reply.content))
        for call in reply.tool_calls:
            output += estimate_tokens(call["name"] + json.dumps(call["args"], ensure_ascii=False))
        return {
            "input_tokens": prompt,
            "output_tokens": output,
            "total_tokens": prompt + output,
        }


def warm_up() -> None:
    """Load what the first turn would otherwise wait for: the Russian morphology (~0.3 s),
    dateparser's data, the compiled cue sets and alias patterns."""
    from datetime import UTC, datetime

    from agent.offline import dates, intents, vocab_spans
    from agent.offline.mentions import find_person_mentions

    dates.warm_up()
    intents.score_intents("напомни позвонить @name @date")
    find_person_mentions("Позвонить Ольге Смирновой завтра")
    vocab_spans.features_and_types("хочет виллу с бассейном и террасой на крыше")
    dates.find_whens("tomorrow at 11, в пятницу в 15:00", now=datetime.now(UTC))


def start_warm_up() -> None:
    """Warm up off the request path — for long-running processes (servers, bots, daemons);
    a one-shot command would only pay for it, competing with its own single turn."""
    threading.Thread(target=warm_up, name="offline-model-warm-up", daemon=True).start()


def _call_id(messages: list[BaseMessage], index: int) -> str:
    """Unique within the conversation and the same for the same conversation."""
    digest = hashlib.sha1(usedforsecurity=False)
    for message in messages:
        digest.update(message.type.encode())
        digest.update(_text(message.content).encode())
    return f"off-{len(messages)}-{digest.hexdigest()[:8]}-{index + 1}"
