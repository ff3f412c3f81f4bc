"""The graph's state: the conversation, plus which tool calls the broker has approved."""

from __future__ import annotations

from langgraph.graph import MessagesState


class CopilotState(MessagesState):
    approved: list[str]  # ids of tool calls the broker confirmed with "yes"
