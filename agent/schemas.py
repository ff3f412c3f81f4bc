"""Compact tool schemas for the model: the same contract in far fewer prompt tokens.

Pydantic's JSON schema repeats titles, `anyOf: [X, null]` and `default: null` for every optional
field; models need none of it. Nested models are inlined so no `$defs` indirection remains."""

from __future__ import annotations

import copy
from typing import Any

from langchain_core.tools import BaseTool

from agent.tokens import estimate_tokens, tool_prompt_text

_DROP = {"title", "default", "additionalProperties"}


_TOOL_TOKENS: dict[tuple[str, int], int] = {}


def tool_tokens(tool: Any) -> int:
    """Prompt tokens one bound tool costs on every model call (computed once per tool)."""
    if isinstance(tool, dict):
        return estimate_tokens(tool_prompt_text(tool))
    key = (str(getattr(tool, "name", "")), id(tool))
    if key not in _TOOL_TOKENS:
        schema = compact_tool_schema(tool) if isinstance(tool, BaseTool) else {"name": key[0]}
        _TOOL_TOKENS[key] = estimate_tokens(tool_prompt_text(schema))
    return _TOOL_TOKENS[key]


def compact_tool_schema(tool: BaseTool) -> dict[str, Any]:
    """The OpenAI function-tool dict for `tool`, minus everything a model does not need."""
    schema = tool.tool_call_schema
    raw: dict[str, Any] = copy.deepcopy(
        schema if isinstance(schema, dict) else schema.model_json_schema()  # type: ignore[union-attr]
    )
    defs = raw.pop("$defs", {})
    # Nested objects the model already knows from another tool are named, not repeated.
    for field in (tool.metadata or {}).get("brief_fields", ()):
        prop = raw.get("properties", {}).get(field)
        if prop is not None:
            raw["properties"][field] = {"type": "object", "description": prop.get("description")}
    parameters = _compact(raw, defs)
    parameters.pop("description", None)  # the tool's description says it once
    return {
        "type": "function",
        "function": {
            "name": tool.name,
            "description": (tool.description or "").strip(),
            "parameters": parameters,
        },
    }


def _compact(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_compact(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = defs[node["$ref"].rsplit("/", 1)[-1]]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _compact(merged, defs)
    options = node.get("anyOf")
    if isinstance(options, list):
        concrete = [o for o in options if o != {"type": "null"}]
        if len(concrete) == 1:
            rest = {k: v for k, v in node.items() if k != "anyOf"}
            return _compact({**concrete[0], **rest}, defs)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP:
            continue
        if key == "properties":
            out[key] = {name: _compact(prop, defs) for name, prop in value.items()}
        elif key == "items" and value == {}:
            continue
        else:
            out[key] = _compact(value, defs)
    if out.get("type") == "object" and "description" in out and "properties" in out:
        out.pop("description")  # nested models' docstrings repeat what the field says
    if out.get("required") == []:
        out.pop("required")
    return out
