"""Deal probability: base table, learning from closed deals, every adjustment, clamping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from crm_store.models import Contact, StageChange
from crm_store.repositories.base import add
from crm_store.services import probability as svc
from crm_store.vocabulary import BUYER_STAGES, Side
from tests.conftest import as_broker
from tests.factories import (
    make_appointment,
    make_broker,
    make_buyer_request,
    make_contact,
    make_follow_up,
    make_listing,
    make_note,
)


@pytest.fixture
def anna(ctx):
    return make_broker(ctx, name="Anna Georgiou")


def _fresh_request(ctx, owner, stage="demand_research", **kw):
    """An open buyer request created yesterday: no adjustment applies unless a test adds one."""
    buyer = make_contact(ctx, owner=owner, full_name=kw.pop("name", "Ivan Petrov"))
    kw.setdefault("created_at", ctx.now() - timedelta(days=1))
    return make_buyer_request(ctx, owner=owner, buyer=buyer, stage=stage, **kw)


def _closed_buyer(ctx, owner, *, reached, won):
    buyer = make_contact(ctx, owner=owner, full_name="Closed Client")
    request = make_buyer_request(
        ctx, owner=owner, buyer=buyer, stage="closed_won" if won else "closed_lost"
    )
    at = ctx.now() - timedelta(days=100)
    for step, stage in enumerate([*reached, "closed_won" if won else "closed_lost"]):
        add(
            ctx,
            StageChange(buyer_request_id=request.id, to_stage=stage, at=at + timedelta(days=step)),
            audit=False,
        )
    return request


def _history(ctx, owner, *, won=7, lost=3):
    """`won` deals walked the whole pipeline; `lost` deals reached viewing and were lost."""
    for _ in range(won):
        _closed_buyer(ctx, owner, reached=list(BUYER_STAGES[:-1]), won=True)
    for _ in range(lost):
        _closed_buyer(
            ctx, owner, reached=["qualification", "demand_research", "viewing"], won=False
        )


def test_without_closed_deals_the_spec_table_is_used(ctx, anna):
    table = svc.stage_table(as_broker(ctx, anna), Side.BUYER)
    assert {s: r.value for s, r in table.items()} == {
        "qualification": 0.10,
        "demand_research": 0.20,
        "viewing": 0.35,
        "decision": 0.55,
        "signing": 0.80,
        "payment": 0.90,
    }
    assert not any(rate.learned for rate in table.values())
    seller = svc.stage_table(ctx, "seller")
    assert seller["agreement_signed"].value == 0.35 and seller["commission_payment"].value == 0.95


def test_learning_blends_each_stage_with_what_closed_deals_did_after_reaching_it(ctx, anna):
    _history(ctx, anna)
    table = svc.stage_table(as_broker(ctx, anna), Side.BUYER)
    # 10 closed deals reached viewing, 7 won: (10·0.35 + 7) / (10 + 10)
    assert table["viewing"].value == pytest.approx((10 * 0.35 + 7) / (10 + 10)) == 0.525
    assert (table["viewing"].n, table["viewing"].wins) == (10, 7)
    assert table["qualification"].value == pytest.approx((10 * 0.10 + 7) / 20)
    # only the 7 winners reached decision: the rate rises above the base
    assert table["decision"].value == pytest.approx((10 * 0.55 + 7) / 17)
    assert table["decision"].value > 0.55
    # seller side has no closed listings: unchanged
    assert not any(r.learned for r in svc.stage_table(ctx, Side.SELLER).values())


def test_learning_moves_down_when_deals_that_reached_a_stage_were_lost(ctx, anna):
    for _ in range(10):
        _closed_buyer(ctx, anna, reached=["qualification", "demand_research", "viewing"], won=False)
    viewing = svc.stage_table(ctx, Side.BUYER)["viewing"]
    assert viewing.value == pytest.approx(10 * 0.35 / 20) == 0.175


def test_open_deals_and_other_teams_do_not_teach(ctx, anna):
    other = make_broker(ctx, name="Elsewhere", team="north")
    _history(ctx, other)
    _fresh_request(ctx, anna, stage="viewing")
    table = svc.stage_table(as_broker(ctx, anna), Side.BUYER)
    assert table["viewing"].value == 0.35 and not table["viewing"].learned
    # the system (and an admin) learn from the whole store
    assert svc.stage_table(ctx, Side.BUYER)["viewing"].value == pytest.approx(0.525)


def test_a_deal_probability_uses_the_learned_rate_and_says_so(ctx, anna):
    _history(ctx, anna)
    deal = _fresh_request(ctx, anna, stage="viewing")
    p = svc.deal_probability(as_broker(ctx, anna), deal)
    assert p.value == pytest.approx(0.525)
    assert p.learned_from == (10, 7) and p.stage_base == 0.35 and p.adjustments == []
    assert "learned from 10 closed deals, 7 won" in p.explain("en")
    assert "по 10 закрытым сделкам" in p.explain("ru")
    plain = svc.deal_probability(
        ctx,
        _fresh_request(ctx, anna, stage="viewing"),
        table={"viewing": svc.StageRate("viewing", 0.35, 0.35)},
    )
    assert plain.value == 0.35 and plain.learned_from is None
    assert "stage base rate" in plain.explain()


def _labels(p):
    return {a.label_en: a.delta for a in p.adjustments}


def test_a_done_appointment_in_the_last_30_days_adds_five_points(ctx, anna):
    deal = _fresh_request(ctx, anna)
    contact = ctx.session.get(Contact, deal.buyer)
    old = make_appointment(
        ctx,
        owner=anna,
        contact=contact,
        deal=deal,
        status="done",
        scheduled_at=ctx.now() - timedelta(days=31),
    )
    assert svc.deal_probability(ctx, deal).value == pytest.approx(0.20)
    old.scheduled_at = ctx.now() - timedelta(days=10)
    ctx.session.flush()
    p = svc.deal_probability(ctx, deal)
    assert p.value == pytest.approx(0.25)
    assert _labels(p) == {"Appointment done in the last 30 days": 0.05}


def test_a_scheduled_or_missed_appointment_is_not_a_done_one(ctx, anna):
    deal = _fresh_request(ctx, anna)
    contact = ctx.session.get(Contact, deal.buyer)
    for status in ("scheduled", "no_show", "cancelled"):
        make_appointment(
            ctx,
            owner=anna,
            contact=contact,
            deal=deal,
            status=status,
            scheduled_at=ctx.now() - timedelta(days=2),
        )
    assert svc.deal_probability(ctx, deal).value == pytest.approx(0.20)


def test_showing_a_listing_to_any_buyer_counts_for_the_listing(ctx, anna):
    seller = make_contact(ctx, owner=anna, full_name="Maria Ivanova")
    listing = make_listing(ctx, owner=anna, seller=seller, created_at=ctx.now() - timedelta(days=1))
    buyer = make_contact(ctx, owner=anna, full_name="Some Buyer")
    make_appointment(
        ctx,
        owner=anna,
        contact=buyer,
        status="done",
        listings=[listing.id],
        scheduled_at=ctx.now() - timedelta(days=3),
    )
    assert svc.deal_probability(ctx, listing).value == pytest.approx(0.55)


def test_an_overdue_follow_up_on_the_deal_or_its_client_costs_ten_points(ctx, anna):
    deal = _fresh_request(ctx, anna, stage="viewing")
    contact = ctx.session.get(Contact, deal.buyer)
    future = make_follow_up(
        ctx, owner=anna, contact=contact, deal=deal, due_at=ctx.now() + timedelta(days=1)
    )
    assert svc.deal_probability(ctx, deal).value == pytest.approx(0.35)
    future.due_at = ctx.now() - timedelta(hours=1)
    ctx.session.flush()
    p = svc.deal_probability(ctx, deal)
    assert p.value == pytest.approx(0.25) and _labels(p) == {"Overdue follow-up": -0.10}
    future.status = "done"
    future.completed_at = ctx.now() - timedelta(hours=1)
    make_follow_up(ctx, owner=anna, contact=contact, due_at=ctx.now() - timedelta(days=2))
    assert svc.deal_probability(ctx, deal).value == pytest.approx(0.25)  # client-level, no deal


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (None, 0.10),
        ("note", 0.20),
        ("follow_up", 0.20),
        ("stage_change", 0.20),
        ("appointment", 0.25),  # activity and a recent appointment
        ("old_note", 0.10),
    ],
)
def test_no_activity_for_14_days_costs_ten_points(ctx, anna, activity, expected):
    deal = _fresh_request(ctx, anna, created_at=ctx.now() - timedelta(days=40))
    contact = ctx.session.get(Contact, deal.buyer)
    recent = ctx.now() - timedelta(days=5)
    if activity == "note":
        make_note(ctx, author=anna, contact=contact, text="called", created_at=recent)
    elif activity == "old_note":
        make_note(
            ctx, author=anna, contact=contact, text="called", created_at=recent - timedelta(days=10)
        )
    elif activity == "follow_up":
        make_follow_up(
            ctx,
            owner=anna,
            contact=contact,
            deal=deal,
            status="done",
            due_at=recent,
            completed_at=recent,
        )
    elif activity == "stage_change":
        add(ctx, StageChange(buyer_request_id=deal.id, to_stage=deal.stage, at=recent), audit=False)
    elif activity == "appointment":
        make_appointment(
            ctx, owner=anna, contact=contact, deal=deal, status="done", scheduled_at=recent
        )
    assert svc.deal_probability(ctx, deal).value == pytest.approx(expected)


def test_exclusive_mandate_adds_five_points(ctx, anna):
    seller = make_contact(ctx, owner=anna, full_name="Maria Ivanova")
    fresh = ctx.now() - timedelta(days=1)
    exclusive = make_listing(
        ctx,
        owner=anna,
        seller=seller,
        stage="agreement_signed",
        mandate="exclusive",
        created_at=fresh,
    )
    open_ = make_listing(
        ctx, owner=anna, seller=seller, stage="agreement_signed", mandate="open", created_at=fresh
    )
    got = svc.deal_probabilities(ctx, [exclusive, open_])
    assert got[exclusive.id].value == pytest.approx(0.40)
    assert got[open_.id].value == pytest.approx(0.35)


def test_financing_counts_when_cash_or_an_approved_mortgage(ctx, anna):
    cash = _fresh_request(ctx, anna, financing="cash", name="Cash Buyer")
    mortgage = _fresh_request(ctx, anna, financing="mortgage", name="Hopeful Buyer")
    approved = _fresh_request(ctx, anna, financing="mortgage", name="Approved Buyer")
    client = ctx.session.get(Contact, approved.buyer)
    client.tags = ["VIP", "Mortgage approved"]
    ctx.session.flush()
    got = svc.deal_probabilities(ctx, [cash, mortgage, approved])
    assert got[cash.id].value == pytest.approx(0.25)
    assert got[mortgage.id].value == pytest.approx(0.20)
    assert got[approved.id].value == pytest.approx(0.25)


def test_the_nurturing_pool_halves_the_probability(ctx, anna):
    deal = _fresh_request(ctx, anna, stage="viewing", timeline_months=18, financing="cash")
    p = svc.deal_probability(ctx, deal)
    assert p.value == pytest.approx((0.35 + 0.05) * 0.5)
    assert _labels(p)["Nurturing pool ×0.5"] == pytest.approx(-0.20)


def test_probabilities_are_clamped_to_1_and_99_percent(ctx, anna):
    high = _fresh_request(ctx, anna, stage="payment", financing="cash", name="Rich Buyer")
    contact = ctx.session.get(Contact, high.buyer)
    make_appointment(
        ctx,
        owner=anna,
        contact=contact,
        deal=high,
        status="done",
        scheduled_at=ctx.now() - timedelta(days=1),
    )
    assert svc.deal_probability(ctx, high).value == 0.99  # 0.90 + 0.05 + 0.05
    low = _fresh_request(
        ctx,
        anna,
        stage="qualification",
        name="Cold Lead",
        created_at=ctx.now() - timedelta(days=30),
    )
    cold = ctx.session.get(Contact, low.buyer)
    make_follow_up(ctx, owner=anna, contact=cold, deal=low, due_at=ctx.now() - timedelta(days=20))
    p = svc.deal_probability(ctx, low)
    assert p.value == 0.01  # 0.10 − 0.10 − 0.10
    assert p.adjustments[-1].label_en == "Kept within 1–99%"


def test_closed_deals_sit_at_the_bounds(ctx, anna):
    won = _closed_buyer(ctx, anna, reached=["qualification"], won=True)
    lost = _closed_buyer(ctx, anna, reached=["qualification"], won=False)
    got = svc.deal_probabilities(ctx, [won, lost])
    assert (got[won.id].value, got[lost.id].value) == (0.99, 0.01)


def test_many_deals_are_scored_in_a_fixed_number_of_queries(ctx, anna, engine):
    def count_queries(deals):
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            svc.deal_probabilities(ctx, deals)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    few = [_fresh_request(ctx, anna, name=f"Buyer {i}") for i in range(3)]
    many = few + [_fresh_request(ctx, anna, name=f"Buyer {i}") for i in range(3, 60)]
    ctx.session.flush()
    assert count_queries(many) == count_queries(few)
