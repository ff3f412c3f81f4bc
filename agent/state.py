"""The graph's state: the conversation, plus the proposal its last reply asked about."""

from __future__ import annotations

from langgraph.graph import MessagesState


class CopilotState(MessagesState):
    # The proposal the copilot's last reply asked about: a bare "yes" answers only that one,
    # so an acknowledgement said later can never accept an older, forgotten question.
    asked: str | None
