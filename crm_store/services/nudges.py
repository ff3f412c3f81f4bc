"""The nudge engine (SPEC §7): which nudges are due, recording each exactly once, and the
delivery state a channel pass moves them through.

Exactly once: a nudge is recorded as `pending` under its unique dedupe key (an insert that
skips taken keys) and committed before any channel sees it; it becomes `sent` only after the
channel accepted it. A pass killed at any point and rerun finds the recorded keys and records
nothing twice, and delivers whatever is still pending; the only repeat delivery is a crash
between the channel's acceptance and the store's update. A channel failure leaves the nudge
pending with the error and a retry time; after MAX_ATTEMPTS it is `failed`.

These functions never commit: the pass runner (channels/nudges/runner.py) commits each step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from crm_store.context import Ctx
from crm_store.models import Broker, Notification
from crm_store.repositories import nudges as repo
from crm_store.repositories.base import record
from crm_store.services import nudges_payloads as payloads
from crm_store.services import nudges_timing as timing
from crm_store.services.agenda import AgendaItem, agenda
from crm_store.services.brokers import actor_for
from crm_store.services.nudges_due import KINDS, Candidate, DueNow, due_now
from crm_store.services.nudges_reviews import digest_payload, shown_deals, weekly_payload

MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)  # doubles per attempt: 1, 2, 4, 8, 16 minutes
PAYLOAD_VERSION = 1


@dataclass(frozen=True)
class PlannedNudge:
    """A nudge due now and not yet recorded."""

    kind: str
    broker: str
    dedupe_key: str
    channel: str
    payload: dict[str, Any]


def preferred_channel(broker: Broker) -> str:
    """Telegram when linked, else Slack, else the terminal/log."""
    if broker.telegram_user_id is not None:
        return "telegram"
    if broker.slack_user_id:
        return "slack"
    return "terminal"


def due_nudges(ctx: Ctx) -> list[PlannedNudge]:
    """Every nudge due now that is not recorded yet, with its payload (reads only)."""
    found = due_now(ctx.session, now=ctx.now())
    fresh = found.without(set(repo.ids_of_keys(ctx.session, found.keys())))
    if not fresh:
        return []
    due_digests = [c for c in fresh if c.kind == "daily_digest"]
    about_deals = {c.subject for c in fresh if c.kind in ("gap", "stale_deal")}
    # Digests list the gaps too, recorded as gap nudges earlier today or not.
    listed_gaps = {deal for deal, _, _ in found.gaps} if due_digests else set()
    loaded = payloads.load(
        ctx,
        found.brokers,
        follow_up_ids={c.subject for c in fresh if c.about == "follow_up"},
        appointment_ids={c.subject for c in fresh if c.about == "appointment"},
        deal_ids=about_deals | listed_gaps,
        propose_for=about_deals | listed_gaps,
    )
    digests = _digests(loaded, found, due_digests)
    planned: list[PlannedNudge] = []
    for candidate in sorted(fresh, key=lambda c: (KINDS.index(c.kind), c.broker, c.key)):
        if candidate.kind == "daily_digest":
            payload = digests.get(candidate.broker)
        else:
            payload = _payload(loaded, found, candidate)
        if payload is None:
            continue
        broker = found.brokers[candidate.broker]
        head = {"v": PAYLOAD_VERSION, "kind": candidate.kind, "broker_name": broker.name}
        planned.append(
            PlannedNudge(
                kind=candidate.kind,
                broker=candidate.broker,
                dedupe_key=candidate.key,
                channel=preferred_channel(broker),
                payload={**head, **payload},
            )
        )
    return planned


def _payload(loaded: payloads.Loaded, found: DueNow, c: Candidate) -> dict[str, Any] | None:
    if c.kind == "due_soon" and c.about == "appointment":
        return payloads.appointment_payload(loaded, c.subject)
    if c.kind in ("due_soon", "missed"):
        return payloads.follow_up_payload(loaded, c.subject, kind=c.kind)
    if c.kind in ("gap", "stale_deal"):
        return payloads.deal_payload(loaded, c.subject, kind=c.kind)
    broker = found.brokers[c.broker]
    ctx = Ctx(
        session=loaded.ctx.session,
        actor=actor_for(broker, channel="nudges"),
        clock=loaded.ctx.clock,
    )
    return weekly_payload(ctx, team=c.subject, week=c.about)


def _digests(
    loaded: payloads.Loaded, found: DueNow, due: list[Candidate]
) -> dict[str, dict[str, Any]]:
    """broker → digest payload: one agenda() over everyone due a digest, split per recipient
    (a manager: the team's items). Filtering keeps agenda()'s order, and one call costs about
    what one broker's does, where one call per broker cost seconds at 08:30 on a big team.
    (The split can differ from a broker's own agenda() only for a follow-up owned by someone
    other than its deal's owner, after a deal was reassigned without its follow-ups.)"""
    if not due:
        return {}
    session = loaded.ctx.session
    recipients = [found.brokers[c.broker] for c in due]
    teams = repo.team_members(session, {b.team for b in recipients if b.role == "manager"})
    sees = {
        b.id: teams.get(b.team, set()) | {b.id} if b.role == "manager" else {b.id}
        for b in recipients
    }
    items = agenda(loaded.ctx, owner_ids=set().union(*sees.values()))
    mine = {bid: [i for i in items if _owner_of(i) in owners] for bid, owners in sees.items()}
    shown = {d.id: d for bid in mine for d in shown_deals(mine[bid])}
    scores = payloads.probabilities_by_team(loaded.ctx, shown.values(), found.brokers)
    return {
        c.broker: digest_payload(
            day=date.fromisoformat(c.subject),
            items=mine[c.broker],
            scores=scores,
            gaps=_digest_gaps(loaded, found, sees[c.broker]),
        )
        for c in due
    }


def _owner_of(item: AgendaItem) -> str | None:
    """Whose list the agenda put the item on: the follow-up's owner, a hot deal's, a lead's."""
    if item.group == "hot" and item.deal is not None:
        return item.deal.owner
    if item.group == "new_lead" and item.contact is not None:
        return item.contact.owner
    return item.follow_up.owner if item.follow_up is not None else None


def _digest_gaps(loaded: payloads.Loaded, found: DueNow, owners: set[str]) -> list[dict[str, Any]]:
    """The uncovered deals of these owners, most valuable first."""
    entries = []
    for deal_id, _, owner in found.gaps:
        if owner not in owners or deal_id not in loaded.deals:
            continue
        payload = payloads.deal_payload(loaded, deal_id, kind="gap")
        if payload is not None:
            payload.pop("actions", None)
            payload.pop("idle_days", None)
            entries.append(payload)
    entries.sort(key=lambda e: (-float(e["value"] or 0), e["deal"]))
    return entries


def record_nudges(ctx: Ctx, *, nudges: Sequence[PlannedNudge]) -> list[tuple[str, PlannedNudge]]:
    """Record these nudges as pending, each key once (keys already taken are skipped, also
    when another process took them a moment ago); returns (id, nudge) of those this call
    recorded, in order."""
    if not nudges:
        return []
    ids = repo.reserve_ids(ctx.session, len(nudges))
    now = ctx.now()
    rows = [
        {
            "id": nid, "broker": n.broker, "kind": n.kind, "dedupe_key": n.dedupe_key,
            "payload": n.payload, "channel": n.channel, "created_at": now, "sent_at": None,
            "status": "pending",
        }
        for nid, n in zip(ids, nudges, strict=True)
    ]  # fmt: skip
    repo.insert_new(ctx.session, rows)
    taken = repo.ids_of_keys(ctx.session, [n.dedupe_key for n in nudges])
    recorded = [
        (nid, n) for nid, n in zip(ids, nudges, strict=True) if taken.get(n.dedupe_key) == nid
    ]
    if recorded:
        record(
            ctx, action="record_nudges", entity="notifications", entity_id=recorded[0][0],
            changes={
                "ids": [nid for nid, _ in recorded],
                "kinds": dict(Counter(n.kind for _, n in recorded)),
            },
        )  # fmt: skip
    return recorded


@dataclass(frozen=True)
class Delivery:
    """A pending nudge, its broker, and whether it may go out now."""

    notification: Notification
    broker: Broker | None
    ready: bool
    undeliverable: str | None = None  # why it can never go out (no active broker)


def pending_nudges(ctx: Ctx) -> list[Delivery]:
    """Every pending nudge, oldest first, with whether its time (broker-local) and its retry
    time allow delivery now."""
    now = ctx.now()
    waiting = sorted(repo.pending(ctx.session), key=_delivery_order)
    brokers = repo.brokers_by_ids(ctx.session, {n.broker for n in waiting})
    out = []
    for notification in waiting:
        broker = brokers.get(notification.broker)
        retry_at = (notification.payload or {}).get("delivery", {}).get("next_attempt_at")
        ready = (
            broker is not None
            and broker.active
            and timing.deliverable_now(notification.kind, now, tz=broker.timezone)
            and (retry_at is None or datetime.fromisoformat(retry_at) <= now)
        )
        gone = None if broker is not None and broker.active else "the broker is not active"
        out.append(Delivery(notification, broker, ready, gone))
    return out


def _delivery_order(notification: Notification) -> tuple[datetime, int, str]:
    """Oldest first, then in recording order ("nt-9" before "nt-10", which text order breaks)."""
    number = notification.id.rsplit("-", 1)[-1]
    return notification.created_at, int(number) if number.isdigit() else 0, notification.id


def mark_sent(ctx: Ctx, *, notification_id: str) -> bool:
    """The channel accepted it: sent now (False when it was no longer pending)."""
    return repo.mark_sent(ctx.session, notification_id, at=ctx.now())


def mark_failed(ctx: Ctx, *, notification: Notification, error: str, final: bool = False) -> str:
    """Record a failed delivery in the payload; retry later, or give up after MAX_ATTEMPTS
    (at once when `final`: nobody to deliver to). Returns the status it is left in."""
    payload = dict(notification.payload or {})
    delivery = dict(payload.get("delivery") or {})
    attempts = int(delivery.get("attempts", 0)) + 1
    status = "failed" if final or attempts >= MAX_ATTEMPTS else "pending"
    delivery.update(attempts=attempts, last_error=error[:500], failed_at=ctx.now().isoformat())
    if status == "pending":
        retry_at = ctx.now() + FIRST_RETRY * 2 ** (attempts - 1)
        delivery["next_attempt_at"] = retry_at.isoformat()
    else:
        delivery.pop("next_attempt_at", None)
    payload["delivery"] = delivery
    repo.save_attempt(ctx.session, notification.id, payload=payload, status=status)
    return status
