"""Follow-up tools: schedule, complete (and propose the next), reschedule, cancel."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any, Literal

from langchain_core.tools import tool
from pydantic import Field

from crm_store.context import Ctx
from crm_store.errors import CopilotError
from crm_store.models import Broker, Contact, FollowUp
from crm_store.repositories import lookup
from crm_store.services import followups as follow_up_service
from crm_store.services.display import channel_name
from crm_store.services.followups import Proposal
from tools import resolve
from tools.base import MOVE_HELP, ToolArgs, parse_local_datetime, parse_move, run_tool
from tools.confirm import requires_confirmation
from tools.deps import ToolDeps
from tools.render import say, when
from tools.suggest import propose_follow_up


class ScheduleArgs(ToolArgs):
    contact: str = Field(description="client's name, phone or id")
    due_at: str
    channel: str = Field("call", description="call|message|email|meeting")
    purpose: str | None = None
    deal: str | None = Field(None, description="deal id if not the client's only deal")


@tool("schedule_follow_up", args_schema=ScheduleArgs)
def schedule_follow_up(
    contact: str,
    due_at: str,
    channel: str = "call",
    purpose: str | None = None,
    deal: str | None = None,
    deps: ToolDeps | None = None,
) -> str:
    """Schedule a call/message/email/meeting reminder with a client."""

    def work(ctx: Ctx) -> str:
        client = resolve.contact(ctx, contact)
        due = parse_local_datetime(due_at, tz=ctx.actor.timezone, field="due_at")
        deal_id = resolve.deal(ctx, deal).id if deal else _only_open_deal(ctx, client)
        created = follow_up_service.schedule_follow_up(
            ctx,
            contact_id=client.id,
            due_at=due,
            channel=channel,
            purpose=purpose,
            deal_id=deal_id,
        )
        return _scheduled_text(ctx, created, client)

    return run_tool(deps, work)


def _only_open_deal(ctx: Ctx, client: Contact) -> str | None:
    """Attach the follow-up to the client's deal when there is exactly one open."""
    from crm_store.repositories.deals import open_deals_of_contacts

    deals = open_deals_of_contacts(ctx.session, [client.id])
    return deals[0].id if len(deals) == 1 else None


def _scheduled_text(ctx: Ctx, follow_up: FollowUp, client: Contact) -> str:
    """What was scheduled; whose agenda it is on when that is not the acting broker's (a
    manager's "remind me to call Ivan" is on Ivan's broker's agenda, SPEC §4)."""
    lang, tz = ctx.actor.language, ctx.actor.timezone
    moment = when(follow_up.due_at, tz=tz, language=lang)
    owner = (
        ctx.session.get(Broker, follow_up.owner) if follow_up.owner != ctx.actor.broker_id else None
    )
    whose_en = f" (on {owner.name}'s agenda)" if owner is not None else ""
    whose_ru = f" (в плане у {owner.name})" if owner is not None else ""
    return say(
        lang,
        f"Follow-up {follow_up.id} scheduled: {follow_up.channel} {client.full_name}, "
        f"{moment}{whose_en}.",
        f"Напоминание {follow_up.id}: {channel_name(follow_up.channel, 'ru')} {client.full_name}, "
        f"{moment}{whose_ru}.",
    )


class CompleteArgs(ToolArgs):
    follow_up: str = Field(description="client's name or follow-up id")
    outcome: str | None = None
    next_due_at: str | None = Field(None, description="when to schedule the next one")
    next_channel: Literal["call", "message", "email", "meeting"] | None = Field(
        None, description="how the next one is made (default: as the one done)"
    )


def _which(done: FollowUp, ctx: Ctx, language: str) -> str:
    """Which task was done, when it was due on another day than today: a read-back of "done"
    must let the broker see it is not the one they meant (a trial: a report of today's call
    marked Thursday's task done)."""
    tz = ctx.actor.tz
    if done.due_at.astimezone(tz).date() == ctx.now().astimezone(tz).date():
        return ""
    due = when(done.due_at, tz=ctx.actor.timezone, language=language)
    purpose = f" — {done.purpose}" if done.purpose else ""
    return say(language, f" (the one due {due}{purpose})", f" (на {due}{purpose})")


@tool("complete_follow_up", args_schema=CompleteArgs)
def complete_follow_up(
    follow_up: str,
    outcome: str | None = None,
    next_due_at: str | None = None,
    next_channel: str | None = None,
    deps: ToolDeps | None = None,
) -> str:
    """Mark a follow-up done with its outcome; schedules or proposes the next one."""

    def work(ctx: Ctx) -> str:
        lang, tz = ctx.actor.language, ctx.actor.timezone
        target = resolve.follow_up(ctx, follow_up)
        done = follow_up_service.complete_follow_up(ctx, follow_up_id=target.id, outcome=outcome)
        client = ctx.session.get(Contact, done.contact)
        assert client is not None
        lines = [
            say(
                lang,
                f"Done: {done.channel} {client.full_name}{_which(done, ctx, lang)}.",
                f"Выполнено: {channel_name(done.channel, 'ru')} {client.full_name}"
                f"{_which(done, ctx, lang)}.",
            )
        ]
        if next_due_at:
            nxt = follow_up_service.schedule_follow_up(
                ctx,
                contact_id=client.id,
                due_at=parse_local_datetime(next_due_at, tz=tz),
                channel=next_channel or done.channel,
                deal_id=done.deal,
            )
            lines.append(_scheduled_text(ctx, nxt, client))
        elif not lookup.open_follow_ups_of_contact(ctx.session, client.id):
            lines.append(_proposal_text(ctx, client, done.deal))  # none planned: suggest one
        return "\n".join(lines)

    return run_tool(deps, work)


