"""Manager metrics on a crafted store: each number computed by hand, cut by broker, period,
city and side."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from crm_store.errors import Forbidden, InvalidInput
from crm_store.models import StageChange
from crm_store.repositories.base import add
from crm_store.services import metrics_activity as activity
from crm_store.services import metrics_listings as listings
from crm_store.services.metrics import (
    METRICS,
    average_commission,
    closed_won_count,
    metric,
    sales_cycle_length,
)
from tests.conftest import NICOSIA, as_broker
from tests.factories import (
    make_appointment,
    make_broker,
    make_buyer_request,
    make_contact,
    make_follow_up,
    make_listing,
)


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=NICOSIA)


def _moved(ctx, deal, stage, when):
    link = {"listing_id": deal.id} if hasattr(deal, "seller") else {"buyer_request_id": deal.id}
    add(ctx, StageChange(to_stage=stage, at=when, **link), audit=False)


@pytest.fixture
def store(ctx):
    """Now is Tue 10 Mar 2026 09:00. Team "main": Anna, Boris and their manager; "north": Nikos."""
    anna, boris = make_broker(ctx, name="Anna Georgiou"), make_broker(ctx, name="Boris Orlov")
    manager = make_broker(ctx, name="Maria Manager", role="manager")
    north = make_broker(ctx, name="Nikos North", team="north")
    seller = make_contact(ctx, owner=anna, full_name="Seller One")
    quiet = make_contact(ctx, owner=anna, full_name="Seller Quiet")
    bseller = make_contact(ctx, owner=boris, full_name="Seller Boris")
    buyer = make_contact(ctx, owner=anna, full_name="Buyer Open")
    winner = make_contact(ctx, owner=anna, full_name="Buyer Won")
    l1 = make_listing(ctx, owner=anna, seller=seller, listed_at=at(3, 2), city="Limassol")  # 8 d
    make_listing(
        ctx, owner=anna, seller=quiet, listed_at=at(2, 21), city="Paphos", district="Peyia"
    )  # 17 days on market, a gap
    l3 = make_listing(ctx, owner=anna, seller=quiet, stage="sold", listed_at=at(1, 1))
    _moved(ctx, l3, "sold", at(3, 1))  # 59 days on market
    l4 = make_listing(
        ctx,
        owner=boris,
        seller=bseller,
        stage="closed_won",
        listed_at=at(2, 1),
        price=Decimal("400000"),
        closed_price=Decimal("400000"),
        commission_pct=Decimal("3"),
        created_at=at(1, 4),
    )
    _moved(ctx, l4, "sold", at(2, 21))  # 20 days on market
    _moved(ctx, l4, "closed_won", at(3, 5))  # 60 days after creation; €12,000
    l5 = make_listing(
        ctx,
        owner=anna,
        seller=quiet,
        stage="withdrawn",
        listed_at=at(2, 10),
        withdrawn_reason="changed_mind",
    )
    _moved(ctx, l5, "withdrawn", at(3, 3))
    l6 = make_listing(
        ctx,
        owner=boris,
        seller=bseller,
        stage="withdrawn",
        listed_at=datetime(2025, 12, 1, tzinfo=NICOSIA),
        withdrawn_reason="sold_independently",
    )
    _moved(ctx, l6, "withdrawn", at(1, 15))
    make_listing(ctx, owner=anna, seller=quiet, stage="prospect")  # never listed, a gap
    make_listing(ctx, owner=north, listed_at=at(3, 1))  # another team
    r1 = make_buyer_request(
        ctx,
        owner=anna,
        buyer=winner,
        stage="closed_won",
        expected_commission=Decimal("8000"),
        created_at=at(1, 6),
    )
    _moved(ctx, r1, "closed_won", at(3, 7))  # 60 days; €8,000
    r2 = make_buyer_request(ctx, owner=anna, buyer=buyer, stage="viewing")
    # appointments in March
    for contact, deal, status, when in (
        (buyer, r2, "done", at(3, 4)),
        (winner, r1, "done", at(3, 6)),
        (seller, l1, "done", at(3, 5)),
        (buyer, r2, "no_show", at(3, 8)),
        (buyer, r2, "cancelled", at(3, 9)),
        (buyer, r2, "scheduled", at(3, 20)),
    ):
        make_appointment(
            ctx, owner=anna, contact=contact, deal=deal, status=status, scheduled_at=when
        )
    # follow-ups: two of Anna's overdue (buyer side, seller side), one of Boris's
    make_follow_up(ctx, owner=anna, contact=buyer, deal=r2, due_at=at(3, 9))
    make_follow_up(ctx, owner=anna, contact=seller, deal=l1, due_at=at(3, 8))
    make_follow_up(ctx, owner=boris, contact=bseller, due_at=at(3, 1))
    make_follow_up(ctx, owner=anna, contact=buyer, deal=r2, due_at=at(3, 12))
    make_follow_up(ctx, owner=anna, contact=seller, deal=l1, due_at=at(3, 12))
    # done follow-ups: Buyer Open met two days later (converted), Seller One not after it
    make_follow_up(
        ctx, owner=anna, contact=buyer, due_at=at(3, 2), status="done", completed_at=at(3, 2)
    )
    make_follow_up(
        ctx, owner=anna, contact=seller, due_at=at(3, 6), status="done", completed_at=at(3, 6)
    )
    make_follow_up(
        ctx, owner=anna, contact=winner, due_at=at(2, 20), status="done", completed_at=at(2, 20)
    )
    return {
        "anna": anna,
        "boris": boris,
        "manager": manager,
        "mgr": as_broker(ctx, manager),
        "actx": as_broker(ctx, anna),
    }


def test_active_and_new_listings(store):
    mgr, actx = store["mgr"], store["actx"]
    active = listings.active_listings(mgr)
    assert active.value == 2 and active.breakdown["by_broker"] == {"Anna Georgiou": 2}
    assert listings.active_listings(mgr, city="Лимассол").value == 1
    assert listings.active_listings(actx, owner_ids=[store["anna"].id]).value == 2
    assert listings.new_listings(mgr, period="2026-03").value == 1
    assert listings.new_listings(mgr, period="2026-02").value == 3
    assert listings.new_listings(mgr).value == 1  # this month by default
    assert listings.new_listings(mgr, period="2026-02-01..2026-02-15").value == 2
    assert active.text() == "Active listings: 2."
    assert listings.new_listings(mgr, period="2026-02").text("ru") == (
        "Новых объектов (2026-02): 3."
    )


def test_days_on_market_and_listing_to_sale(store):
    mgr = store["mgr"]
    dom = listings.days_on_market(mgr)
    assert (dom.value, dom.count) == ((8 + 17 + 59 + 20) / 4, 4)
    assert listings.days_on_market(mgr, period="2026-02").value == 20
    assert listings.days_on_market(mgr, period="2026-03").value == 59
    assert listings.days_on_market(mgr, city="Paphos").value == 17
    conversion = listings.listing_to_sale_conversion(mgr)
    assert (conversion.value, conversion.count) == (pytest.approx(2 / 6), 6)
    february = listings.listing_to_sale_conversion(mgr, period="2026-02")
    assert (february.value, february.count) == (pytest.approx(1 / 3), 3)
    assert "33% (1 of 3 listings sold)" in february.text()


def test_withdrawn_count_and_reasons(store):
    mgr = store["mgr"]
    all_time = listings.withdrawn_listings(mgr)
    assert all_time.value == 2
    assert all_time.breakdown["reasons"] == {"changed_mind": 1, "sold_independently": 1}
    march = listings.withdrawn_listings(mgr, period="2026-03")
    assert (march.value, march.breakdown["reasons"]) == (1, {"changed_mind": 1})


def test_commission_funnel(store):
    mgr = store["mgr"]
    won = closed_won_count(mgr, period="2026-03")
    assert won.value == 2 and won.breakdown["by_side"] == {"seller": 1, "buyer": 1}
    assert closed_won_count(mgr, period="2026-03", side="buyer").value == 1
    assert closed_won_count(mgr, period="2026-03", city="Limassol").value == 2
    assert closed_won_count(mgr, period="2026-03", city="Paphos").value == 0
    assert closed_won_count(mgr, period="2026-02").value == 0
    assert closed_won_count(store["actx"], period="2026-03").value == 1  # Anna's own
    check = average_commission(mgr, period="2026-03")
    assert check.value == Decimal("10000.00")
    assert "€10,000 over 2 deals (total €20,000)" in check.text()
    assert average_commission(mgr, period="2026-03", side="seller").value == Decimal("12000.00")
    cycle = sales_cycle_length(mgr, period="2026-03")
    assert (cycle.value, cycle.count) == (60.0, 2)


def test_appointments_no_shows_and_meeting_to_deal(store):
    mgr = store["mgr"]
    count = activity.appointments_count(mgr, period="2026-03")
    assert count.value == 5  # the cancelled one is not an appointment
    assert count.breakdown["by_status"] == {"done": 3, "no_show": 1, "scheduled": 1}
    assert activity.appointments_count(mgr, period="2026-03", side="buyer").value == 4
    assert activity.appointments_count(mgr, period="2026-02").value == 0
    assert activity.no_show_rate(mgr, period="2026-03").value == pytest.approx(1 / 4)
    meet = activity.meeting_to_deal_conversion(mgr, period="2026-03")
    assert (meet.value, meet.count) == (pytest.approx(1 / 3), 3)
    buyers = activity.meeting_to_deal_conversion(mgr, period="2026-03", side="buyer")
    assert buyers.value == pytest.approx(1 / 2)
    assert activity.no_show_rate(mgr, period="2026-03").text("ru") == (
        "Доля неявок (2026-03): 25% (1 из 4)."
    )


def test_missed_follow_ups_and_gaps(store):
    mgr, actx = store["mgr"], store["actx"]
    missed = activity.missed_follow_ups_count(mgr)
    assert missed.value == 3
    assert missed.breakdown["by_broker"] == {store["anna"].id: 2, store["boris"].id: 1}
    assert activity.missed_follow_ups_count(mgr, side="buyer").value == 1
    assert activity.missed_follow_ups_count(actx).value == 2
    assert activity.missed_follow_ups_count(mgr).text() == "Missed follow-ups: 3 (target 0)."
    # open deals without a future follow-up: Paphos listing, the sold one, the prospect
    assert activity.gaps_count(mgr).value == 3
    assert activity.gaps_count(mgr, side="buyer").value == 0
    assert activity.gaps_count(mgr, city="Paphos").value == 1


def test_follow_up_to_appointment(store):
    conversion = activity.follow_up_to_appointment_conversion(store["mgr"], period="2026-03")
    assert (conversion.value, conversion.count) == (pytest.approx(1 / 2), 2)


def test_metrics_respect_permissions_and_filters(store):
    actx = store["actx"]
    with pytest.raises(Forbidden):
        listings.active_listings(actx, owner_ids=[store["boris"].id])
    with pytest.raises(Forbidden):
        activity.missed_follow_ups_count(actx, owner_ids=[store["boris"].id])
    with pytest.raises(InvalidInput):
        closed_won_count(store["mgr"], period="last spring")
    with pytest.raises(InvalidInput):
        closed_won_count(store["mgr"], side="landlord")
    with pytest.raises(InvalidInput):
        listings.active_listings(store["mgr"], city="Atlantis")


def test_every_metric_is_reachable_by_name(store):
    assert metric(store["mgr"], name="closed_won", period="2026-03", city=None).value == 2
    with pytest.raises(InvalidInput):
        metric(store["mgr"], name="active_listings", period="2026-03")
    with pytest.raises(InvalidInput):
        metric(store["mgr"], name="happiness")
    for name in METRICS:
        assert metric(store["mgr"], name=name).en  # each answers in one line


def test_the_light_list_of_metric_names_matches_the_metrics():
    from crm_store.services.metric_names import METRIC_NAMES
    from crm_store.services.metrics import METRICS

    assert tuple(METRICS) == METRIC_NAMES
