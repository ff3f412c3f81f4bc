"""The `copilot` command line (SPEC §10). Heavy imports stay inside the commands that need them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from app.runtime import Runtime

app = typer.Typer(
    help="Broker Copilot: the CRM that keeps itself.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
brokers_app = typer.Typer(help="Manage brokers and their chat identities.", no_args_is_help=True)
app.add_typer(brokers_app, name="brokers")
index_app = typer.Typer(
    help="The vector index of listings and buyer requests.", no_args_is_help=True
)
app.add_typer(index_app, name="index")


def _runtime(*, own_index: bool = False) -> Runtime:
    """The process's runtime; servers and daemons own the embedded index, one-shots never."""
    from pydantic import ValidationError

    try:
        return Runtime(own_index=own_index)
    except ValidationError as error:
        lines = [f"  {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
        _fail("The configuration is invalid:\n" + "\n".join(lines))
        raise  # unreachable


def _fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


@app.command()
def init(
    demo: Annotated[bool, typer.Option("--demo", help="Load a generated demo brokerage.")] = False,
    listings: Annotated[
        int, typer.Option("--listings", min=1, max=100_000, help="Listings in the demo.")
    ] = 300,
) -> None:
    """Create or migrate the store; with --demo, fill an empty store with a demo brokerage."""
    from crm_store.migrate import upgrade

    runtime = _runtime()
    revision = upgrade(runtime.engine)
    typer.echo(f"Store ready at {runtime.settings.resolved_database_url} (schema {revision}).")
    if demo:
        from crm_store.demo import generate_demo, render_summary
        from crm_store.errors import CopilotError

        try:
            with runtime.unit_of_work() as ctx:
                summary = generate_demo(ctx, listings=listings, progress=True)
        except CopilotError as error:
            _fail(error.message())
        render_summary(summary)
    runtime.close()


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="A canonical JSON export.")]) -> None:
    """Load a canonical JSON file into the store; an invalid file changes nothing."""
    from crm_store.errors import CopilotError
    from crm_store.migrate import upgrade
    from crm_store.transfer import import_store, read_canonical

    runtime = _runtime()
    upgrade(runtime.engine)
    try:
        data = read_canonical(file)
        with runtime.unit_of_work() as ctx:
            counts = import_store(ctx, data)
    except CopilotError as error:
        _fail(error.message())
    total = ", ".join(f"{n} {entity}" for entity, n in counts.items() if n)
    typer.echo(f"Imported {total or 'nothing'} from {file}.")
    runtime.close()


