"""Cold start of the one-shot CLI: `copilot chat -m` for a command that needs no matching."""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import percentile, result, say
from benchmarks.demo_store import demo_store

COMMAND = "what's on my agenda today?"


def _copilot_command() -> list[str]:
    script = shutil.which("copilot", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "app"]


def _compile_bytecode() -> None:
    """As `make install` does: an installed copilot starts from bytecode, not from source
    (this matters where PYTHONDONTWRITEBYTECODE keeps Python from caching it on first run)."""
    root = Path(__file__).resolve().parents[1]
    for package in sorted(p.parent for p in root.glob("*/__init__.py")):
        compileall.compile_dir(package, quiet=1)


def run(*, progress: bool = False, repeats: int = 5, **_: Any) -> list[dict[str, Any]]:
    """Wall time of whole `copilot chat --as … -m …` processes, median of `repeats`."""
    _compile_bytecode()
    with demo_store(listings=300) as store:
        env = {**os.environ, **store.environment()}
        command = [*_copilot_command(), "chat", "--as", "Anna Georgiou", "-m", COMMAND]
        samples: list[float] = []
        for attempt in range(repeats + 1):
            started = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True, cwd=store.directory)
            elapsed = (time.perf_counter() - started) * 1000
            if attempt:  # the first run warms the OS file cache and writes the checkpoint db
                samples.append(elapsed)
            say(progress, f"cli cold start {attempt}: {elapsed:.0f} ms")
    return [
        result(
            "cli.cold_start_ms",
            percentile(samples, 50),
            "ms",
            repeats=repeats,
            command=f"copilot chat --as 'Anna Georgiou' -m {COMMAND!r}",
        )
    ]
