"""Per-turn context handed to the graph's nodes (LangGraph runtime context, not state)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

from crm_store.context import Actor
from tools.deps import Backend

# An AIMessage's additional_kwargs key for text the model wants shown after its tools' results
# ("…and I did not understand the rest"): such a turn needs the model's answer.
SAY_AFTER_RESULTS = "offline_say"
# A ToolMessage's additional_kwargs key: the call was held back as this proposal (not a result).
PROPOSED = "proposed"
# An AIMessage's additional_kwargs key a model sets: tool-call id → why the call must be read
# back before it runs ("" lets the tool word the change itself).
UNCERTAIN = "uncertain_calls"


@dataclass
class TurnContext:
    """Who speaks, the tools they may use, and the model already bound to those tools."""

    backend: Backend
    actor: Actor
    model: Runnable[Any, Any]
    tools: dict[str, BaseTool] = field(default_factory=dict)
    history_limit: int = 16
