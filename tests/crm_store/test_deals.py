"""Listings and buyer requests are stored validated and canonical; stages change only by moves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from crm_store.errors import Forbidden, InvalidInput, NotFound
from crm_store.models import AuditEntry, StageChange
from crm_store.services.deals import (
    create_buyer_request,
    create_listing,
    deal_value,
    expected_commission,
    update_buyer_request,
    update_listing,
)
from tests.conftest import as_broker
from tests.factories import make_broker, make_buyer_request, make_contact, make_listing


@pytest.fixture
def anna(ctx):
    return make_broker(ctx, name="Anna Georgiou")


@pytest.fixture
def actx(ctx, anna):
    return as_broker(ctx, anna)


@pytest.fixture
def client(ctx, anna):
    return make_contact(ctx, owner=anna, full_name="Ivan Petrov")


def _audit(ctx, entity_id):
    query = select(AuditEntry).where(AuditEntry.entity_id == entity_id).order_by(AuditEntry.id)
    return list(ctx.session.execute(query).scalars())


def _rows(ctx, **where):
    query = select(StageChange).filter_by(**where)
    return list(ctx.session.execute(query).scalars())


# --- listings -------------------------------------------------------------------------------


def test_a_listing_is_stored_canonical_from_russian_input(actx, anna, client):
    listing = create_listing(
        actx,
        seller_id=client.id,
        property_type="виллу",
        city="Лимассол",
        district="Гермасойя",
        price="1 250 000",
        features=["вид на море", "pool", "sea_view"],
        commission_pct="4",
    )
    assert (listing.city, listing.district) == ("Limassol", "Germasogeia")
    assert listing.property_type == "villa"
    assert listing.features == ["sea_view", "pool"]
    assert listing.price == Decimal("1250000.00")
    assert listing.commission_pct == Decimal("4.00")
    assert listing.owner == anna.id and listing.stage == "prospect"
    assert listing.created_at == listing.updated_at == actx.now()


def test_a_new_listing_records_its_first_stage(actx, client):
    listing = create_listing(
        actx, seller_id=client.id, property_type="apartment", stage="active_listing"
    )
    [row] = _rows(actx, listing_id=listing.id)
    assert (row.from_stage, row.to_stage, row.reason) == (None, "active_listing", "created")
    assert listing.listed_at == actx.now()


def test_a_listing_cannot_start_closed(actx, client):
    with pytest.raises(InvalidInput, match="stage"):
        create_listing(actx, seller_id=client.id, property_type="villa", stage="closed_won")


def test_a_district_alone_brings_its_city(actx, client):
    listing = create_listing(actx, seller_id=client.id, property_type="villa", district="Пейя")
    assert (listing.city, listing.district) == ("Paphos", "Peyia")


def test_a_district_in_another_city_is_refused(actx, client):
    with pytest.raises(InvalidInput, match="Germasogeia is in Limassol, not Paphos"):
        create_listing(
            actx, seller_id=client.id, property_type="villa", city="Paphos", district="Germasogeia"
        )


def test_an_unknown_city_is_refused_but_an_unlisted_village_is_kept(actx, client):
    with pytest.raises(InvalidInput, match="Limassol, Paphos"):
        create_listing(actx, seller_id=client.id, property_type="villa", city="Atlantis")
    listing = create_listing(
        actx, seller_id=client.id, property_type="villa", city="Limassol", district="Pissouri"
    )
    assert listing.district == "Pissouri"


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("property_type", "castle", "apartment"),
        ("price", "-1", "positive"),
        ("price", "cheap", "amount in EUR"),
        ("bedrooms", -2, "whole number"),
        ("area_m2", 0, "area"),
        ("features", ["helipad"], "sea_view"),
        ("mandate", "forever", "exclusive"),
        ("commission_pct", "30", "percentage up to 20"),
    ],
)
def test_invalid_listing_fields_are_refused_with_the_choices(actx, client, field, value, needle):
    args = {"seller_id": client.id, "property_type": "villa", field: value}
    with pytest.raises(InvalidInput, match=needle) as raised:
        create_listing(actx, **args)
    assert raised.value.ru != raised.value.en


def test_a_listing_for_another_brokers_client_is_refused(ctx, actx):
    boris = make_broker(ctx, name="Boris Ivanov")
    theirs = make_contact(ctx, owner=boris, full_name="Olga Smirnova")
    with pytest.raises(Forbidden):
        create_listing(actx, seller_id=theirs.id, property_type="villa")
    with pytest.raises(NotFound):
        create_listing(actx, seller_id="c-404", property_type="villa")


def test_a_price_change_is_audited_with_old_and_new(actx, anna, client):
    listing = make_listing(actx, owner=anna, seller=client, price=Decimal("450000"))
    actx.session.refresh(listing)  # as the store gives it back: two decimals
    update_listing(actx, listing_id=listing.id, price="420000", bedrooms=3)
    assert listing.price == Decimal("420000.00") and listing.bedrooms == 3
    assert listing.updated_at == actx.now()
    [entry] = _audit(actx, listing.id)
    assert entry.action == "price_change"
    assert entry.changes["price"] == ["450000.00", "420000.00"]
    assert entry.changes["bedrooms"] == [2, 3]


def test_an_update_that_changes_nothing_leaves_no_trace(actx, anna, client):
    listing = make_listing(actx, owner=anna, seller=client, price=Decimal("450000"))
    before = listing.updated_at
    update_listing(actx, listing_id=listing.id, price=Decimal("450000"))
    assert _audit(actx, listing.id) == [] and listing.updated_at == before


def test_changing_the_city_rechecks_the_district(actx, anna, client):
    listing = make_listing(actx, owner=anna, seller=client)  # Limassol, Germasogeia
    with pytest.raises(InvalidInput, match="Germasogeia is in Limassol"):
        update_listing(actx, listing_id=listing.id, city="Paphos")
    update_listing(actx, listing_id=listing.id, city="Paphos", district="Peyia")
    assert (listing.city, listing.district) == ("Paphos", "Peyia")


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"stage": "sold"}, "move_stage"),
        ({"owner": "b-9"}, "manager"),
        ({"closed_price": 1}, "not editable"),
        ({"colour": "blue"}, "not editable"),
    ],
)
def test_update_listing_refuses_what_it_may_not_change(actx, anna, client, changes, needle):
    listing = make_listing(actx, owner=anna, seller=client, stage="contacted")
    with pytest.raises(InvalidInput, match=needle):
        update_listing(actx, listing_id=listing.id, **changes)
    assert listing.stage == "contacted"


def test_another_brokers_listing_cannot_be_edited(ctx, actx):
    boris = make_broker(ctx, name="Boris Ivanov")
    listing = make_listing(ctx, owner=boris, price=Decimal("300000"))
    with pytest.raises(Forbidden):
        update_listing(actx, listing_id=listing.id, price="1")
    assert listing.price == Decimal("300000.00")


# --- buyer requests -------------------------------------------------------------------------


def test_a_buyer_request_is_stored_canonical(actx, anna, client):
    request = create_buyer_request(
        actx,
        buyer_id=client.id,
        budget_min="400000",
        budget_max=Decimal("550000"),
        cities=["Лимассол"],
        districts=["Пейя", "Germasogeia"],
        property_types=["квартиру", "villa"],
        bedrooms_min=3,
        must_haves=["бассейн"],
        timeline_months=6,
        financing="Mortgage",
    )
    assert request.cities == ["Limassol", "Paphos"]
    assert request.districts == ["Peyia", "Germasogeia"]
    assert request.property_types == ["apartment", "villa"]
    assert request.must_haves == ["pool"]
    assert request.financing == "mortgage"
    assert request.budget_max == Decimal("550000.00") and request.nurturing is False
    assert request.owner == anna.id and request.stage == "qualification"
    [row] = _rows(actx, buyer_request_id=request.id)
    assert (row.from_stage, row.to_stage) == (None, "qualification")


def test_default_expected_commission_is_two_and_a_half_percent_of_the_top_budget(actx, client):
    request = create_buyer_request(actx, buyer_id=client.id, budget_max="500000")
    assert request.expected_commission == Decimal("12500.00")
    given = create_buyer_request(
        actx, buyer_id=client.id, budget_max="500000", expected_commission="9000"
    )
    assert given.expected_commission == Decimal("9000.00")
    assert create_buyer_request(actx, buyer_id=client.id).expected_commission is None


def test_budget_min_above_max_is_refused(actx, anna, client):
    with pytest.raises(InvalidInput, match="above budget_max"):
        create_buyer_request(actx, buyer_id=client.id, budget_min=600000, budget_max=500000)
    request = make_buyer_request(actx, owner=anna, buyer=client, budget_max=Decimal("500000"))
    with pytest.raises(InvalidInput, match="above budget_max"):
        update_buyer_request(actx, request_id=request.id, budget_min="700000")


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("financing", "bitcoin", "cash"),
        ("property_types", ["yacht"], "apartment"),
        ("must_haves", ["moat"], "sea_view"),
        ("cities", ["Gotham"], "Limassol"),
        ("timeline_months", "soon", "whole number"),
        ("budget_max", "-3", "positive"),
    ],
)
def test_invalid_request_fields_are_refused(actx, client, field, value, needle):
    with pytest.raises(InvalidInput, match=needle):
        create_buyer_request(actx, buyer_id=client.id, **{field: value})


def test_nurturing_follows_the_timeline_on_every_update(actx, client):
    request = create_buyer_request(actx, buyer_id=client.id, timeline_months=18)
    assert request.nurturing is True
    update_buyer_request(actx, request_id=request.id, timeline_months=12)
    assert request.nurturing is False
    update_buyer_request(actx, request_id=request.id, timeline_months=13)
    assert request.nurturing is True
    update_buyer_request(actx, request_id=request.id, timeline_months=None)
    assert request.nurturing is False


def test_a_derived_commission_follows_the_budget_but_a_given_one_stays(actx, client):
    derived = create_buyer_request(actx, buyer_id=client.id, budget_max="400000")
    update_buyer_request(actx, request_id=derived.id, budget_max="600000")
    assert derived.expected_commission == Decimal("15000.00")
    given = create_buyer_request(
        actx, buyer_id=client.id, budget_max="400000", expected_commission="7000"
    )
    update_buyer_request(actx, request_id=given.id, budget_max="600000")
    assert given.expected_commission == Decimal("7000.00")


def test_update_buyer_request_refuses_stage_and_audits_changes(actx, anna, client):
    request = make_buyer_request(actx, owner=anna, buyer=client, stage="viewing")
    with pytest.raises(InvalidInput, match="move_stage"):
        update_buyer_request(actx, request_id=request.id, stage="decision")
    update_buyer_request(actx, request_id=request.id, cities=["Paphos"], wishes="quiet street")
    assert request.cities == ["Paphos"] and request.wishes == "quiet street"
    [entry] = _audit(actx, request.id)
    assert entry.changes["cities"] == [["Limassol"], ["Paphos"]]


def test_another_brokers_buyer_request_is_out_of_reach(ctx, actx):
    boris = make_broker(ctx, name="Boris Ivanov")
    theirs = make_contact(ctx, owner=boris, full_name="Olga Smirnova")
    request = make_buyer_request(ctx, owner=boris, buyer=theirs)
    with pytest.raises(Forbidden):
        update_buyer_request(actx, request_id=request.id, wishes="x")
    with pytest.raises(Forbidden):
        create_buyer_request(actx, buyer_id=theirs.id)


# --- value and commission -------------------------------------------------------------------


def test_deal_value_and_expected_commission(ctx, anna, client):
    listing = make_listing(ctx, owner=anna, seller=client, price=Decimal("400000"))
    assert deal_value(listing) == Decimal("400000.00")
    assert expected_commission(listing) == Decimal("12000.00")  # 3% when none agreed
    listing.commission_pct = Decimal("5")
    assert expected_commission(listing) == Decimal("20000.00")
    listing.closed_price = Decimal("380000")
    assert expected_commission(listing) == Decimal("19000.00")  # the final price counts
    request = make_buyer_request(ctx, owner=anna, buyer=client, budget_min=Decimal("200000"))
    assert deal_value(request) == Decimal("200000.00")
    assert expected_commission(request) == Decimal("5000.00")
    request.budget_max, request.expected_commission = Decimal("300000"), Decimal("8000")
    assert deal_value(request) == Decimal("300000.00")
    assert expected_commission(request) == Decimal("8000")
    bare = make_listing(ctx, owner=anna, price=None)
    assert deal_value(bare) == Decimal("0") and expected_commission(bare) == Decimal("0")
