"""Demo buyer requests: a buyer, what they look for, their pipeline history and activity."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from crm_store.demo import activities, showings
from crm_store.demo.buyers import Search, make_search
from crm_store.demo.deal import Deal, money_words
from crm_store.demo.odds import Odds
from crm_store.demo.people import Person
from crm_store.demo.pipeline import BUYER_ODDS, History, buyer_history
from crm_store.demo.state import DemoState, TeamBroker
from crm_store.demo.texts import REOPEN_REASON, first_name
from crm_store.models import Appointment, BuyerRequest, Contact, FollowUp, Note, StageChange

# Share of buyers at a stage whose timeline is over a year (the nurturing pool, SPEC §4).
LONG_TIMELINE_SHARE = {
    "qualification": 0.25,
    "demand_research": 0.25,
    "viewing": 0.08,
    "closed_lost": 0.1,
}
BUYER_SIDE_PCTS = (Decimal("0.02"), Decimal("0.025"), Decimal("0.03"))
CENT = Decimal("0.01")
BUYER_ORIGINS = Odds(("ru", "uk", "gr"), (45, 30, 25))


def new_buyer(state: DemoState) -> None:
    """One buyer request; about one in ten comes from a client who also sells through us."""
    rng = state.rng
    stage = BUYER_ODDS.pick(rng)
    long_timeline = rng.random() < LONG_TIMELINE_SHARE.get(stage, 0.0)
    reopened = stage in ("qualification", "demand_research") and rng.random() < 0.03
    history = buyer_history(
        rng,
        stage,
        nurturing=long_timeline,
        fresh=stage == "qualification" and not reopened and rng.random() < 0.12,
        reopen_text="reopen" if reopened else "",
    )
    seller = None
    if state.sellers and rng.random() < 0.1:
        candidate = state.sellers[rng.randrange(len(state.sellers))]
        if candidate.created_day >= history.created_day:  # the client existed by then
            seller = candidate
    if seller is not None:
        owner, person, contact = seller.owner, seller.person, seller.contact
    else:
        origin = BUYER_ORIGINS.pick(rng)
        owner = state.owner_for(origin)
        cyrillic = origin == "ru" and rng.random() < (0.6 if owner.language == "ru" else 0.1)
        person, contact = state.people.person(origin, cyrillic=cyrillic), None
    language = "ru" if owner.language == "ru" and person.language == "ru" else "en"
    if reopened:  # the re-open move's reason in the broker's language
        reason = REOPEN_REASON[language]
        history = History(
            [replace(m, reason=reason) if m.reason == "reopen" else m for m in history.moves]
        )
    search = make_search(rng, language=language, long_timeline=long_timeline)
    write_buyer(state, person=person, owner=owner, contact=contact, search=search, history=history)


def write_buyer(
    state: DemoState,
    *,
    person: Person,
    owner: TeamBroker,
    contact: str | None,
    search: Search,
    history: History,
    follow_up: str | None = None,
    times: list[datetime] | None = None,
) -> str:
    """Write the buyer (unless `contact` exists already) and the request with its activity."""
    rng = state.rng
    cal = state.calendar(owner)
    times = times or [cal.past(move.day, rng) for move in history.moves]
    if contact is None:
        row = state.contact_row(
            person=person,
            owner=owner,
            role="buyer",
            created_at=times[0] - timedelta(minutes=rng.choice((0, 5, 15))),
        )
        state.sink.add(Contact, [row])
        contact = str(row["id"])
    stage = history.stage
    is_open = stage not in ("closed_won", "closed_lost")
    nurturing = (search.timeline_months or 0) > 12
    language = "ru" if owner.language == "ru" and person.language == "ru" else "en"
    deal = Deal(
        id=state.ids.next("r"),
        side="buyer",
        owner=owner.id,
        language=language,
        contact=contact,
        client=first_name(person.full_name),
        city=search.cities[0],
        district=search.districts[0] if search.districts else search.cities[0],
        history=history,
        times=times,
        cal=cal,
        is_open=is_open,
        nurturing=nurturing and is_open,
        property_types=search.property_types,
        districts=search.districts,
        budget_max=float(search.budget_max),
        money=money_words(float(search.budget_max)),
    )
    pct = rng.choice(BUYER_SIDE_PCTS)
    paid = search.budget_max
    if stage == "closed_won":  # the price actually paid, a little under the ceiling
        paid = Decimal(round(float(search.budget_max) * rng.uniform(0.85, 1.0) / 1000) * 1000)
    commission = (Decimal(round(paid * pct / 10) * 10)).quantize(CENT)
    row = {
        "id": deal.id,
        "owner": owner.id,
        "buyer": contact,
        "stage": stage,
        "budget_min": search.budget_min,
        "budget_max": search.budget_max,
        "cities": search.cities,
        "districts": search.districts,
        "property_types": search.property_types,
        "bedrooms_min": search.bedrooms_min,
        "must_haves": search.must_haves,
        "wishes": search.wishes,
        "timeline_months": search.timeline_months,
        "financing": search.financing,
        "nurturing": nurturing,
        "lost_reason": history.exit_reason(),
        "expected_commission": commission,
        "created_at": times[0],
        "updated_at": times[-1],
    }
    sink = state.sink
    sink.add(BuyerRequest, [row])
    sink.add(StageChange, state.stage_rows(deal))
    follow_ups = activities.follow_ups(
        rng, state.ids, deal, follow_up or activities.choose_state(rng, deal)
    )
    sink.add(FollowUp, follow_ups)
    appointments, showing_notes = showings.buyer_showings(rng, state.ids, deal, state.inventory)
    sink.add(Appointment, appointments)
    timeline = ""
    if search.timeline_months:
        unit = "мес." if language == "ru" else "months"
        timeline = f"{search.timeline_months} {unit}"
    intake = activities.intake_text(rng, deal, wishes=search.wishes, timeline=timeline)
    sink.add(Note, activities.notes(rng, state.ids, deal, intake=intake) + showing_notes)
    state.count_follow_ups(deal, follow_ups)
    if deal.nurturing:
        state.nurturing_buyers += 1
    if stage == "closed_won":
        state.count_win(deal, commission)
    return deal.id
