"""Task files: strict parsing, fixtures found on disk, and every bad line named by file:line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evals.tasks import EvalError, TaskFileError, load_tasks
from tests.evals.conftest import TINY


def task(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "fu_017",
        "category": "follow_ups",
        "language": "en",
        "fixture": str(TINY),
        "broker": "Anna Georgiou",
        "now": "2026-03-10T09:00:00+02:00",
        "turns": ["Remind me to call Ivan Petrov next Tuesday at 11", "yes"],
        "expect": {
            "db": [
                {
                    "entity": "follow_ups",
                    "where": {"contact": "Ivan Petrov", "status": "open"},
                    "equals": {"due_at": "2026-03-17T11:00"},
                    "count": 1,
                }
            ],
            "unchanged": ["listings", "buyer_requests"],
            "reply_contains": ["17"],
            "no_writes": False,
        },
    }
    base.update(changes)
    return base


def write(path: Path, *lines: Any) -> Path:
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
        encoding="utf-8",
    )
    return path


def test_the_spec_example_loads(tmp_path):
    loaded = load_tasks(write(tmp_path / "t.jsonl", task(), "", task(id="fu_018")))
    assert [item.task.id for item in loaded] == ["fu_017", "fu_018"]
    first = loaded[0]
    assert first.line == 1 and loaded[1].line == 3  # blank lines are skipped, not renumbered
    assert first.fixture == TINY.resolve()
    assert first.task.now.utcoffset() is not None
    assert first.task.expect.tool_calls is None
    assert first.task.expect.db[0].equals == {"due_at": "2026-03-17T11:00"}


def test_a_fixture_is_found_beside_the_task_file_or_from_the_repo_root(tmp_path):
    (tmp_path / "fx.json").write_text("{}", encoding="utf-8")
    beside = load_tasks(write(tmp_path / "a.jsonl", task(fixture="fx.json")))
    assert beside[0].fixture == (tmp_path / "fx.json").resolve()
    from_root = load_tasks(
        write(tmp_path / "b.jsonl", task(fixture="tests/evals/data/brokerage_tiny.json"))
    )
    assert from_root[0].fixture == TINY.resolve()


def test_a_directory_loads_all_its_jsonl_files_in_name_order(tmp_path):
    write(tmp_path / "b.jsonl", task(id="b1"))
    write(tmp_path / "a.jsonl", task(id="a1"), task(id="a2"))
    (tmp_path / "notes.txt").write_text("not a task", encoding="utf-8")
    assert [item.task.id for item in load_tasks(tmp_path)] == ["a1", "a2", "b1"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "x", ', "Invalid JSON"),
        (task(now="2026-03-10T09:00:00"), "now: Input should have timezone info"),
        (task(turns=[]), "turns: List should have at least 1 item"),
        (task(language="de"), "language: language must be one of en, ru, not 'de'"),
        (task(extra=1), "extra: Extra inputs are not permitted"),
        (task(expect={}), "expect: expect checks nothing"),
        (task(expect={"no_writes": "true"}), "expect.no_writes: Input should be a valid boolean"),
        (
            task(expect={"db": [{"entity": "followups", "count": 1}]}),
            "expect.db[0].entity: unknown entity 'followups'",
        ),
        (
            task(expect={"db": [{"entity": "follow_ups", "equals": {"due": "2026-03-17"}}]}),
            "expect.db[0]: equals: follow_ups has no field 'due'",
        ),
        (
            task(expect={"db": [{"entity": "curated_lists", "where": {"items.listingz": "l-1"}}]}),
            "curated_lists.items items have fields listing, rank, score, reasons, listing_name",
        ),
        (task(expect={"db": [{"entity": "contacts", "count": -1}]}), "expect.db[0].count"),
        (task(expect={"unchanged": ["deals"]}), "expect.unchanged[0]: unknown entity 'deals'"),
        (task(expect={"tool_calls": [{"args": {}}]}), "expect.tool_calls[0].name: Field required"),
        (
            task(fixture="evals/fixtures/nowhere.json"),
            "fixture 'evals/fixtures/nowhere.json' not found",
        ),
    ],
)
def test_a_malformed_line_is_rejected_with_file_line_and_reason(tmp_path, line, reason):
    path = write(tmp_path / "bad.jsonl", task(id="good"), line)
    with pytest.raises(TaskFileError) as caught:
        load_tasks(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:2: "), message
    assert reason in message


def test_every_bad_line_of_every_file_is_reported_at_once(tmp_path):
    write(tmp_path / "a.jsonl", task(id="a1"), "[]", task(id="a1"))
    write(tmp_path / "b.jsonl", "", "", '{"id": 1}')
    with pytest.raises(TaskFileError) as caught:
        load_tasks(tmp_path)
    where = [(problem.path.name, problem.line) for problem in caught.value.problems]
    assert where == [("a.jsonl", 2), ("a.jsonl", 3), ("b.jsonl", 3)]
    assert "duplicate task id 'a1' (first at " in str(caught.value)
    assert f"{tmp_path / 'a.jsonl'}:1)" in str(caught.value)


def test_nothing_to_run_is_an_error(tmp_path):
    with pytest.raises(EvalError, match=r"No \*\.jsonl task files"):
        load_tasks(tmp_path)
    with pytest.raises(EvalError, match="no task file or directory"):
        load_tasks(tmp_path / "missing.jsonl")
    with pytest.raises(EvalError, match="No tasks in"):
        load_tasks(write(tmp_path / "empty.jsonl", ""))
