"""Conversations with the offline model in tests: each message answered with the earlier ones
as history, and the calls a reply makes."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage


def turns(brokerage: Any, *texts: str, who: str = "anna") -> list[AIMessage]:
    """Each text answered in turn, with the earlier messages as history."""
    history: list[Any] = []
    replies: list[AIMessage] = []
    for text in texts:
        reply = brokerage.reply(text, who=who, history=history)
        history += [HumanMessage(text), reply]
        replies.append(reply)
    return replies


def calls(message: AIMessage) -> list[tuple[str, dict[str, Any]]]:
    return [(call["name"], call["args"]) for call in message.tool_calls]
