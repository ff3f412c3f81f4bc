"""Plain listing searches and listings named by description, as brokers type them (issue #10
§7): a search or a question about a listing reads; a booking names the listing described or
asks which — it never drops it. Clock and store: conftest."""

from __future__ import annotations

from typing import Any

import pytest


def _calls(brokerage: Any, text: str, who: str = "anna") -> list[tuple[str, dict[str, Any]]]:
    return brokerage.calls(text, who=who)


@pytest.mark.parametrize(
    ("text", "args"),
    [
        (
            "3 bed apartments in limassol under 500k?",
            {"property_type": "apartment", "city": "Limassol", "bedrooms_min": 3,
             "price_max": 500000},
        ),
        ("any villas in paphos on the books?", {"property_type": "villa", "city": "Paphos"}),
        (
            "какие квартиры есть в ларнаке до 300к?",
            {"property_type": "apartment", "city": "Larnaca", "price_max": 300000},
        ),
        ("any penthouses with a pool over 400k?", {"property_type": "penthouse",
                                                   "features": ["pool"], "price_min": 400000}),
    ],
)  # fmt: skip
def test_a_plain_search_reads_the_teams_listings(brokerage, text, args):
    assert _calls(brokerage, text) == [("find_listings", args)]


def test_a_listing_asked_about_by_description_gets_its_card(brokerage):
    assert _calls(brokerage, "whats the asking on the potamos penthouse now?") == [
        ("client_card", {"client": "potamos penthouse"})
    ]


def test_a_booking_names_the_listing_described_in_lower_case(brokerage):
    [(name, args)] = _calls(
        brokerage, "book a viewing for Ivan Petrov at the potamos penthouse on friday at 5pm"
    )
    assert name == "book_appointment" and args["listings"] == ["l-5"]


def test_the_brokerage_office_is_no_property_type(brokerage):
    """ "walked into the office": where the broker works, not a commercial listing."""
    from agent.offline.vocab_spans import features_and_types

    found = features_and_types("new seller walked into the office: 2-bed flat in larnaca, 240k")
    assert [(kind, key) for kind, _, _, key in found] == [("type", "apartment")]
    assert ("type", "commercial") in [
        (kind, key) for kind, _, _, key in features_and_types("looking for an office to rent")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "anything in paphos with sea view under 300k?",
            {"city": "Paphos", "price_max": 300000, "features": ["sea_view"]},
        ),
        (
            "есть что-нибудь в ларнаке до 350 с видом на море?",
            {"city": "Larnaca", "price_max": 350000, "features": ["sea_view"]},
        ),
    ],
)
def test_a_search_without_a_type_and_a_bare_limit_in_thousands(brokerage, text, expected):
    assert brokerage.calls(text) == [("find_listings", expected)]


def test_overdue_tasks_are_the_agenda(brokerage):
    assert [name for name, _ in brokerage.calls("какие у меня просроченные задачи")] == ["agenda"]
