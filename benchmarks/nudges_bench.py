"""Nudge pass time (SPEC §10 `nudges.pass_ms`): a brokerage of 5k open deals and 10k open
follow-ups, a first pass that records and delivers, then the steady-state pass that finds
nothing new (the headline: what the daemon pays every minute)."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from benchmarks.common import result, say, temporary_store
from crm_store.clock import FrozenClock
from crm_store.models import (
    Appointment,
    Broker,
    BuyerRequest,
    Contact,
    FollowUp,
    Listing,
    Note,
    StageChange,
)
from crm_store.repositories.base import bulk_insert, reset_counters
from crm_store.vocabulary import BUYER_STAGES, SELLER_STAGES

SEED = 20260310
# A Tuesday mid-morning in Limassol: the digest, missed, gap and stale windows are all open.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Nicosia"))
BROKERS = 20
CLOSED_DEALS = 1000


def build_store(
    sessions: sessionmaker[Session], *, follow_ups: int, deals: int, now: datetime = NOW
) -> None:
    """Bulk-insert a brokerage: `deals` open deals (half listings, half buyer requests) each with
    its client, `follow_ups` open follow-ups spread from three weeks ago to a month ahead,
    closed deals for the learned rates, stage history, appointments and notes."""
    rng = random.Random(SEED)
    rows: dict[type, list[dict[str, Any]]] = {model: [] for model in _ORDER}
    zones = ["Asia/Nicosia"] * 3 + ["Europe/Moscow", "Europe/Athens"]
    for number in range(1, BROKERS + 1):
        rows[Broker].append(
            {
                "id": f"b-{number}", "name": f"Broker {number}",
                "role": "manager" if number in (1, 11) else "broker",
                "team": "north" if number <= 10 else "south",
                "timezone": zones[number % len(zones)], "language": "ru" if number % 3 else "en",
                "telegram_user_id": None, "slack_user_id": None, "active": True,
            }
        )  # fmt: skip
    total = deals + CLOSED_DEALS
    for number in range(1, total + 1):
        owner = f"b-{rng.randint(1, BROKERS)}"
        contact = f"c-{number}"
        created = now - timedelta(days=rng.randint(3, 200))
        rows[Contact].append(
            {
                "id": contact, "owner": owner, "full_name": f"Client {number}", "phones": [],
                "emails": [], "language": None, "source": "referral", "tags": [],
                "created_at": created,
            }
        )  # fmt: skip
        closed = number > deals
        if number % 2:
            stage = "closed_won" if closed else rng.choice(SELLER_STAGES[:-1])
            rows[Listing].append(_listing(number, owner, contact, stage, created, rng))
            link = {"listing_id": f"l-{number}", "buyer_request_id": None}
        else:
            stage = (
                rng.choice(["closed_won", "closed_lost"])
                if closed
                else rng.choice(BUYER_STAGES[:-1])
            )
            rows[BuyerRequest].append(_request(number, owner, contact, stage, created, rng))
            link = {"listing_id": None, "buyer_request_id": f"r-{number}"}
        rows[StageChange].append(
            {"id": f"sc-{number}", **link, "from_stage": None, "to_stage": stage,
             "at": created + timedelta(days=1), "by": owner, "reason": None}
        )  # fmt: skip
        if rng.random() < 0.5:
            rows[Note].append(
                {"id": f"n-{number}", "author": owner, "contact": contact, **link,
                 "text": "Spoke to the client.", "source": "text", "transcript": None,
                 "facts": None, "created_at": now - timedelta(days=rng.randint(0, 30))}
            )  # fmt: skip
        if rng.random() < 0.4:
            held = now + timedelta(hours=rng.randint(-30 * 24, 7 * 24))
            rows[Appointment].append(
                {"id": f"a-{number}", "owner": owner, "contact": contact, **link,
                 "listings": [], "scheduled_at": held,
                 "status": "done" if held < now else "scheduled", "feedback": [],
                 "next_step": None}
            )  # fmt: skip
    open_deals = [(r["id"], r["owner"], r["seller"], "listing_id") for r in rows[Listing]]
    open_deals += [
        (r["id"], r["owner"], r["buyer"], "buyer_request_id") for r in rows[BuyerRequest]
    ]
    open_deals = [d for d in open_deals if int(d[0].split("-")[1]) <= deals]
    for number in range(1, follow_ups + 1):
        deal_id, owner, contact, column = open_deals[number % len(open_deals)]
        due = now + timedelta(minutes=rng.randint(-21 * 24 * 60, 30 * 24 * 60))
        rows[FollowUp].append(
            {"id": f"f-{number}", "owner": owner, "contact": contact, "listing_id": None,
             "buyer_request_id": None, column: deal_id, "due_at": due,
             "channel": rng.choice(["call", "message", "email", "meeting"]),
             "purpose": "check in", "status": "open", "completed_at": None, "outcome": None}
        )  # fmt: skip
    with sessions() as session:
        for model in _ORDER:
            bulk_insert(session, model, rows[model])
        reset_counters(session)
        session.commit()


def _listing(
    number: int, owner: str, seller: str, stage: str, created: datetime, rng: random.Random
) -> dict[str, Any]:
    price = Decimal(rng.randrange(150_000, 2_000_000, 5_000))
    return {
        "id": f"l-{number}", "owner": owner, "seller": seller, "stage": stage,
        "mandate": rng.choice(["exclusive", "open"]), "property_type": "apartment",
        "city": "Limassol", "district": "Germasogeia", "address": f"{number} Seafront Road",
        "price": price, "bedrooms": rng.randint(1, 5), "bathrooms": 2, "area_m2": 120.0,
        "features": [], "description": None, "commission_pct": Decimal("3.00"),
        "listed_at": created if stage != "prospect" else None,
        "closed_price": price if stage == "closed_won" else None, "withdrawn_reason": None,
        "created_at": created, "updated_at": created,
    }  # fmt: skip


def _request(
    number: int, owner: str, buyer: str, stage: str, created: datetime, rng: random.Random
) -> dict[str, Any]:
    budget = Decimal(rng.randrange(200_000, 2_000_000, 10_000))
    timeline = rng.choice([3, 6, 12, 18])
    return {
        "id": f"r-{number}", "owner": owner, "buyer": buyer, "stage": stage,
        "budget_min": None, "budget_max": budget, "cities": ["Limassol"], "districts": [],
        "property_types": [], "bedrooms_min": 2, "must_haves": [], "wishes": None,
        "timeline_months": timeline, "financing": rng.choice(["cash", "mortgage", "unknown"]),
        "nurturing": timeline > 12,
        "lost_reason": "budget" if stage == "closed_lost" else None,
        "expected_commission": (budget * Decimal("0.02")).quantize(Decimal("0.01")),
        "created_at": created, "updated_at": created,
    }  # fmt: skip


_ORDER: tuple[type, ...] = (
    Broker, Contact, Listing, BuyerRequest, StageChange, FollowUp, Appointment, Note,
)  # fmt: skip


class _Accepting:
    """A channel that accepts everything at once (the pass is measured, not a network)."""

    def __init__(self) -> None:
        self.delivered = 0

    def deliver(self, broker: Any, notification: Any, text: str, actions: Any) -> None:
        self.delivered += 1


def run(
    *, progress: bool = False, follow_ups: int = 10_000, deals: int = 5_000
) -> list[dict[str, Any]]:
    """The first pass (records and delivers everything due) and the steady-state pass."""
    from channels.nudges.runner import run_once

    params = {"follow_ups": follow_ups, "deals": deals}
    with temporary_store(prefix="bench-nudges-") as store:
        say(progress, f"nudges: building {deals} open deals, {follow_ups} open follow-ups")
        build_store(store.sessions, follow_ups=follow_ups, deals=deals)
        clock = FrozenClock(NOW)
        channel = _Accepting()
        timings: list[float] = []
        reports = []
        for _ in range(3):
            start = time.perf_counter()
            reports.append(run_once(session_factory=store.sessions, clock=clock, channel=channel))
            timings.append((time.perf_counter() - start) * 1000.0)
        first = reports[0]
        recorded = sum(first.recorded.values())
        say(progress, f"nudges: first pass {timings[0]:.0f} ms ({first.summary()})")
        say(progress, f"nudges: steady-state passes {timings[1]:.0f} ms, {timings[2]:.0f} ms")
        steady = min(timings[1:])
        return [
            result("nudges.pass_ms", steady, "ms", **params, **{"pass": "steady_state"}),
            result(
                "nudges.first_pass_ms", timings[0], "ms", **params, **{"pass": "first"},
                recorded=recorded, delivered=sum(first.sent.values()),
            ),
        ]  # fmt: skip
