"""Slots with their spans, and names resolved against the broker's contacts in both scripts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from agent.offline.lexicon import Lexicon, load_lexicon
from agent.offline.slots import extract_slots

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Nicosia"))
LEXICON = Lexicon(
    contacts={
        "c-1": "Ivan Petrov",
        "c-2": "Olga Smirnova",
        "c-3": "Maria Ivanova",
        "c-4": "Иван Сидоров",
        "c-6": "Sofia Papadopoulou",
        "c-7": "Nikos Christodoulou",
    },
    brokers={"b-2": "Dmitry Volkov"},
)


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in extract_slots(text, now=NOW, lexicon=LEXICON).items]


def test_a_buyer_message_has_every_slot_with_its_words():
    assert _kinds(
        "Ivan Petrov wants a 3-bed villa in Limassol up to 500k, call him Friday at 11"
    ) == [
        ("person", "Ivan Petrov"),
        ("beds", "3-bed"),
        ("type", "villa"),
        ("place", "Limassol"),
        ("money", "500k"),
        ("when", "Friday at 11"),
    ]


def test_masked_text_is_what_intents_read():
    slots = extract_slots(
        "Новый клиент Пётр Васильев, +357 96 555444, ищет квартиру в Ларнаке",
        now=NOW,
        lexicon=LEXICON,
    )
    assert slots.masked() == "новый клиент @name , @phone , ищет @type в @place"


def test_rest_keeps_the_brokers_own_words():
    text = "Maria Ivanova wants a flat in Paphos, close to the beach"
    slots = extract_slots(text, now=NOW, lexicon=LEXICON)
    assert slots.rest((0, len(text))) == "wants a in , close to the beach"


def test_the_stage_event_leaves_a_listing_id_its_own_slot():
    kinds = _kinds("сними l-1 с продажи")
    assert ("ref", "l-1") in kinds
    assert ("event", "с продажи") in kinds


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("позвонить Ольге Смирновой", "Olga Smirnova"),
        ("call olga smirnova", "Olga Smirnova"),
        ("Maria didn't show up", "Maria Ivanova"),
        ("встреча с Марией Ивановой", "Maria Ivanova"),
        ("Ivan Sidorov called", "Иван Сидоров"),
        ("Софии нужен дом", "Sofia Papadopoulou"),
        ("набрать Никоса", "Nikos Christodoulou"),
        ("Called Olga Smirnova", "Olga Smirnova"),
    ],
)
def test_names_meet_their_contacts_in_any_script_and_case(text, who):
    people = extract_slots(text, now=NOW, lexicon=LEXICON).people()
    assert [p.contact.name for p in people if p.contact] == [who]


def test_a_first_name_shared_by_two_contacts_is_ambiguous():
    [ivan] = extract_slots("call Ivan tomorrow", now=NOW, lexicon=LEXICON).people()
    assert ivan.ambiguous
    assert [c.id for c in ivan.contacts] == ["c-1", "c-4"]
    assert ivan.reference() == "Ivan"


def test_an_unknown_name_is_passed_as_written():
    [person] = extract_slots("New client Elena Kuznetsova", now=NOW, lexicon=LEXICON).people()
    assert not person.known and person.reference() == "Elena Kuznetsova"


def test_a_broker_is_known_as_a_broker_not_a_contact():
    [person] = extract_slots("Dmitry's agenda", now=NOW, lexicon=LEXICON).people()
    assert person.broker is not None and person.contact is None


def test_words_that_are_not_people_are_not_taken_for_names():
    assert (
        extract_slots("Maria speaks Russian", now=NOW, lexicon=LEXICON).people()[-1].canonical
        == "Maria"
    )
    assert [
        p.canonical for p in extract_slots("call the price team", now=NOW, lexicon=LEXICON).people()
    ] == []


def test_the_typed_yo_is_kept():
    [person] = extract_slots("Новый клиент Пётр Васильев", now=NOW, lexicon=LEXICON).people()
    assert person.canonical == "Пётр Васильев"


def test_the_name_index_is_reused_until_names_change(brokerage, session_factory):
    from crm_store.models import Contact

    actor = brokerage.actors["anna"]
    first = load_lexicon(brokerage.backend, actor)
    second = load_lexicon(brokerage.backend, actor)
    assert second._keys is first._keys  # the same index, rebound to this turn's store
    with session_factory() as session:
        session.get(Contact, "c-2").full_name = "Olga Smirnova-Kotova"
        session.commit()
    renamed = load_lexicon(brokerage.backend, actor)
    assert renamed.contacts["c-2"] == "Olga Smirnova-Kotova"


def test_the_lexicon_sees_only_the_brokers_contacts_and_finds_listings(brokerage):
    lexicon = load_lexicon(brokerage.backend, brokerage.actors["anna"])
    assert "Павел Орлов" not in lexicon.contacts.values()  # Dmitry's client
    index = lexicon.listing_index()
    assert [x.id for x in index.find(words=["Olympion"])] == ["l-2"]
    assert [x.id for x in index.find(words=["Tombs"])] == ["l-4"]  # a colleague's, active
    assert [x.id for x in index.find(words=["Олимпион"])] == ["l-2"]  # Cyrillic meets Latin
    assert [x.id for x in index.find(types=["villa"], places=["Peyia"])] == ["l-2"]
    assert lexicon.sides_of("c-2") == {"seller"} and lexicon.sides_of("c-1") == {"buyer"}


def test_a_common_word_with_a_possessive_is_the_client_of_that_name():
    lexicon = Lexicon(contacts={"c-1": "Mark Evans"})
    [person] = lexicon.known_names("push mark's thursday meeting to friday", [])
    assert person.text == "mark" and person.contact is not None and person.contact.id == "c-1"
    assert lexicon.known_names("mark it as done, then call", []) == []
