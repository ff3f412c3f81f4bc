"""Issue #10 §3 and §6 through the real tools: implausible money is asked (and applied on yes),
absurd money is refused with a message and changes nothing, a bad phone is reported while the
client is registered, and the same registration again names the contact already there."""

from __future__ import annotations

from decimal import Decimal

import pytest
from langchain_core.messages import AIMessage
from sqlalchemy import func, select

from agent.proposals import accept, readback_for, store
from crm_store.models import AuditEntry, BuyerRequest, Contact, Listing
from tests.factories import make_buyer_request, make_contact, make_listing
from tools.confirm import confirmation_question
from tools.contacts import register_contact, update_contact
from tools.deals import move_stage, save_buyer_request, save_listing
from tools.registry import all_tools


def count(session_factory, model) -> int:
    with session_factory() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def price_of(session_factory, listing_id: str) -> Decimal | None:
    with session_factory() as s:
        return s.get(Listing, listing_id).price


def writes(session_factory) -> int:
    return count(session_factory, AuditEntry)


@pytest.fixture
def maria_listing(ctx, anna):
    maria = make_contact(ctx, owner=anna, full_name="Maria Ivanova")
    listing = make_listing(ctx, owner=anna, seller=maria, price=Decimal("320000.00"))
    ctx.session.commit()
    return listing


@pytest.fixture
def ivan_request(ctx, anna):
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov", phones=["+35799123456"])
    request = make_buyer_request(
        ctx,
        owner=anna,
        buyer=ivan,
        budget_max=Decimal("500000.00"),
        expected_commission=Decimal("12500.00"),
    )
    ctx.session.commit()
    return request


# --- a jump of 5× or more is read back with the old value, and applied on yes ---------------


def test_a_price_ten_times_lower_is_asked_with_the_old_value(run, maria_listing, session_factory):
    args = {"listing": maria_listing.id, "price": 32000}
    question = confirmation_question(save_listing, args, run.deps())
    assert question == (
        f"Set the price of {maria_listing.id} to €32,000 (was €320,000)? That is 10× lower."
    )
    # Reaching the tool unconfirmed, the amount is refused, not written.
    out = run(save_listing, **args)
    assert out.startswith("NOT DONE (confirmation_required)") and "€320,000" in out
    assert price_of(session_factory, maria_listing.id) == Decimal("320000.00")


def test_a_price_cut_nearly_tenfold_is_asked_too(run, maria_listing, session_factory):
    """A trial: "цена … теперь 19 тыс" for a €185,000 flat (9.7× lower) went through."""
    question = confirmation_question(
        save_listing, {"listing": maria_listing.id, "price": 33000}, run.deps()
    )
    assert question is not None and "€33,000 (was €320,000)" in question
    assert (
        confirmation_question(
            save_listing, {"listing": maria_listing.id, "price": 290000}, run.deps()
        )
        is None
    )  # an ordinary cut is simply done


def test_the_proposal_of_a_jump_applies_it_on_yes(run, maria_listing, session_factory):
    tools = {tool.name: tool for tool in all_tools()}
    call = {"name": "save_listing", "args": {"listing": maria_listing.id, "price": 32000}}
    message = AIMessage(content="", tool_calls=[{**call, "id": "c1"}])
    readback = readback_for(message, tools, run.deps())
    assert readback is not None and "€32,000 (was €320,000)" in readback
    assert price_of(session_factory, maria_listing.id) == Decimal("320000.00")
    proposal = store(run.backend, run.actor, [call], readback)
    decision = accept(run.backend, run.actor, tools, proposal)
    assert decision.applied, decision.texts
    assert price_of(session_factory, maria_listing.id) == Decimal("32000.00")


def test_a_jump_that_would_fail_anyway_is_not_asked(run, ctx, anna, session_factory):
    olga = make_contact(ctx, owner=anna, full_name="Olga Smirnova")
    make_buyer_request(
        ctx, owner=anna, buyer=olga, budget_min=Decimal("500000"), budget_max=Decimal("650000")
    )
    ctx.session.commit()
    args = {"buyer": "Olga Smirnova", "budget_max": 65000}
    assert confirmation_question(save_buyer_request, args, run.deps()) is None
    out = run(save_buyer_request, **args)
    assert out.startswith("NOT DONE (invalid_input): budget_min:")


def test_a_usual_change_is_not_asked(run, maria_listing):
    args = {"listing": maria_listing.id, "price": 300000}
    assert confirmation_question(save_listing, args, run.deps()) is None
    assert "€300,000" in run(save_listing, **args)


def test_a_budget_ten_times_higher_is_asked_in_russian(run, anna, ivan_request):
    ru = run.as_(anna, language="ru")
    question = confirmation_question(
        save_buyer_request, {"buyer": "Ivan Petrov", "budget_max": 5_000_000}, ru.deps()
    )
    assert question is not None
    assert "€5 000 000" in question and "было €500 000" in question
    assert "в 10 раз больше" in question


def test_a_sale_price_and_a_commission_far_from_the_record_are_asked(
    run, ctx, maria_listing, ivan_request, session_factory
):
    sold = {"deal": maria_listing.id, "to_stage": "sold", "final_amount": 32000}
    question = confirmation_question(move_stage, sold, run.deps())
    assert question is not None
    assert "€32,000 (asking price €320,000)" in question and "10× lower" in question
    ivan_request.stage = "payment"
    ctx.session.merge(ivan_request)
    ctx.session.commit()
    won = {"deal": ivan_request.id, "to_stage": "closed_won", "final_amount": 125000}
    question = confirmation_question(move_stage, won, run.deps())
    assert question is not None and "€125,000 (expected €12,500)" in question
    before = writes(session_factory)
    assert run(move_stage, **won).startswith("NOT DONE (confirmation_required)")
    assert writes(session_factory) == before
    assert "Closed Won" in run(move_stage, confirmed=True, **won)


