"""Contact and deal tools: one step registrations, duplicates, resolution, confirmations."""

from __future__ import annotations

from sqlalchemy import func, select

from crm_store.models import BuyerRequest, Contact, Listing, StageChange
from tests.factories import make_broker, make_buyer_request, make_contact, make_listing
from tools.confirm import confirmation_question
from tools.contacts import find_contacts, register_contact, update_contact
from tools.deals import move_stage, save_buyer_request, save_listing


def count(session_factory, model, **where):
    with session_factory() as s:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return s.execute(query).scalar_one()


def test_register_contact_with_buyer_request_in_one_step(run, session_factory):
    out = run(
        register_contact,
        full_name="Ivan Petrov",
        phones=["99 123456"],
        buyer={"budget_max": 500000, "cities": ["Лимассол"], "bedrooms_min": 3},
    )
    assert "Ivan Petrov" in out and "+357 99 123456" in out
    with session_factory() as s:
        contact = s.execute(select(Contact)).scalar_one()
        request = s.execute(select(BuyerRequest)).scalar_one()
    assert contact.phones == ["+35799123456"]
    assert request.buyer == contact.id and request.cities == ["Limassol"]
    assert request.owner == run.actor.broker_id


def test_duplicate_is_refused_and_nothing_is_written(run, session_factory):
    run(register_contact, full_name="Ivan Petrov", phones=["+357 99 123456"])
    out = run(
        register_contact,
        full_name="Иван Петров",
        phones=["0035799 654321"],
        buyer={"budget_max": 400000},
    )
    assert out.startswith("NOT DONE (duplicate)")
    assert count(session_factory, Contact) == 1
    assert count(session_factory, BuyerRequest) == 0


def test_find_and_update_across_scripts(run, session_factory):
    run(register_contact, full_name="Olga Smirnova")
    assert "Olga Smirnova" in run(find_contacts, query="Ольга Смирнова")
    out = run(update_contact, contact="Ольге Смирновой", add_emails=["Olga@Example.com"])
    assert "olga@example.com" in out


def test_save_listing_creates_then_changes_price(run, session_factory):
    run(register_contact, full_name="Maria Ivanova")
    created = run(
        save_listing,
        seller="Maria Ivanova",
        property_type="villa",
        city="Paphos",
        price=850000,
        mandate="exclusive",
    )
    assert "Villa" in created and "€850,000" in created
    changed = run(save_listing, listing="Maria Ivanova", price=800000)
    assert "€800,000" in changed and "was €850,000" in changed
    with session_factory() as s:
        assert str(s.execute(select(Listing.price)).scalar_one()) == "800000.00"


def test_save_buyer_request_updates_the_existing_one(run, session_factory):
    run(register_contact, full_name="Ivan Petrov", buyer={"budget_max": 500000})
    run(save_buyer_request, buyer="Ivan Petrov", budget_max=550000, bedrooms_min=3)
    assert count(session_factory, BuyerRequest) == 1
    with session_factory() as s:
        request = s.execute(select(BuyerRequest)).scalar_one()
    assert str(request.budget_max) == "550000.00" and request.bedrooms_min == 3


def test_move_stage_by_client_name_and_side_inferred(run, ctx, anna, session_factory):
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    make_buyer_request(ctx, owner=anna, buyer=ivan, stage="qualification")
    make_listing(ctx, owner=anna, seller=ivan, stage="prospect")
    ctx.session.commit()
    out = run(move_stage, deal="Ivan Petrov", to_stage="demand_research")
    assert "Demand Research" in out
    assert count(session_factory, BuyerRequest, stage="demand_research") == 1


def test_withdraw_and_skip_need_confirmation(run, ctx, anna, session_factory):
    maria = make_contact(ctx, owner=anna, full_name="Maria Ivanova")
    make_listing(ctx, owner=anna, seller=maria, stage="contacted")
    ctx.session.commit()
    deps = run.deps()
    question = confirmation_question(
        move_stage, {"deal": "Maria Ivanova", "to_stage": "withdrawn"}, deps
    )
    assert question and "Maria Ivanova" in question
    skip = confirmation_question(
        move_stage, {"deal": "Maria Ivanova", "to_stage": "active_listing"}, deps
    )
    assert skip and "Agreement Signed" in skip
    assert (
        confirmation_question(
            move_stage, {"deal": "Maria Ivanova", "to_stage": "agreement_signed"}, deps
        )
        is None
    )
    # Without the yes the service refuses the skip; with it, every stage is recorded.
    assert run(move_stage, deal="Maria Ivanova", to_stage="active_listing").startswith("NOT DONE")
    before = count(session_factory, StageChange)
    run(move_stage, confirmed=True, deal="Maria Ivanova", to_stage="active_listing")
    assert count(session_factory, StageChange) == before + 2


def test_a_withdrawal_question_names_the_deal_and_the_reason(run, ctx, anna):
    yuri = make_contact(ctx, owner=anna, full_name="Yuri Fedorov")
    make_buyer_request(ctx, owner=anna, buyer=yuri, stage="viewing")
    listing = make_listing(ctx, owner=anna, seller=yuri, stage="active_listing")
    ctx.session.commit()
    question = confirmation_question(
        move_stage,
        {"deal": "Yuri Fedorov", "to_stage": "withdrawn", "reason": "sold_independently"},
        run.deps(),
    )
    assert question == (
        f"Move Yuri Fedorov ({listing.id}, Active Listing) to Listing Withdrawn, "
        "reason: sold it themselves?"
    )


def test_another_brokers_client_is_not_found(run, ctx):
    other = make_broker(ctx, name="Dmitry Volkov")
    make_contact(ctx, owner=other, full_name="Secret Client")
    ctx.session.commit()
    out = run(update_contact, contact="Secret Client", add_phones=["99 765432"])
    assert out.startswith("NOT DONE")
    assert run(find_contacts, query="Secret Client").startswith("No contact matches")


def test_a_partial_request_update_keeps_the_other_criteria(run, session_factory):
    run(
        register_contact,
        full_name="Ivan Petrov",
        buyer={"budget_max": 500000, "cities": ["Limassol"], "must_haves": ["sea_view"]},
    )
    run(save_buyer_request, buyer="Ivan Petrov", budget_max=600000, bedrooms_min=3)
    with session_factory() as s:
        request = s.execute(select(BuyerRequest)).scalar_one()
    assert request.cities == ["Limassol"] and request.must_haves == ["sea_view"]
    assert str(request.budget_max) == "600000.00" and request.bedrooms_min == 3


def test_a_listing_update_adds_features_and_takes_off_only_those_said(
    run, ctx, anna, session_factory
):
    from crm_store.models import Listing

    olga = make_contact(ctx, owner=anna, full_name="Olga Smirnova")
    listing = make_listing(ctx, owner=anna, seller=olga, features=["sea_view", "furnished"])
    ctx.session.commit()
    run(save_listing, listing=listing.id, features=["pool"])
    run(save_listing, listing=listing.id, drop_features=["furnished"], bathrooms=3)
    with session_factory() as s:
        stored = s.get(Listing, listing.id)
        assert stored.features == ["sea_view", "pool"] and stored.bathrooms == 3
    out = run(save_listing, listing=listing.id, features=["helipad"])
    assert out.startswith("NOT DONE") and "helipad" in out
