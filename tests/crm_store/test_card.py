"""The client card: the seed's two examples line by line, Russian labels, several deals."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from crm_store.errors import Forbidden
from crm_store.services.card import client_card
from tests.conftest import NICOSIA, as_broker
from tests.factories import (
    make_broker,
    make_buyer_request,
    make_contact,
    make_follow_up,
    make_listing,
)

TOMORROW_10 = datetime(2026, 3, 11, 10, 0, tzinfo=NICOSIA)


@pytest.fixture
def anna(ctx):
    return make_broker(ctx, name="Anna Georgiou")


@pytest.fixture
def maria(ctx, anna):
    """The seed's seller: an exclusive villa in Paphos at €850K, agreement signed."""
    maria = make_contact(ctx, owner=anna, full_name="Maria Ivanova")
    villa = make_listing(
        ctx,
        owner=anna,
        seller=maria,
        stage="agreement_signed",
        mandate="exclusive",
        property_type="villa",
        city="Paphos",
        district=None,
        price=Decimal("850000.00"),
        description="Stone villa",
        created_at=ctx.now() - timedelta(days=3),
    )
    make_follow_up(
        ctx, owner=anna, contact=maria, deal=villa, due_at=TOMORROW_10, purpose="photoshoot date"
    )
    return maria, villa


@pytest.fixture
def ivan(ctx, anna):
    """The seed's buyer: €500K, Limassol, 3–6 months, needs researched; pays cash; one
    follow-up overdue (so 20% − 10% + 5% = 15%, the seed's figure)."""
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    request = make_buyer_request(
        ctx,
        owner=anna,
        buyer=ivan,
        stage="demand_research",
        budget_max=Decimal("500000.00"),
        cities=["Limassol"],
        timeline_months=6,
        financing="cash",
        created_at=ctx.now() - timedelta(days=5),
    )
    make_follow_up(
        ctx, owner=anna, contact=ivan, deal=request, due_at=ctx.now() - timedelta(days=1, hours=1)
    )
    return ivan, request


def test_the_seller_card_has_the_seeds_format(ctx, anna, maria):
    contact, _ = maria
    lines = client_card(as_broker(ctx, anna), contact_id=contact.id).splitlines()
    assert lines[:5] == [
        "Name: Maria Ivanova | Property: Villa, Paphos | Price: €850K | Mandate: Exclusive",
        "NEXT BEST ACTION: Prepare listing, professional photoshoot, legal review",
        # 35% stage base + 5% exclusive mandate; after: + the midpoint of "+25-30%"
        "Sale probability in 90 days: 40% → 68%",
        "",
        "Pipeline: Prospect → Contacted → Agreement Signed (in progress) → Active Listing → Sold",
    ]
    assert lines[5] == "Next follow-up: Wed 11 Mar 10:00 — call (photoshoot date)"
    assert "• Pending document: listing photos and description" in lines
    assert not any(line.startswith("Missed") for line in lines)


def test_the_buyer_card_has_the_seeds_format(ctx, anna, ivan):
    contact, _ = ivan
    suitable = make_listing(ctx, owner=anna, address="5 Palm Ave", price=Decimal("490000"))
    text = client_card(as_broker(ctx, anna), contact_id=contact.id, suggested_listings=[suitable])
    lines = text.splitlines()
    assert lines[:5] == [
        "Name: Ivan Petrov | Budget: €500K | Location: Limassol | Timeline: 3-6 months",
        "NEXT BEST ACTION: Schedule showing, from identified suitable properties",
        # 20% − 10% overdue follow-up + 5% cash; after: + the midpoint of "+20-30%"
        "Deal probability: 15% → 40%",
        "",
        "Pipeline: Qualification → Demand Research (in process) → Solution/Viewing → "
        "Decision Making → Deal Signing",
    ]
    assert lines[5] == "No follow-up scheduled — gap"
    assert lines[6] == "Missed follow-up: Mon 9 Mar 08:00 — call"
    assert f"• Suitable: Apartment, 5 Palm Ave ({suitable.id}), €490K" in lines


