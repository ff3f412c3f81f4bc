"""Brokers' commands as they write them, through the real OfflineChatModel, against a store.

data/commands_en.jsonl and data/commands_ru.jsonl: one utterance per line with the exact tool
calls (names and arguments) it must produce; word order, lower case, grammatical cases, several
facts per message, money and date formats vary. The clock is Tuesday 2026-03-10 09:00.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"


def _cases(name: str) -> list[Any]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    return [pytest.param(c["text"], c["calls"], id=c["text"][:60]) for c in cases]


def _check(brokerage: Any, text: str, expected: list[dict[str, Any]]) -> None:
    got = [{"name": name, "args": args} for name, args in brokerage.calls(text)]
    assert got == expected


@pytest.mark.parametrize(("text", "expected"), _cases("commands_en.jsonl"))
def test_english_command(shared_brokerage, text, expected):
    _check(shared_brokerage, text, expected)


@pytest.mark.parametrize(("text", "expected"), _cases("commands_ru.jsonl"))
def test_russian_command(shared_brokerage, text, expected):
    _check(shared_brokerage, text, expected)


def test_the_corpus_is_large_and_a_third_russian():
    english = len(_cases("commands_en.jsonl"))
    russian = len(_cases("commands_ru.jsonl"))
    assert english + russian >= 150
    assert russian * 3 >= english + russian