@app.command()
def export(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Dump the whole store in the canonical JSON format."""
    from crm_store.migrate import upgrade
    from crm_store.transfer import dump_canonical, export_store

    runtime = _runtime()
    upgrade(runtime.engine)
    with runtime.unit_of_work() as ctx:
        data = export_store(ctx.session)
    text = dump_canonical(data)
    if out is None:
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Exported to {out}.", err=True)
    runtime.close()


def _acting_broker(runtime: Runtime, ref: str | None, channel: str) -> Any:
    """The broker the terminal speaks for: --as NAME|ID, or the first active broker."""
    from sqlalchemy import select

    from crm_store.errors import CopilotError
    from crm_store.models import Broker
    from crm_store.services.brokers import actor_for, resolve_broker

    with runtime.unit_of_work() as ctx:
        if ref:
            try:
                broker = resolve_broker(ctx.session, ref)
            except CopilotError as error:
                _fail(error.message())
        else:
            first = (
                ctx.session.execute(
                    select(Broker)
                    .where(Broker.active.is_(True), Broker.role == "broker")
                    .order_by(Broker.id)
                )
                .scalars()
                .first()
            )
            if first is None:
                _fail("No brokers yet: run `copilot init --demo` or `copilot brokers add`.")
                raise typer.Exit(1)
            broker = first
            typer.echo(f"Chatting as {broker.name} (use --as to choose).", err=True)
        return actor_for(broker, channel=channel)


@app.command()
def chat(
    as_: Annotated[str | None, typer.Option("--as", help="Broker name or id.")] = None,
    message: Annotated[
        list[str] | None, typer.Option("-m", "--message", help="Answer these and exit.")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Answer confirmations with yes.")] = False,
) -> None:
    """Talk to the copilot in the terminal as a broker."""
    runtime = _runtime()
    _require_store(runtime)
    actor = _acting_broker(runtime, as_, "cli")
    copilot = runtime.copilot
    if message:
        for text in message:
            reply = copilot.send(actor, channel="cli", text=text, auto_confirm=yes)
            for line in reply.texts:
                typer.echo(line)
        runtime.close()
        _exit_now()
    from channels.terminal import run_repl

    run_repl(copilot, actor)
    runtime.close()


def _exit_now() -> None:
    """End a one-shot command at once. Everything is committed and closed by now; tearing
    down the interpreter's ~2,000 modules one by one would add a noticeable pause (~0.4 s) to
    every `copilot chat -m`."""
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _require_store(runtime: Runtime) -> None:
    from crm_store.migrate import HEAD_REVISION, current_revision

    if current_revision(runtime.engine) != HEAD_REVISION:
        _fail("The store is not initialised or is out of date: run `copilot init` first.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Run the HTTP API (chat, read endpoints)."""
    import uvicorn

    from channels.http.app import create_app

    runtime = _runtime(own_index=True)
    _require_store(runtime)
    uvicorn.run(create_app(runtime), host=host, port=port, log_level="warning")
    runtime.close()


@app.command("eval")
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
        _fail(f"The eval run could not proceed: {error}")
    console = Console()
    console.print(render_summary_table(summary))
    failures = render_failures(summary)
    if failures is not None:
        console.print(failures)
    if out is not None:
        typer.echo(f"Wrote {out / 'summary.json'} and {out / 'trials.jsonl'}.", err=True)


@app.command()
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
        _fail(str(error))
    text = json.dumps(report, indent=2, ensure_ascii=False)
    typer.echo(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
    if report.get("errors"):
        raise typer.Exit(1)


@app.command()
def nudges(
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit.")] = False,
) -> None:
    """Compute and deliver due nudges: the daemon (every minute), or a single pass."""
    from channels.nudges.runner import run_nudges

    runtime = _runtime(own_index=not once)
    _require_store(runtime)
    run_nudges(runtime, once=once, progress=True)  # prints its own per-pass summary
    runtime.close()


@index_app.command("rebuild")
def index_rebuild() -> None:
    """Rebuild the vector index from the store (the store is the source of truth)."""
    from memory.sync import rebuild_index
    from memory.wiring import build_memory, index_owner

    runtime = _runtime()
    _require_store(runtime)
    settings = runtime.settings
    memory = build_memory(
        var_dir=settings.var_dir,
        embedding_model=settings.embedding_model,
        chroma_url=settings.chroma_url,
        own_index=True,
    )
    if memory.index is None:
        memory.close()
        _fail(
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


@brokers_app.command("list")
def brokers_list() -> None:
    """Show the team: ids, roles, languages and linked chat identities."""
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy import select

    from crm_store.models import Broker

    runtime = _runtime()
    with runtime.unit_of_work() as ctx:
        rows = ctx.session.execute(select(Broker).order_by(Broker.id)).scalars().all()
        table = Table("id", "name", "role", "team", "lang", "timezone", "telegram", "slack")
        for b in rows:
            table.add_row(
                b.id,
                b.name,
                b.role,
                b.team,
                b.language,
                b.timezone,
                str(b.telegram_user_id or ""),
                b.slack_user_id or "",
            )
    Console().print(table)
    runtime.close()


@brokers_app.command("add")
def brokers_add(
    name: Annotated[str, typer.Argument(help="Full name, as the team knows them.")],
    role: Annotated[str, typer.Option(help="broker | manager | admin")] = "broker",
    team: Annotated[str, typer.Option(help="Team name.")] = "main",
    timezone: Annotated[str, typer.Option(help="IANA time zone.")] = "Asia/Nicosia",
    language: Annotated[str, typer.Option(help="en | ru")] = "en",
) -> None:
    """Register a broker (or manager) of the team."""
    from crm_store.services.brokers import add_broker

    broker = _admin_action(
        lambda ctx: add_broker(
            ctx, name=name, role=role, team=team, timezone=timezone, language=language
        )
    )
    typer.echo(f"Added {broker.name} ({broker.id}, {broker.role}, team {broker.team}).")


@brokers_app.command("link")
def brokers_link(
    broker: Annotated[str, typer.Argument(help="Broker name or id.")],
    telegram: Annotated[int | None, typer.Option("--telegram", help="Telegram user id.")] = None,
    slack: Annotated[str | None, typer.Option("--slack", help="Slack user id.")] = None,
) -> None:
    """Link a broker's Telegram or Slack account, so the bot knows who is speaking."""
    from crm_store.services.brokers import link_identity, resolve_broker

    if telegram is None and not slack:
        _fail("Give --telegram ID or --slack ID.")

    def link(ctx: Any) -> Any:
        target = resolve_broker(ctx.session, broker)
        return link_identity(
            ctx, broker_id=target.id, telegram_user_id=telegram, slack_user_id=slack
        )

    linked = _admin_action(link)
    typer.echo(
        f"Linked {linked.name}: telegram={linked.telegram_user_id} slack={linked.slack_user_id}"
    )


@brokers_app.command("token")
def brokers_token(broker: Annotated[str, typer.Argument(help="Broker name or id.")]) -> None:
    """Print a new personal token for the HTTP API and the board (shown only now)."""
    from crm_store.services.brokers import resolve_broker
    from crm_store.services.tokens import issue_token

    token = _admin_action(lambda ctx: issue_token(ctx, broker=resolve_broker(ctx.session, broker)))
    typer.echo(token)


def _admin_action(action: Any) -> Any:
    """Run an admin change in one unit of work; known errors become a message and exit 1."""
    from crm_store.errors import CopilotError

    runtime = _runtime()
    _require_store(runtime)
    try:
        with runtime.unit_of_work() as ctx:
            return action(ctx)
    except CopilotError as error:
        _fail(error.message())
    finally:
        runtime.close()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
