"""The team's listings as facts (issue #10 §7): a colleague's active listing is readable without
its seller's contact data, and a plain search reads the same set — never a colleague's listing
that is off the market, never another team's."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import make_broker, make_contact, make_listing
from tools.cards import client_card
from tools.listings import find_listings


@pytest.fixture
def team(ctx, anna):
    chris = make_broker(ctx, name="Chris Hadjipetrou")
    outsider = make_broker(ctx, name="Olga Other", team="north")
    seller = make_contact(
        ctx, owner=chris, full_name="Peter Walsh", phones=["+35799000111"], emails=["p@x.cy"]
    )
    villa = make_listing(
        ctx, owner=chris, seller=seller, property_type="villa", district="Agios Tychonas",
        address="3 Amathus Hill", price=Decimal("1150000"), bedrooms=5, features=["pool"],
    )  # fmt: skip
    flat = make_listing(ctx, owner=chris, seller=seller, price=Decimal("410000"), bedrooms=3)
    sold = make_listing(ctx, owner=chris, stage="sold", price=Decimal("300000"), bedrooms=3)
    other_team = make_listing(ctx, owner=outsider, price=Decimal("320000"), bedrooms=3)
    own_seller = make_contact(ctx, owner=anna, full_name="Andreas Constantinou")
    own = make_listing(ctx, owner=anna, seller=own_seller, price=Decimal("465000"), bedrooms=3)
    ctx.session.commit()
    return {"villa": villa, "flat": flat, "sold": sold, "other": other_team, "own": own}


def test_a_colleagues_active_listing_reads_as_facts_without_its_seller(run, team):
    card = run(client_card, client=team["villa"].id)
    assert "€1,150,000" in card and "5 bd" in card and "Chris Hadjipetrou" in card
    assert "Peter Walsh" not in card and "+35799000111" not in card and "p@x.cy" not in card


def test_a_listing_named_by_its_description_reads_the_same(run, team):
    card = run(client_card, client="the amathus hill villa")
    assert card.startswith(team["villa"].id) and "Peter Walsh" not in card


def test_a_colleagues_listing_off_the_market_stays_closed(run, team):
    assert run(client_card, client=team["sold"].id).startswith("NOT DONE")


def test_search_reads_the_teams_active_listings_cheapest_first(run, team):
    found = run(find_listings, city="Limassol", bedrooms_min=3, price_max=500000)
    lines = found.splitlines()[1:]
    assert [line.split()[1] for line in lines] == [team["flat"].id, team["own"].id]
    assert "Chris Hadjipetrou's listing" in lines[0] and "listing" not in lines[1].split("·")[-1]
    assert team["sold"].id not in found and team["other"].id not in found


def test_search_by_type_and_feature_and_nothing_found(run, team):
    assert team["villa"].id in run(find_listings, property_type="villa", features=["pool"])
    assert run(find_listings, property_type="villa", price_max=500000).startswith("No active")


@pytest.mark.parametrize("bad", [{"price_max": -5}, {"price_min": 10**30}, {"bedrooms_min": 10**9}])
def test_absurd_criteria_are_refused_clearly(run, team, bad):
    assert run(find_listings, **bad).startswith("NOT DONE (invalid_input)")
