"""The `copilot` command line (SPEC §10). Heavy imports stay inside the commands that need them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

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


def _runtime() -> Runtime:
    from pydantic import ValidationError

    try:
        return Runtime()
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
    from crm_store.transfer import import_store, read_canonical

    from crm_store.errors import CopilotError
    from crm_store.migrate import upgrade

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
    from crm_store.transfer import dump_canonical, export_store

    from crm_store.migrate import upgrade

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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
