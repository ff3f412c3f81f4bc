"""Demo listings: a seller, the property, its pipeline history and everything done around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from crm_store.demo import activities, showings
from crm_store.demo.deal import Deal, money_words
from crm_store.demo.descriptions import describe
from crm_store.demo.odds import Odds
from crm_store.demo.people import Person
from crm_store.demo.pipeline import SELLER_ODDS, History, seller_history
from crm_store.demo.properties import Property, make_property
from crm_store.demo.showings import Showable
from crm_store.demo.state import DemoState, SellerToBe, TeamBroker
from crm_store.demo.texts import REACTIVATION_REASON, first_name
from crm_store.models import Appointment, Contact, FollowUp, Listing, Note, StageChange

COMMISSION_PCTS = ("2.00", "2.50", "3.00", "3.00", "3.00", "4.00", "5.00")
CENT = Decimal("0.01")
SELLER_ORIGINS = Odds(("gr", "ru", "uk"), (50, 28, 22))
LISTINGS_PER_SELLER = Odds((1, 2, 3), (92, 7, 1))
MANDATES = Odds(("exclusive", "open"), (40, 60))


@dataclass
class ListingPlan:
    """One listing to write; fields left None are drawn."""

    prop: Property
    history: History
    mandate: str | None = None
    commission_pct: Decimal | None = None
    follow_up: str | None = None  # a follow-up state of activities.FOLLOW_UP_MIX


def new_seller(state: DemoState, remaining: int) -> int:
    """One seller with one to three listings (at most `remaining`); returns how many."""
    rng = state.rng
    origin = SELLER_ORIGINS.pick(rng)
    owner = state.owner_for(origin)
    cyrillic = origin == "ru" and rng.random() < (0.6 if owner.language == "ru" else 0.1)
    person = state.people.person(origin, cyrillic=cyrillic)
    count = min(remaining, LISTINGS_PER_SELLER.pick(rng))
    plans = []
    for _ in range(count):
        stage = SELLER_ODDS.pick(rng)
        language = "ru" if owner.language == "ru" else "en"
        reactivated = stage == "active_listing" and rng.random() < 0.02
        history = seller_history(
            rng,
            stage,
            fresh=stage == "prospect" and rng.random() < 0.1,
            reactivation_text=REACTIVATION_REASON[language] if reactivated else "",
        )
        plans.append(ListingPlan(make_property(rng), history))
    write_seller(state, person=person, owner=owner, plans=plans)
    return count


def write_seller(
    state: DemoState, *, person: Person, owner: TeamBroker, plans: list[ListingPlan]
) -> str:
    """Write the seller contact and each planned listing with its history; returns contact id."""
    rng = state.rng
    cal = state.calendar(owner)
    all_times = [[cal.past(move.day, rng) for move in plan.history.moves] for plan in plans]
    first = min(times[0] for times in all_times)
    contact = state.contact_row(
        person=person,
        owner=owner,
        role="seller",
        created_at=first - timedelta(minutes=rng.choice((0, 5, 15))),
    )
    state.sink.add(Contact, [contact])
    for plan, times in zip(plans, all_times, strict=True):
        _write_listing(
            state, owner=owner, person=person, contact=contact["id"], plan=plan, times=times
        )
    state.sellers.append(
        SellerToBe(contact["id"], owner, person, max(plan.history.created_day for plan in plans))
    )
    return str(contact["id"])


def _write_listing(
    state: DemoState,
    *,
    owner: TeamBroker,
    person: Person,
    contact: str,
    plan: ListingPlan,
    times: list[Any],
) -> None:
    rng = state.rng
    prop, history = plan.prop, plan.history
    stage = history.stage
    language = "ru" if owner.language == "ru" and person.language == "ru" else "en"
    deal = Deal(
        id=state.ids.next("l"),
        side="seller",
        owner=owner.id,
        language=language,
        contact=contact,
        client=first_name(person.full_name),
        city=prop.city,
        district=prop.district,
        history=history,
        times=times,
        cal=state.calendar(owner),
        is_open=stage not in ("closed_won", "withdrawn"),
        money=money_words(float(prop.price)),
    )
    pct = plan.commission_pct or Decimal(rng.choice(COMMISSION_PCTS))
    mandate = plan.mandate
    if mandate is None and history.reached("agreement_signed"):
        mandate = MANDATES.pick(rng)
    listed_at = None
    if history.reached("active_listing"):
        listed_at = times[_last_index(history, "active_listing")]
    closed_price = None
    if history.reached("sold"):
        closed_price = Decimal(round(float(prop.price) * rng.uniform(0.9, 1.0) / 1000) * 1000)
    row = {
        "id": deal.id,
        "owner": owner.id,
        "seller": contact,
        "stage": stage,
        "mandate": mandate,
        "property_type": prop.property_type,
        "city": prop.city,
        "district": prop.district,
        "address": prop.address,
        "price": prop.price,
        "bedrooms": prop.bedrooms,
        "bathrooms": prop.bathrooms,
        "area_m2": prop.area_m2,
        "features": list(prop.features),
        "description": describe(rng, prop),
        "commission_pct": pct,
        "listed_at": listed_at,
        "closed_price": closed_price,
        "withdrawn_reason": history.exit_reason(),
        "created_at": times[0],
        "updated_at": times[-1],
    }
    sink = state.sink
    sink.add(Listing, [row])
    sink.add(StageChange, state.stage_rows(deal))
    follow_ups = activities.follow_ups(
        rng, state.ids, deal, plan.follow_up or activities.choose_state(rng, deal)
    )
    sink.add(FollowUp, follow_ups)
    sink.add(Appointment, showings.seller_meetings(rng, state.ids, deal))
    intake = activities.intake_text(rng, deal)
    sink.add(Note, activities.notes(rng, state.ids, deal, intake=intake))
    state.count_follow_ups(deal, follow_ups)
    if stage == "active_listing":
        state.active_listings += 1
    if listed_at is not None:
        off = history.entered("sold") if history.reached("sold") else history.entered("withdrawn")
        if stage == "active_listing":
            off = None
        state.inventory.add(
            prop.city,
            Showable(
                deal.id,
                history.entered("active_listing") or 0,
                off,
                prop.property_type,
                float(prop.price),
                prop.district,
                prop.features,
            ),
        )
    if stage == "closed_won" and closed_price is not None:
        state.count_win(deal, (closed_price * pct / 100).quantize(CENT))


def _last_index(history: History, stage: str) -> int:
    return max(i for i, move in enumerate(history.moves) if move.to_stage == stage)


def make_plan(state: DemoState, prop: Property, stage: str, **kw: Any) -> ListingPlan:
    """A plan for a listing whose property and stage are given (the seed's examples)."""
    return ListingPlan(prop, seller_history(state.rng, stage), **kw)
