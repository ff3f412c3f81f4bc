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

from agent.context import UNCERTAIN

DATA = Path(__file__).parent / "data"


def _cases(name: str) -> list[Any]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    return [
        pytest.param(c["text"], c["calls"], c.get("report", False), id=c["text"][:60])
        for c in cases
    ]


def _check(brokerage: Any, text: str, expected: list[dict[str, Any]], report: bool) -> None:
    """A command's calls run as said; a report ("report": true) is kept as a note and the
    calls it implies are only proposed (marked uncertain for the guard)."""
    reply = brokerage.reply(text)
    inferred = set(reply.additional_kwargs.get(UNCERTAIN) or {})
    calls = list(reply.tool_calls)
    if report:
        assert calls and calls[0]["name"] == "log_note", calls
        assert calls[0]["args"]["text"] == text
        # the note's own extractor proposes only what the other calls do not
        assert "extract" not in calls[0]["args"], calls[0]
        calls = calls[1:]
        # a clause that gives an order ("ordered": true) runs as said; the rest is proposed
        assert len(calls) == len(expected)
        proposed = {c["id"] for c, e in zip(calls, expected, strict=True) if not e.get("ordered")}
        assert proposed == inferred
    else:
        assert not inferred
    wanted = [{"name": e["name"], "args": e["args"]} for e in expected]
    assert [{"name": c["name"], "args": c["args"]} for c in calls] == wanted


@pytest.mark.parametrize(("text", "expected", "report"), _cases("commands_en.jsonl"))
def test_english_command(shared_brokerage, text, expected, report):
    _check(shared_brokerage, text, expected, report)


@pytest.mark.parametrize(("text", "expected", "report"), _cases("commands_ru.jsonl"))
def test_russian_command(shared_brokerage, text, expected, report):
    _check(shared_brokerage, text, expected, report)


def test_the_corpus_is_large_and_a_third_russian():
    english = len(_cases("commands_en.jsonl"))
    russian = len(_cases("commands_ru.jsonl"))
    assert english + russian >= 150
    assert russian * 3 >= english + russian
