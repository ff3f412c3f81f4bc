"""Who sees what: team listings (facts only) for any broker, buyers only for their broker."""

from __future__ import annotations

import dataclasses

import pytest

from crm_store.context import Ctx
from crm_store.errors import Forbidden
from memory.matching import Matcher
from tests.conftest import as_broker
from tests.factories import make_buyer_request, make_contact, make_listing
from tests.memory.conftest import Team


def test_a_buyer_is_offered_colleagues_listings_but_never_the_seller(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    seller = make_contact(ctx, owner=team.boris, full_name="Secret Seller", phones=["+35799111222"])
    colleague = make_listing(ctx, owner=team.boris, seller=seller)
    own = make_listing(ctx, owner=team.anna)
    make_listing(ctx, owner=team.zoe)  # another team's inventory
    buyer = make_contact(ctx, owner=team.anna)
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer)

    matches = matcher.listings_for_buyer(as_broker(ctx, team.anna), request_id=request.id)

    assert sorted(m.listing.id for m in matches) == sorted([colleague.id, own.id])
    shown = next(m.listing for m in matches if m.listing.id == colleague.id)
    assert shown.owner_name == "Boris Ivanov"
    fields = {f.name for f in dataclasses.fields(shown)}
    assert "seller" not in fields
    assert "Secret Seller" not in repr(matches) and "+35799111222" not in repr(matches)


def test_a_broker_cannot_match_a_colleagues_buyer(ctx: Ctx, team: Team, matcher: Matcher) -> None:
    buyer = make_contact(ctx, owner=team.boris)
    request = make_buyer_request(ctx, owner=team.boris, buyer=buyer)
    with pytest.raises(Forbidden):
        matcher.listings_for_buyer(as_broker(ctx, team.anna), request_id=request.id)


def _two_buyers(ctx: Ctx, team: Team) -> tuple[str, str, str]:
    listing = make_listing(ctx, owner=team.anna)
    mine = make_buyer_request(
        ctx, owner=team.anna, buyer=make_contact(ctx, owner=team.anna, full_name="Ivan Petrov")
    )
    theirs = make_buyer_request(
        ctx, owner=team.boris, buyer=make_contact(ctx, owner=team.boris, full_name="Olga Smirnova")
    )
    other_team = make_buyer_request(ctx, owner=team.zoe, buyer=make_contact(ctx, owner=team.zoe))
    assert other_team.id
    return listing.id, mine.id, theirs.id


def test_a_broker_sees_own_buyers_and_only_a_count_of_colleagues(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    listing_id, mine, _ = _two_buyers(ctx, team)
    result = matcher.buyers_for_listing(as_broker(ctx, team.anna), listing_id=listing_id)
    assert [m.request_id for m in result.matches] == [mine]
    assert result.matches[0].buyer_name == "Ivan Petrov"
    assert result.colleagues_count == 1
    assert "Olga" not in repr(result)


def test_the_colleague_sees_their_own_buyer_for_a_listing_they_do_not_own(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    listing_id, _, theirs = _two_buyers(ctx, team)
    result = matcher.buyers_for_listing(as_broker(ctx, team.boris), listing_id=listing_id)
    assert [m.request_id for m in result.matches] == [theirs]
    assert result.colleagues_count == 1


def test_a_manager_sees_every_match_of_the_team(ctx: Ctx, team: Team, matcher: Matcher) -> None:
    listing_id, mine, theirs = _two_buyers(ctx, team)
    result = matcher.buyers_for_listing(as_broker(ctx, team.maria), listing_id=listing_id)
    assert sorted(m.request_id for m in result.matches) == sorted([mine, theirs])
    assert result.colleagues_count == 0


def test_another_teams_broker_cannot_see_the_listing(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    listing_id, _, _ = _two_buyers(ctx, team)
    with pytest.raises(Forbidden):
        matcher.buyers_for_listing(as_broker(ctx, team.zoe), listing_id=listing_id)
