"""The demo brokerage is deterministic, refuses a used store, and looks like a real agency."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_store.clock import FrozenClock
from crm_store.context import SYSTEM, Ctx
from crm_store.db import make_engine, make_session_factory
from crm_store.demo import DemoSummary, generate_demo, render_summary
from crm_store.errors import InvalidInput
from crm_store.models import (
    Appointment,
    Base,
    Broker,
    BuyerRequest,
    Contact,
    FollowUp,
    IdCounter,
    Listing,
    Note,
    Plan,
    StageChange,
)
from crm_store.places import CITIES, DISTRICTS, city_of
from crm_store.repositories.base import next_id
from crm_store.vocabulary import (
    BUYER_EXIT,
    BUYER_STAGES,
    FEATURES,
    LOST_REASONS,
    REACTIONS,
    SELLER_EXIT,
    SELLER_STAGES,
    WITHDRAWN_REASONS,
)
from tests.conftest import TUESDAY_9AM
from tests.factories import make_broker

NICOSIA = ZoneInfo("Asia/Nicosia")
TABLES: tuple[type[Base], ...] = (
    Broker,
    Contact,
    Listing,
    BuyerRequest,
    StageChange,
    FollowUp,
    Appointment,
    Note,
    Plan,
    IdCounter,
)

# Sane asking prices per m² (covered area; land for plots), set independently of the generator:
# a Limassol sea-front penthouse may reach ~€20k/m², a Nicosia flat is never under ~€1k/m².
BUILT_BAND = {
    "Limassol": (1800, 21000),
    "Paphos": (1000, 9000),
    "Larnaca": (1100, 9500),
    "Nicosia": (1000, 6500),
    "Famagusta": (1200, 10000),
}
LAND_BAND = (60, 1500)


@pytest.fixture(scope="module")
def demo(template_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One N=300 demo shared by the read-only realism checks of this module."""
    session, summary = _generate(template_store, tmp_path_factory.mktemp("demo"), listings=300)
    yield session, summary
    session.close()


def _generate(
    template: Path,
    folder: Path,
    *,
    listings: int,
    seed: int | None = None,
    at: datetime = TUESDAY_9AM,
) -> tuple[Session, DemoSummary]:
    target = folder / "store.sqlite"
    shutil.copy(template, target)
    engine = make_engine(f"sqlite:///{target}")
    session = make_session_factory(engine)()
    ctx = Ctx(session=session, actor=SYSTEM, clock=FrozenClock(at))
    kwargs: dict[str, Any] = {"listings": listings}
    if seed is not None:
        kwargs["seed"] = seed
    summary = generate_demo(ctx, **kwargs)
    session.commit()
    return session, summary


def _all(session: Session, model: type[Any]) -> list[Any]:
    return list(session.execute(select(model)).scalars())


