"""The note tool: keep the broker's words, then propose what can be safely read from them."""

from __future__ import annotations

import logging
from typing import Any, Literal

from langchain_core.tools import tool
from pydantic import Field

from crm_store.context import Ctx
from crm_store.errors import NotFound
from crm_store.models import Note
from crm_store.services import proposals
from tools import resolve
from tools.base import FAILED, ToolArgs, dry_run, run_tool
from tools.deps import ToolDeps
from tools.render import say
from tools.suggest import propose_follow_up

log = logging.getLogger(__name__)


class LogNoteArgs(ToolArgs):
    text: str = Field(description="the broker's words, verbatim")
    contact: str | None = Field(None, description="client's name or id, if known")
    source: str = Field("text", description="text|dictation|voice")
    extract: bool = Field(
        True, description="propose the facts read from it (off when they are proposed already)"
    )
    skip: list[Literal["showing", "criteria", "next_step", "price"]] = Field(
        default_factory=list, description="kinds of facts proposed already by other calls"
    )


@tool("log_note", args_schema=LogNoteArgs)
def log_note(
    text: str,
    contact: str | None = None,
    source: str = "text",
    extract: bool = True,
    skip: list[str] | None = None,
    deps: ToolDeps | None = None,
) -> str:
    """Log a note or dictated meeting summary; its feedback, criteria and next step are proposed."""
    if deps is None:
        raise RuntimeError("tool called without injected dependencies")
    from crm_store.services import notes as note_service  # loaded when a note is logged

    saved: dict[str, Any] = {}

    def keep_raw(ctx: Ctx) -> str:
        client = resolve.contact(ctx, contact) if contact else None
        note = note_service.log_note(
            ctx, text=text, contact_id=client.id if client else None, source=source
        )
        saved["id"] = note.id
        return say(ctx.actor.language, f"Note {note.id} saved.", f"Заметка {note.id} сохранена.")

    # The raw words are committed first: a failed extraction can never lose them.
    first = run_tool(deps, keep_raw)
    if first.startswith(FAILED):
        return first
    facts = _extract(deps, text) if extract else None
    if facts is not None and skip:  # what another call of the turn proposes is not asked twice
        facts = facts.model_copy(update=dict.fromkeys(skip))
    if facts is None:
        return first
    # What the note says is inferred, not commanded: it becomes a proposal whose read-back is
    # worked out by applying it in a transaction that is rolled back.
    shown: dict[str, Any] = {}

    def preview(ctx: Ctx) -> str:
        result = _apply(ctx, saved["id"], facts)
        shown["changed"] = result.changed_anything
        lines = result.lines(ctx.actor.language, tz=ctx.actor.timezone, suggestions=False)
        return "\n".join(lines)

    readback = dry_run(deps, preview)
    if readback.startswith(FAILED) or not shown.get("changed"):
        return first if readback.startswith(FAILED) or not readback else f"{first}\n{readback}"

    def propose(ctx: Ctx) -> str:
        intro = say(
            ctx.actor.language,
            "From the note I would record:",
            "Из заметки я бы записал:",
        )
        proposals.propose(
            ctx,
            calls=[
                {
                    "name": "apply_note_facts",
                    "args": {"note": saved["id"], "facts": facts.model_dump(mode="json")},
                }
            ],
            readback=f"{intro}\n{readback}",
        )
        return ""

    proposed = run_tool(deps, propose)
    return first if not proposed.startswith(FAILED) else f"{first}\n{proposed}"


class ApplyNoteFactsArgs(ToolArgs):
    note: str = Field(description="the note's id")
    facts: dict[str, Any] = Field(description="the facts read from it (NoteFacts)")


@tool("apply_note_facts", args_schema=ApplyNoteFactsArgs)
def apply_note_facts(note: str, facts: dict[str, Any], deps: ToolDeps | None = None) -> str:
    """Record what a note said (feedback, criteria, next step) once the broker accepted it."""
    from crm_store.services.note_facts import NoteFacts

    parsed = NoteFacts.model_validate(facts)

    def work(ctx: Ctx) -> str:
        result = _apply(ctx, note, parsed)
        lines = result.lines(ctx.actor.language, tz=ctx.actor.timezone, suggestions=False)
        # What the copilot suggests next is asked in turn, as proposals of their own.
        if result.proposal is not None and result.contact_id is not None:
            propose_follow_up(ctx, result.contact_id, result.proposal)
        if result.stage_move is not None:
            move = result.stage_move
            proposals.propose(
                ctx,
                calls=[
                    {
                        "name": "move_stage",
                        "args": {"deal": move.deal_id, "to_stage": move.to_stage},
                    }
                ],
                readback=move.text(ctx.actor.language),
            )
        return "\n".join(lines)

    return run_tool(deps, work)


def _apply(ctx: Ctx, note_id: str, facts: Any) -> Any:
    from crm_store.services import notes as note_service

    note = ctx.session.get(Note, note_id)
    if note is None or note.author != ctx.actor.broker_id:
        raise NotFound(
            f"There is no note {note_id} of yours.", f"Заметки {note_id} среди ваших нет."
        )
    return note_service.apply_note_facts(ctx, note=note, facts=facts)


def _extract(deps: ToolDeps, text: str) -> Any:
    """Facts from the note by the configured model's extractor; None when it cannot tell."""
    from crm_store.services.note_facts import NoteFacts

    extractor = getattr(deps.backend, "extract_note_facts", None)
    if extractor is None:
        return None
    try:
        facts = extractor(deps.actor, text)
    except Exception:  # the note is already saved; extraction is a bonus, never a loss
        log.exception("note extraction failed")
        return None
    return facts if isinstance(facts, NoteFacts) else None


TOOLS = [log_note]
# Run only when the broker accepts a proposal; never offered to the model.
INTERNAL = [apply_note_facts]
