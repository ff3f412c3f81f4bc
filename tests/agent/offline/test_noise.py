"""Noise is answered at once and never read as a request; real text, however long or
misspelt, is always read (agent/offline/noise.py)."""

from __future__ import annotations

import random

import pytest

from agent.offline.noise import is_noise


def _garbage(seed: int, length: int = 8000) -> str:
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщыэюя0123456789"
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(3, 12))) for _ in range(900)]
    return " ".join(words)[:length]


@pytest.mark.parametrize("seed", range(5))
def test_mixed_garbage_is_noise(seed):
    assert is_noise(_garbage(seed))


@pytest.mark.parametrize("text", ["?!" * 300, "…—«»" * 100, "🙂🙂🙂" * 100])
def test_a_long_text_without_letters_is_noise(text):
    assert is_noise(text)


@pytest.mark.parametrize(
    "text",
    [
        "?",
        "👍",
        "remind me to call ivan petrov tmrw at 10:30, re 2nd viewing of l-12 (3-bed, €450,000)",
        "met ivan today, he wants 3-bed in limassol up to 500k, wife wants sea view. " * 40,
        "созвонился с Ольгой, муж согласен, бюджет до 700 тыс, в пятн в 12 встреча. " * 40,
        "Dishwasher,Elevator,Patio/Deck,Pool,Storage rent***Low 2 bd 1,200 sqft " * 30,
    ],
)
def test_real_text_is_read(text):
    assert not is_noise(text)


def test_noise_calls_no_tool(brokerage):
    reply = brokerage.reply(_garbage(7))
    assert not reply.tool_calls and reply.content
