"""Suggestions the copilot makes after a logged contact (SPEC §4) are stored proposals: a
bare "yes" in the same conversation, or a button, schedules exactly what was read back."""

from __future__ import annotations

from crm_store.context import Ctx
from crm_store.services import proposals
from crm_store.services.followups import Proposal
from tools.render import say


def follow_up_question(ctx: Ctx, suggestion: Proposal) -> str:
    lang = ctx.actor.language
    return say(
        lang,
        f"Suggested next follow-up: {suggestion.text('en')} Schedule it?",
        f"Предлагаю следующий контакт: {suggestion.text('ru')} Запланировать?",
    )


def propose_follow_up(ctx: Ctx, contact_id: str, suggestion: Proposal) -> str:
    """Store the suggested follow-up as a proposal; the question to show."""
    question = follow_up_question(ctx, suggestion)
    local = suggestion.due_at.astimezone(ctx.actor.tz).strftime("%Y-%m-%dT%H:%M")
    proposals.propose(
        ctx,
        calls=[{"name": "schedule_follow_up", "args": {"contact": contact_id, "due_at": local}}],
        readback=question,
    )
    return question
