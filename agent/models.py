"""Model selection: the built-in offline model, or any OpenAI-compatible server by configuration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable, RunnableLambda
from langchain_core.tools import BaseTool

from agent.conversation import ModelProvider
from agent.schemas import compact_tool_schema
from crm_store.context import Actor
from crm_store.errors import InvalidInput
from tools.deps import Backend


@dataclass(frozen=True)
class ModelConfig:
    """What the composition root tells us about the model (agent never reads the environment)."""

    name: str = "offline"
    api_key: str | None = None
    base_url: str | None = None
    strict_tools: bool = False
    parallel_tool_calls: bool = True
    timeout_s: float = 60.0
    max_retries: int = 2


def make_model_provider(
    config: ModelConfig, backend: Backend, *, warm_up: bool = False
) -> ModelProvider:
    """A per-turn factory of the tool-bound model that `config.name` selects; `warm_up` preloads
    the offline model's data in the background (worth it only in long-running processes)."""
    if config.name == "offline":
        from agent.offline.model import OfflineChatModel, start_warm_up

        if warm_up:
            start_warm_up()

        def offline(actor: Actor, tools: Sequence[BaseTool]) -> Runnable[Any, Any]:
            bound = OfflineChatModel(backend=backend, actor=actor).bind_tools(list(tools))
            return bound | RunnableLambda(checkpointable)

        return offline
    if config.name.startswith("openai:"):
        chat = make_openai_chat(config)

        def hosted(actor: Actor, tools: Sequence[BaseTool]) -> Runnable[Any, Any]:
            kwargs: dict[str, Any] = {}
            if config.strict_tools:
                kwargs["strict"] = True
            if not config.parallel_tool_calls:
                kwargs["parallel_tool_calls"] = False
            # Compact schemas: the same contract in far fewer prompt tokens per turn.
            bound = chat.bind_tools([compact_tool_schema(tool) for tool in tools], **kwargs)
            return bound | RunnableLambda(checkpointable)

        return hosted
    raise InvalidInput(
        f"Unknown model {config.name!r}: use COPILOT_MODEL=offline or openai:<model name>.",
        f"Неизвестная модель {config.name!r}: укажите COPILOT_MODEL=offline или openai:<модель>.",
    )


# The checkpointer (msgpack) holds integers of 64 bits at most.
_INT_RANGE = range(-(2**63), 2**64)


def _storable(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT_RANGE:
        return str(value)  # every digit kept: the tool reads the text and explains the figure
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def checkpointable(message: Any) -> Any:
    """The model's message with every integer the conversation's checkpoint can store: a
    broker's 29-digit "budget" read as a number would otherwise fail the whole turn."""
    if not isinstance(message, AIMessage):
        return message
    calls = [{**call, "args": _storable(call["args"])} for call in message.tool_calls]
    extra = _storable(message.additional_kwargs)
    if calls == message.tool_calls and extra == message.additional_kwargs:
        return message
    return message.model_copy(update={"tool_calls": calls, "additional_kwargs": extra})


def make_openai_chat(config: ModelConfig) -> Any:
    """ChatOpenAI against OpenAI or any compatible server (vLLM, Ollama, llama.cpp, LiteLLM)."""
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    model = config.name.split(":", 1)[1]
    if not model:
        raise InvalidInput("Name the model: COPILOT_MODEL=openai:<model name>.")
    if not config.api_key and not config.base_url:
        raise InvalidInput(
            "COPILOT_MODEL=openai:… needs OPENAI_API_KEY (and OPENAI_BASE_URL for a local server).",
            "Для openai:… нужен OPENAI_API_KEY (и OPENAI_BASE_URL для локального сервера).",
        )
    return ChatOpenAI(
        model=model,
        api_key=SecretStr(config.api_key or "not-needed"),
        base_url=config.base_url,
        timeout=config.timeout_s,
        max_retries=config.max_retries,
        temperature=0,
    )
