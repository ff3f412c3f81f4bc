"""The token estimate against counts known from OpenAI's cl100k_base tokenizer."""

from __future__ import annotations

import pytest

from agent.tokens import estimate_tokens


@pytest.mark.parametrize(
    ("text", "cl100k"),
    [
        ("Hello world", 2),
        ("The quick brown fox jumps over the lazy dog.", 10),
        ("tiktoken is great!", 6),
        ("antidisestablishmentarianism", 6),
        ('{"type": "function", "name": "agenda"}', 12),
    ],
)
def test_english_and_json_within_twenty_five_percent(text, cl100k):
    assert abs(estimate_tokens(text) - cl100k) <= max(1, round(cl100k * 0.25))


def test_empty_text_is_no_tokens():
    assert estimate_tokens("") == 0


def test_digits_go_in_groups_of_three():
    assert estimate_tokens("2026") == 2
    assert estimate_tokens("123456789") == 3


def test_cyrillic_costs_more_tokens_per_character_than_english():
    english = estimate_tokens("Remind me to call Ivan tomorrow at eleven")
    russian = estimate_tokens("Напомни позвонить Ивану завтра в одиннадцать")
    assert russian > english


def test_longer_text_costs_more():
    assert estimate_tokens("call Ivan " * 20) > estimate_tokens("call Ivan " * 10)
