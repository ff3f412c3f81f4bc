"""Everything one demo generation run carries: randomness, ids, the batching sink and tallies."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from crm_store.demo.calendar import WorkCalendar
from crm_store.demo.deal import Deal, Ids
from crm_store.demo.people import PeopleFactory, Person
from crm_store.demo.showings import Inventory
from crm_store.models import (
    Appointment,
    Base,
    Broker,
    BuyerRequest,
    Contact,
    FollowUp,
    Listing,
    Note,
    Plan,
    StageChange,
)
from crm_store.repositories.base import bulk_insert

# Parents before children, so every batch satisfies the foreign keys as it lands.
INSERT_ORDER: tuple[type[Base], ...] = (
    Broker,
    Contact,
    Listing,
    BuyerRequest,
    StageChange,
    FollowUp,
    Appointment,
    Note,
    Plan,
)


class Sink:
    """Buffers rows per table and writes them with bulk_insert once a batch is full."""

    def __init__(self, session: Session, batch: int) -> None:
        self.session = session
        self.batch = batch
        self.buffers: dict[type[Base], list[dict[str, Any]]] = {m: [] for m in INSERT_ORDER}
        self.counts: dict[str, int] = {m.__tablename__: 0 for m in INSERT_ORDER}
        self._pending = 0

    def add(self, model: type[Base], rows: list[dict[str, Any]]) -> None:
        self.buffers[model].extend(rows)
        self.counts[model.__tablename__] += len(rows)
        self._pending += len(rows)
        if self._pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        for model in INSERT_ORDER:
            rows = self.buffers[model]
            if rows:
                # The ORM bulk insert leaves None values out and starts a new statement whenever
                # the set of keys changes; grouping rows by their None columns keeps it to a few
                # executemany calls instead of one per row.
                rows.sort(key=_none_columns)
                bulk_insert(self.session, model, rows)
                rows.clear()
        self._pending = 0


def _none_columns(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(key for key, value in row.items() if value is None)


@dataclass(frozen=True)
class TeamBroker:
    id: str
    name: str
    role: str
    language: str
    timezone: str


@dataclass
class BrokerTally:
    open_deals: int = 0
    missed: int = 0
    due_today: int = 0
    gaps: int = 0


@dataclass
class SellerToBe:
    """A seller contact who may later look for a home through us too."""

    contact: str
    owner: TeamBroker
    person: Person
    created_day: int


@dataclass
class DemoState:
    rng: random.Random
    sink: Sink
    now: datetime
    people: PeopleFactory
    ids: Ids = field(default_factory=Ids)
    brokers: list[TeamBroker] = field(default_factory=list)
    inventory: Inventory = field(default_factory=Inventory)
    sellers: list[SellerToBe] = field(default_factory=list)
    tallies: dict[str, BrokerTally] = field(default_factory=lambda: defaultdict(BrokerTally))
    active_listings: int = 0
    nurturing_buyers: int = 0
    # (broker id, "YYYY-MM") → commission earned and deals won that month.
    revenue: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    won: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    _calendars: dict[str, WorkCalendar] = field(default_factory=dict)
    _pools: dict[str, list[TeamBroker]] = field(default_factory=dict)

    def calendar(self, broker: TeamBroker) -> WorkCalendar:
        cal = self._calendars.get(broker.timezone)
        if cal is None:
            cal = WorkCalendar(self.now, ZoneInfo(broker.timezone))
            self._calendars[broker.timezone] = cal
        return cal

    def owner_for(self, origin: str) -> TeamBroker:
        """Russian speakers mostly go to Russian-speaking brokers; the manager keeps a few."""
        rng = self.rng
        if not self._pools:
            team = self.brokers[1:]
            self._pools = {lang: [b for b in team if b.language == lang] for lang in ("en", "ru")}
            self._pools["any"] = team
        # The manager keeps a few key clients: about a fifth of one broker's book.
        if rng.random() < 0.2 / len(self._pools["any"]):
            return self.brokers[0]
        wanted = ("ru" if origin == "ru" else "en") if rng.random() < 0.8 else "any"
        return rng.choice(self._pools[wanted] or self._pools["any"])

    def contact_row(
        self, *, person: Person, owner: TeamBroker, created_at: datetime, role: str
    ) -> dict[str, Any]:
        return {
            "id": self.ids.next("c"),
            "owner": owner.id,
            "full_name": person.full_name,
            "phones": self.people.phones(person.origin),
            "emails": self.people.emails(person),
            "language": person.language,
            "source": self.people.source(),
            "tags": self.people.tags(role),
            "created_at": created_at,
        }

    def stage_rows(self, deal: Deal) -> list[dict[str, Any]]:
        """The deal's history as stage_changes rows: from creation (from_stage None) to now."""
        return [
            {
                "id": self.ids.next("sc"),
                **deal.link,
                "from_stage": move.from_stage,
                "to_stage": move.to_stage,
                "at": at,
                "by": deal.owner,
                "reason": move.reason,
            }
            for move, at in zip(deal.history.moves, deal.times, strict=True)
        ]

    def count_follow_ups(self, deal: Deal, rows: list[dict[str, Any]]) -> None:
        """Tally missed / due today / gaps (an open deal with no open future follow-up)."""
        if not deal.is_open:
            return
        tally = self.tallies[deal.owner]
        tally.open_deals += 1
        today = deal.cal.today
        has_future = False
        for row in rows:
            if row["status"] != "open":
                continue
            due = row["due_at"]
            if due < self.now:
                tally.missed += 1
            else:
                has_future = True
                if due.astimezone(deal.cal.tz).date() == today:
                    tally.due_today += 1
        if not has_future:
            tally.gaps += 1

    def count_win(self, deal: Deal, commission: Decimal) -> None:
        local = deal.times[-1].astimezone(deal.cal.tz)
        key = (deal.owner, f"{local.year:04d}-{local.month:02d}")
        self.revenue[key] += commission
        self.won[key] += 1
