"""The runner end to end: a scripted model makes real tool calls through the copilot's graph on a
fresh copy of the fixture; the store, replies and calls are judged and reported."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage

from evals.report import SUMMARY_KEYS, render_failures, render_summary_table
from evals.runner import run_eval
from evals.tasks import EvalError
from tests.agent.fakes import ScriptedChatModel, provider_for
from tests.evals.conftest import DATA, TINY

TASKS = DATA / "tasks.jsonl"
USAGE = {"input_tokens": 100, "output_tokens": 20, "total_tokens": 120}


def says(text: str) -> AIMessage:
    return AIMessage(content=text, usage_metadata=USAGE)


def calls(name: str, args: dict[str, Any], call_id: str = "call-1") -> AIMessage:
    return AIMessage(
        content="", tool_calls=[{"name": name, "args": args, "id": call_id}], usage_metadata=USAGE
    )


def register_elena(trial: int) -> list[AIMessage]:
    if trial == 2:  # the second time the model only asks, so nothing is written
        return [says("Shall I register Elena Savva?")]
    args = {
        "full_name": "Elena Savva",
        "phones": ["+357 99 765432"],
        "buyer": {"cities": ["Paphos"], "budget_max": 400000},
    }
    return [calls("register_contact", args), says("Registered Elena Savva, Paphos, up to €400k.")]


SCRIPTS: dict[str, Callable[[int], list[AIMessage]]] = {
    "ct_001": register_elena,
    "fu_001": lambda trial: [
        calls("schedule_follow_up", {"contact": "Ivan Petrov", "due_at": "2026-03-17T11:00"}),
        says("Done: call Ivan Petrov on Tuesday 17 March at 11:00."),
    ],
    "st_001": lambda trial: [
        calls(
            "move_stage",
            {"deal": "Ivan Petrov", "to_stage": "closed_lost", "reason": "bought_elsewhere"},
        ),
        says("Ivan Petrov: Solution/Viewing → Closed Lost."),
    ],
    "ag_001": lambda trial: [calls("agenda", {}), says("На сегодня ничего нет.")],
    "fu_002": lambda trial: [
        calls("schedule_follow_up", {"contact": "Maria Ioannou", "due_at": "2026-03-11T12:00"}),
        says("Scheduled."),
    ],
}


def scripted(scripts: dict[str, Callable[[int], list[AIMessage]]] = SCRIPTS):
    """A model factory for run_eval: each trial of a task gets its own scripted model."""
    runs: Counter[str] = Counter()

    def factory(task, runtime):
        runs[task.id] += 1
        return provider_for(ScriptedChatModel(script=scripts[task.id](runs[task.id])))

    factory.runs = runs  # type: ignore[attr-defined]
    return factory


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("eval-out")
    summary = run_eval(
        tasks=TASKS, model="scripted", trials=2, out=out, progress=False, model_provider=scripted()
    )
    return summary, out


def by_id(summary) -> dict[tuple[str, int], Any]:
    return {(r.task_id, r.trial): r for r in summary.results}


def test_tasks_whose_expectations_hold_succeed(report):
    summary, _ = report
    results = by_id(summary)
    for key in [("ct_001", 1), ("fu_001", 1), ("fu_001", 2), ("st_001", 1), ("ag_001", 2)]:
        assert results[key].success, results[key].failures


def test_a_failing_task_fails_with_the_right_words(report):
    summary, _ = report
    failures = by_id(summary)[("fu_002", 1)].failures
    assert failures[0] == (
        "follow_ups where contact=Maria Ioannou, status=open: f-2 has due_at "
        "2026-03-11T12:00 Asia/Nicosia, expected 2026-03-11T10:00"
    )
    assert failures[1] == 'no reply contains "10:00" (replies: "Scheduled.")'
    assert failures[2].startswith(
        "expected call schedule_follow_up(contact=Maria Ioannou, due_at=2026-03-11T10:00) "
        "was not made; calls made: schedule_follow_up(contact=Maria Ioannou, "
        "due_at=2026-03-11T12:00)"
    )


def test_each_trial_starts_from_a_fresh_store(report):
    summary, _ = report
    second = by_id(summary)[("ct_001", 2)]
    # Had trial 1's Elena survived, count=0 would not be the complaint.
    assert second.failures[0] == (
        "contacts where full_name=Elena Savva: 0 records, expected 1 (contacts holds 3 records)"
    )
    assert (
        by_id(summary)[("fu_002", 2)]
        .failures[0]
        .startswith("follow_ups where contact=Maria Ioannou, status=open: f-2 has")
    )


def test_metrics_over_trials(report):
    summary, _ = report
    assert summary.model == "scripted" and summary.tasks == 5 and summary.trials == 2
    assert summary.success_rate == pytest.approx(7 / 10)
    # per task successes out of 2: ct 1, fu_001 2, st 2, ag 2, fu_002 0
    assert summary.pass_hat_k == {"1": pytest.approx(0.7), "2": pytest.approx(0.6)}
    assert summary.by_category["follow_ups"].tasks == 2
    assert summary.by_category["follow_ups"].success_rate == pytest.approx(0.5)
    assert summary.by_language["ru"].success_rate == 1.0
    # Writes of tasks listing tool_calls: expected 6, made 5, of which 3 were expected.
    assert summary.write_precision == pytest.approx(3 / 5)
    assert summary.write_recall == pytest.approx(3 / 6)
    assert summary.invalid_tool_calls == 0
    per_turn_calls = summary.model_calls_per_turn
    assert summary.tokens_per_turn["in"] == pytest.approx(100 * per_turn_calls)
    assert summary.tokens_per_turn["out"] == pytest.approx(20 * per_turn_calls)
    assert 0 < summary.latency_ms["p50"] <= summary.latency_ms["p95"]


def test_a_confirmation_is_answered_by_the_next_turn(report):
    summary, _ = report
    first, second = by_id(summary)[("st_001", 1)].turns
    assert first.pending_confirmation and "Ivan Petrov" in first.pending_confirmation
    assert first.tool_results == []  # nothing ran while the question was open
    assert second.user == "yes"
    assert second.tool_results and "Closed Lost" in second.tool_results[0]


def test_summary_json_has_exactly_the_contract_keys_then_extras(report):
    _, out = report
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert tuple(data)[: len(SUMMARY_KEYS)] == SUMMARY_KEYS
    assert set(data) - set(SUMMARY_KEYS) == {
        "model_calls_per_turn",
        "write_precision",
        "write_recall",
        "invalid_tool_calls",
        "tool_calls",
        "turns",
        "crashed_trials",
    }
    assert data["model"] == "scripted" and data["tasks"] == 5 and data["trials"] == 2
    assert list(data["pass_hat_k"]) == ["1", "2"]
    assert data["by_category"]["stages"] == {"tasks": 1, "success_rate": 1.0}
    assert set(data["by_language"]) == {"en", "ru"}
    assert all(set(group) == {"tasks", "success_rate"} for group in data["by_category"].values())
    assert set(data["latency_ms"]) == {"p50", "p95"}
    assert set(data["tokens_per_turn"]) == {"in", "out"}
    assert len(data["results"]) == 10
    assert all(set(r) == {"id", "trial", "success", "failures"} for r in data["results"])
    failing = next(r for r in data["results"] if r["id"] == "fu_002")
    assert failing["success"] is False and failing["failures"][0].startswith("follow_ups where")


def test_trials_jsonl_has_one_line_per_trial_with_every_turn(report):
    _, out = report
    lines = (out / "trials.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10
    trials = [json.loads(line) for line in lines]
    assert [(t["id"], t["trial"]) for t in trials[:2]] == [("ct_001", 1), ("ct_001", 2)]
    turn_keys = {
        "user",
        "replies",
        "tool_calls",
        "tool_results",
        "model_calls",
        "tokens_in",
        "tokens_out",
        "latency_ms",
    }
    for trial in trials:
        assert {"id", "trial", "turns", "success", "failures"} <= set(trial)
        assert all(turn_keys <= set(turn) for turn in trial["turns"])
    agenda = next(t for t in trials if t["id"] == "ag_001")
    (turn,) = agenda["turns"]
    assert turn["user"] == "Что у меня сегодня?"
    assert turn["tool_calls"] == [{"name": "agenda", "args": {}}]
    assert turn["replies"] == ["На сегодня ничего нет."]
    # the agenda is a report: its text is the reply, without a second model call
    assert turn["model_calls"] == 1 and turn["tokens_in"] == 100 and turn["tokens_out"] == 20


def test_the_summary_table_renders(report):
    from rich.console import Console

    summary, _ = report
    console = Console(width=120, record=True)
    console.print(render_summary_table(summary))
    failures = render_failures(summary)
    assert failures is not None
    console.print(failures)
    text = console.export_text()
    for words in ("success rate", "pass^2", "category follow_ups", "language ru", "p50", "fu_002"):
        assert words in text


def one_task(tmp_path: Path, **changes: Any) -> Path:
    line = json.loads(TASKS.read_text(encoding="utf-8").splitlines()[1])  # fu_001
    line["fixture"] = str(TINY)
    line.update(changes)
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_a_crashing_turn_fails_its_trial_and_the_run_goes_on(tmp_path):
    other = json.loads(TASKS.read_text(encoding="utf-8").splitlines()[3])  # ag_001
    other["fixture"] = str(TINY)
    path = one_task(tmp_path)
    with path.open("a", encoding="utf-8") as file:
        file.write(json.dumps(other, ensure_ascii=False) + "\n")

    def broken(trial: int) -> list[AIMessage]:
        return []  # the scripted model raises when asked

    summary = run_eval(
        tasks=path,
        model="scripted",
        trials=1,
        out=None,
        progress=True,
        model_provider=scripted({**SCRIPTS, "fu_001": broken}),
    )
    crashed, fine = summary.results
    assert not crashed.success and crashed.crashed
    assert crashed.failures[0].startswith(
        "turn 1 ('Remind me to call Ivan Petrov next Tuesday at 11') raised AssertionError"
    )
    assert fine.success and summary.crashed == 1


def test_a_run_where_every_trial_crashes_is_a_broken_run(tmp_path):
    with pytest.raises(EvalError, match="Every trial crashed"):
        run_eval(
            tasks=one_task(tmp_path),
            model="scripted",
            trials=2,
            out=None,
            progress=False,
            model_provider=scripted({"fu_001": lambda trial: []}),
        )


def test_an_unknown_broker_breaks_the_run_naming_the_task_line(tmp_path):
    path = one_task(tmp_path, broker="Zoltan Nobody")
    with pytest.raises(EvalError, match=rf"{path}:1: task fu_001: There is no broker"):
        run_eval(
            tasks=path,
            model="scripted",
            trials=1,
            out=None,
            progress=False,
            model_provider=scripted(),
        )


def test_a_broken_fixture_stops_the_run_before_any_model_runs(tmp_path):
    fixture = tmp_path / "broken.json"
    fixture.write_text('{"brokers": [', encoding="utf-8")
    factory = scripted()
    with pytest.raises(EvalError, match=r"one\.jsonl:1: fixture .*broken\.json.*not valid JSON"):
        run_eval(
            tasks=one_task(tmp_path, fixture=str(fixture)),
            model="scripted",
            trials=1,
            out=None,
            progress=False,
            model_provider=factory,
        )
    assert not factory.runs


def test_an_invalid_fixture_is_refused_whole_before_the_run_starts(tmp_path):
    fixture = tmp_path / "invalid.json"
    fixture.write_text('{"contacts": [{"id": "c-1", "owner": "b-9"}]}', encoding="utf-8")
    factory = scripted()
    with pytest.raises(
        EvalError, match=r"(?s)one\.jsonl:1: fixture .*invalid\.json: .*contacts\[0\]"
    ):
        run_eval(
            tasks=one_task(tmp_path, fixture=str(fixture)),
            model="scripted",
            trials=1,
            out=None,
            progress=False,
            model_provider=factory,
        )
    assert not factory.runs


def test_an_unknown_model_breaks_the_run(tmp_path):
    with pytest.raises(EvalError, match="Unknown model 'nonsense'"):
        run_eval(tasks=one_task(tmp_path), model="nonsense", trials=1, out=None, progress=False)


def test_trials_must_be_positive(tmp_path):
    with pytest.raises(EvalError, match="at least 1"):
        run_eval(tasks=one_task(tmp_path), model=None, trials=0, out=None, progress=False)


def test_a_model_that_cannot_be_built_breaks_the_run(tmp_path, monkeypatch):
    def missing(config, backend, **_options):
        raise ImportError("No module named 'agent.offline.model'")

    monkeypatch.setattr("agent.models.make_model_provider", missing)
    with pytest.raises(EvalError, match="The model 'offline' cannot be built: No module named"):
        run_eval(tasks=one_task(tmp_path), model="offline", trials=1, out=None, progress=False)
