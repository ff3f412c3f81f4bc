"""Which tool calls need the broker's explicit yes first (SPEC §9), and the question to ask."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.tools import BaseTool

from tools.deps import ToolDeps

# A check reads the call's arguments (and may read the store) and returns the question, or None.
ConfirmationCheck = Callable[[dict[str, Any], ToolDeps], "str | None"]


def requires_confirmation(tool: BaseTool, check: ConfirmationCheck) -> BaseTool:
    """Mark `tool` as destructive under `check`."""
    tool.metadata = {**(tool.metadata or {}), "confirm": check}
    return tool


def confirmation_question(tool: BaseTool, args: dict[str, Any], deps: ToolDeps) -> str | None:
    check = (tool.metadata or {}).get("confirm")
    if check is None:
        return None
    question: str | None = check(args, deps)
    return question
