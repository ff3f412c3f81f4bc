"""Which nudges are due now (SPEC §7), as dedupe keys only: the cheap half of every pass.

A pass first lists the keys due at this moment from a few lean reads, drops the ones already
recorded, and only then loads what the remaining ones need. In the steady state (everything due
already recorded) that second half never runs, which is what keeps a minute-by-minute daemon
cheap on a large brokerage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from crm_store.models import Broker
from crm_store.repositories import nudges as repo
from crm_store.services import nudges_timing as timing

KINDS = ("daily_digest", "weekly_review", "due_soon", "missed", "gap", "stale_deal")


@dataclass(frozen=True)
class Candidate:
    """A nudge due now: its kind, key, recipient and what it is about.

    subject: the follow-up, appointment or deal id (digest: the local date; weekly: the team).
    """

    kind: str
    key: str
    broker: str
    subject: str
    at: datetime | None = None
    about: str = ""  # due_soon: "follow_up" | "appointment"
    seller_side: bool | None = None  # gap and stale: which table the deal is in


@dataclass
class DueNow:
    """Everything due at one instant; `gaps` lists every uncovered deal of the open brokers
    (the digests list them too, recorded or not)."""

    now: datetime
    brokers: dict[str, Broker]
    candidates: list[Candidate] = field(default_factory=list)
    gaps: list[tuple[str, bool, str]] = field(default_factory=list)

    def keys(self) -> set[str]:
        return {c.key for c in self.candidates}

    def without(self, recorded: set[str]) -> list[Candidate]:
        return [c for c in self.candidates if c.key not in recorded]


def due_now(session: Session, *, now: datetime) -> DueNow:
    """Every nudge key due at `now` for the active brokers, each in their own timezone."""
    brokers = {b.id: b for b in repo.active_brokers(session)}
    found = DueNow(now=now, brokers=brokers)
    add = found.candidates.extend
    open_day = {
        b.id: timing.local_date(now, tz=b.timezone)
        for b in brokers.values()
        if timing.broker_day_open(now, tz=b.timezone)
    }
    add(
        Candidate("daily_digest", timing.digest_key(b, day), b, day.isoformat())
        for b, day in open_day.items()
    )
    add(_weekly(brokers.values(), now))
    add(_due_soon(session, brokers, now))
    if not open_day:
        return found
    since = now - timing.MISSED_LOOKBACK
    add(
        Candidate("missed", timing.missed_key(row.id), row.owner, row.id, row.at, "follow_up")
        for row in repo.follow_ups_overdue_since(session, since=since, now=now)
        if row.owner in open_day
    )
    found.gaps = [gap for gap in repo.uncovered_deals(session, now=now) if gap[2] in brokers]
    add(
        Candidate("gap", timing.gap_key(deal, open_day[owner]), owner, deal, seller_side=side)
        for deal, side, owner in found.gaps
        if owner in open_day
    )
    add(_stale(session, open_day, now))
    return found


def _weekly(brokers: Iterable[Broker], now: datetime) -> list[Candidate]:
    """Monday 09:00 manager-local: one review per team (a second manager's copy keyed by id)."""
    by_team: dict[str, list[Broker]] = defaultdict(list)
    for broker in brokers:
        if broker.role == "manager":
            by_team[broker.team].append(broker)
    out = []
    for team, managers in by_team.items():
        for rank, manager in enumerate(sorted(managers, key=lambda b: b.id)):
            week = timing.weekly_week(now, tz=manager.timezone)
            if week is None:
                continue
            key = timing.weekly_key(team, week, manager_id=manager.id if rank else None)
            out.append(Candidate("weekly_review", key, manager.id, team, about=week))
    return out


def _due_soon(session: Session, brokers: dict[str, Broker], now: datetime) -> list[Candidate]:
    start, end = timing.due_soon_window(now)
    out = [
        Candidate("due_soon", timing.due_key(row.id, row.at), row.owner, row.id, row.at, about)
        for about, rows in (
            ("follow_up", repo.follow_ups_due_between(session, start=start, end=end)),
            ("appointment", repo.appointments_due_between(session, start=start, end=end)),
        )
        for row in rows
        if row.owner in brokers
    ]
    return out


def _stale(session: Session, open_day: dict[str, date], now: datetime) -> list[Candidate]:
    """Open deals older than 14 days with no activity in the last 14 (on the deal, or with its
    client on records that name no deal): the rule deal probability applies."""
    since = now - timing.STALE_AFTER
    active_deals, active_clients = repo.active_since(session, since=since, now=now)
    return [
        Candidate(
            "stale_deal",
            timing.stale_key(deal.id, timing.iso_week(open_day[deal.owner])),
            deal.owner,
            deal.id,
            seller_side=deal.seller_side,
        )
        for deal in repo.open_deals(session, created_before=since)
        if deal.owner in open_day
        and deal.id not in active_deals
        and (deal.client is None or deal.client not in active_clients)
    ]
