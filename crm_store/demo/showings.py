"""Appointments of a demo deal: seller meetings, buyer showings with per-listing feedback."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from crm_store.demo import texts
from crm_store.demo.deal import Deal, Ids
from crm_store.demo.odds import Odds
from crm_store.places import place_name

REACTION_ODDS = Odds(("liked", "neutral", "disliked"), (35, 40, 25))
SHOWING_OUTCOMES = Odds(("done", "no_show", "cancelled"), (85, 10, 5))


@dataclass(frozen=True)
class Showable:
    """A listing that was on the market from `listed_day` until `off_day` (None: still is)."""

    id: str
    listed_day: int
    off_day: int | None
    property_type: str
    price: float
    district: str
    features: tuple[str, ...]


@dataclass
class Inventory:
    """The team's listings per city, for picking what a buyer was (or will be) shown."""

    by_city: dict[str, list[Showable]] = field(default_factory=dict)
    by_district: dict[str, list[Showable]] = field(default_factory=dict)

    def add(self, city: str, item: Showable) -> None:
        self.by_city.setdefault(city, []).append(item)
        self.by_district.setdefault(item.district, []).append(item)

    def pick(self, rng: random.Random, deal: Deal, day: int, count: int) -> list[Showable]:
        """Up to `count` listings on the market on `day` (0 = from now on) that fit the buyer."""
        city_pool = self.by_city.get(deal.city) or []
        if not city_pool:
            return []
        chosen: list[Showable] = []
        for attempt in range(count * 8):
            pool = city_pool
            if deal.districts and attempt < count * 5:  # the buyer's districts first
                pool = self.by_district.get(rng.choice(deal.districts)) or city_pool
            item = pool[rng.randrange(len(pool))]
            on_market = item.listed_day >= day and (item.off_day is None or item.off_day <= day)
            fits = item.property_type in deal.property_types and (
                deal.budget_max is None or item.price <= deal.budget_max * 1.1
            )
            if on_market and fits and item not in chosen:
                chosen.append(item)
                if len(chosen) == count:
                    break
        return chosen


def _appointment(ids: Ids, deal: Deal, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": ids.next("a"),
        "owner": deal.owner,
        "contact": deal.contact,
        **deal.link,
        "listings": [],
        "status": "done",
        "feedback": [],
        "next_step": None,
    }
    row.update(values)
    return row


def seller_meetings(rng: random.Random, ids: Ids, deal: Deal) -> list[dict[str, Any]]:
    """The valuation visit, the signing of the agreement, and a photoshoot still to come."""
    cal, lang = deal.cal, deal.language
    titles = texts.SELLER_MEETINGS.get(lang, texts.SELLER_MEETINGS["en"])
    rows = []
    for stage, title, chance in (
        ("contacted", titles[0], 0.7),
        ("agreement_signed", titles[1], 0.5),
    ):
        stay = deal.stay(stage)
        if stay and rng.random() < chance:
            when = cal.past(rng.randint(stay[1], stay[0]), rng)
            rows.append(_appointment(ids, deal, scheduled_at=when, next_step=title))
    if deal.is_open and deal.stage == "agreement_signed" and rng.random() < 0.5:
        when = cal.ahead(rng.randint(1, 5), rng)
        rows.append(
            _appointment(ids, deal, scheduled_at=when, status="scheduled", next_step=titles[2])
        )
    return rows


def buyer_showings(
    rng: random.Random, ids: Ids, deal: Deal, inventory: Inventory
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A first office meeting, past showings with feedback, maybe one booked ahead; and notes."""
    cal, lang = deal.cal, deal.language
    rows: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    research = deal.stay("demand_research")
    if research and rng.random() < 0.5:
        when = cal.past(rng.randint(research[1], research[0]), rng)
        rows.append(
            _appointment(
                ids,
                deal,
                scheduled_at=when,
                next_step=texts.pick(rng, texts.FIRST_MEETING_STEPS, lang),
            )
        )
    viewing = deal.stay("viewing")
    if viewing:
        start, end = viewing
        for day in sorted(
            {rng.randint(end, start) for _ in range(rng.randint(1, 3))}, reverse=True
        ):
            shown = inventory.pick(rng, deal, day, rng.randint(1, 3))
            if not shown:
                continue
            when = cal.past(day, rng)
            status = SHOWING_OUTCOMES.pick(rng)
            row = _appointment(
                ids, deal, scheduled_at=when, status=status, listings=[item.id for item in shown]
            )
            if status == "done":
                row["feedback"] = [_feedback(rng, lang, item) for item in shown]
                row["next_step"] = texts.pick(rng, texts.NEXT_STEPS, lang)
                if rng.random() < 0.35:
                    notes.append(_showing_note(rng, ids, deal, when, shown))
            elif status == "no_show":
                row["next_step"] = texts.NO_SHOW_STEP[lang]
            rows.append(row)
    if deal.is_open and deal.stage in ("viewing", "decision") and rng.random() < 0.4:
        shown = inventory.pick(rng, deal, 0, rng.randint(1, 3))
        if shown:
            rows.append(
                _appointment(
                    ids,
                    deal,
                    scheduled_at=cal.ahead(rng.randint(1, 6), rng),
                    status="scheduled",
                    listings=[item.id for item in shown],
                )
            )
    return rows, notes


def _feedback(rng: random.Random, lang: str, item: Showable) -> dict[str, str]:
    reaction = REACTION_ODDS.pick(rng)
    if reaction == "liked":
        words = texts.FEATURE_WORDS[lang]
        liked = [words[f] for f in item.features if f in words]
        bank = texts.LIKED[lang] if liked else texts.LIKED[lang][1:]
        text = rng.choice(bank).format(feature=rng.choice(liked) if liked else "")
    elif reaction == "neutral":
        text = rng.choice(texts.NEUTRAL[lang])
    else:
        text = rng.choice(texts.DISLIKED[lang])
    return {"listing": item.id, "reaction": reaction, "text": text}


def _showing_note(
    rng: random.Random, ids: Ids, deal: Deal, when: Any, shown: list[Showable]
) -> dict[str, Any]:
    template = rng.choice(texts.SHOWING_NOTES[deal.language])
    text = template.format(
        name=deal.client, count=len(shown), district=place_name(shown[0].district, deal.language)
    )
    return {
        "id": ids.next("n"),
        "author": deal.owner,
        "contact": deal.contact,
        **deal.link,
        "text": text,
        "source": "text",
        "transcript": None,
        "facts": None,
        "created_at": when + timedelta(minutes=rng.choice((50, 70, 90))),
    }
