"""Long-running and operational commands: serve, eval, bench, nudges, index rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli_common import fail, get_runtime, require_store

index_app = typer.Typer(
    help="The vector index of listings and buyer requests.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add these commands to the main `copilot` app."""
    app.command()(serve)
    app.command("eval")(eval_)
    app.command()(bench)
    app.command()(nudges)
    app.add_typer(index_app, name="index")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Run the HTTP API (chat, read endpoints)."""
    import uvicorn

    from channels.http.app import create_app

    runtime = get_runtime(own_index=True)
    require_store(runtime)
    uvicorn.run(create_app(runtime), host=host, port=port, log_level="warning")
    runtime.close()


def eval_(
    tasks: Annotated[Path, typer.Option(help="A task file or a directory of *.jsonl.")] = Path(
        "evals/tasks"
    ),
    model: Annotated[str | None, typer.Option(help="offline or openai:<model>.")] = None,
    trials: Annotated[int, typer.Option(min=1, max=20, help="Trials per task (pass^k).")] = 1,
    out: Annotated[
        Path | None, typer.Option(help="Write summary.json and trials.jsonl here.")
    ] = None,
) -> None:
    """Run eval tasks and print a summary; exits 0 even when tasks fail."""
    from rich.console import Console

    from evals.report import render_failures, render_summary_table
    from evals.runner import run_eval
    from evals.tasks import EvalError

    try:
        summary = run_eval(tasks=tasks, model=model, trials=trials, out=out, progress=True)
    except EvalError as error:
        fail(f"The eval run could not proceed: {error}")
    console = Console()
    console.print(render_summary_table(summary))
    failures = render_failures(summary)
    if failures is not None:
        console.print(failures)
    if out is not None:
        typer.echo(f"Wrote {out / 'summary.json'} and {out / 'trials.jsonl'}.", err=True)


def bench(
    listings: Annotated[
        int, typer.Option(help="Largest inventory for the matching suite.")
    ] = 100_000,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Run only these suites (repeatable).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write the JSON here too.")] = None,
) -> None:
    """Run the performance benchmarks and print (and optionally write) their JSON."""
    import json

    from benchmarks.runner import run_benchmarks

    try:
        report = run_benchmarks(listings=listings, only=only, progress=True)
    except ValueError as error:
        fail(str(error))
    text = json.dumps(report, indent=2, ensure_ascii=False)
    typer.echo(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
    if report.get("errors"):
        raise typer.Exit(1)


def nudges(
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit.")] = False,
) -> None:
    """Compute and deliver due nudges: the daemon (every minute), or a single pass."""
    from channels.nudges.runner import run_nudges

    runtime = get_runtime(own_index=not once)
    require_store(runtime)
    run_nudges(runtime, once=once, progress=True)  # prints its own per-pass summary
    runtime.close()


@index_app.command("rebuild")
def index_rebuild() -> None:
    """Rebuild the vector index from the store (the store is the source of truth)."""
    from memory.sync import rebuild_index
    from memory.wiring import build_memory, index_owner

    runtime = get_runtime()
    require_store(runtime)
    settings = runtime.settings
    memory = build_memory(
        var_dir=settings.var_dir,
        embedding_model=settings.embedding_model,
        chroma_url=settings.chroma_url,
        own_index=True,
    )
    if memory.index is None:
        memory.close()
        fail(
            f"The index is in use by process {index_owner(settings.var_dir)}: stop it and retry, "
            "or set COPILOT_CHROMA_URL to share a Chroma server."
        )
        raise typer.Exit(1)
    try:
        with runtime.unit_of_work() as ctx:
            report = rebuild_index(ctx.session, memory.index, memory.embedder, progress=True)
    finally:
        memory.close()
        runtime.close()
    typer.echo(
        f"Index rebuilt: {report.listings} active listings, {report.buyer_requests} open "
        "buyer requests."
    )
