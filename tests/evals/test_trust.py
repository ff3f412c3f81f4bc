"""The sealed-batch scorer judges what a broker would see: the store and the replies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evals.trust import load_batch, score

NO_WRITES = {"no_writes": True}


def batch(tmp_path: Path, *cases: dict[str, Any]) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(case) for case in cases), encoding="utf-8")
    return path


def case(case_id: str, kind: str, text: str, expect: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": case_id,
        "kind": kind,
        "language": "en",
        "broker": "Anna Georgiou",
        "turns": [text],
        "expect": expect,
    }


def test_a_question_is_judged_by_its_replies(tmp_path):
    path = batch(
        tmp_path,
        case("right", "question", "card michael brown", {**NO_WRITES, "reply_contains": ["Brown"]}),
        case("wrong", "question", "card michael brown", {**NO_WRITES, "reply_contains": ["Zq9"]}),
    )
    results = {r.case.id: r for r in score(load_batch([path])).results}
    assert results["right"].success, results["right"].failures
    assert not results["wrong"].success
    assert 'no reply contains "Zq9"' in results["wrong"].failures[0]
    assert "Michael Brown" in results["wrong"].failures[0]  # the replies are quoted


def test_a_confirmed_command_counts_as_a_success_but_not_as_direct(tmp_path):
    follow_up = {
        "entity": "follow_ups",
        "new": True,
        "where": {"contact": "Ivan Petrov", "status": "open"},
        "equals": {"due_at": "2026-03-17T11:00", "channel": "call"},
        "count": 1,
    }
    path = batch(
        tmp_path,
        case(
            "direct",
            "command",
            "remind me to call Ivan Petrov next Tuesday at 11",
            {"db": [follow_up], "unchanged": ["contacts", "listings", "notes"]},
        ),
        case(
            "silent",
            "unclear",
            "remind me to call Ivan Petrov next Tuesday at 11",
            NO_WRITES,
        ),
    )
    result = score(load_batch([path]))
    by_id = {r.case.id: r for r in result.results}
    assert by_id["direct"].success and not by_id["direct"].asked
    assert by_id["silent"].silent_wrong and not by_id["silent"].success
    summary = result.summary()
    assert summary["silent_wrong_writes"] == 1
    assert summary["direct_share"] == 1.0
