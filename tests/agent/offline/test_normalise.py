"""Normalising a message keeps a map back to what the broker typed."""

from __future__ import annotations

import unicodedata

import pytest

from agent.offline.normalise import normalise, remove_spans


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Позвонить   Алёне\tзавтра \n", "Позвонить Алене завтра"),
        ("«Вилла» — 3 спальни", '"Вилла" - 3 спальни'),
        ("Ivan’s budget “up to” 600k", 'Ivan\'s budget "up to" 600k'),
        ("call 🙂Ivan👍🏽 tomorrow ✅", "call Ivan tomorrow"),
        ("850\u00a0000\u202f€", "850 000 €"),
        ("zero\u200bwidth", "zerowidth"),
        ("🏠", ""),
        ("", ""),
    ],
)
def test_text_is_made_uniform(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


def test_decomposed_letters_are_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Алёна Georgíou")
    result = normalise(decomposed)
    assert result.text == "Алена Georgíou"
    assert result.lower == "алена georgíou"


def test_lower_keeps_the_same_length_as_text() -> None:
    result = normalise("İstanbul ВИЛЛА")
    assert len(result.lower) == len(result.text)
    assert result.lower.endswith("вилла")


def test_spans_map_back_to_the_original_characters() -> None:
    raw = "Встреча  с 🙂 Марией\u00a0Ивановой"
    result = normalise(raw)
    start = result.text.index("Марией")
    end = start + len("Марией Ивановой")
    a, b = result.to_original(start, end)
    assert raw[a:b] == "Марией\u00a0Ивановой"


def test_spans_through_decomposed_text_cover_whole_letters() -> None:
    raw = unicodedata.normalize("NFD", "ёлка и ёж")
    result = normalise(raw)
    a, b = result.to_original(0, 4)
    assert unicodedata.normalize("NFC", raw[a:b]) == "ёлка"


def test_consumed_spans_are_removed() -> None:
    text = "call Ivan tomorrow at 4 about the villa"
    assert remove_spans(text, [(5, 9), (10, 23)]) == "call about the villa"


@pytest.mark.parametrize(
    "text",
    [
        " Позвонить  Алёне 🙂\u200bзавтра ✅ ",
        "«Вилла» —\tGeorgíou’s\u00a0€850 000",
        "café\u200b\u200dé 👍🏽 done",
    ],
)
def test_decomposed_and_composed_input_normalise_alike(text: str) -> None:
    composed = normalise(unicodedata.normalize("NFC", text))
    decomposed = normalise(unicodedata.normalize("NFD", text))
    assert composed.text == decomposed.text
    assert composed.lower == decomposed.lower
