"""People named in brokers' messages, in English, Russian (any case) and Greek-Cypriot names."""

from __future__ import annotations

import pytest

from agent.offline.mentions import find_person_mentions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call Ivan Petrov tomorrow", [("Ivan Petrov", "Ivan Petrov")]),
        ("Remind me to call Ivan Petrov next Tuesday at 11", [("Ivan Petrov", "Ivan Petrov")]),
        ("Ivan's budget is 500k", [("Ivan", "Ivan")]),
        ("Andreas Georgiou wants a villa in Limassol", [("Andreas Georgiou", "Andreas Georgiou")]),
        ("Meeting with Andreas Georgiou on Friday", [("Andreas Georgiou", "Andreas Georgiou")]),
        ("Call Mr Georgiou", [("Georgiou", "Georgiou")]),
        ("Move Maria to viewing", [("Maria", "Maria")]),
        (
            "Register Maria Ivanova, phone +357 99 123456",
            [("Maria Ivanova", "Maria Ivanova")],
        ),
        ("Save Peter Walker as a seller", [("Peter Walker", "Peter Walker")]),
        ("новый лид Иван Иванов 99111225", [("Иван Иванов", "Иван Иванов")]),
        ("запиши клиента Андрея Белого", [("Андрея Белого", "Андрей Белый")]),
        ("Confirm Anna Smith's viewing", [("Anna Smith", "Anna Smith")]),
        ("Maria called, she liked the villa", [("Maria", "Maria")]),
        ("I met Maria today", [("Maria", "Maria")]),
        ("Send Anna the curated list", [("Anna", "Anna")]),
        (
            "Add a new client Elena Kuznetsova, +357 99 123456",
            [("Elena Kuznetsova", "Elena Kuznetsova")],
        ),
        (
            "Hi, can you show me Nikos Christodoulou's listings?",
            [("Nikos Christodoulou", "Nikos Christodoulou")],
        ),
        ("Closed Won for Sofia Papadopoulou", [("Sofia Papadopoulou", "Sofia Papadopoulou")]),
        (
            "compare Ivan Petrov and Maria Ivanova",
            [("Ivan Petrov", "Ivan Petrov"), ("Maria Ivanova", "Maria Ivanova")],
        ),
        ("позвонить ольге смирновой", [("ольге смирновой", "Ольга Смирнова")]),
        ("встреча с Марией Ивановой в пятницу", [("Марией Ивановой", "Мария Иванова")]),
        ("Ивану", [("Ивану", "Иван")]),
        ("Напомни позвонить Ивану завтра", [("Ивану", "Иван")]),
        (
            "Перенеси показ для Анны Сергеевны Кузнецовой на пятницу",
            [("Анны Сергеевны Кузнецовой", "Анна Сергеевна Кузнецова")],
        ),
        ("Запиши: Олег Сидоров хочет дом в Пафосе", [("Олег Сидоров", "Олег Сидоров")]),
        ("Встретиться с Андреасом Георгиу", [("Андреасом Георгиу", "Андреас Георгиу")]),
        ("встреча с Георгиу в Ларнаке", [("Георгиу", "Георгиу")]),
        ("Клиентка Вера хочет трёшку", [("Вера", "Вера")]),
        ("Кузнецова перезвонит", [("Кузнецова", "Кузнецова")]),
        ("Petrov wants a 3-bed villa", [("Petrov", "Petrov")]),
        ("Ivan, call me back", [("Ivan", "Ivan")]),
        ("Ivan and Maria want to see it", [("Ivan", "Ivan"), ("Maria", "Maria")]),
        ("позвони Andreas Georgiou завтра", [("Andreas Georgiou", "Andreas Georgiou")]),
        ("new lead: Mark Evans, 99 456789", [("Mark Evans", "Mark Evans")]),
    ],
)
def test_people_are_found_with_their_nominative(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.text, m.canonical) for m in find_person_mentions(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Show me villas in Agios Tychonas with Sea View",
        "Remind me on Monday to check the Active Listing board",
        "Call back in May",
        "I will send the Curated List",
        "Schedule a viewing in Limassol on Friday",
        "Villa in Paphos, Jacuzzi and Pool",
        "встреча в Лимассоле в пятницу",
        "вера в успех",
        "Покажи виллы в Пафосе с видом на море",
        "Please call ASAP via WhatsApp",
        "Nothing new on the Paphos deal",
        "Thursday works. Nothing else",
        "Great, send it",
        "",
    ],
)
def test_no_person_in_places_days_features_or_vocabulary(text: str) -> None:
    assert find_person_mentions(text) == []


def test_spans_point_into_the_message_as_typed() -> None:
    text = "Встреча  с 🙂 Марией\u00a0Ивановой завтра"
    (mention,) = find_person_mentions(text)
    assert text[mention.span[0] : mention.span[1]] == "Марией\u00a0Ивановой"
    assert mention.text == "Марией\u00a0Ивановой"


def test_a_given_nominative_callable_is_used_for_russian_names() -> None:
    calls: list[str] = []

    def nominative(name: str) -> str:
        calls.append(name)
        return "ольга смирнова"

    (mention,) = find_person_mentions("позвонить ольге смирновой", nominative=nominative)
    assert calls == ["ольге смирновой"]
    assert mention.canonical == "Ольга Смирнова"


def test_latin_names_are_kept_as_written() -> None:
    def nominative(name: str) -> str:
        raise AssertionError("Latin names need no declension")

    (mention,) = find_person_mentions("call Andreas Georgiou", nominative=nominative)
    assert mention.canonical == "Andreas Georgiou"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("new lead john smith 99123456", ["John Smith"]),
        ("new lead helen mirren +44 7911 123456 wants a villa", ["Helen Mirren"]),
        ("new buyer british expat wants a villa in Paphos", []),
        ("new client russian family, 3 bed in Limassol", []),
    ],
)
def test_a_name_typed_in_lower_case_after_new_client(text, expected):
    from agent.offline.mentions import typed_new_names

    assert [m.canonical for m in typed_new_names(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("New client Wang Ping +357 99 111222", ["Wang Ping"]),  # "ping" opens orders only
        ("Call Li Ping tomorrow", ["Li Ping"]),
        ("новый клиент Ольга Смирнова Новая квартира в Лимассоле", ["Ольга Смирнова"]),
    ],
)
def test_order_words_and_adjective_surnames_do_not_bend_names(text, expected):
    assert [m.canonical for m in find_person_mentions(text)] == expected
