"""Next Best Action: the seed's stage actions made concrete, and p_after = p_now + midpoint."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from crm_store.errors import Forbidden
from crm_store.services.nba import expected_after, next_best_action
from crm_store.services.probability import Probability
from tests.conftest import as_broker
from tests.factories import (
    make_appointment,
    make_broker,
    make_buyer_request,
    make_contact,
    make_follow_up,
    make_listing,
)


@pytest.fixture
def anna(ctx):
    return make_broker(ctx, name="Anna Georgiou")


def _p(value: float) -> Probability:
    return Probability(value=value, base=value, learned_from=None, adjustments=[])


@pytest.mark.parametrize(
    ("p_now", "impact", "after"),
    [
        (0.40, (0.25, 0.30), 0.675),  # agreement_signed "+25-30%"
        (0.50, (0.25, 0.40), 0.825),  # active_listing "+25-40%"
        (0.20, (0.20, 0.30), 0.45),  # demand_research "+20-30%"
        (0.90, (0.40, 0.50), 0.99),  # capped
    ],
)
def test_p_after_is_p_now_plus_the_midpoint_of_the_impact_range(p_now, impact, after):
    assert expected_after(p_now, impact) == pytest.approx(after)


@pytest.mark.parametrize(
    ("side", "stage", "midpoint"),
    [
        ("seller", "prospect", 0.175),
        ("seller", "contacted", 0.225),
        ("seller", "agreement_signed", 0.275),
        ("seller", "active_listing", 0.325),
        ("buyer", "qualification", 0.15),
        ("buyer", "viewing", 0.225),
        ("buyer", "decision", 0.275),
        ("buyer", "signing", 0.35),
    ],
)
def test_each_stage_uses_its_seed_impact(ctx, anna, side, stage, midpoint):
    client = make_contact(ctx, owner=anna)
    if side == "seller":
        deal = make_listing(ctx, owner=anna, seller=client, stage=stage)
    else:
        deal = make_buyer_request(ctx, owner=anna, buyer=client, stage=stage)
    nba = next_best_action(ctx, deal, probability=_p(0.30))
    assert nba.p_now == 0.30
    assert nba.p_after == pytest.approx(0.30 + midpoint)


def test_the_seller_action_for_agreement_signed_with_the_real_probability(ctx, anna):
    maria = make_contact(ctx, owner=anna, full_name="Maria Ivanova")
    villa = make_listing(
        ctx,
        owner=anna,
        seller=maria,
        stage="agreement_signed",
        mandate="exclusive",
        created_at=ctx.now() - timedelta(days=2),
    )
    make_follow_up(ctx, owner=anna, contact=maria, deal=villa, due_at=ctx.now() + timedelta(days=1))
    nba = next_best_action(as_broker(ctx, anna), villa)
    assert nba.action_en == "Prepare listing, professional photoshoot, legal review"
    assert nba.action_ru.startswith("Подготовить объект")
    assert (nba.p_now, nba.p_after) == (pytest.approx(0.40), pytest.approx(0.675))
    kinds = [d.kind for d in nba.details]
    assert "gap" not in kinds and "missed" not in kinds
    assert "Pending document: listing photos and description" in nba.detail_lines()
    assert "Missing: description" in nba.detail_lines()


def test_a_deal_without_a_future_follow_up_gets_a_gap_detail_with_a_proposed_date(ctx, anna):
    ivan = make_contact(ctx, owner=anna)
    deal = make_buyer_request(ctx, owner=anna, buyer=ivan, stage="viewing")
    make_follow_up(
        ctx,
        owner=anna,
        contact=ivan,
        deal=deal,
        due_at=ctx.now() - timedelta(days=1),
        purpose="send the brochure",
    )
    nba = next_best_action(ctx, deal, probability=_p(0.35))
    missed, gap = nba.details[0], nba.details[1]
    assert missed.kind == "missed" and "send the brochure" in missed.en
    assert gap.kind == "gap" and gap.en.startswith("No follow-up scheduled (gap)")
    assert nba.follow_up_proposal is not None and nba.follow_up_proposal.due_at > ctx.now()
    assert gap.ru.startswith("Нет запланированного контакта")


def test_suitable_listings_make_the_buyer_action_concrete(ctx, anna):
    boris = make_broker(ctx, name="Boris Orlov")
    ivan = make_contact(ctx, owner=anna)
    deal = make_buyer_request(
        ctx,
        owner=anna,
        buyer=ivan,
        stage="demand_research",
        financing="cash",
        timeline_months=6,
        budget_max=Decimal("500000"),
    )
    villa = make_listing(
        ctx, owner=anna, property_type="villa", address="12 Seaview St", price=Decimal("480000")
    )
    shared = make_listing(ctx, owner=boris, address="7 Marina Rd", price=Decimal("450000"))
    hidden = make_listing(ctx, owner=boris, stage="prospect", address="3 Hidden Ln")
    disliked = make_listing(ctx, owner=anna, address="9 Dark Alley")
    make_appointment(
        ctx,
        owner=anna,
        contact=ivan,
        deal=deal,
        status="done",
        scheduled_at=ctx.now() - timedelta(days=3),
        listings=[disliked.id],
        feedback=[{"listing": disliked.id, "reaction": "disliked", "text": None}],
    )
    match = SimpleNamespace(
        listing=SimpleNamespace(
            id=shared.id,
            property_type="apartment",
            address="7 Marina Rd",
            price=450000.0,
            district=None,
            city=None,
        )
    )
    nba = next_best_action(
        as_broker(ctx, anna), deal, suggested_listings=[villa, match, hidden.id, disliked.id]
    )
    assert nba.action_en == "Schedule showing, from identified suitable properties"
    assert nba.listing_ids == [villa.id, shared.id]
    (listed,) = [d for d in nba.details if d.kind == "listings"]
    assert listed.en == (
        f"Suitable: Villa, 12 Seaview St ({villa.id}), €480K; "
        f"Apartment, 7 Marina Rd ({shared.id}), €450K"
    )
    assert listed.ru.startswith("Подходят: Вилла, 12 Seaview St")
    without = next_best_action(as_broker(ctx, anna), deal)
    assert without.action_en == "Discovery call, budget analysis, auto property selection"


@pytest.mark.parametrize(
    ("side", "stage", "document"),
    [
        ("seller", "contacted", "listing agreement to sign"),
        ("seller", "sold", "signed purchase contract"),
        ("seller", "commission_payment", "commission payment confirmation"),
        ("buyer", "signing", "purchase contract with legal review"),
        ("buyer", "payment", "payment confirmation, confirmed commission"),
    ],
)
def test_the_pending_document_follows_the_stage(ctx, anna, side, stage, document):
    client = make_contact(ctx, owner=anna)
    if side == "seller":
        deal = make_listing(ctx, owner=anna, seller=client, stage=stage)
    else:
        deal = make_buyer_request(ctx, owner=anna, buyer=client, stage=stage)
    (pending,) = [
        d for d in next_best_action(ctx, deal, probability=_p(0.5)).details if d.kind == "document"
    ]
    assert document in pending.en
    assert pending.ru.startswith("Ожидается документ:")


def test_qualification_names_what_is_missing(ctx, anna):
    lead = make_buyer_request(ctx, owner=anna, buyer=make_contact(ctx, owner=anna), cities=[])
    nba = next_best_action(ctx, lead, probability=_p(0.1))
    assert "Missing: budget, location, timeline" in nba.detail_lines()
    assert "Не хватает: бюджет, локация, срок" in nba.detail_lines("ru")


def test_a_colleague_gets_no_action_for_my_deal(ctx, anna):
    boris = make_broker(ctx, name="Boris Orlov")
    deal = make_buyer_request(ctx, owner=anna, buyer=make_contact(ctx, owner=anna))
    with pytest.raises(Forbidden):
        next_best_action(as_broker(ctx, boris), deal)
