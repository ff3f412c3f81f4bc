"""Changing a buyer's criteria keeps what the broker did not take back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_store.models import BuyerRequest, Contact


@pytest.fixture
def ivan_wants_a_sea_view(brokerage, ctx):
    ivan = ctx.session.execute(
        select(Contact).where(Contact.full_name == "Ivan Petrov")
    ).scalar_one()
    request = ctx.session.execute(
        select(BuyerRequest).where(BuyerRequest.buyer == ivan.id)
    ).scalar_one()
    request.must_haves = ["sea_view"]
    request.wishes = "walk to the beach"
    request.districts = ["Germasogeia"]
    ctx.session.commit()
    return brokerage


def _args(brokerage, text):
    [(name, args)] = brokerage.calls(text)
    assert name == "save_buyer_request"
    return args


def test_a_must_have_is_added_and_the_wishes_stay(ivan_wants_a_sea_view):
    args = _args(ivan_wants_a_sea_view, "Ivan Petrov must have a pool")
    assert args["must_haves"] == ["sea_view", "pool"]
    assert "wishes" not in args  # "must have" is no wish of his


def test_only_replaces_the_must_haves(ivan_wants_a_sea_view):
    assert _args(ivan_wants_a_sea_view, "Ivan Petrov: only a pool matters")["must_haves"] == [
        "pool"
    ]


def test_new_wishes_join_the_old_ones(ivan_wants_a_sea_view):
    args = _args(ivan_wants_a_sea_view, "Ivan Petrov wants a quiet street near good schools")
    assert args["wishes"].startswith("walk to the beach; ")


def test_a_place_no_longer_wanted_is_not_added_and_its_districts_go(ivan_wants_a_sea_view):
    args = _args(ivan_wants_a_sea_view, "Ivan Petrov no longer wants Limassol, only Paphos")
    assert args["cities"] == ["Paphos"] and args["districts"] == []


def test_russian_no_longer_considers(ivan_wants_a_sea_view):
    args = _args(
        ivan_wants_a_sea_view, "Иван Петров больше не рассматривает Гермасойю, только Пафос"
    )
    assert args["cities"] == ["Paphos"] and "Germasogeia" not in args.get("districts", [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ivan Petrov needs a pool, no longer needs a garden", ["sea_view", "pool"]),
        ("Ivan Petrov wants a garden, just a small one", ["sea_view", "garden"]),
        ("Ivan Petrov must have parking, only 2 bedrooms", ["sea_view", "parking"]),
        ("Ivan Petrov must have a pool but doesn't need a sea view", ["pool"]),
        ("Иван Петров хочет виллу с бассейном, без ремонта", ["sea_view", "pool"]),
    ],
)
def test_each_feature_is_decided_by_the_words_before_it(ivan_wants_a_sea_view, text, expected):
    assert _args(ivan_wants_a_sea_view, text)["must_haves"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "add paphos to ivan petrov's search areas, he's ok with it now",
        "add Paphos to Ivan Petrov's request",
        "Ивану Петрову добавь Пафос",
        "Иван Петров смотрит и Пафос",
    ],
)
def test_a_place_added_to_the_search_keeps_the_others(ivan_wants_a_sea_view, text):
    args = _args(ivan_wants_a_sea_view, text)
    assert args["cities"] == ["Limassol", "Paphos"]
    assert args.get("wishes", "walk to the beach") == "walk to the beach"  # no words of the order


@pytest.mark.parametrize(
    "text",
    [
        "drop germasogeia from ivan petrov's search",
        "Ивану Петрову убери Гермасойю из поиска",
    ],
)
def test_a_place_taken_off_the_search_leaves_the_rest(ivan_wants_a_sea_view, text):
    args = _args(ivan_wants_a_sea_view, text)
    assert args["cities"] == ["Limassol"] and args["districts"] == []
    assert args.get("wishes", "walk to the beach") == "walk to the beach"


def test_a_note_that_a_place_is_out_proposes_the_search_without_it(ivan_wants_a_sea_view):
    from agent.offline.extract import note_extractor

    brokerage = ivan_wants_a_sea_view
    extract = note_extractor(brokerage.backend)
    facts = extract(
        brokerage.actors["anna"],
        "Иван Петров: Гермасойя им больше не интересна, далеко от школы. Позвоню в пятницу",
    )
    assert facts.criteria.districts == []


@pytest.mark.parametrize(
    "text",
    [
        "у Ивана Петрова вид на море убери из обязательных, пусть будет просто пожеланием",
        "Ivan Petrov wants sea view removed from the must-haves, make it a wish",
    ],
)
def test_a_must_have_taken_off_the_list_said_after_it_becomes_a_wish(ivan_wants_a_sea_view, text):
    args = _args(ivan_wants_a_sea_view, text)
    assert args["must_haves"] == []
    assert args["wishes"].startswith("walk to the beach; ")


def test_can_also_adds_a_city_in_a_command(ivan_wants_a_sea_view):
    args = _args(ivan_wants_a_sea_view, "Иван Петров: можно и в Пафосе, бюджет до 750 тыс")
    assert "Paphos" in args["cities"] and len(args["cities"]) >= 2
    assert args["budget_max"] == 750000


def test_a_must_have_dropped_leaves_the_next_one_and_no_words_as_a_wish(ivan_wants_a_sea_view):
    args = _args(ivan_wants_a_sea_view, "Ивану Петрову вид на море уже не обязателен, бассейн да")
    assert args["must_haves"] == ["pool"]
    assert args.get("wishes", "walk to the beach") == "walk to the beach"


def test_criteria_said_before_the_client_is_known_join_the_request_on_record(
    ivan_wants_a_sea_view,
):
    from tests.agent.offline.turns import calls, turns

    first, second = turns(ivan_wants_a_sea_view, "Ivan wants a big kitchen and a pool", "Petrov")
    assert not first.tool_calls  # which Ivan?
    [(name, args)] = calls(second)
    assert name == "save_buyer_request" and args["buyer"] in ("Ivan Petrov", "c-1")
    assert args["wishes"].startswith("walk to the beach; ")
    assert set(args["must_haves"]) == {"sea_view", "pool"}
