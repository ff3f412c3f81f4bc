"""The copilot graph: model ↔ tools; calls that must be confirmed end the turn as a stored
proposal (agent.proposals); a report tool's result ends the turn as it is (return_direct)."""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agent.context import TurnContext
from agent.nodes import after_model, after_tools, call_model, guard, run_tools
from agent.state import CopilotState


def build_graph(
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Compile the graph; the checkpointer is passed in (SQLite, PostgreSQL, or in memory)."""
    builder = StateGraph(CopilotState, context_schema=TurnContext)
    builder.add_node("model", call_model)
    builder.add_node("guard", guard, destinations=("tools", "__end__"))
    builder.add_node("tools", run_tools)
    builder.add_edge(START, "model")
    builder.add_conditional_edges("model", after_model)
    builder.add_conditional_edges("tools", after_tools)
    return builder.compile(checkpointer=checkpointer)