def _rows(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    dump = {}
    for model in TABLES:
        columns = [c.key for c in model.__table__.columns]
        records = [tuple(getattr(r, c) for c in columns) for r in _all(session, model)]
        dump[model.__tablename__] = sorted(records, key=repr)
    return dump


# --- determinism and safety -------------------------------------------------------------------


def test_same_seed_and_clock_give_identical_stores(template_store, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = _generate(template_store, tmp_path / "a", listings=60)
    second, _ = _generate(template_store, tmp_path / "b", listings=60)
    assert _rows(first) == _rows(second)
    assert len(_rows(first)["follow_ups"]) > 60


_GENERATE_IN_A_PROCESS = """
import sys
from datetime import datetime
from zoneinfo import ZoneInfo
from crm_store.clock import FrozenClock
from crm_store.context import Ctx
from crm_store.db import make_engine, make_session_factory
from crm_store.demo import generate_demo
session = make_session_factory(make_engine("sqlite:///" + sys.argv[1]))()
clock = FrozenClock(datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Nicosia")))
generate_demo(Ctx(session=session, clock=clock), listings=40)
session.commit()
"""


@pytest.mark.slow
def test_two_processes_with_different_hash_seeds_give_identical_stores(template_store, tmp_path):
    """String hashing differs per process: nothing may depend on set or dict-of-set order."""
    dumps = []
    for hash_seed in ("1", "2"):
        target = tmp_path / f"store-{hash_seed}.sqlite"
        shutil.copy(template_store, target)
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-c", _GENERATE_IN_A_PROCESS, str(target)],
            check=True,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            timeout=300,
        )
        session = make_session_factory(make_engine(f"sqlite:///{target}"))()
        dumps.append(_rows(session))
        session.close()
    assert dumps[0] == dumps[1]


def test_another_seed_gives_another_brokerage(template_store, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = _generate(template_store, tmp_path / "a", listings=40)
    other, _ = _generate(template_store, tmp_path / "b", listings=40, seed=7)
    assert _rows(first)["listings"] != _rows(other)["listings"]


def test_dates_follow_the_clock(template_store, tmp_path):
    later = datetime(2026, 6, 16, 9, 0, tzinfo=NICOSIA)
    session, _ = _generate(template_store, tmp_path, listings=30, at=later)
    created = [c.created_at for c in _all(session, Contact)]
    assert max(created) < later
    assert max(created) > datetime(2026, 3, 20, tzinfo=NICOSIA)  # moved with the clock


def test_refuses_a_store_that_already_has_data(ctx):
    make_broker(ctx, name="Existing Broker")
    with pytest.raises(InvalidInput) as raised:
        generate_demo(ctx, listings=10)
    assert "already has data" in raised.value.message("en")
    assert "fresh store" in raised.value.message("en")
    assert "уже есть данные" in raised.value.message("ru")
    assert len(_all(ctx.session, Broker)) == 1
    assert _all(ctx.session, Listing) == []


def test_ids_are_readable_and_counters_continue(demo):
    session, summary = demo
    contacts = summary.counts["contacts"]
    assert {c.id for c in _all(session, Contact)} == {f"c-{i}" for i in range(1, contacts + 1)}
    assert next_id(session, Contact) == f"c-{contacts + 1}"
    session.rollback()


# --- the team and the seed's clients ------------------------------------------------------------


def test_team_has_a_manager_and_english_and_russian_brokers(demo):
    session, _ = demo
    brokers = _all(session, Broker)
    assert len({b.team for b in brokers}) == 1
    assert [b.name for b in brokers if b.role == "manager"] == ["Sophia Christodoulou"]
    by_name = {b.name: b for b in brokers}
    assert by_name["Anna Georgiou"].language == "en"
    assert by_name["Michael Andreou"].language == "en"
    assert by_name["Dmitry Volkov"].language == "ru"
    assert by_name["Elena Sokolova"].language == "ru"
    assert all(b.timezone == "Asia/Nicosia" and b.telegram_user_id is None for b in brokers)
    assert len([b for b in brokers if b.role == "broker"]) >= 4


def test_the_seed_clients_are_there_as_the_model_describes_them(demo):
    session, _ = demo
    brokers = {b.id: b.name for b in _all(session, Broker)}
    contacts = {c.full_name: c for c in _all(session, Contact)}
    ivan, maria, olga = (
        contacts["Ivan Petrov"],
        contacts["Maria Ivanova"],
        contacts["Olga Smirnova"],
    )
    (request,) = session.execute(
        select(BuyerRequest).where(BuyerRequest.buyer == ivan.id)
    ).scalars()
    assert brokers[request.owner] == "Anna Georgiou" == brokers[ivan.owner]
    assert request.budget_max == Decimal("500000.00")
    assert request.cities == ["Limassol"]
    assert 3 <= request.timeline_months <= 6 and not request.nurturing
    (villa,) = session.execute(select(Listing).where(Listing.seller == maria.id)).scalars()
    assert (villa.property_type, villa.city, villa.price) == (
        "villa",
        "Paphos",
        Decimal("850000.00"),
    )
    assert (villa.mandate, villa.stage) == ("exclusive", "agreement_signed")
    assert olga.language == "ru" and brokers[olga.owner] == "Dmitry Volkov"
    # They keep the first ids, so examples and evals can name them.
    assert (ivan.id, maria.id, olga.id, villa.id, request.id) == ("c-1", "c-2", "c-3", "l-1", "r-1")
    assert sum(1 for name in contacts if name in ("Ivan Petrov", "Maria Ivanova")) == 2


def test_clients_have_en_ru_and_cypriot_names_and_real_phone_numbers(demo):
    session, _ = demo
    contacts = _all(session, Contact)
    assert any(any("а" <= ch <= "я" for ch in c.full_name.lower()) for c in contacts)
    assert any(c.full_name.endswith("ou") for c in contacts)  # Cypriot surnames
    assert {c.language for c in contacts} == {"en", "ru"}
    for contact in contacts:
        assert contact.phones, contact.full_name
        for phone in contact.phones:
            parsed = phonenumbers.parse(phone)
            assert phonenumbers.is_valid_number(parsed), phone
            assert phone == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        assert all("@" in email for email in contact.emails)
    phones = [p for c in contacts for p in c.phones]
    assert len(phones) == len(set(phones))
    countries = {phonenumbers.parse(p).country_code for p in phones}
    assert countries == {357, 7, 44}


# --- listings -----------------------------------------------------------------------------------


def test_listings_are_in_canonical_places(demo):
    session, _ = demo
    for listing in _all(session, Listing):
        assert listing.city in CITIES
        assert listing.district in DISTRICTS[listing.city]
        assert city_of(listing.district) == listing.city


def test_prices_per_square_metre_are_sane_for_city_and_type(demo):
    session, _ = demo
    per_m2: dict[tuple[str, str], list[float]] = defaultdict(list)
    for listing in _all(session, Listing):
        rate = float(listing.price) / listing.area_m2
        low, high = LAND_BAND if listing.property_type == "plot" else BUILT_BAND[listing.city]
        assert low <= rate <= high, (listing.id, listing.city, listing.property_type, rate)
        per_m2[(listing.city, listing.property_type)].append(rate)
        assert listing.price == listing.price.quantize(Decimal("1000"))
        assert Decimal("2") <= listing.commission_pct <= Decimal("5")

    # Limassol costs more than Paphos, sea-front Limassol more than inland Limassol.
    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    assert mean(per_m2[("Limassol", "apartment")]) > 1.3 * mean(per_m2[("Paphos", "apartment")])
    front = [
        float(x.price) / x.area_m2
        for x in _all(session, Listing)
        if x.district in ("Potamos Germasogeia", "Agios Tychonas")
        and x.property_type == "apartment"
    ]
    inland = [
        float(x.price) / x.area_m2
        for x in _all(session, Listing)
        if x.district in ("Ypsonas", "Kato Polemidia") and x.property_type == "apartment"
    ]
    assert mean(front) > 1.5 * mean(inland)


def test_sizes_and_features_fit_the_property_type(demo):
    session, _ = demo
    listings = _all(session, Listing)
    for listing in listings:
        assert set(listing.features) <= set(FEATURES)
        kind = listing.property_type
        if kind in ("plot", "commercial"):
            assert listing.bedrooms is None
        if kind == "plot":
            assert listing.bathrooms is None
            assert set(listing.features) <= {"sea_view", "mountain_view", "beachfront"}
        else:
            assert listing.bathrooms >= 1
        if kind == "penthouse":
            assert "roof_garden" in listing.features and listing.bedrooms >= 2
        if kind == "villa":
            assert "pool" in listing.features and listing.bedrooms >= 3
            assert listing.area_m2 >= 150
        if kind == "apartment":
            assert 0 <= listing.bedrooms <= 4 and 25 <= listing.area_m2 <= 250
        if listing.city == "Nicosia":
            assert "sea_view" not in listing.features
    assert {x.property_type for x in listings} >= {"apartment", "villa", "plot", "penthouse"}


def test_descriptions_vary_and_state_features_in_prose(demo):
    session, _ = demo
    listings = _all(session, Listing)
    texts = [x.description for x in listings]
    assert len(set(texts)) == len(texts)
    openings = {t.split(".")[0].split(" in ")[0] for t in texts}
    assert len(openings) > 20  # not one template with the blanks filled
    sea = [x for x in listings if "sea_view" in x.features]
    said = [
        x for x in sea if "sea" in x.description.lower() or "mediterranean" in x.description.lower()
    ]
    assert len(said) > 0.7 * len(sea)
    # Some specifics live only in the text, as in real adverts.
    hidden = [
        x
        for x in listings
        if "fireplace" in x.description.lower() and "fireplace" not in x.features
    ]
    assert hidden
    assert all(x.address and x.district in x.address for x in listings)


def test_closed_and_withdrawn_listings_carry_their_outcome(demo):
    session, _ = demo
    listings = _all(session, Listing)
    for listing in listings:
        if listing.stage in ("sold", "commission_payment", "closed_won"):
            assert listing.closed_price is not None and listing.closed_price <= listing.price
        if listing.stage == SELLER_EXIT:
            assert listing.withdrawn_reason in WITHDRAWN_REASONS
        else:
            assert listing.withdrawn_reason is None
    stages = [x.stage for x in listings]
    assert stages.count("active_listing") > len(stages) / 3
    assert {"closed_won", SELLER_EXIT, "prospect"} <= set(stages)


# --- buyers -------------------------------------------------------------------------------------


def test_buyer_requests_are_consistent_with_the_inventory(demo):
    session, _ = demo
    requests = _all(session, BuyerRequest)
    active = [x for x in _all(session, Listing) if x.stage == "active_listing"]
    matched = 0
    for request in requests:
        assert request.nurturing == ((request.timeline_months or 0) > 12)
        assert request.budget_min is None or request.budget_min < request.budget_max
        assert all(city in CITIES for city in request.cities)
        assert all(city_of(d) in request.cities for d in request.districts)
        assert set(request.must_haves) <= set(FEATURES)
        assert request.wishes
        if request.stage == BUYER_EXIT:
            assert request.lost_reason in LOST_REASONS
        else:
            assert request.lost_reason is None
        if any(
            x.city in request.cities
            and x.property_type in request.property_types
            and x.price <= request.budget_max * Decimal("1.1")
            for x in active
        ):
            matched += 1
    assert matched > 0.6 * len(requests)
    assert any(r.nurturing for r in requests)
    assert any(any("а" <= ch <= "я" for ch in r.wishes) for r in requests)
    assert {r.stage for r in requests} >= {"closed_won", BUYER_EXIT, "viewing", "qualification"}


# --- history and activity ---------------------------------------------------------------------


def _legal(side: str, moves: list[StageChange]) -> None:
    order = SELLER_STAGES if side == "seller" else BUYER_STAGES
    exit_stage = SELLER_EXIT if side == "seller" else BUYER_EXIT
    back_to = ("contacted", "active_listing") if side == "seller" else ("qualification",)
    exits_from = order[: order.index("sold")] if side == "seller" else order[:-1]
    reasons = WITHDRAWN_REASONS if side == "seller" else LOST_REASONS
    assert moves[0].from_stage is None and moves[0].to_stage == order[0]
    for before, move in pairwise(moves):
        assert move.from_stage == before.to_stage
        assert before.at < move.at
        assert move.from_stage != "closed_won"
        if move.from_stage == exit_stage:
            assert move.to_stage in back_to and move.reason
        elif move.to_stage == exit_stage:
            assert move.from_stage in exits_from and move.reason in reasons
        else:
            assert order.index(move.to_stage) == order.index(move.from_stage) + 1


def test_every_deal_has_a_legal_history_ending_at_its_stage(demo):
    session, _ = demo
    now = TUESDAY_9AM
    changes: dict[str, list[StageChange]] = defaultdict(list)
    for change in sorted(_all(session, StageChange), key=lambda c: c.at):
        changes[change.deal].append(change)
    deals = [("seller", x) for x in _all(session, Listing)]
    deals += [("buyer", x) for x in _all(session, BuyerRequest)]
    for side, deal in deals:
        moves = changes[deal.id]
        _legal(side, moves)
        assert moves[-1].to_stage == deal.stage
        assert moves[0].at == deal.created_at and moves[-1].at <= now
        assert all(move.by == deal.owner for move in moves)
    for listing in _all(session, Listing):
        entered = [m.at for m in changes[listing.id] if m.to_stage == "active_listing"]
        assert listing.listed_at == (entered[-1] if entered else None)


def test_follow_ups_show_missed_due_today_and_gaps(demo):
    session, summary = demo
    now = TUESDAY_9AM
    follow_ups = _all(session, FollowUp)
    open_ = [f for f in follow_ups if f.status == "open"]
    missed = [f for f in open_ if f.due_at < now]
    today = [
        f for f in open_ if f.due_at >= now and f.due_at.astimezone(NICOSIA).date() == now.date()
    ]
    assert missed and today
    assert len(missed) == summary.missed_follow_ups and len(today) == summary.due_today
    future = {f.deal for f in open_ if f.due_at >= now}
    open_deals = [
        x.id for x in _all(session, Listing) if x.stage not in ("closed_won", SELLER_EXIT)
    ]
    open_deals += [
        x.id for x in _all(session, BuyerRequest) if x.stage not in ("closed_won", BUYER_EXIT)
    ]
    gaps = [deal for deal in open_deals if deal not in future]
    assert 0 < len(gaps) < 0.25 * len(open_deals)
    assert len(gaps) == summary.gaps
    done = [f for f in follow_ups if f.status == "done"]
    assert done and all(f.completed_at and f.outcome and f.completed_at < now for f in done)
    assert any(f.due_at.astimezone(NICOSIA).date() > now.date() for f in open_)


def _assert_working_hours(session: Session) -> None:
    zones = {b.id: ZoneInfo(b.timezone) for b in _all(session, Broker)}
    for follow_up in _all(session, FollowUp):
        local = follow_up.due_at.astimezone(zones[follow_up.owner])
        assert local.weekday() != 6, follow_up.id
        assert (9, 0) <= (local.hour, local.minute) <= (19, 0), follow_up.id


def test_follow_ups_fall_in_working_hours_and_never_on_sunday(demo):
    session, _ = demo
    _assert_working_hours(session)


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 3, 15, 12, 0, tzinfo=NICOSIA),  # a Sunday: nothing can be due today
        datetime(2026, 3, 10, 20, 30, tzinfo=NICOSIA),  # after hours
        datetime(2026, 3, 30, 9, 30, tzinfo=NICOSIA),  # the Monday after the switch to summer time
    ],
)
def test_any_clock_gives_a_consistent_store(template_store, tmp_path, at):
    session, summary = _generate(template_store, tmp_path, listings=40, at=at)
    _assert_working_hours(session)
    assert all(c.at <= at for c in _all(session, StageChange))
    assert all(n.created_at <= at for n in _all(session, Note))
    assert all(f.completed_at is None or f.completed_at <= at for f in _all(session, FollowUp))
    if at.weekday() == 6 or at.hour >= 19:
        assert summary.due_today == 0
    assert summary.missed_follow_ups > 0


