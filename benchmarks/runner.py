"""`copilot bench`: run the benchmark suites and gather their results as SPEC §10 JSON."""

from __future__ import annotations

import importlib
import inspect
import os
import platform
from typing import Any

from rich.progress import Progress

# Suite name → module with `run(**kwargs) -> list[result]`; heavy modules load only when run.
SUITES: dict[str, str] = {
    "agent": "benchmarks.agent_bench",
    "long_input": "benchmarks.long_input_bench",
    "cli": "benchmarks.cli_bench",
    "nudges": "benchmarks.nudges_bench",
    "http": "benchmarks.http_bench",
    "matching": "benchmarks.matching_speed",
    "quality": "benchmarks.matching_quality",
}


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }


def run_benchmarks(*, listings: int, only: list[str] | None, progress: bool) -> dict[str, Any]:
    """Every suite (or those in `only`); a suite that breaks is reported, not fatal."""
    chosen = [name for name in SUITES if not only or name in only]
    unknown = sorted(set(only or []) - set(SUITES))
    if unknown:
        raise ValueError(f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    results: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    with Progress(disable=not progress, transient=False) as bar:
        task = bar.add_task("benchmarks", total=len(chosen))
        for name in chosen:
            bar.update(task, description=f"bench: {name}")
            try:
                results.extend(_run_suite(SUITES[name], listings=listings, progress=progress))
            except Exception as error:  # one broken suite must not hide the others' figures
                errors[name] = f"{type(error).__name__}: {error}"
            bar.advance(task)
    report: dict[str, Any] = {"machine": machine(), "results": results}
    if errors:
        report["errors"] = errors
    return report


def _run_suite(module_name: str, **options: Any) -> list[dict[str, Any]]:
    module = importlib.import_module(module_name)
    accepted = inspect.signature(module.run).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values()):
        options = {key: value for key, value in options.items() if key in accepted}
    results: list[dict[str, Any]] = module.run(**options)
    return results
