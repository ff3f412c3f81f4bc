"""The `copilot` command line (SPEC §10). Heavy imports stay inside the commands that need them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from app.cli_brokers import brokers_app
from app.cli_common import exit_now, fail, get_runtime, require_store
from app.cli_ops import register as register_operations
from app.runtime import Runtime

app = typer.Typer(
    help="Broker Copilot: the CRM that keeps itself.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def init(
    demo: Annotated[bool, typer.Option("--demo", help="Load a generated demo brokerage.")] = False,
    listings: Annotated[
        int, typer.Option("--listings", min=1, max=100_000, help="Listings in the demo.")
    ] = 300,
) -> None:
    """Create or migrate the store; with --demo, fill an empty store with a demo brokerage."""
    from crm_store.migrate import upgrade

    runtime = get_runtime()
    revision = upgrade(runtime.engine)
    typer.echo(f"Store ready at {runtime.settings.resolved_database_url} (schema {revision}).")
    if demo:
        from crm_store.demo import generate_demo, render_summary
        from crm_store.errors import CopilotError

        try:
            with runtime.unit_of_work() as ctx:
                summary = generate_demo(ctx, listings=listings, progress=True)
        except CopilotError as error:
            fail(error.message())
        render_summary(summary)
    runtime.close()


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="A canonical JSON export.")]) -> None:
    """Load a canonical JSON file into the store; an invalid file changes nothing."""
    from crm_store.errors import CopilotError
    from crm_store.migrate import upgrade
    from crm_store.transfer import import_store, read_canonical

    runtime = get_runtime()
    upgrade(runtime.engine)
    try:
        data = read_canonical(file)
        with runtime.unit_of_work() as ctx:
            counts = import_store(ctx, data)
    except CopilotError as error:
        fail(error.message())
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

    runtime = get_runtime()
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
    """The broker the terminal speaks for: --as NAME|ID (never a deactivated one), or the first
    active broker."""
    from sqlalchemy import select

    from crm_store.errors import CopilotError
    from crm_store.models import Broker
    from crm_store.services.brokers import actor_for, ensure_active, resolve_broker

    with runtime.unit_of_work() as ctx:
        if ref:
            try:
                broker = resolve_broker(ctx.session, ref, include_inactive=True)
                ensure_active(
                    broker,
                    doing="nobody can chat as them",
                    doing_ru="от его имени нельзя работать",
                )
            except CopilotError as error:
                fail(error.message())
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
                fail("No brokers yet: run `copilot init --demo` or `copilot brokers add`.")
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
    from app.startup import loading

    with loading():  # the store's models, the agent and its tools load here
        runtime = get_runtime()
        require_store(runtime)
        actor = _acting_broker(runtime, as_, "cli")
        copilot = runtime.copilot
    if message:
        for text in message:
            reply = copilot.send(actor, channel="cli", text=text, auto_confirm=yes)
            for line in reply.texts:
                typer.echo(line)
        runtime.close()
        exit_now()
    from channels.terminal import run_repl

    run_repl(copilot, actor)
    runtime.close()


app.add_typer(brokers_app, name="brokers")
register_operations(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
