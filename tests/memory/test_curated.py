"""Curated Lists: 3–7 diverse listings, never a disliked one, or which criterion to relax."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from crm_store.context import Ctx
from crm_store.models import CuratedList
from memory.curated import building_key, street_key
from memory.matching import Matcher
from memory.render import render_curated_list
from tests.factories import make_appointment, make_buyer_request, make_contact, make_listing
from tests.memory.conftest import Team

STREETS = [
    "Makariou", "Anexartisias", "Gladstonos", "Arch. Leontiou", "Ayiou Andreou",
    "Omonias", "Franklin Roosevelt", "Spyrou Kyprianou", "Griva Digeni", "Kolonakiou",
]  # fmt: skip


def _lists(ctx: Ctx) -> list[CuratedList]:
    return list(ctx.session.execute(select(CuratedList)).scalars())


def test_a_curated_list_is_ranked_stored_and_rendered(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna, full_name="Ivan Petrov")
    listings = [
        make_listing(
            ctx,
            owner=team.anna if i % 2 else team.boris,
            address=f"{i + 1} {STREETS[i]} Street",
            district=["Germasogeia", "Zakaki", "Mesa Geitonia"][i % 3],
            price=Decimal(400000 + 10000 * i),
            bedrooms=2 + i % 2,
            features=["sea_view", "pool"] if i < 3 else ["sea_view"],
        )
        for i in range(9)
    ]
    request = make_buyer_request(
        ctx, owner=team.anna, buyer=buyer, budget_max=Decimal("600000"), wishes="sea view, a pool"
    )

    result = matcher.build_curated_list(ctx, request_id=request.id)

    assert result.enough and len(result.items) == 7
    assert {m.listing.id for m in result.items[:3]} == {lst.id for lst in listings[:3]}
    scores = [m.score for m in result.items]
    assert scores == sorted(scores, reverse=True)
    (stored,) = _lists(ctx)
    assert stored.id == result.curated_list_id and stored.owner == team.anna.id
    assert [item["rank"] for item in stored.items] == list(range(1, 8))
    assert stored.items[0]["listing"] == result.items[0].listing.id
    assert "sea view, pool requested and present" in stored.items[0]["reasons"]

    english = render_curated_list(result, "en")
    assert english.startswith("Curated list for Ivan Petrov: 7 listings")
    assert "€4" in english and "Germasogeia" in english and "Why: " in english
    russian = render_curated_list(result, "ru")
    assert "Подборка для Ivan Petrov" in russian and "Гермасойя" in russian
    assert "вид на море, бассейн — как просили" in russian


def test_a_listing_the_buyer_disliked_is_never_offered(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    listings = [
        make_listing(
            ctx, owner=team.anna, address=f"3 {STREETS[i]}", price=Decimal(300000 + i * 50000)
        )
        for i in range(5)
    ]
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer)
    make_appointment(
        ctx,
        owner=team.anna,
        contact=buyer,
        scheduled_at=ctx.now(),
        status="done",
        listings=[listings[0].id, listings[1].id],
        feedback=[
            {"listing": listings[0].id, "reaction": "disliked", "text": "too dark"},
            {"listing": listings[1].id, "reaction": "liked", "text": ""},
        ],
    )

    result = matcher.build_curated_list(ctx, request_id=request.id)

    offered = {m.listing.id for m in result.items}
    assert listings[0].id not in offered and listings[1].id in offered
    assert len(offered) == 4


def test_not_seven_units_of_one_building(ctx: Ctx, team: Team, matcher: Matcher) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    for flat in range(7):  # the best-priced units, all in one tower
        make_listing(
            ctx, owner=team.anna, address=f"Apt {flat + 1}, Sea Tower, 12 Makariou Ave",
            price=Decimal(300000 + flat * 1000),
        )  # fmt: skip
    others = [
        make_listing(
            ctx, owner=team.anna, address=f"7 {STREETS[n]}", price=Decimal(400000 + n * 30000)
        )
        for n in range(4)
    ]
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer, budget_max=Decimal("500000"))

    result = matcher.build_curated_list(ctx, request_id=request.id)

    tower = [m for m in result.items if "Sea Tower" in m.listing.address]
    assert len(tower) == 1
    assert {m.listing.id for m in result.items} >= {o.id for o in others}


def test_near_duplicates_are_limited(ctx: Ctx, team: Team, matcher: Matcher) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    twins = [  # same kind of flat, same district, same price, different streets
        make_listing(ctx, owner=team.anna, address=f"1 {STREETS[n]}", area_m2=100.0)
        for n in range(5)
    ]
    distinct = [
        make_listing(
            ctx, owner=team.anna, address=f"2 {STREETS[5 + n]}", bedrooms=3 + n, area_m2=150.0
        )
        for n in range(3)
    ]
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer)

    result = matcher.build_curated_list(ctx, request_id=request.id)

    offered = {m.listing.id for m in result.items}
    assert len(offered & {t.id for t in twins}) == 1
    assert offered >= {d.id for d in distinct}


def test_building_and_street_keys_ignore_units_and_numbers() -> None:
    assert building_key("Apt 5, Sea Tower, 12 Makariou Ave") == building_key(
        "Flat 7 Sea Tower 12 Makariou Ave."
    )
    assert street_key("12 Makariou Ave") == street_key("14 Makariou Ave") == "makariou ave"


def test_too_few_matches_says_which_criterion_to_relax(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna, full_name="Ivan Petrov")
    make_listing(ctx, owner=team.anna, address="1 Makariou", price=Decimal("500000"))
    for n in range(4):  # a little over the stretch: the budget is what holds them back
        make_listing(
            ctx, owner=team.anna, address=f"2 {STREETS[n]}", price=Decimal(570000 + n * 1000)
        )
    for n in range(2):  # cheap enough, but one bedroom: relaxing bedrooms adds only two
        make_listing(
            ctx, owner=team.anna, address=f"3 {STREETS[5 + n]}", bedrooms=1, price=Decimal("450000")
        )
    request = make_buyer_request(
        ctx, owner=team.anna, buyer=buyer, budget_max=Decimal("500000"), bedrooms_min=2
    )

    result = matcher.build_curated_list(ctx, request_id=request.id)

    assert not result.enough and len(result.items) == 1
    assert result.relaxation is not None
    assert result.relaxation.criterion == "budget" and result.relaxation.added == 4
    assert _lists(ctx) == []  # fewer than three: nothing stored as a curated list
    text = render_curated_list(result, "en")
    assert "Only 1 good match for Ivan Petrov" in text
    assert "raise the budget to €575k — that adds 4 more good matches" in text
    assert "поднять бюджет до €575 тыс." in render_curated_list(result, "ru")


def test_a_missing_must_have_is_suggested_by_name(ctx: Ctx, team: Team, matcher: Matcher) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    for n in range(5):
        make_listing(ctx, owner=team.anna, address=f"4 {STREETS[n]}", features=["garden"])
    request = make_buyer_request(
        ctx, owner=team.anna, buyer=buyer, must_haves=["garden", "jacuzzi"]
    )
    result = matcher.build_curated_list(ctx, request_id=request.id)
    assert result.items == [] and result.relaxation is not None
    assert result.relaxation.criterion == "must_haves:jacuzzi"
    assert "make “jacuzzi” a wish, not a must-have" in render_curated_list(result, "en")


def test_when_wishes_hold_it_back_it_names_the_wish_to_make_optional(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    for n in range(3):
        make_listing(ctx, owner=team.anna, address=f"5 {STREETS[n]}", features=["pool"],
                     price=Decimal(400000 + n * 20000))  # fmt: skip
    for n in range(2):
        make_listing(ctx, owner=team.anna, address=f"6 {STREETS[5 + n]}",
                     features=["pool", "garden"], price=Decimal(300000 + n * 20000))  # fmt: skip
    request = make_buyer_request(
        ctx, owner=team.anna, buyer=buyer, wishes="a pool, a fireplace, a jacuzzi, a garden"
    )

    result = matcher.build_curated_list(ctx, request_id=request.id)

    assert len(result.items) == 2
    assert result.relaxation is not None
    assert (result.relaxation.criterion, result.relaxation.added) == ("wish:1", 3)
    assert result.weak_matches == 3
    text = render_curated_list(result, "en")
    assert "3 more listings meet every criterion but few of the wishes." in text
    assert "make “a fireplace” optional — that adds 3 more good matches" in text
    assert "сделать «a fireplace» необязательным" in render_curated_list(result, "ru")