def test_the_card_in_russian(ctx, anna, ivan, maria):
    actx = as_broker(ctx, anna)
    buyer = client_card(actx, contact_id=ivan[0].id, language="ru").splitlines()
    assert buyer[0] == "Имя: Ivan Petrov | Бюджет: €500K | Локация: Лимассол | Срок: 3-6 мес."
    assert buyer[1] == (
        "СЛЕДУЮЩЕЕ ЛУЧШЕЕ ДЕЙСТВИЕ: Выявление потребностей, анализ бюджета, автоподбор объектов"
    )
    assert buyer[2] == "Вероятность сделки: 15% → 40%"
    assert buyer[4] == (
        "Воронка: Квалификация → Изучение потребностей (в процессе) → Подбор и показы → "
        "Принятие решения → Подписание сделки"
    )
    assert buyer[5] == "Контакт не запланирован — пробел"
    assert buyer[6].startswith("Пропущен контакт: пн 9 мар 08:00 — звонок")
    seller = client_card(actx, contact_id=maria[0].id, language="ru").splitlines()
    assert (
        seller[0] == "Имя: Maria Ivanova | Объект: Вилла, Пафос | Цена: €850K | Договор: Эксклюзив"
    )
    assert seller[2] == "Вероятность продажи за 90 дней: 40% → 68%"
    assert "Договор подписан (в работе)" in seller[4]


def test_a_contact_with_two_deals_gets_one_block_each_seller_first(ctx, anna, maria):
    contact, villa = maria
    make_buyer_request(
        ctx,
        owner=anna,
        buyer=contact,
        stage="viewing",
        budget_min=Decimal("300000"),
        budget_max=Decimal("400000"),
        cities=["Limassol"],
        districts=["Germasogeia"],
    )
    blocks = client_card(as_broker(ctx, anna), contact_id=contact.id).split("\n\nName: ")
    assert len(blocks) == 2
    assert blocks[0].startswith("Name: Maria Ivanova | Property: Villa, Paphos")
    assert blocks[1].startswith(
        "Maria Ivanova | Budget: €300K–€400K | Location: Germasogeia, Limassol | Timeline: not set"
    )
    only_villa = client_card(as_broker(ctx, anna), deal_id=villa.id)
    assert only_villa.count("Name: ") == 1


def test_a_contact_without_open_deals_is_told_so(ctx, anna):
    olga = make_contact(ctx, owner=anna, full_name="Olga Smirnova")
    make_buyer_request(ctx, owner=anna, buyer=olga, stage="closed_lost", lost_reason="budget")
    assert client_card(as_broker(ctx, anna), contact_id=olga.id) == (
        "Name: Olga Smirnova\nNo open deals — add a listing or a buyer request to start a pipeline."
    )


def test_the_pipeline_extends_to_later_and_exit_stages(ctx, anna):
    seller = make_contact(ctx, owner=anna, full_name="Late Seller")
    paying = make_listing(ctx, owner=anna, seller=seller, stage="commission_payment")
    text = client_card(as_broker(ctx, anna), deal_id=paying.id)
    assert "→ Sold → Agent Commission Payment (in progress)" in text
    lost = make_buyer_request(
        ctx, owner=anna, buyer=seller, stage="closed_lost", lost_reason="budget"
    )
    text = client_card(as_broker(ctx, anna), deal_id=lost.id)
    assert "→ Deal Signing → Closed Lost (in process)" in text
    assert "gap" not in text  # a closed deal owes no follow-up


def test_a_colleague_cannot_open_my_clients_card(ctx, anna, ivan):
    boris = make_broker(ctx, name="Boris Orlov")
    with pytest.raises(Forbidden):
        client_card(as_broker(ctx, boris), contact_id=ivan[0].id)