def test_showings_have_feedback_per_listing_and_future_ones_are_scheduled(demo):
    session, _ = demo
    now = TUESDAY_9AM
    listing_ids = {x.id for x in _all(session, Listing)}
    appointments = _all(session, Appointment)
    for appointment in appointments:
        assert set(appointment.listings) <= listing_ids
        if appointment.scheduled_at > now:
            assert appointment.status == "scheduled" and not appointment.feedback
        else:
            assert appointment.status in ("done", "no_show", "cancelled")
        for item in appointment.feedback:
            assert item["listing"] in appointment.listings
            assert item["reaction"] in REACTIONS and item["text"]
    shown = [a for a in appointments if a.feedback]
    assert shown and any(a.status == "no_show" for a in appointments)
    # Buyers are shown what they asked for: their type, within budget, mostly their districts.
    listings = {x.id: x for x in _all(session, Listing)}
    requests = {r.id: r for r in _all(session, BuyerRequest)}
    in_district = with_districts = 0
    for appointment in appointments:
        request = requests.get(appointment.buyer_request_id or "")
        for listing_id in appointment.listings:
            listing = listings[listing_id]
            assert request is not None and listing.property_type in request.property_types
            # On the market at the time: listed by that day, still active if the showing is ahead.
            assert listing.listed_at is not None
            assert listing.listed_at.date() <= appointment.scheduled_at.date()
            if appointment.scheduled_at > now:
                assert listing.stage == "active_listing"
            assert listing.price <= request.budget_max * Decimal("1.1")
            if request.districts:
                with_districts += 1
                in_district += listing.district in request.districts
    assert in_district > 0.5 * with_districts
    assert any(a.scheduled_at > now and a.listings for a in appointments)


