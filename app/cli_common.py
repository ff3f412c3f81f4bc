"""What every `copilot` command shares: the runtime, failing with a message, store checks."""

from __future__ import annotations

import sys

import typer

from app.runtime import Runtime


def get_runtime(*, own_index: bool = False) -> Runtime:
    """The process's runtime; servers and daemons own the embedded index, one-shots never."""
    from pydantic import ValidationError

    try:
        return Runtime(own_index=own_index)
    except ValidationError as error:
        lines = [f"  {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
        fail("The configuration is invalid:\n" + "\n".join(lines))
        raise  # unreachable


def fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def exit_now() -> None:
    """End a one-shot command at once. Everything is committed and closed by now; tearing
    down the interpreter's ~2,000 modules one by one would add a noticeable pause (~0.4 s) to
    every `copilot chat -m`."""
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def require_store(runtime: Runtime) -> None:
    from crm_store.migrate import HEAD_REVISION, current_revision

    if current_revision(runtime.engine) != HEAD_REVISION:
        fail("The store is not initialised or is out of date: run `copilot init` first.")
