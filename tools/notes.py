"""The note tool: keep the broker's words, then apply what can be safely read from them."""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.tools import tool
from pydantic import Field

from crm_store.context import Ctx
from crm_store.models import Note
from tools import resolve
from tools.base import FAILED, ToolArgs, run_tool
from tools.deps import ToolDeps
from tools.render import say

log = logging.getLogger(__name__)


class LogNoteArgs(ToolArgs):
    text: str = Field(description="the broker's words, verbatim")
    contact: str | None = Field(None, description="client's name or id, if known")
    source: str = Field("text", description="text|dictation|voice")


@tool("log_note", args_schema=LogNoteArgs)
def log_note(
    text: str, contact: str | None = None, source: str = "text", deps: ToolDeps | None = None
) -> str:
    """Log a note or dictated meeting summary; feedback, criteria and next step are applied."""
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
    facts = _extract(deps, text)
    if facts is None:
        return first

    def apply(ctx: Ctx) -> str:
        note = ctx.session.get(Note, saved["id"])
        assert note is not None
        result = note_service.apply_note_facts(ctx, note=note, facts=facts)
        return "\n".join([first, *result.lines(ctx.actor.language, tz=ctx.actor.timezone)])

    applied = run_tool(deps, apply)
    return applied if not applied.startswith(FAILED) else f"{first}\n{applied}"


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