def _not_due_yet(args: dict[str, Any], deps: ToolDeps) -> str | None:
    """A follow-up found by its client's name that is not due before tomorrow is asked about
    first: "ivan called" is not necessarily Friday's call (it was closed silently in a trial)."""
    ref = str(args.get("follow_up", "")).strip()
    with deps.backend.unit_of_work(deps.actor) as ctx:
        if resolve.by_id(ctx, FollowUp, ref) is not None:
            return None  # the broker (or a read-back) named this follow-up
        try:
            target = resolve.follow_up(ctx, ref)
        except CopilotError:
            return None  # the call fails with its own question
        tz = ctx.actor.tz
        today_ends = datetime.combine(ctx.clock.now().astimezone(tz).date(), time.max, tzinfo=tz)
        if target.due_at.astimezone(tz) <= today_ends:
            return None
        client = ctx.session.get(Contact, target.contact)
        name = client.full_name if client is not None else ref
        due = when(target.due_at, tz=ctx.actor.timezone, language=ctx.actor.language)
        return say(
            ctx.actor.language,
            f"Mark the {target.channel} with {name} due {due} as done? It is not due yet.",
            f"Отметить выполненным: {channel_name(target.channel, 'ru')} {name} на {due}? "
            "Срок ещё не наступил.",
        )


requires_confirmation(complete_follow_up, _not_due_yet)


def _proposal_text(ctx: Ctx, client: Contact, deal_id: str | None) -> str:
    """The next follow-up the copilot suggests (SPEC §4); created only on the broker's yes."""
    from crm_store.services.probability import deal_probability

    deal = resolve.deal(ctx, deal_id) if deal_id else None
    # SPEC §4: a deal at 50%+ is hot whatever its stage, so the cadence reads the probability.
    probability = deal_probability(ctx, deal).value if deal is not None else None
    proposal = follow_up_service.propose_next_follow_up(
        ctx, deal=deal, contact_id=None if deal else client.id, probability=probability
    )
    return proposal_line(ctx, client, proposal)


# The suggestion's marker (proposal_line): the offline answer reads it back, a read-back drops it
_MARKER = r"\[proposal contact=(\S+) due_at=(\S+?)\]"
PROPOSAL_MARKER = re.compile(rf"\s*{_MARKER}")
_SUGGESTED = re.compile(rf"^.*{_MARKER}\s*$\n?", re.MULTILINE)


def without_suggestion(text: str) -> str:
    """A tool's result without the next follow-up it suggests: a read-back says what will be
    done, and the suggestion is asked after the broker's yes, on its own."""
    return _SUGGESTED.sub("", text).strip()


def proposal_line(ctx: Ctx, client: Contact, proposal: Proposal) -> str:
    """The suggestion, stored as a proposal a bare yes accepts; the marker lets the offline
    model read "yes, but at 3pm" too."""
    local = proposal.due_at.astimezone(ctx.actor.tz).strftime("%Y-%m-%dT%H:%M")
    question = propose_follow_up(ctx, client.id, proposal)
    return f"{question} [proposal contact={client.id} due_at={local}]"


class RescheduleArgs(ToolArgs):
    follow_up: str = Field(description="client's name or follow-up id")
    due_at: str = Field(description=MOVE_HELP)


@tool("reschedule_follow_up", args_schema=RescheduleArgs)
def reschedule_follow_up(follow_up: str, due_at: str, deps: ToolDeps | None = None) -> str:
    """Move an open follow-up to another time."""

    def work(ctx: Ctx) -> str:
        target = resolve.follow_up(ctx, follow_up)
        due = parse_move(due_at, target.due_at, tz=ctx.actor.timezone, field="due_at")
        moved = follow_up_service.reschedule_follow_up(ctx, follow_up_id=target.id, due_at=due)
        client = ctx.session.get(Contact, moved.contact)
        assert client is not None
        return _scheduled_text(ctx, moved, client)

    return run_tool(deps, work)


class CancelArgs(ToolArgs):
    follow_up: str = Field(description="client's name or follow-up id")
    reason: str | None = None


@tool("cancel_follow_up", args_schema=CancelArgs)
def cancel_follow_up(
    follow_up: str, reason: str | None = None, deps: ToolDeps | None = None
) -> str:
    """Cancel an open follow-up."""

    def work(ctx: Ctx) -> str:
        target = resolve.follow_up(ctx, follow_up)
        cancelled = follow_up_service.cancel_follow_up(ctx, follow_up_id=target.id, reason=reason)
        client = ctx.session.get(Contact, cancelled.contact)
        name = client.full_name if client else cancelled.contact
        lang = ctx.actor.language
        warning = ""
        if cancelled.deal and not _has_future_follow_up(ctx, cancelled.deal):
            warning = say(
                lang,
                " The deal now has no next follow-up (a gap).",
                " У сделки теперь нет следующего контакта (пробел).",
            )
        # which one, by its day, kind and purpose: a read-back must let the broker see it
        due = when(cancelled.due_at, tz=ctx.actor.timezone, language=lang)
        purpose = f" — {cancelled.purpose}" if cancelled.purpose else ""
        return (
            say(
                lang,
                f"Cancelled follow-up with {name} ({cancelled.channel}, {due}{purpose}).",
                f"Напоминание с {name} отменено ({channel_name(cancelled.channel, 'ru')}, "
                f"{due}{purpose}).",
            )
            + warning
        )

    return run_tool(deps, work)


def _has_future_follow_up(ctx: Ctx, deal_id: str) -> bool:
    from crm_store.repositories.lookup import has_future_follow_up

    return has_future_follow_up(ctx.session, deal_id, ctx.now())


TOOLS = [schedule_follow_up, complete_follow_up, reschedule_follow_up, cancel_follow_up]
