"""Forecast and revenue: nurturing and closed deals stay out, months are broker-local."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from crm_store.errors import Forbidden, InvalidInput
from crm_store.models import Plan, StageChange
from crm_store.repositories.base import add
from crm_store.services.forecast import revenue_vs_plan, weighted_pipeline
from tests.conftest import NICOSIA, as_broker
from tests.factories import make_broker, make_buyer_request, make_contact, make_listing


@pytest.fixture
def team(ctx):
    anna = make_broker(ctx, name="Anna Georgiou")
    boris = make_broker(ctx, name="Boris Orlov")
    manager = make_broker(ctx, name="Maria Manager", role="manager")
    north = make_broker(ctx, name="Nikos North", team="north")
    return {"anna": anna, "boris": boris, "manager": manager, "north": north}


def _fresh(ctx):
    return {"created_at": ctx.now() - timedelta(days=1)}


def _pipeline(ctx, team):
    """Anna: an active listing (€15,000 × 50%) and a buyer at viewing (€10,000 × 35%), plus a
    nurturing buyer and closed deals that must stay out; Boris: a listing (€9,000 × 50%)."""
    anna, boris = team["anna"], team["boris"]
    seller = make_contact(ctx, owner=anna, full_name="Seller One")
    buyer = make_contact(ctx, owner=anna, full_name="Buyer One")
    make_listing(ctx, owner=anna, seller=seller, price=Decimal("500000"), **_fresh(ctx))
    make_buyer_request(
        ctx,
        owner=anna,
        buyer=buyer,
        stage="viewing",
        expected_commission=Decimal("10000"),
        **_fresh(ctx),
    )
    make_buyer_request(
        ctx,
        owner=anna,
        buyer=buyer,
        stage="viewing",
        timeline_months=18,
        expected_commission=Decimal("20000"),
        **_fresh(ctx),
    )
    make_listing(
        ctx,
        owner=anna,
        seller=seller,
        stage="closed_won",
        price=Decimal("900000"),
        closed_price=Decimal("880000"),
    )
    make_listing(ctx, owner=anna, seller=seller, stage="withdrawn", withdrawn_reason="other")
    make_buyer_request(
        ctx, owner=anna, buyer=buyer, stage="closed_lost", expected_commission=Decimal("50000")
    )
    other = make_contact(ctx, owner=boris, full_name="Seller Two")
    make_listing(ctx, owner=boris, seller=other, price=Decimal("300000"), **_fresh(ctx))


def test_the_forecast_weights_open_deals_and_leaves_out_nurturing_and_closed(ctx, team):
    _pipeline(ctx, team)
    mine = weighted_pipeline(as_broker(ctx, team["anna"]))
    assert mine.deals == 2
    assert mine.commission == Decimal("25000.00")
    assert mine.weighted == Decimal("15000") * Decimal("0.5") + Decimal("10000") * Decimal("0.35")
    assert (mine.nurturing_deals, mine.nurturing_commission) == (1, Decimal("20000.00"))
    assert [(r.label, r.weighted) for r in mine.rows] == [("Anna Georgiou", Decimal("11000.00"))]
    assert "€11,000" in mine.text() and "пул прогрева" in mine.text("ru")


def test_the_manager_sees_the_team_by_broker_and_a_broker_only_their_own(ctx, team):
    _pipeline(ctx, team)
    board = weighted_pipeline(as_broker(ctx, team["manager"]), by="broker")
    assert [(r.label, r.deals, r.weighted) for r in board.rows] == [
        ("Anna Georgiou", 2, Decimal("11000.00")),
        ("Boris Orlov", 1, Decimal("4500.00")),
    ]
    assert board.weighted == Decimal("15500.00")
    with pytest.raises(Forbidden):
        weighted_pipeline(as_broker(ctx, team["anna"]), owner_ids=[team["boris"].id])


def test_by_team_and_by_expected_close_month(ctx, team):
    _pipeline(ctx, team)
    far = make_contact(ctx, owner=team["north"], full_name="Far Buyer")
    make_buyer_request(
        ctx,
        owner=team["north"],
        buyer=far,
        stage="decision",
        timeline_months=6,
        expected_commission=Decimal("8000"),
        created_at=datetime(2026, 3, 5, 12, tzinfo=NICOSIA),
    )
    teams = weighted_pipeline(ctx, by="team")
    assert {r.key: r.deals for r in teams.rows} == {"main": 3, "north": 1}
    months = weighted_pipeline(ctx, by="month")
    # active listing and viewing: 10 Mar + 90 days = 8 Jun; the decided buyer keeps to their
    # own timeline: 5 Mar + 6 months (decision alone would say May)
    assert [(r.key, r.deals) for r in months.rows] == [("2026-06", 3), ("2026-09", 1)]
    with pytest.raises(InvalidInput):
        weighted_pipeline(ctx, by="city")


def _closed(ctx, owner, *, at, commission=None, closed_price=None, pct=None, history=True):
    client = make_contact(ctx, owner=owner, full_name="Closed Client")
    if closed_price is not None:
        deal = make_listing(
            ctx,
            owner=owner,
            seller=client,
            stage="closed_won",
            closed_price=closed_price,
            commission_pct=pct,
            updated_at=at,
        )
        link = {"listing_id": deal.id}
    else:
        deal = make_buyer_request(
            ctx,
            owner=owner,
            buyer=client,
            stage="closed_won",
            expected_commission=commission,
            updated_at=at,
        )
        link = {"buyer_request_id": deal.id}
    if history:
        add(ctx, StageChange(to_stage="closed_won", at=at, **link), audit=False)
    return deal


def test_revenue_against_plan_for_a_month(ctx, team):
    anna, boris, north = team["anna"], team["boris"], team["north"]
    march = datetime(2026, 3, 5, 12, tzinfo=NICOSIA)
    _closed(ctx, anna, at=march, closed_price=Decimal("600000"), pct=Decimal("2.5"))  # 15,000
    _closed(ctx, boris, at=march, commission=Decimal("12000"))
    # 00:30 on 1 March in Limassol is still 28 February in UTC: it is March revenue
    _closed(
        ctx,
        boris,
        at=datetime(2026, 3, 1, 0, 30, tzinfo=NICOSIA),
        commission=Decimal("3000"),
        history=False,
    )
    _closed(
        ctx, anna, at=datetime(2026, 2, 28, 23, 30, tzinfo=NICOSIA), commission=Decimal("99999")
    )  # February
    _closed(ctx, north, at=march, commission=Decimal("77777"))  # another team
    for broker, target in ((None, "40000"), (anna.id, "25000"), (boris.id, "10000")):
        add(
            ctx,
            Plan(
                team="main",
                broker=broker,
                period="2026-03",
                revenue_target=Decimal(target),
                deals_target=4 if broker is None else 2,
            ),
            audit=False,
        )
    team_view = revenue_vs_plan(as_broker(ctx, team["manager"]), period="2026-03")
    assert team_view.actual == Decimal("30000.00")
    assert team_view.deals == 3
    assert team_view.average_check == Decimal("10000.00")
    assert (team_view.plan, team_view.deals_target) == (Decimal("40000.00"), 4)
    assert team_view.share_of_plan == pytest.approx(0.75)
    by_broker = {r.name: (r.actual, r.deals, r.plan) for r in team_view.rows}
    assert by_broker["Anna Georgiou"] == (Decimal("15000.00"), 1, Decimal("25000.00"))
    assert by_broker["Boris Orlov"] == (Decimal("15000.00"), 2, Decimal("10000.00"))
    assert "Nikos North" not in by_broker
    assert "€30,000" in team_view.text() and "75%" in team_view.text()
    own = revenue_vs_plan(as_broker(ctx, anna), period="2026-03")
    assert (own.actual, own.deals, own.plan) == (Decimal("15000.00"), 1, Decimal("25000.00"))
    feb = revenue_vs_plan(as_broker(ctx, anna), period="2026-02")
    assert (feb.actual, feb.plan) == (Decimal("99999.00"), None)
    assert "not set" in feb.text()


def test_revenue_refuses_bad_periods_and_other_brokers(ctx, team):
    with pytest.raises(InvalidInput):
        revenue_vs_plan(as_broker(ctx, team["anna"]), period="March")
    with pytest.raises(Forbidden):
        revenue_vs_plan(
            as_broker(ctx, team["anna"]), period="2026-03", owner_ids=[team["boris"].id]
        )
