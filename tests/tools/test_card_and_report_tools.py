"""The card and the manager's report through the tools, in the broker's language and scope."""

from __future__ import annotations

from decimal import Decimal

from crm_store.models import Plan
from crm_store.services.brokers import actor_for
from tests.factories import make_broker, make_buyer_request, make_contact, make_listing
from tools.analytics import pipeline_report
from tools.cards import client_card


def test_card_for_a_buyer_in_english_and_russian(run, ctx, anna):
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    make_buyer_request(
        ctx,
        owner=anna,
        buyer=ivan,
        stage="demand_research",
        budget_max=Decimal("500000"),
        cities=["Limassol"],
        timeline_months=6,
    )
    ctx.session.commit()
    card = run(client_card, client="Ivan Petrov")
    assert card.startswith("Name: Ivan Petrov | Budget: €500K | Location: Limassol")
    assert "NEXT BEST ACTION" in card and "→" in card
    run.actor = actor_for(anna, channel="test")
    russian = run.as_(anna, language="ru")(client_card, client="Иван Петров")
    assert "Бюджет" in russian


def test_report_scopes_and_unknown_metric(run, ctx, anna):
    manager = make_broker(ctx, name="Sophia Christodoulou", role="manager")
    dmitry = make_broker(ctx, name="Dmitry Volkov")
    for owner in (anna, dmitry):
        seller = make_contact(ctx, owner=owner, full_name=f"Seller of {owner.name}")
        make_listing(ctx, owner=owner, seller=seller, stage="active_listing")
    ctx.session.add(
        Plan(
            id="p-1",
            team="main",
            broker=None,
            period="2026-03",
            revenue_target=Decimal("100000.00"),
            deals_target=5,
        )
    )
    ctx.session.commit()
    assert "1" in run(pipeline_report, metric="active_listings")  # Anna sees her own
    boss = run.as_(manager)
    assert "2" in boss(pipeline_report, metric="active_listings")
    assert "€100,000" in boss(pipeline_report, metric="revenue_vs_plan", period="2026-03")
    assert run(pipeline_report, metric="weather").startswith("NOT DONE")
