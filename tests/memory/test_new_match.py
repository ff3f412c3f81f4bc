"""`new_match` nudges: recorded for the brokers of matching buyers, once per listing price."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from crm_store.context import Ctx
from crm_store.models import Listing, Notification
from memory.matching import Matcher
from tests.factories import make_buyer_request, make_contact, make_listing
from tests.memory.conftest import Team


def _notifications(ctx: Ctx) -> list[Notification]:
    return list(ctx.session.execute(select(Notification).order_by(Notification.id)).scalars())


def _setup(ctx: Ctx, team: Team) -> tuple[str, str, str]:
    listing = make_listing(
        ctx, owner=team.anna, stage="agreement_signed", price=Decimal("480000"), features=["pool"]
    )
    mine = make_buyer_request(
        ctx,
        owner=team.anna,
        buyer=make_contact(ctx, owner=team.anna),
        budget_max=Decimal("500000"),
        wishes="a pool",
    )
    theirs = make_buyer_request(
        ctx, owner=team.boris, buyer=make_contact(ctx, owner=team.boris), must_haves=["pool"]
    )
    # Not a match: wants Paphos.
    make_buyer_request(
        ctx, owner=team.boris, buyer=make_contact(ctx, owner=team.boris), cities=["Paphos"]
    )
    return listing.id, mine.id, theirs.id


def test_activation_nudges_each_matching_buyers_broker_once(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    listing_id, mine, theirs = _setup(ctx, team)
    listing = ctx.session.get(Listing, listing_id)
    assert listing is not None
    listing.stage = "active_listing"
    ctx.session.flush()

    first = matcher.on_listing_changed(ctx, listing_id=listing_id, old_stage="agreement_signed")
    again = matcher.on_listing_changed(ctx, listing_id=listing_id, old_stage="agreement_signed")

    assert first.trigger == "activated" and len(first.created) == 2
    assert again.created == [] and again.skipped_existing == 2
    notes = _notifications(ctx)
    assert {(n.broker, n.dedupe_key) for n in notes} == {
        (team.anna.id, f"match:{listing_id}:{mine}:480000.00"),
        (team.boris.id, f"match:{listing_id}:{theirs}:480000.00"),
    }
    assert all(n.kind == "new_match" and n.status == "pending" for n in notes)
    anna_note = next(n for n in notes if n.broker == team.anna.id)
    assert anna_note.payload["buyer_request"] == mine
    assert "€480k within budget" in anna_note.payload["reasons"]
    assert "бассейн — как просили" in anna_note.payload["reasons_ru"]


def test_a_price_drop_nudges_again_a_rise_does_not(ctx: Ctx, team: Team, matcher: Matcher) -> None:
    listing_id, _, _ = _setup(ctx, team)
    listing = ctx.session.get(Listing, listing_id)
    assert listing is not None
    listing.stage = "active_listing"
    ctx.session.flush()
    matcher.on_listing_changed(ctx, listing_id=listing_id, old_stage="agreement_signed")

    listing.price = Decimal("490000")
    ctx.session.flush()
    rise = matcher.on_listing_changed(
        ctx, listing_id=listing_id, old_price=Decimal("480000"), old_stage="active_listing"
    )
    listing.price = Decimal("470000")
    ctx.session.flush()
    drop = matcher.on_listing_changed(
        ctx, listing_id=listing_id, old_price=Decimal("490000"), old_stage="active_listing"
    )

    assert rise.trigger is None and rise.created == []
    assert drop.trigger == "price_drop" and len(drop.created) == 2
    keys = {n.dedupe_key for n in _notifications(ctx)}
    assert len(keys) == 4 and all(k.endswith(("480000.00", "470000.00")) for k in keys)


def test_edits_of_an_inactive_listing_nudge_nobody(ctx: Ctx, team: Team, matcher: Matcher) -> None:
    listing_id, _, _ = _setup(ctx, team)
    result = matcher.on_listing_changed(
        ctx, listing_id=listing_id, old_price=Decimal("500000"), old_stage="agreement_signed"
    )
    assert result.trigger is None and _notifications(ctx) == []
