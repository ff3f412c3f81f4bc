"""The graph's three nodes: call the model, propose what must be confirmed, run the tools."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Literal

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command
from pydantic import ValidationError

from agent.context import PROPOSED, SAY_AFTER_RESULTS, TurnContext
from agent.proposals import review, store
from agent.schemas import tool_tokens
from agent.state import CopilotState
from agent.tokens import message_tokens
from prompts.system import render_system_prompt
from tools.base import FAILED
from tools.deps import ToolDeps

log = logging.getLogger(__name__)

# One model call's prompt (system, tool declarations, history, this turn) in estimated
# tokens. Earlier turns fill what is left, at most HISTORY_TOKENS; they go first when this
# turn is large (a long agenda, a card), so a call stays within budget however the talk went.
PROMPT_TOKENS = 3000
HISTORY_TOKENS = 500


def system_message(context: TurnContext) -> SystemMessage:
    actor = context.actor
    local = context.backend.clock.now().astimezone(actor.tz)
    return SystemMessage(
        render_system_prompt(
            broker_name=actor.name,
            role=actor.role,
            team=actor.team,
            language=actor.language,
            today=local.date().isoformat(),
            weekday=local.strftime("%A"),
            time=local.strftime("%H:%M"),
            timezone=actor.timezone,
        )
    )


def recent_history(
    messages: list[AnyMessage], limit: int, token_budget: int = HISTORY_TOKENS
) -> list[AnyMessage]:
    """The current turn whole, plus as many earlier turns as fit `limit` messages and
    `token_budget` estimated tokens — always cut at a broker's message, so no tool result
    loses its call and the prompt stays within the per-turn budget."""
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    if not starts:
        return messages[-limit:]
    keep, earlier = starts[-1], 0
    for start in reversed(starts[:-1]):
        cost = sum(message_tokens(m) for m in messages[start:keep])
        if len(messages) - start > limit or earlier + cost > token_budget:
            break
        keep, earlier = start, earlier + cost
    return messages[keep:]


def history_budget(fixed: int) -> int:
    """Tokens left for earlier turns once the system prompt, the tools and this turn are in."""
    return max(0, min(HISTORY_TOKENS, PROMPT_TOKENS - fixed))


def call_model(state: CopilotState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    context = runtime.context
    system = system_message(context)
    messages = state["messages"]
    current = recent_history(messages, context.history_limit, token_budget=0)
    fixed = (
        message_tokens(system)
        + sum(tool_tokens(tool) for tool in context.tools.values())
        + sum(message_tokens(m) for m in current)
    )
    history = recent_history(messages, context.history_limit, history_budget(fixed))
    response = context.model.invoke([system, *history])
    return {"messages": [response]}


def after_model(state: CopilotState) -> Literal["guard", "__end__"]:
    last = state["messages"][-1]
    if isinstance(last, AIMessage) and last.tool_calls:
        return "guard"
    return "__end__"


def guard(state: CopilotState, runtime: Runtime[TurnContext]) -> Command[Any]:
    """Calls that must be confirmed are stored as one proposal and the turn ends on its
    read-back; nothing runs until the broker accepts it (by "yes", a button or the API)."""
    context = runtime.context
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)
    readback, held = review(last, context.tools, _deps(context))
    if readback is None:
        return Command(goto="tools")
    calls = [
        {"name": call["name"], "args": call["args"]}
        for call in last.tool_calls
        if call["name"] in context.tools and (call["id"] or "") in held
    ]
    proposal_id = store(context.backend, context.actor, calls, readback)
    waiting = f"Proposed as {proposal_id}; waiting for the broker's yes. Nothing changed yet."
    kept = [
        ToolMessage(
            content=waiting,
            tool_call_id=call["id"] or "",
            name=call["name"],
            additional_kwargs={PROPOSED: proposal_id},
        )
        for call in last.tool_calls
        if (call["id"] or "") in held
    ]
    # The calls nobody needs to confirm (a report's note) run now; the held ones wait.
    runs_now = len(kept) < len(last.tool_calls)
    return Command(goto="tools" if runs_now else END, update={"messages": kept})


def after_tools(state: CopilotState, runtime: Runtime[TurnContext]) -> Literal["model", "__end__"]:
    """A report the broker asked for (agenda, card, pipeline numbers) is already worded for
    them: it ends the turn as it is, without a model call that would only repeat it."""
    messages = state["messages"]
    start = len(messages)
    while start and isinstance(messages[start - 1], ToolMessage):
        start -= 1
    caller = messages[start - 1] if start else None
    results = messages[start:]
    if not isinstance(caller, AIMessage) or caller.content or not results:
        return "model"
    if caller.additional_kwargs.get(SAY_AFTER_RESULTS):
        return "model"
    for result in results:
        assert isinstance(result, ToolMessage)
        tool = runtime.context.tools.get(result.name or "")
        if tool is None or not tool.return_direct or result.status != "success":
            return "model"
    return "__end__"


def run_tools(state: CopilotState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    context = runtime.context
    messages = state["messages"]
    start = len(messages)
    while start and isinstance(messages[start - 1], ToolMessage):
        start -= 1
    last = messages[start - 1]
    assert isinstance(last, AIMessage)
    answered = {m.tool_call_id for m in messages[start:] if isinstance(m, ToolMessage)}
    results: list[ToolMessage] = []
    for call in last.tool_calls:
        call_id = call["id"] or ""
        if call_id in answered:  # held back as a proposal by the guard
            continue
        results.append(_run_one(context, call["name"], dict(call["args"]), call_id, _deps(context)))
    return {"messages": results}


def _run_one(
    context: TurnContext, name: str, args: dict[str, Any], call_id: str, deps: ToolDeps
) -> ToolMessage:
    tool = context.tools.get(name)
    if tool is None:
        known = ", ".join(sorted(context.tools))
        return ToolMessage(
            content=f"{FAILED} (invalid_tool): there is no tool {name!r}; use one of: {known}.",
            tool_call_id=call_id,
            name=name,
            status="error",
        )
    args.pop("deps", None)  # identity and store come from the runtime, never from the model
    try:
        output = tool.invoke({**args, "deps": deps})
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        return ToolMessage(
            content=f"{FAILED} (invalid_arguments): {problems}. Fix the arguments and retry.",
            tool_call_id=call_id,
            name=name,
            status="error",
        )
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("tool %s raised, ref %s", name, ref)
        return ToolMessage(
            content=f"{FAILED} (error): unexpected error, nothing was changed (ref {ref}).",
            tool_call_id=call_id,
            name=name,
            status="error",
        )
    content = str(output)
    status: Literal["success", "error"] = "error" if content.startswith(FAILED) else "success"
    return ToolMessage(content=content, tool_call_id=call_id, name=name, status=status)


def _deps(context: TurnContext) -> ToolDeps:
    return ToolDeps(backend=context.backend, actor=context.actor)
