"""Proposals from the conversation's side: storing the calls the broker must confirm, and
applying or declining them by id — from a "yes" in chat, a button or the HTTP API alike.

What must be asked (SPEC §9 and the trust rules): a destructive call (its tool's confirmation
check says why), and a call the model marks as inferred or uncertain. A tool may also propose
by itself (a note's facts, the next follow-up): it stores the proposal through the same
service. Accepting runs every call of the proposal in one transaction with its claim, so the
change happens exactly once or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.tools import BaseTool

from agent.context import UNCERTAIN
from crm_store.context import Actor
from crm_store.errors import CopilotError
from crm_store.services import proposals as service
from tools.base import FAILED, dry_run
from tools.confirm import confirmation_question
from tools.deps import Backend, ToolDeps
from tools.followups import without_suggestion

ASK_SUFFIX = {"en": " (yes/no)", "ru": " (да/нет)"}
_INTRO = {
    "en": "Please confirm — I would make this change:",
    "ru": "Подтвердите — я внесу такое изменение:",
}
_NOTHING_DONE = {
    "en": "Nothing was changed.",
    "ru": "Ничего не изменено.",
}
_DECLINED = {"en": "OK, nothing changed.", "ru": "Хорошо, ничего не меняю."}


class _Failed(Exception):
    """A call of an accepted proposal failed: its transaction is rolled back whole."""


@dataclass
class Decision:
    """The broker's answer applied: what to show, and whether anything changed."""

    texts: list[str]
    applied: bool = False
    calls: list[dict[str, Any]] = field(default_factory=list)  # what ran, when applied
    after_commit: list[Any] = field(default_factory=list)


def pick(table: Mapping[str, str], language: str) -> str:
    return table.get(language, table["en"])


def _asked(
    message: AIMessage, tools: Mapping[str, BaseTool], deps: ToolDeps
) -> list[tuple[str, str]]:
    """(call id, what to ask) for each of `message`'s calls that waits for the broker:
    destructive (the tool's confirmation check) or doubted by the model (worded by itself or by
    a dry run). A doubted call that would fail is not held: it runs, and its own question
    reaches the broker now. The others run now (a report's note is kept before its facts)."""
    uncertain: dict[str, str] = dict(message.additional_kwargs.get(UNCERTAIN) or {})
    asked: list[tuple[str, str]] = []
    for call in message.tool_calls:
        tool = tools.get(call["name"])
        if tool is None:
            continue
        call_id = call["id"] or ""
        question = confirmation_question(tool, call["args"], deps)
        if not question and call_id in uncertain:
            question = uncertain[call_id] or _would_do(tool, call["args"], deps)
        if question:
            asked.append((call_id, question))
    return asked


def _readback(questions: list[str], language: str) -> str | None:
    if not questions:
        return None
    if len(questions) == 1 and questions[0].rstrip().endswith("?"):
        return questions[0]
    return "\n".join([pick(_INTRO, language), *questions])


def readback_for(message: AIMessage, tools: Mapping[str, BaseTool], deps: ToolDeps) -> str | None:
    """The question to ask before running `message`'s calls, or None when they may run now."""
    return _readback([q for _, q in _asked(message, tools, deps)], deps.actor.language)


def review(
    message: AIMessage, tools: Mapping[str, BaseTool], deps: ToolDeps
) -> tuple[str | None, set[str]]:
    """The read-back to ask (None: everything runs now) and the ids of the calls it holds back,
    from one look at each call (a doubted call's dry run is made once)."""
    asked = _asked(message, tools, deps)
    return _readback([q for _, q in asked], deps.actor.language), {i for i, _ in asked}


def _would_do(tool: BaseTool, args: Mapping[str, Any], deps: ToolDeps) -> str | None:
    """The read-back of a call that would succeed; None when it would fail (a proposal of a
    failing call would only fail again on "yes": the broker gets the tool's question now)."""

    def attempt(ctx: Any) -> str:
        shared = ToolDeps(backend=deps.backend, actor=deps.actor, confirmed=True, shared=ctx)
        return str(tool.invoke({**dict(args), "deps": shared}))

    outcome = dry_run(deps, attempt)
    return None if outcome.startswith(FAILED) else without_suggestion(outcome)


def store(backend: Backend, actor: Actor, calls: Sequence[Mapping[str, Any]], readback: str) -> str:
    """Keep the proposal (committed before the broker sees the question); its id."""
    with backend.unit_of_work(actor) as ctx:
        proposal = service.propose(
            ctx,
            calls=[{"name": c["name"], "args": dict(c.get("args") or {})} for c in calls],
            readback=readback,
        )
        return proposal.id


def merge(backend: Backend, actor: Actor, ids: Sequence[str]) -> tuple[str, str]:
    """One question for one message: (id, read-back) of the proposal the others joined."""
    with backend.unit_of_work(actor) as ctx:
        kept = service.merge(ctx, list(ids))
        return kept.id, kept.readback


def open_proposals(backend: Backend, actor: Actor) -> list[tuple[str, str]]:
    """(id, read-back) of this conversation's open proposals, newest first."""
    with backend.unit_of_work(actor) as ctx:
        found = service.pending(ctx, thread=service.thread_of(actor))
        return [(p.id, p.readback) for p in found]


def accept(
    backend: Backend, actor: Actor, tools: Mapping[str, BaseTool], proposal_id: str
) -> Decision:
    """Apply the proposal's calls exactly once; a failing call rolls the whole change back."""
    from tools.registry import internal_tools

    tools = {**{tool.name: tool for tool in internal_tools()}, **tools}
    language = actor.language
    texts: list[str] = []
    hooks: list[Any] = []
    ran: list[dict[str, Any]] = []

    try:
        with backend.unit_of_work(actor) as ctx:
            proposal = service.claim(ctx, proposal_id)
            for call in proposal.calls:
                tool = tools.get(str(call["name"]))
                if tool is None:
                    raise _Failed(f"{FAILED} (invalid_tool): {call['name']}")
                deps = ToolDeps(backend=backend, actor=actor, confirmed=True, shared=ctx)
                output = str(tool.invoke({**dict(call.get("args") or {}), "deps": deps}))
                if output.startswith(FAILED):
                    raise _Failed(output)
                texts.append(without_suggestion(output))  # asked after, on its own
                hooks.extend(deps.after_commit)
                ran.append({"name": str(call["name"]), "args": dict(call.get("args") or {})})
    except CopilotError as error:
        return Decision([error.message(language)])
    except _Failed as failure:
        return Decision([_failure_text(str(failure)), pick(_NOTHING_DONE, language)])
    return Decision(texts, applied=True, calls=ran, after_commit=hooks)


def decline(backend: Backend, actor: Actor, proposal_id: str) -> Decision:
    try:
        with backend.unit_of_work(actor) as ctx:
            service.decline(ctx, proposal_id)
    except CopilotError as error:
        return Decision([error.message(actor.language)])
    return Decision([pick(_DECLINED, actor.language)])


def _failure_text(output: str) -> str:
    """ "NOT DONE (code): message" → the message the broker reads."""
    head, _, rest = output.partition("): ")
    return rest if head.startswith(FAILED) and rest else output
