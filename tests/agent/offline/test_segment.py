"""Messages cut into clauses and merged back: one intent per clause, the person carried over."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from agent.offline.lexicon import Lexicon
from agent.offline.segment import clause_spans, segments
from agent.offline.slots import extract_slots

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Nicosia"))
LEXICON = Lexicon(contacts={"c-1": "Ivan Petrov", "c-2": "Olga Smirnova", "c-3": "Maria Ivanova"})


def _clauses(text: str) -> list[str]:
    return [text[a:b] for a, b in clause_spans(text)]


def _intents(text: str) -> list[tuple[str, str | None, str]]:
    slots = extract_slots(text, now=NOW, lexicon=LEXICON)
    return [
        (s.intent, s.person.reference() if s.person else None, text[s.span[0] : s.span[1]])
        for s in segments(slots)
    ]


def test_cuts_at_sentence_ends_and_before_a_new_action():
    assert _clauses("Ivan wants a villa, call him Friday. Budget 800k!") == [
        "Ivan wants a villa",
        "call him Friday",
        "Budget 800k",
    ]
    assert _clauses("позвонить Ивану завтра и написать Ольге в пятницу") == [
        "позвонить Ивану завтра",
        "написать Ольге в пятницу",
    ]


def test_a_comma_without_an_action_is_no_cut():
    text = "New client Elena, +357 99 123456, wants a flat in Paphos"
    assert _clauses(text) == [text]


def test_a_later_clause_is_about_the_person_named_before():
    found = _intents("Ivan Petrov wants a 3-bed in Limassol, call him Friday at 11")
    assert [(i, p) for i, p, _ in found] == [
        ("save_buyer_request", "Ivan Petrov"),
        ("schedule_follow_up", "Ivan Petrov"),
    ]


def test_a_clause_without_an_intent_continues_the_one_before():
    found = _intents("Maria Ivanova wants a villa in Paphos. Budget up to 900k.")
    assert found == [
        (
            "save_buyer_request",
            "Maria Ivanova",
            "Maria Ivanova wants a villa in Paphos. Budget up to 900k",
        )
    ]


def test_a_registration_absorbs_the_new_clients_request():
    found = _intents("New client Elena Kuznetsova. She wants a flat in Larnaca up to 250k.")
    assert [i for i, _, _ in found] == ["register_contact"]


def test_a_completed_call_absorbs_the_next_call():
    found = _intents("Позвонил Марии Ивановой, она думает. Перезвонить в пятницу в 12")
    assert [(i, p) for i, p, _ in found] == [("complete_follow_up", "Maria Ivanova")]


def test_two_reminders_for_two_people_stay_apart():
    found = _intents("call Ivan Petrov tomorrow at 10 and text Olga Smirnova on Friday")
    assert [(i, p) for i, p, _ in found] == [
        ("schedule_follow_up", "Ivan Petrov"),
        ("schedule_follow_up", "Olga Smirnova"),
    ]


def test_two_dated_reminders_for_one_person_stay_apart():
    found = _intents("call Ivan Petrov tomorrow at 10, and text him on Friday")
    assert [i for i, _, _ in found] == ["schedule_follow_up", "schedule_follow_up"]


def test_as_someone_is_never_the_client():
    found = _intents("As Dmitry, move Maria Ivanova to viewing")
    assert [(i, p) for i, p, _ in found] == [("move_stage", "Maria Ivanova")]
