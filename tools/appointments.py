"""Appointment tools: book a showing or meeting; record how it went, listing by listing."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from pydantic import BaseModel, Field

from crm_store.context import Ctx
from crm_store.models import Contact
from tools import resolve
from tools.base import ToolArgs, parse_local_datetime, run_tool
from tools.deps import ToolDeps
from tools.followups import proposal_line
from tools.render import say, when


class BookArgs(ToolArgs):
    contact: str = Field(description="client's name or id")
    at: str
    listings: list[str] = Field([], description="ids or addresses to show; empty = meeting")
    deal: str | None = None


@tool("book_appointment", args_schema=BookArgs)
def book_appointment(
    contact: str,
    at: str,
    listings: list[str] | None = None,
    deal: str | None = None,
    deps: ToolDeps | None = None,
) -> str:
    """Book a showing (with listings) or a meeting with a client."""

    from crm_store.services import appointments as appointment_service
    from crm_store.services.listing_refs import resolve_listing

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        client = resolve.contact(ctx, contact)
        listing_ids = [resolve_listing(ctx, ref=ref).id for ref in listings or []]
        deal_id = resolve.deal(ctx, deal).id if deal else None
        booked = appointment_service.book_appointment(
            ctx,
            contact_id=client.id,
            scheduled_at=parse_local_datetime(at, tz=ctx.actor.timezone, field="at"),
            listing_ids=listing_ids,
            deal_id=deal_id,
        )
        moment = when(booked.scheduled_at, tz=ctx.actor.timezone, language=lang)
        if booked.listings:
            shown = ", ".join(booked.listings)
            return say(
                lang,
                f"Showing {booked.id} booked: {client.full_name}, {moment}, {shown}.",
                f"Показ {booked.id}: {client.full_name}, {moment}, {shown}.",
            )
        return say(
            lang,
            f"Meeting {booked.id} booked: {client.full_name}, {moment}.",
            f"Встреча {booked.id}: {client.full_name}, {moment}.",
        )

    return run_tool(deps, work)


class Reaction(BaseModel):
    listing: str = Field(description="id or address")
    reaction: str = Field(description="liked|neutral|disliked")
    text: str | None = None


class RecordArgs(ToolArgs):
    appointment: str = Field(description="client's name or appointment id")
    status: str = Field("done", description="done|no_show|cancelled")
    reactions: list[Reaction] = []
    next_step: str | None = None


@tool("record_appointment", args_schema=RecordArgs)
def record_appointment(
    appointment: str,
    status: str = "done",
    reactions: list[Reaction] | None = None,
    next_step: str | None = None,
    deps: ToolDeps | None = None,
) -> str:
    """Record how a showing/meeting went: done or no-show, and the client's reaction per listing."""

    from crm_store.services import appointments as appointment_service
    from crm_store.services.listing_refs import resolve_listing

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        target = _appointment(ctx, appointment)
        feedback: list[dict[str, Any]] = []
        for item in reactions or []:
            listing = resolve_listing(ctx, ref=item.listing, among=target.listings or [])
            feedback.append({"listing": listing.id, "reaction": item.reaction, "text": item.text})
        recorded = appointment_service.record_outcome(
            ctx, appointment_id=target.id, status=status, feedback=feedback, next_step=next_step
        )
        client = ctx.session.get(Contact, recorded.contact)
        name = client.full_name if client else recorded.contact
        lines = [
            say(
                lang,
                f"Recorded {recorded.id} ({name}): {recorded.status}.",
                f"Записано {recorded.id} ({name}): {recorded.status}.",
            )
        ]
        lines.extend(
            f"- {item['listing']}: {item['reaction']}"
            + (f" — {item['text']}" if item.get("text") else "")
            for item in recorded.feedback or []
        )
        after = appointment_service.after_appointment(ctx, appointment=recorded)
        if after.stage_move is not None:
            lines.append(after.stage_move.text(lang))
        if after.follow_up is not None and client is not None:
            lines.append(proposal_line(ctx, client, after.follow_up))
        return "\n".join(lines)

    return run_tool(deps, work)


def _appointment(ctx: Ctx, ref: str) -> Any:
    """A scheduled appointment first; else the client's most recent one already recorded."""
    from crm_store.errors import NotFound

    try:
        return resolve.appointment(ctx, ref, status="scheduled")
    except NotFound:
        return resolve.appointment(ctx, ref, status="done")


TOOLS = [book_appointment, record_appointment]