# --- out of range: asked; impossible: refused ------------------------------------------------


def test_a_price_of_500_euros_is_asked(run, maria_listing, session_factory):
    question = confirmation_question(
        save_listing, {"listing": maria_listing.id, "price": 500}, run.deps()
    )
    assert question is not None and "€500 (was €320,000)" in question
    assert "below €1,000" in question
    new = confirmation_question(
        register_contact,
        {"full_name": "Nikos Pappas", "seller": {"property_type": "villa", "price": 500}},
        run.deps(),
    )
    assert new is not None and "€500" in new and "below €1,000" in new
    assert price_of(session_factory, maria_listing.id) == Decimal("320000.00")


@pytest.mark.parametrize("price", [-320000, "-5"])
def test_a_negative_price_is_refused_not_asked(run, maria_listing, session_factory, price):
    args = {"listing": maria_listing.id, "price": price}
    assert confirmation_question(save_listing, args, run.deps()) is None
    out = run(save_listing, **args)
    assert out.startswith("NOT DONE (invalid_input)") and "positive" in out
    assert price_of(session_factory, maria_listing.id) == Decimal("320000.00")


@pytest.mark.parametrize(
    "budget",
    [99999999999999999999999999999, 10**40, "9" * 40, 1e40, 2_000_000_000],
)
def test_an_absurd_budget_gives_a_clear_message_and_changes_nothing(
    run, ivan_request, session_factory, budget
):
    args = {"buyer": "Ivan Petrov", "budget_max": budget}
    assert confirmation_question(save_buyer_request, args, run.deps()) is None
    before = writes(session_factory)
    out = run(save_buyer_request, **args)
    assert out.startswith("NOT DONE (invalid_input): budget_max:"), out
    assert "far too large to be right (the most accepted is €1,000,000,000)" in out
    assert writes(session_factory) == before
    with session_factory() as s:
        assert s.get(BuyerRequest, ivan_request.id).budget_max == Decimal("500000.00")


def test_an_absurd_amount_in_any_money_argument_is_refused(run, anna, maria_listing):
    huge = int("9" * 40)
    out = run(register_contact, full_name="Nikos Pappas", buyer={"budget_min": huge})
    assert out.startswith("NOT DONE (invalid_input)") and "40-digit" in out
    out = run(save_listing, listing=maria_listing.id, commission_pct=huge)
    assert out.startswith("NOT DONE (invalid_input)")
    out = run(save_listing, listing=maria_listing.id, area_m2=huge)
    assert out.startswith("NOT DONE (invalid_input)")
    out = run(move_stage, deal=maria_listing.id, to_stage="sold", final_amount=huge)
    assert out.startswith("NOT DONE (invalid_input)") and "final_amount" in out
    ru = run.as_(anna, language="ru")
    out = ru(save_listing, listing=maria_listing.id, price=huge)
    assert "40-значное число — слишком большая сумма" in out


# --- phones ------------------------------------------------------------------------------------


def test_a_bad_phone_is_reported_and_the_contact_registered(run, session_factory):
    out = run(
        register_contact,
        full_name="Nikos Pappas",
        phones=["+357 12", "99 765432"],
        buyer={"budget_max": 400000},
    )
    assert out.startswith("Registered Nikos Pappas"), out
    assert "The phone was not saved: '+357 12' is not a phone number" in out
    with session_factory() as s:
        contact = s.execute(select(Contact)).scalar_one()
    assert contact.phones == ["+35799765432"]
    assert count(session_factory, BuyerRequest) == 1


def test_a_bad_extra_phone_is_reported_and_the_rest_updated(run, ctx, anna, session_factory):
    make_contact(ctx, owner=anna, full_name="Olga Smirnova", phones=["+35799111111"])
    ctx.session.commit()
    out = run(
        update_contact, contact="Olga Smirnova", add_phones=["12"], add_emails=["olga@mail.com"]
    )
    assert "olga@mail.com" in out and "The phone was not saved: '12'" in out
    ru = run.as_(anna, language="ru")
    alone = ru(update_contact, contact="Olga Smirnova", add_phones=["12"])
    assert alone.startswith("NOT DONE (invalid_input)") and "не похоже на номер" in alone
    with session_factory() as s:
        olga = s.execute(select(Contact)).scalar_one()
    assert olga.phones == ["+35799111111"] and olga.emails == ["olga@mail.com"]


# --- the same registration again ------------------------------------------------------------


@pytest.mark.parametrize("name", ["Ivan Petrov", "Иван Петров", "Johnny"])
def test_the_same_registration_again_names_the_existing_contact(run, session_factory, name):
    first = run(register_contact, full_name="Ivan Petrov", phones=["+357 99 123456"])
    assert first.startswith("Registered Ivan Petrov")
    before = writes(session_factory)
    for confirmed in (False, True):
        again = run(
            register_contact,
            full_name=name,
            phones=["99 123456"],
            buyer={"budget_max": 400000},
            new_despite_duplicate=confirmed and name != "Johnny",
        )
        assert again.startswith("NOT DONE (already_exists)"), again
        assert "Ivan Petrov (c-" in again and "+357 99 123456" in again
    assert count(session_factory, Contact) == 1
    assert count(session_factory, BuyerRequest) == 0
    assert writes(session_factory) == before
