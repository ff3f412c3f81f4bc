"""The run's reports: DIR/summary.json and DIR/trials.jsonl (SPEC §10), and the summary table."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.table import Table

from evals.metrics import Breakdown, EvalSummary, TrialResult

Advance = Callable[[str], None]  # moves the progress bar on, naming the trial now running

# The keys SPEC §10 promises, in its order; anything after them is an addition.
SUMMARY_KEYS = (
    "model",
    "tasks",
    "trials",
    "success_rate",
    "pass_hat_k",
    "by_category",
    "by_language",
    "latency_ms",
    "tokens_per_turn",
    "results",
)


def _breakdown(groups: dict[str, Breakdown]) -> dict[str, dict[str, Any]]:
    return {
        name: {"tasks": group.tasks, "success_rate": group.success_rate}
        for name, group in groups.items()
    }


def summary_json(summary: EvalSummary) -> dict[str, Any]:
    """summary.json: exactly the contract's keys, then extra measurements."""
    return {
        "model": summary.model,
        "tasks": summary.tasks,
        "trials": summary.trials,
        "success_rate": summary.success_rate,
        "pass_hat_k": dict(summary.pass_hat_k),
        "by_category": _breakdown(summary.by_category),
        "by_language": _breakdown(summary.by_language),
        "latency_ms": {key: round(value, 2) for key, value in summary.latency_ms.items()},
        "tokens_per_turn": {key: round(value, 2) for key, value in summary.tokens_per_turn.items()},
        "results": [
            {
                "id": result.task_id,
                "trial": result.trial,
                "success": result.success,
                "failures": list(result.failures),
            }
            for result in summary.results
        ],
        # additions
        "model_calls_per_turn": round(summary.model_calls_per_turn, 3),
        "write_precision": summary.write_precision,
        "write_recall": summary.write_recall,
        "invalid_tool_calls": summary.invalid_tool_calls,
        "tool_calls": summary.tool_calls,
        "turns": summary.turns,
        "crashed_trials": summary.crashed,
    }


def trial_json(result: TrialResult) -> dict[str, Any]:
    """One line of trials.jsonl: the whole conversation of one trial and its verdict."""
    return {
        "id": result.task_id,
        "trial": result.trial,
        "category": result.category,
        "language": result.language,
        "turns": [asdict(turn) for turn in result.turns],
        "success": result.success,
        "failures": list(result.failures),
        "writes": asdict(result.writes) if result.writes is not None else None,
        "crashed": result.crashed,
    }


def write_reports(summary: EvalSummary, out: Path) -> tuple[Path, Path]:
    """Write DIR/summary.json and DIR/trials.jsonl (one JSON object per trial)."""
    out.mkdir(parents=True, exist_ok=True)
    summary_path = out / "summary.json"
    trials_path = out / "trials.jsonl"
    summary_path.write_text(
        json.dumps(summary_json(summary), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    lines = [
        json.dumps(trial_json(result), ensure_ascii=False, default=str)
        for result in summary.results
    ]
    trials_path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return summary_path, trials_path


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def render_summary_table(summary: EvalSummary) -> Table:
    """Overall, per category, per language, then latency, tokens and tool-call quality."""
    table = Table(
        title=f"Eval · {summary.model} · {summary.tasks} tasks × {summary.trials} trials",
        title_justify="left",
    )
    table.add_column("")
    table.add_column("tasks", justify="right")
    table.add_column("value", justify="right")
    table.add_row("[bold]success rate[/]", str(summary.tasks), _percent(summary.success_rate))
    for k, value in summary.pass_hat_k.items():
        table.add_row(f"pass^{k}", "", _percent(value))
    table.add_section()
    for name, group in summary.by_category.items():
        table.add_row(f"category {name}", str(group.tasks), _percent(group.success_rate))
    table.add_section()
    for name, group in summary.by_language.items():
        table.add_row(f"language {name}", str(group.tasks), _percent(group.success_rate))
    table.add_section()
    latency = summary.latency_ms
    tokens = summary.tokens_per_turn
    table.add_row(
        "latency per turn p50 / p95", "", f"{latency['p50']:.0f} / {latency['p95']:.0f} ms"
    )
    table.add_row("tokens per turn in / out", "", f"{tokens['in']:.0f} / {tokens['out']:.0f}")
    table.add_row("model calls per turn", "", f"{summary.model_calls_per_turn:.2f}")
    table.add_row(
        "write precision / recall",
        "",
        f"{_percent(summary.write_precision)} / {_percent(summary.write_recall)}",
    )
    table.add_row("invalid tool calls", "", f"{summary.invalid_tool_calls} of {summary.tool_calls}")
    if summary.crashed:
        table.add_row("[red]crashed trials[/]", "", str(summary.crashed))
    return table


def render_failures(summary: EvalSummary, limit: int = 20) -> Table | None:
    """The failing trials with their first reasons, or None when everything passed."""
    failing = [result for result in summary.results if not result.success]
    if not failing:
        return None
    table = Table(title=f"Failures ({len(failing)})", title_justify="left", show_lines=False)
    table.add_column("task")
    table.add_column("trial", justify="right")
    table.add_column("why")
    for result in failing[:limit]:
        why = "; ".join(result.failures[:2])
        if len(result.failures) > 2:
            why += f" (+{len(result.failures) - 2} more)"
        table.add_row(result.task_id, str(result.trial), why)
    if len(failing) > limit:
        table.caption = f"{len(failing) - limit} more in summary.json"
    return table


@contextmanager
def progress_bar(enabled: bool, total: int) -> Iterator[Advance]:
    """A rich progress bar over tasks×trials on stderr (stdout keeps the summary table)."""
    if not enabled:
        yield lambda label: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[bold]eval[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        job = bar.add_task("", total=total)
        started = False

        def advance(label: str) -> None:
            nonlocal started
            if started:
                bar.advance(job)
            started = True
            bar.update(job, description=label)

        yield advance
        bar.update(job, completed=total)
