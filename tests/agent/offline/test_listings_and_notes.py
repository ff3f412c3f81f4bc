"""Listings found by the words brokers use for them, and which messages are notes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from agent.offline.frames import Turn
from agent.offline.lexicon import Lexicon
from agent.offline.listings import ListingIndex, ListingInfo, unit_of
from agent.offline.notes import is_note, note_body
from agent.offline.slots import extract_slots
from crm_store.context import Actor

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Nicosia"))


def _listing(lid: str, address: str, kind: str, district: str, city: str) -> ListingInfo:
    return ListingInfo(lid, address, district, city, kind, None, "active_listing")


INDEX = ListingIndex(
    [
        _listing("l-10", "41 Vyronos St, Mesa Geitonia", "apartment", "Mesa Geitonia", "Limassol"),
        _listing("l-12", "Apt 5, 12 Poseidonos Ave", "apartment", "Kato Paphos", "Paphos"),
        _listing("l-15", "Apt 11, 12 Poseidonos Ave", "apartment", "Kato Paphos", "Paphos"),
        _listing("l-4", "3 Amathus Hill, Agios Tychonas", "villa", "Agios Tychonas", "Limassol"),
        _listing("l-2", "14 Tala Square", "villa", "Tala", "Paphos"),
    ]
)


def _ids(found: list[ListingInfo]) -> list[str]:
    return [listing.id for listing in found]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Vyronos"], ["l-10"]),
        (["Вироноса"], ["l-10"]),  # Cyrillic, genitive
        (["Amathus", "Hill"], ["l-4"]),
        (["Chris", "Amathus"], ["l-4"]),  # a stray word does not lose the listing
        (["Poseidonos"], ["l-12", "l-15"]),
        (["Посейдонос"], ["l-12", "l-15"]),
        (["Nowhere"], []),
    ],
)
def test_address_words_in_any_script(words, expected):
    assert _ids(INDEX.find(words=words)) == expected


def test_a_unit_number_tells_flats_of_one_building_apart():
    assert unit_of("the Poseidonos sea-view flat (apt 5)") == "5"
    assert _ids(INDEX.find(words=["Poseidonos"], unit="5")) == ["l-12"]


def test_type_and_place_narrow_the_search():
    assert _ids(INDEX.find(types=["villa"], places=["Tala"])) == ["l-2"]
    assert _ids(INDEX.find(types=["apartment"], places=["Kato Paphos"])) == ["l-12", "l-15"]


def _turn(text: str) -> Turn:
    lexicon = Lexicon(contacts={"c-1": "Ivan Petrov", "c-2": "Татьяна Фролова"})
    slots = extract_slots(text, now=NOW, lexicon=lexicon)
    return Turn(slots, lexicon, NOW, "en", Actor(broker_id="b-1", role="broker"))


@pytest.mark.parametrize(
    "text",
    [
        "Note: Ivan prefers evening calls",
        "note for Ivan Petrov - he wants the pool heated",
        "ok so note on Ivan Petrov - agreed to the photoshoot",
        "Заметка по Ивану Петрову: просит звонить после шести",
        "Записка: Петров посмотрел квартиру",
        "Dictating after the call with Ivan Petrov: he's fine going up to 580k",
        "По Татьяне Фроловой: была на встрече",
        "Ivan Petrov says the neighbours are building an extension. Keep in mind.",
        "Иван Петров звонил: готов рассмотреть Ларнаку",
        "запомни: ключи у консьержа",
        "Ivan Petrov visit report: second visit to the villa, they love it",
        "visit report - Ivan Petrov: second visit, they love it",
        "Иван Петров — отчёт по показу: понравилось",
    ],
)
def test_notes_are_recognised(text):
    assert is_note(_turn(text))


@pytest.mark.parametrize(
    "text",
    [
        "call Ivan Petrov tomorrow",
        "По плану на завтра что?",  # "по" + a plan, not a client
        "Ivan Petrov wants a villa",
    ],
)
def test_commands_are_not_notes(text):
    assert not is_note(_turn(text))


def test_a_bare_announcement_is_dropped_and_one_naming_the_client_kept():
    assert note_body("Note: met Ivan") == "met Ivan"
    assert note_body("Заметка: Ольга просит") == "Ольга просит"
    assert note_body("Note for Ivan Petrov: met him") == "Note for Ivan Petrov: met him"


def test_a_listing_is_named_by_a_word_of_its_street_in_lower_case_or_another_script():
    assert INDEX.named_in("the vyronos flat", ["l-10", "l-12"]) == ["l-10"]
    assert INDEX.named_in("на Вироноса", ["l-10", "l-12"]) == ["l-10"]
    # the district every listing there shares tells none apart
    assert INDEX.named_in("in mesa geitonia", ["l-10"]) == []
    assert INDEX.named_in("амафус хилл", ["l-4", "l-2"]) == ["l-4"]


def _listed_turn(text: str) -> Turn:
    turn = _turn(text)
    view = type("View", (), {"listings": lambda self: INDEX})()
    return Turn(turn.slots, turn.lexicon.rebound(view), NOW, "en", turn.actor)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the vyronos apartment is sold", "l-10"),
        ("Vyronos 41 sold for 372 500", "l-10"),
    ],
)
def test_a_listing_described_in_lower_case_is_resolved(text, expected):
    from agent.offline.listing_mentions import listing_mentions

    turn = _listed_turn(text)
    assert [m.resolved for m in listing_mentions(turn, (0, len(text)))] == [expected]
