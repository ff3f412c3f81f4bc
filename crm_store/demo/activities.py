"""Follow-ups and notes of a demo deal: done ones behind, missed, due today, later — and gaps."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from crm_store.demo import texts
from crm_store.demo.deal import Deal, Ids
from crm_store.demo.odds import Odds
from crm_store.places import place_name

# What is going on with a deal's next follow-up (SPEC §4), as the generator chooses it.
FOLLOW_UP_MIX = {
    "missed": 8,
    "missed_and_future": 3,
    "today": 9,
    "tomorrow": 14,
    "later": 60,
    "gap": 6,
}
NURTURING_MIX = {"missed": 5, "later": 90, "gap": 5}
FOLLOW_UP_ODDS = Odds.of(FOLLOW_UP_MIX)
NURTURING_ODDS = Odds.of(NURTURING_MIX)
CHANNEL_ODDS = Odds(("call", "message", "email", "meeting"), (45, 30, 15, 10))
OVERDUE_DAYS = Odds((1, 2, 3, 5, 8), (35, 25, 20, 12, 8))
HOT = {"decision", "signing", "payment", "sold", "commission_payment"}
COLD = {"prospect", "qualification"}


def choose_state(rng: random.Random, deal: Deal) -> str:
    if deal.history.created_day == 0:
        return rng.choice(("today", "tomorrow"))  # a brand-new lead gets a first call soon
    return (NURTURING_ODDS if deal.nurturing else FOLLOW_UP_ODDS).pick(rng)


def _purpose(rng: random.Random, deal: Deal, day: int) -> str:
    bank = texts.PURPOSES[deal.language]
    key = "nurturing" if deal.nurturing else deal.stage_on(day)
    template = rng.choice(bank[key])
    district = place_name(deal.district, deal.language)
    return template.format(name=deal.client, district=district)


def _row(ids: Ids, rng: random.Random, deal: Deal, day: int, **values: Any) -> dict[str, Any]:
    """A follow-up `day` working days back (negative: ahead), worded for the stage then."""
    row = {
        "id": ids.next("f"),
        "owner": deal.owner,
        "contact": deal.contact,
        **deal.link,
        "channel": CHANNEL_ODDS.pick(rng),
        "purpose": _purpose(rng, deal, day),
        "status": "open",
        "completed_at": None,
        "outcome": None,
    }
    row.update(values)
    return row


def follow_ups(rng: random.Random, ids: Ids, deal: Deal, state: str) -> list[dict[str, Any]]:
    """The deal's follow-ups: a few done in the past, then the open one(s) `state` asks for."""
    cal = deal.cal
    rows: list[dict[str, Any]] = []
    # Done ones fall strictly between the day the deal was opened and today (or its close).
    newest = 1 if deal.is_open else deal.history.last_day + 1
    oldest = deal.history.created_day - 1
    done = 0
    if oldest >= newest:
        done = rng.randint(0 if deal.is_open else 1, min(3, 1 + (oldest - newest) // 6))
    for day in sorted((rng.randint(newest, oldest) for _ in range(done)), reverse=True):
        due = cal.past(day, rng)
        if rng.random() < 0.08:
            rows.append(_row(ids, rng, deal, day, due_at=due, status="cancelled"))
            continue
        completed = due + timedelta(minutes=rng.choice((0, 5, 10, 30, 60, 120)))
        bank = texts.SELLER_OUTCOMES if deal.side == "seller" else texts.BUYER_OUTCOMES
        outcome = texts.pick(rng, bank, deal.language)
        rows.append(
            _row(
                ids,
                rng,
                deal,
                day,
                due_at=due,
                status="done",
                completed_at=completed,
                outcome=outcome,
            )
        )
    if not deal.is_open or state == "gap":
        return rows
    if state.startswith("missed") and deal.history.created_day >= 1:
        day = min(deal.history.created_day, OVERDUE_DAYS.pick(rng))
        rows.append(_row(ids, rng, deal, day, due_at=cal.past(day, rng)))
        if state == "missed":
            return rows
        state = "later"
    if state == "today":
        later = cal.later_today(rng)
        if later is not None:
            rows.append(_row(ids, rng, deal, 0, due_at=later))
            return rows
        state = "tomorrow"
    if state == "tomorrow":
        rows.append(_row(ids, rng, deal, 0, due_at=cal.ahead(1, rng)))
        return rows
    rows.append(_row(ids, rng, deal, 0, due_at=cal.ahead(_later_days(rng, deal), rng)))
    return rows


def _later_days(rng: random.Random, deal: Deal) -> int:
    """Working days to the next touch by temperature (SPEC §4): hot 1–2 … nurturing monthly."""
    if deal.nurturing:
        return rng.randint(18, 26)
    if deal.stage in HOT:
        return rng.randint(2, 3)
    if deal.stage in COLD:
        return rng.randint(5, 12)
    return rng.randint(3, 7)


def notes(rng: random.Random, ids: Ids, deal: Deal, *, intake: str) -> list[dict[str, Any]]:
    """An intake note when the deal was opened, and now and then a dictated one."""
    cal = deal.cal
    rows: list[dict[str, Any]] = []

    def note(day: int, text: str, source: str = "text", at: datetime | None = None) -> None:
        rows.append(
            {
                "id": ids.next("n"),
                "author": deal.owner,
                "contact": deal.contact,
                **deal.link,
                "text": text,
                "source": source,
                "transcript": text if source == "voice" else None,
                "facts": None,
                "created_at": at or cal.past(day, rng),
            }
        )

    created = deal.history.created_day
    if rng.random() < 0.6 and created >= 1:
        note(created, intake, at=deal.times[0] + timedelta(minutes=rng.choice((5, 10, 20, 40))))
    listed = deal.stay("active_listing")
    if listed and rng.random() < 0.3:
        start, end = listed
        note(rng.randint(end, start), texts.pick(rng, texts.LISTING_NOTES, deal.language))
    if created >= 2 and rng.random() < 0.15:
        district = place_name(deal.district, deal.language)
        text = texts.pick(rng, texts.DICTATED_NOTES, deal.language).format(
            name=deal.client, district=district
        )
        newest = 1 if deal.is_open else deal.history.last_day + 1
        day = rng.randint(newest, max(newest, min(created - 1, newest + 20)))
        note(day, text, rng.choice(("dictation", "dictation", "voice")))
    return rows


def intake_text(rng: random.Random, deal: Deal, *, wishes: str = "", timeline: str = "") -> str:
    """The first note a broker writes about a new client, buyer or seller."""
    lang = deal.language
    if deal.side == "seller":
        candidates = texts.SELLER_INTAKE[lang]
    elif timeline:
        candidates = (*texts.BUYER_INTAKE[lang], texts.BUYER_INTAKE_TIMELINE[lang])
    else:
        candidates = texts.BUYER_INTAKE[lang]
    template = rng.choice(candidates)
    return template.format(
        name=deal.client,
        budget=deal.money,
        price=deal.money,
        district=place_name(deal.district, deal.language),
        wishes=wishes.capitalize() + "." if wishes else "",
        timeline=timeline,
    ).strip()
