"""Proposals: changes the copilot waits to have confirmed (SPEC §2, §9).

A proposal is stored before the broker sees its question, so every channel (terminal text,
Telegram and Slack buttons, the HTTP API) answers the same object by id. Accepting claims it
with a conditional update in the same transaction as the writes it carries: a second yes, a
redelivered button or a second client of the same broker finds it no longer pending and
changes nothing more.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from crm_store.context import Actor, Ctx
from crm_store.errors import CopilotError, NotFound
from crm_store.models import Proposal
from crm_store.repositories.base import add, record

# How long a question stays answerable: a broker may say yes the next morning, not next week.
LIFETIME = timedelta(hours=24)


class ProposalClosed(CopilotError):
    """The proposal was already decided or has expired: nothing more is changed."""

    code = "proposal_closed"


def thread_of(actor: Actor) -> str:
    """One conversation per broker per channel (the channels and the graph use the same key)."""
    return f"{actor.broker_id}:{actor.channel}"


def propose(ctx: Ctx, *, calls: list[dict[str, Any]], readback: str) -> Proposal:
    """Store a pending proposal for the acting broker's current conversation."""
    if ctx.actor.broker_id is None:
        raise NotFound("Only a broker can be asked to confirm a change.")
    now = ctx.now()
    proposal = Proposal(
        broker=ctx.actor.broker_id,
        channel=ctx.actor.channel,
        thread=thread_of(ctx.actor),
        calls=[{"name": str(c["name"]), "args": dict(c.get("args") or {})} for c in calls],
        readback=readback,
        created_at=now,
        expires_at=now + LIFETIME,
        status="pending",
    )
    return add(ctx, proposal, action="propose")


def merge(ctx: Ctx, ids: list[str]) -> Proposal:
    """Fold proposals made by one message into its first, so the broker answers one question
    ("yes" to a report's note facts and to its next call alike). Only pending proposals of
    the acting broker that nobody has seen yet may be merged; the others are removed."""
    kept, *rest = [get_own(ctx, pid) for pid in ids]
    for proposal in [kept, *rest]:
        _refuse_closed(ctx, proposal)
    calls = list(kept.calls)
    readbacks = [kept.readback]
    for other in rest:
        calls += other.calls
        readbacks.append(other.readback)
        ctx.session.delete(other)
        record(
            ctx, action="merge", entity="proposals", entity_id=other.id, changes={"into": kept.id}
        )
    kept.calls = calls
    kept.readback = "\n".join(readbacks)
    ctx.session.flush()
    return kept


def pending(ctx: Ctx, *, thread: str | None = None) -> list[Proposal]:
    """The broker's open proposals, newest first (those past their time are marked expired)."""
    broker = ctx.actor.broker_id
    query = select(Proposal).where(Proposal.broker == broker, Proposal.status == "pending")
    if thread is not None:
        query = query.where(Proposal.thread == thread)
    found = sorted(ctx.session.scalars(query), key=_made, reverse=True)
    now = ctx.now()
    live = [p for p in found if p.expires_at > now]
    for lapsed in (p for p in found if p.expires_at <= now):
        _close(ctx, lapsed, "expired")
    return live


def _made(proposal: Proposal) -> tuple[datetime, int, str]:
    """When it was made; two made at the same instant (a frozen clock) by the number of their
    id ("p-10" after "p-9"), which the store hands out in order."""
    number = re.fullmatch(r"[a-z]+-(\d+)", proposal.id)
    return (proposal.created_at, int(number.group(1)) if number else 0, proposal.id)


def latest(ctx: Ctx, *, thread: str) -> Proposal | None:
    """The most recent open proposal of this conversation: what a bare "yes" answers."""
    live = pending(ctx, thread=thread)
    return live[0] if live else None


def get_own(ctx: Ctx, proposal_id: str) -> Proposal:
    proposal = ctx.session.get(Proposal, proposal_id)
    if proposal is None or proposal.broker != ctx.actor.broker_id:
        raise NotFound(
            f"There is no proposal {proposal_id} of yours.",
            f"Предложения {proposal_id} среди ваших нет.",
        )
    return proposal


def claim(ctx: Ctx, proposal_id: str) -> Proposal:
    """Mark the proposal accepted, or raise ProposalClosed when it is no longer pending.
    Call it in the transaction that applies the calls: both commit or neither does."""
    proposal = get_own(ctx, proposal_id)
    _refuse_closed(ctx, proposal)
    flipped = ctx.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal_id, Proposal.status == "pending")
        .values(status="accepted", decided_at=ctx.now())
        .execution_options(synchronize_session=False)
    )
    if getattr(flipped, "rowcount", 1) != 1:  # another client accepted it a moment ago
        ctx.session.refresh(proposal)
        _refuse_closed(ctx, proposal)
    ctx.session.refresh(proposal)
    return proposal


def decline(ctx: Ctx, proposal_id: str) -> Proposal:
    proposal = get_own(ctx, proposal_id)
    _refuse_closed(ctx, proposal)
    _close(ctx, proposal, "declined")
    return proposal


def _close(ctx: Ctx, proposal: Proposal, status: str) -> None:
    ctx.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == "pending")
        .values(status=status, decided_at=ctx.now())
        .execution_options(synchronize_session=False)
    )
    ctx.session.refresh(proposal)


def _refuse_closed(ctx: Ctx, proposal: Proposal) -> None:
    if proposal.status == "pending" and proposal.expires_at <= ctx.now():
        _close(ctx, proposal, "expired")
    if proposal.status == "pending":
        return
    words = {
        "accepted": (
            "was already accepted; nothing more was changed",
            "уже принято; больше ничего не изменено",
        ),
        "declined": ("was declined; nothing was changed", "было отклонено; ничего не изменено"),
        "expired": (
            "has expired; nothing was changed — ask again if it is still wanted",
            "устарело; ничего не изменено — попросите снова, если это ещё нужно",
        ),
    }[proposal.status]
    raise ProposalClosed(
        f"Proposal {proposal.id} {words[0]}.",
        f"Предложение {proposal.id} {words[1]}.",
        status=proposal.status,
    )
