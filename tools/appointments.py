"""Appointment tools: book a showing or meeting; record how it went, listing by listing."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from pydantic import BaseModel, Field

from crm_store.context import Ctx
from crm_store.models import Appointment, Contact
from tools import resolve
from tools.base import MOVE_HELP, ToolArgs, parse_local_datetime, parse_move, run_tool
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
        target = _appointment(ctx, appointment, status)
        feedback: list[dict[str, Any]] = []
        for item in reactions or []:
            listing = resolve_listing(ctx, ref=item.listing, among=target.listings or [])
            feedback.append({"listing": listing.id, "reaction": item.reaction, "text": item.text})
        recorded = appointment_service.record_outcome(
            ctx, appointment_id=target.id, status=status, feedback=feedback, next_step=next_step
        )
        client = ctx.session.get(Contact, recorded.contact)
        name = client.full_name if client else recorded.contact
        status_ru = _STATUS_RU.get(recorded.status, recorded.status)
        lines = [
            say(
                lang,
                f"Recorded {recorded.id} ({name}): {recorded.status.replace('_', '-')}.",
                f"Записано {recorded.id} ({name}): {status_ru}.",
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


_STATUS_RU = {"done": "проведена", "no_show": "клиент не пришёл", "cancelled": "отменена"}


class RescheduleArgs(ToolArgs):
    appointment: str = Field(description="client's name or appointment id")
    at: str = Field(description=MOVE_HELP)


@tool("reschedule_appointment", args_schema=RescheduleArgs)
def reschedule_appointment(appointment: str, at: str, deps: ToolDeps | None = None) -> str:
    """Move a booked showing or meeting to another time."""

    from crm_store.services import appointments as appointment_service

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        target = _upcoming(ctx, appointment)
        moved = appointment_service.reschedule_appointment(
            ctx,
            appointment_id=target.id,
            scheduled_at=parse_move(at, target.scheduled_at, tz=ctx.actor.timezone, field="at"),
        )
        client = ctx.session.get(Contact, moved.contact)
        name = client.full_name if client else moved.contact
        moment = when(moved.scheduled_at, tz=ctx.actor.timezone, language=lang)
        if moved.listings:
            return say(
                lang,
                f"Showing {moved.id} with {name} moved to {moment}.",
                f"Показ {moved.id} ({name}) перенесён на {moment}.",
            )
        return say(
            lang,
            f"Meeting {moved.id} with {name} moved to {moment}.",
            f"Встреча {moved.id} ({name}) перенесена на {moment}.",
        )

    return run_tool(deps, work)


def _upcoming(ctx: Ctx, ref: str) -> Any:
    """The one still-scheduled appointment meant: by id, or the client's only one (several:
    the broker says which, so a move or a cancellation never lands on the wrong visit)."""
    from crm_store.errors import Ambiguous
    from crm_store.repositories.lookup import appointments_of_contact

    if resolve.by_id(ctx, Appointment, ref) is not None:
        return resolve.appointment(ctx, ref, status="scheduled")
    client = resolve.contact(ctx, ref)
    scheduled = appointments_of_contact(ctx.session, client.id, status="scheduled")
    if len(scheduled) > 1:
        tz, lang = ctx.actor.timezone, ctx.actor.language
        candidates = [
            (a.id, f"{when(a.scheduled_at, tz=tz, language=lang)} {', '.join(a.listings or [])}")
            for a in sorted(scheduled, key=lambda a: a.scheduled_at)
        ]
        options = "; ".join(f"{id_} ({label.strip()})" for id_, label in candidates)
        raise Ambiguous(
            f"{client.full_name} has {len(scheduled)} booked appointments: {options}. "
            "Ask which one (or its id).",
            f"У клиента {client.full_name} несколько встреч: {options}. Уточните у брокера, "
            "какой именно.",
            candidates=candidates,
        )
    return resolve.appointment(ctx, client.id, status="scheduled")


def _appointment(ctx: Ctx, ref: str, status: str = "done") -> Any:
    """A cancellation needs the one booked visit meant; an outcome is for a scheduled
    appointment first, else the client's most recent one already recorded."""
    from crm_store.errors import NotFound

    if status == "cancelled":
        return _upcoming(ctx, ref)
    try:
        return resolve.appointment(ctx, ref, status="scheduled")
    except NotFound:
        return resolve.appointment(ctx, ref, status="done")


TOOLS = [book_appointment, reschedule_appointment, record_appointment]
