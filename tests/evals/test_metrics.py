"""Run metrics: pass^k by hand-computed examples, percentiles, breakdowns, writes, cost per turn."""

from __future__ import annotations

import pytest
from langchain_core.tools import tool

from evals.metrics import (
    READ_ONLY_TOOLS,
    TrialResult,
    TurnRecord,
    WriteCounts,
    pass_hat_k,
    percentile,
    summarize,
    write_tool_names,
)
from tools.registry import all_tools


def test_pass_hat_k_is_c_choose_k_over_n_choose_k():
    assert pass_hat_k([(2, 4)], 2) == pytest.approx(1 / 6)  # C(2,2)/C(4,2) = 1/6
    assert pass_hat_k([(3, 4)], 3) == pytest.approx(1 / 4)  # C(3,3)/C(4,3) = 1/4
    assert pass_hat_k([(3, 4)], 1) == pytest.approx(3 / 4)
    assert pass_hat_k([(1, 4)], 2) == 0.0  # fewer successes than k
    assert pass_hat_k([(4, 4)], 4) == 1.0


def test_pass_hat_k_is_the_mean_over_tasks():
    assert pass_hat_k([(2, 4), (4, 4)], 2) == pytest.approx((1 / 6 + 1) / 2)
    assert pass_hat_k([(2, 4), (0, 4), (4, 4)], 1) == pytest.approx((0.5 + 0 + 1) / 3)
    with pytest.raises(ValueError):
        pass_hat_k([(1, 2)], 3)


def test_percentiles_interpolate_between_ranks():
    values = [40.0, 10.0, 30.0, 20.0]
    assert percentile(values, 50) == pytest.approx(25.0)
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) == 0.0


def turn(latency: float, *, tokens_in: int = 100, tokens_out: int = 10, results=()) -> TurnRecord:
    return TurnRecord(
        user="hi",
        replies=["ok"],
        tool_calls=[{"name": "x", "args": {}}] * len(results),
        tool_results=list(results),
        model_calls=2,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        latency_ms=latency,
    )


def result(
    task: str, trial: int, success: bool, *, category: str, language: str, turns, writes=None
):
    return TrialResult(
        task_id=task,
        category=category,
        language=language,
        trial=trial,
        success=success,
        failures=[] if success else ["no"],
        turns=turns,
        writes=writes,
    )


def test_summary_breaks_results_down_and_measures_turns():
    bad_call = "NOT DONE (invalid_arguments): due_at: Field required. Fix the arguments and retry."
    no_tool = "NOT DONE (invalid_tool): there is no tool 'x'"
    refused = "NOT DONE (not_found): There is no contact 'Zed'."
    results = [
        result(
            "fu_1",
            1,
            True,
            category="follow_ups",
            language="en",
            turns=[turn(100)],
            writes=WriteCounts(expected=1, actual=2, matched=1),
        ),
        result(
            "fu_1",
            2,
            False,
            category="follow_ups",
            language="en",
            turns=[turn(300, results=[bad_call])],
            writes=WriteCounts(expected=1, actual=1, matched=0),
        ),
        result(
            "ct_1",
            1,
            True,
            category="contacts",
            language="ru",
            turns=[turn(200, tokens_in=300, results=[no_tool, refused]), turn(400)],
        ),
        result(
            "ct_1", 2, True, category="contacts", language="ru", turns=[turn(500, tokens_out=50)]
        ),
    ]
    summary = summarize(model="scripted", trials=2, results=results)
    assert summary.tasks == 2 and summary.trials == 2
    assert summary.success_rate == pytest.approx(3 / 4)
    assert summary.pass_hat_k == {"1": pytest.approx(0.75), "2": pytest.approx(0.5)}
    assert {k: (v.tasks, v.success_rate) for k, v in summary.by_category.items()} == {
        "contacts": (1, 1.0),
        "follow_ups": (1, 0.5),
    }
    assert {k: (v.tasks, v.success_rate) for k, v in summary.by_language.items()} == {
        "en": (1, 0.5),
        "ru": (1, 1.0),
    }
    assert summary.latency_ms == {"p50": pytest.approx(300.0), "p95": pytest.approx(480.0)}
    assert summary.tokens_per_turn == {"in": pytest.approx(140.0), "out": pytest.approx(18.0)}
    assert summary.model_calls_per_turn == pytest.approx(2.0)
    assert summary.invalid_tool_calls == 2  # a refusal by the rules is not an invalid call
    assert summary.tool_calls == 3
    assert summary.turns == 5
    # Only tasks that list tool_calls count: 1 matched of 3 made, of 2 expected.
    assert summary.write_precision == pytest.approx(1 / 3)
    assert summary.write_recall == pytest.approx(1 / 2)


def test_write_precision_is_undefined_without_tasks_that_list_tool_calls():
    results = [result("a", 1, True, category="c", language="en", turns=[turn(1)])]
    summary = summarize(model="m", trials=1, results=results)
    assert summary.write_precision is None and summary.write_recall is None


def test_write_tools_are_the_registry_minus_read_only_ones():
    names = write_tool_names(all_tools())
    assert {"register_contact", "schedule_follow_up", "move_stage", "save_buyer_request"} <= names
    assert not names & READ_ONLY_TOOLS
    assert "find_contacts" not in names and "agenda" not in names


def test_a_tool_may_declare_itself_read_only():
    @tool("pipeline_report")
    def pipeline_report() -> str:
        """Report the pipeline."""
        return ""

    assert "pipeline_report" in write_tool_names([pipeline_report])
    pipeline_report.metadata = {"read_only": True}
    assert "pipeline_report" not in write_tool_names([pipeline_report])


def test_count_writes_counts_only_calls_that_change_the_store():
    from zoneinfo import ZoneInfo

    from evals.metrics import count_writes
    from evals.tasks import ToolCallCheck

    expected = [
        ToolCallCheck(name="register_contact", args={"full_name": "A"}),
        ToolCallCheck(name="agenda"),  # read-only: checked for success, not a write
        ToolCallCheck(name="regsiter_contact"),  # a typo still counts against recall
    ]
    actual = [
        {"name": "find_contacts", "args": {"query": "A"}},
        {"name": "register_contact", "args": {"full_name": "a"}},
        {"name": "register_contact", "args": {"full_name": "B"}},
        {"name": "no_such_tool", "args": {}},  # changed nothing
    ]
    counts = count_writes(expected, actual, all_tools(), ZoneInfo("Asia/Nicosia"))
    assert (counts.expected, counts.actual, counts.matched) == (2, 2, 1)
