"""A new deal the broker may not have meant is asked first (issue #10): a buyer request for a
client who only sells with us ("Laura wants her flat down to 430k"), or another listing for a
seller whose listing was probably meant ("the price of Omirou 73 is now 1.25m")."""

from __future__ import annotations

from tests.factories import make_contact, make_listing
from tools.confirm import confirmation_question
from tools.deals import save_buyer_request, save_listing


def test_a_buyer_request_for_a_seller_is_asked(run, ctx, anna):
    laura = make_contact(ctx, owner=anna, full_name="Laura Bennett")
    flat = make_listing(ctx, owner=anna, seller=laura)
    buyer = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    ctx.session.commit()
    question = confirmation_question(save_buyer_request, {"buyer": "Laura Bennett"}, run.deps())
    assert question is not None and flat.id in question
    assert confirmation_question(save_buyer_request, {"buyer": buyer.full_name}, run.deps()) is None


def test_another_listing_for_a_seller_is_asked_and_a_change_is_not(run, ctx, anna):
    tatiana = make_contact(ctx, owner=anna, full_name="Tatiana Belyaeva")
    villa = make_listing(ctx, owner=anna, seller=tatiana, property_type="villa")
    newcomer = make_contact(ctx, owner=anna, full_name="Nadia Haddad")
    ctx.session.commit()
    asked = confirmation_question(
        save_listing, {"seller": "Tatiana Belyaeva", "price": 1250000}, run.deps()
    )
    assert asked is not None and villa.id in asked
    change = {"listing": villa.id, "price": 1250000}
    assert confirmation_question(save_listing, change, run.deps()) is None
    first = {"seller": newcomer.full_name, "price": 240000}
    assert confirmation_question(save_listing, first, run.deps()) is None


def test_a_stage_skip_question_names_whose_deal_it_is(run, ctx, anna):
    from tools.deals import move_stage

    laura = make_contact(ctx, owner=anna, full_name="Laura Bennett")
    flat = make_listing(ctx, owner=anna, seller=laura, stage="contacted")
    ctx.session.commit()
    asked = confirmation_question(
        move_stage, {"deal": flat.id, "to_stage": "active_listing"}, run.deps()
    )
    assert asked is not None and asked.startswith(f"Laura Bennett ({flat.id}): ")
