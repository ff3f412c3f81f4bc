"""The language of a message: names and places don't decide it, a Russian verb does."""

from __future__ import annotations

import pytest

from agent.offline.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remind me to call Ivan Petrov next Tuesday at 11", "en"),
        ("Позвонить Ольге Смирновой завтра в 10", "ru"),
        ("позвонить ольге смирновой", "ru"),
        ("Call Ольга Смирнова tomorrow", "en"),
        ("Show me villas in Лимассол", "en"),
        ("позвони Andreas Georgiou tomorrow", "ru"),
        ("Andreas Georgiou хочет виллу", "ru"),
        ("встреча с Maria Ivanova в Limassol", "ru"),
        ("Перенеси viewing на пятницу", "ru"),
        ("3 спальни и вид на море", "ru"),
        ("3 спальни", "ru"),
        ("budget 500k, 3 bedrooms, Paphos", "en"),
        ("да", "ru"),
        ("yes", "en"),
        ("ok, спасибо", "ru"),
        ("Move the deal to viewing. Клиент доволен", "en"),
    ],
)
def test_language_of_a_message(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text", ["Лимассол", "Ольга Смирнова", "Andreas Georgiou", "+357 99 123456", "🙂", ""]
)
@pytest.mark.parametrize("default", ["en", "ru"])
def test_names_places_and_numbers_alone_leave_the_default(text: str, default: str) -> None:
    assert detect_language(text, default=default) == default  # type: ignore[arg-type]
