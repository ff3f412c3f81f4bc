"""Hard criteria of buyer → listings: budget stretch, must-haves, places, bedrooms, types."""

from __future__ import annotations

from decimal import Decimal

from crm_store.context import Ctx
from memory.matching import Matcher
from tests.conftest import as_broker
from tests.factories import make_buyer_request, make_contact, make_listing
from tests.memory.conftest import Team


def _ids(matcher: Matcher, ctx: Ctx, request_id: str) -> list[str]:
    return sorted(m.listing.id for m in matcher.listings_for_buyer(ctx, request_id=request_id))


def test_budget_stretches_by_ten_percent_and_says_so(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    within = make_listing(ctx, owner=team.anna, price=Decimal("450000"))
    stretch = make_listing(ctx, owner=team.anna, price=Decimal("540000"))
    make_listing(ctx, owner=team.anna, price=Decimal("560000"))  # 12% over: out
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer, budget_max=Decimal("500000"))

    matches = matcher.listings_for_buyer(as_broker(ctx, team.anna), request_id=request.id)

    assert [m.listing.id for m in matches] == [within.id, stretch.id]  # over budget ranks lower
    assert "€450k within budget" in matches[0].reason_texts()
    assert "€540k, 8% above budget (within the 10% stretch)" in matches[1].reason_texts()


def test_must_haves_are_found_in_the_record_or_the_description(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    stated = make_listing(ctx, owner=team.anna, features=["pool", "parking"])
    described = make_listing(
        ctx, owner=team.anna, description="Garden flat. Residents share a large swimming pool."
    )
    make_listing(ctx, owner=team.anna, features=["parking"], description="Close to the marina.")
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer, must_haves=["pool"])

    assert _ids(matcher, ctx, request.id) == sorted([stated.id, described.id])


def test_private_pool_must_have_is_not_met_by_a_communal_pool(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    private = make_listing(ctx, owner=team.anna, features=["private_pool"])
    make_listing(ctx, owner=team.anna, features=["pool"])
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer, must_haves=["private_pool"])
    assert _ids(matcher, ctx, request.id) == [private.id]


def test_districts_narrow_their_city_only(ctx: Ctx, team: Team, matcher: Matcher) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    germasogeia = make_listing(ctx, owner=team.anna, city="Limassol", district="Germasogeia")
    make_listing(ctx, owner=team.anna, city="Limassol", district="Agios Tychonas")
    peyia = make_listing(ctx, owner=team.anna, city="Paphos", district="Peyia")
    make_listing(ctx, owner=team.anna, city="Larnaca", district="Mackenzie")
    # Germasogeia in Limassol, or anywhere in Paphos.
    request = make_buyer_request(
        ctx, owner=team.anna, buyer=buyer, cities=["Limassol", "Paphos"], districts=["Germasogeia"]
    )
    assert _ids(matcher, ctx, request.id) == sorted([germasogeia.id, peyia.id])


def test_places_typed_in_russian_match_canonical_listings(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    limassol = make_listing(ctx, owner=team.anna, city="Limassol", district="Zakaki")
    make_listing(ctx, owner=team.anna, city="Paphos", district="Tala")
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer, cities=["Лимассол"])
    assert _ids(matcher, ctx, request.id) == [limassol.id]


def test_bedrooms_and_property_type_are_hard_criteria(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    villa = make_listing(ctx, owner=team.anna, property_type="villa", bedrooms=4)
    make_listing(ctx, owner=team.anna, property_type="villa", bedrooms=2)
    make_listing(ctx, owner=team.anna, property_type="apartment", bedrooms=4)
    make_listing(ctx, owner=team.anna, property_type="villa", bedrooms=None)
    request = make_buyer_request(
        ctx, owner=team.anna, buyer=buyer, property_types=["villa", "house"], bedrooms_min=3
    )
    assert _ids(matcher, ctx, request.id) == [villa.id]


def test_only_active_listings_are_offered(ctx: Ctx, team: Team, matcher: Matcher) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    active = make_listing(ctx, owner=team.anna)
    for stage in ("prospect", "agreement_signed", "sold", "withdrawn"):
        make_listing(ctx, owner=team.anna, stage=stage)
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer)
    assert _ids(matcher, ctx, request.id) == [active.id]


def test_changes_in_the_store_are_seen_on_the_next_search(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    listing = make_listing(ctx, owner=team.anna, price=Decimal("700000"))
    other = make_listing(ctx, owner=team.anna, price=Decimal("400000"))
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer, budget_max=Decimal("500000"))
    assert _ids(matcher, ctx, request.id) == [other.id]

    # Another process lowers one price and sells the other: only the store knows.
    listing.price = Decimal("480000")
    listing.updated_at = ctx.now()
    other.stage = "sold"
    other.updated_at = ctx.now()
    ctx.session.flush()

    assert _ids(matcher, ctx, request.id) == [listing.id]
