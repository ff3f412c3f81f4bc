"""Suggestions the copilot makes after a logged contact (SPEC §4) are stored proposals: a
bare "yes" in the same conversation, or a button, schedules exactly what was read back."""

from __future__ import annotations

from crm_store.context import Ctx
from crm_store.models import Contact
from crm_store.services import proposals
from crm_store.services.followups import Proposal
from tools.render import say


def follow_up_question(ctx: Ctx, suggestion: Proposal, client: str) -> str:
    """The question names the client: asked again later, after another client's request, a
    bare "yes" must not be taken for that other client (it was, in both broker trials)."""
    lang = ctx.actor.language
    return say(
        lang,
        f"Suggested next follow-up with {client}: {suggestion.text('en')} Schedule it?",
        f"Предлагаю следующий контакт с клиентом {client}: {suggestion.text('ru')} Запланировать?",
    )


def propose_follow_up(ctx: Ctx, contact_id: str, suggestion: Proposal) -> str:
    """Store the suggested follow-up as a proposal; the question to show."""
    client = ctx.session.get(Contact, contact_id)
    question = follow_up_question(ctx, suggestion, client.full_name if client else contact_id)
    local = suggestion.due_at.astimezone(ctx.actor.tz).strftime("%Y-%m-%dT%H:%M")
    proposals.propose(
        ctx,
        calls=[{"name": "schedule_follow_up", "args": {"contact": contact_id, "due_at": local}}],
        readback=question,
    )
    return question
