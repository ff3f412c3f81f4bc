"""What a run measured: success rate, pass^k, per category and language, writes, cost per turn."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from langchain_core.tools import BaseTool

from evals.assertions import match_calls
from evals.tasks import ToolCallCheck

# Tools that only read the store. Every other tool of the registry is a write: a call that
# changes the store, counted for write precision/recall. The tools' owner keeps this up to date
# (or marks a tool with metadata {"read_only": True}, which counts the same).
READ_ONLY_TOOLS: frozenset[str] = frozenset(
    {
        "find_contacts",
        "agenda",
        "client_card",
    }
)
# Tool results that mean the model called a tool wrongly (the graph's own wording).
INVALID_CALL_PREFIXES = ("NOT DONE (invalid_arguments", "NOT DONE (invalid_tool")


def read_only_tool_names(tools: Iterable[BaseTool] = ()) -> frozenset[str]:
    """READ_ONLY_TOOLS plus any tool that declares itself read-only in its metadata."""
    marked = {tool.name for tool in tools if (tool.metadata or {}).get("read_only")}
    return READ_ONLY_TOOLS | marked


def write_tool_names(tools: Iterable[BaseTool]) -> frozenset[str]:
    """The registry's tools that change the store."""
    tools = list(tools)
    read_only = read_only_tool_names(tools)
    return frozenset(tool.name for tool in tools if tool.name not in read_only)


def is_invalid_call(result: str) -> bool:
    return result.startswith(INVALID_CALL_PREFIXES)


@dataclass
class TurnRecord:
    """One broker message and everything the copilot did about it."""

    user: str
    replies: list[str]
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    tool_results: list[str] = field(default_factory=list)
    model_calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    pending_confirmation: str | None = None

    @property
    def invalid_tool_calls(self) -> int:
        return sum(1 for result in self.tool_results if is_invalid_call(result))


@dataclass(frozen=True)
class WriteCounts:
    """Expected writes of a task, writes the model made, and how many of them were expected."""

    expected: int
    actual: int
    matched: int


@dataclass
class TrialResult:
    task_id: str
    category: str
    language: str
    trial: int  # 1-based
    success: bool
    failures: list[str]
    turns: list[TurnRecord]
    writes: WriteCounts | None = None  # only for tasks that list expect.tool_calls
    crashed: bool = False  # a turn raised; the failures say how


@dataclass(frozen=True)
class Breakdown:
    tasks: int
    success_rate: float


@dataclass
class EvalSummary:
    """Everything summary.json reports, plus the trials themselves for trials.jsonl."""

    model: str
    tasks: int
    trials: int
    success_rate: float
    pass_hat_k: dict[str, float]
    by_category: dict[str, Breakdown]
    by_language: dict[str, Breakdown]
    latency_ms: dict[str, float]  # p50, p95 per turn
    tokens_per_turn: dict[str, float]  # in, out
    results: list[TrialResult]
    model_calls_per_turn: float = 0.0
    write_precision: float | None = None
    write_recall: float | None = None
    invalid_tool_calls: int = 0
    tool_calls: int = 0
    turns: int = 0
    crashed: int = 0


def pass_hat_k(successes: Sequence[tuple[int, int]], k: int) -> float:
    """Mean over tasks of C(c,k)/C(n,k): the chance that k trials drawn from a task's n all
    succeeded (c of the n did). `successes` holds (c, n) per task."""
    if not successes:
        return 0.0
    total = 0.0
    for c, n in successes:
        if not 1 <= k <= n:
            raise ValueError(f"pass^{k} needs 1 <= k <= trials ({n})")
        total += math.comb(c, k) / math.comb(n, k)
    return total / len(successes)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation between the closest ranks."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _breakdown(results: Sequence[TrialResult], key: str) -> dict[str, Breakdown]:
    groups: dict[str, list[TrialResult]] = defaultdict(list)
    for result in results:
        groups[getattr(result, key)].append(result)
    return {
        name: Breakdown(
            tasks=len({r.task_id for r in group}),
            success_rate=_rate(sum(r.success for r in group), len(group)),
        )
        for name, group in sorted(groups.items())
    }


def summarize(*, model: str, trials: int, results: Sequence[TrialResult]) -> EvalSummary:
    """The run's metrics from its trials (every task run `trials` times)."""
    per_task: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        per_task[result.task_id].append(result.success)
    counts = [(sum(outcomes), len(outcomes)) for outcomes in per_task.values()]
    turns = [turn for result in results for turn in result.turns]
    writes = [result.writes for result in results if result.writes is not None]
    actual = sum(w.actual for w in writes)
    expected = sum(w.expected for w in writes)
    matched = sum(w.matched for w in writes)
    return EvalSummary(
        model=model,
        tasks=len(per_task),
        trials=trials,
        success_rate=_rate(sum(r.success for r in results), len(results)),
        pass_hat_k={str(k): pass_hat_k(counts, k) for k in range(1, trials + 1)},
        by_category=_breakdown(results, "category"),
        by_language=_breakdown(results, "language"),
        latency_ms={
            "p50": percentile([t.latency_ms for t in turns], 50),
            "p95": percentile([t.latency_ms for t in turns], 95),
        },
        tokens_per_turn={
            "in": _rate(sum(t.tokens_in for t in turns), len(turns)),
            "out": _rate(sum(t.tokens_out for t in turns), len(turns)),
        },
        results=list(results),
        model_calls_per_turn=_rate(sum(t.model_calls for t in turns), len(turns)),
        write_precision=matched / actual if actual else None,
        write_recall=matched / expected if expected else None,
        invalid_tool_calls=sum(t.invalid_tool_calls for t in turns),
        tool_calls=sum(len(t.tool_calls) for t in turns),
        turns=len(turns),
        crashed=sum(r.crashed for r in results),
    )


def count_writes(
    expected: list[ToolCallCheck],
    actual: list[dict[str, Any]],
    tools: Sequence[BaseTool],
    tz: ZoneInfo,
) -> WriteCounts:
    """Writes the task expects, writes the model made, and how many of those were expected.
    An expected tool that is not read-only counts as a write even if unknown (a typo there
    must lower recall, not vanish)."""
    read_only = read_only_tool_names(tools)
    writes = write_tool_names(tools)
    wanted = [call for call in expected if call.name not in read_only]
    made = [call for call in actual if call.get("name") in writes]
    return WriteCounts(
        expected=len(wanted), actual=len(made), matched=len(match_calls(wanted, made, tz))
    )