def test_notes_include_russian_and_dictated_ones(demo):
    session, _ = demo
    notes = _all(session, Note)
    assert any(any("а" <= ch <= "я" for ch in n.text) for n in notes)
    assert any(n.source in ("dictation", "voice") for n in notes)
    assert all(n.created_at < TUESDAY_9AM for n in notes)


def test_plans_and_closed_deals_make_revenue_against_plan_meaningful(demo):
    session, summary = demo
    plans = _all(session, Plan)
    periods = {p.period for p in plans if p.broker is None}
    assert {"2026-03", "2026-02"} <= periods
    brokers = [b.id for b in _all(session, Broker) if b.role == "broker"]
    assert {p.broker for p in plans if p.period == "2026-03"} == {None, *brokers}
    assert all(p.revenue_target > 0 and p.deals_target >= 1 for p in plans)
    won = [x for x in _all(session, Listing) if x.stage == "closed_won"]
    closed_months = {
        c.at.astimezone(NICOSIA).strftime("%Y-%m")
        for c in _all(session, StageChange)
        if c.to_stage == "closed_won"
    }
    assert {"2026-01", "2026-02"} <= closed_months and len(won) > 10
    team_plan = next(p for p in plans if p.broker is None and p.period == "2026-03")
    assert summary.plan_revenue_this_month == team_plan.revenue_target


def test_summary_names_the_brokers(demo):
    _, summary = demo
    out = io.StringIO()
    render_summary(summary, Console(file=out, width=140))
    text = out.getvalue()
    for name in ("Anna Georgiou", "Dmitry Volkov", "Sophia Christodoulou"):
        assert name in text
    assert "missed" in text and f"{summary.counts['listings']:,}" in text


# --- scale --------------------------------------------------------------------------------------


@pytest.mark.parametrize("listings", [1, 30, 2000])
def test_small_and_larger_demos_work(template_store, tmp_path, listings):
    session, summary = _generate(template_store, tmp_path, listings=listings)
    assert summary.counts["listings"] == len(_all(session, Listing)) == listings
    assert len(_all(session, BuyerRequest)) == max(2, round(listings / 2))
    contacts = len(_all(session, Contact))
    assert listings / 2 <= contacts <= 2 * listings + 3
    brokers = _all(session, Broker)
    assert len(brokers) >= 5 and len(brokers) <= 5 + listings // 100
