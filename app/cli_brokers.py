"""`copilot brokers …`: the team, its chat identities and personal API tokens."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from app.cli_common import fail, get_runtime, require_store

brokers_app = typer.Typer(help="Manage brokers and their chat identities.", no_args_is_help=True)


@brokers_app.command("list")
def brokers_list() -> None:
    """Show the team: ids, roles, languages and linked chat identities."""
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy import select

    from crm_store.models import Broker

    runtime = get_runtime()
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

    broker = admin_action(
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
        fail("Give --telegram ID or --slack ID.")

    def link(ctx: Any) -> Any:
        target = resolve_broker(ctx.session, broker)
        return link_identity(
            ctx, broker_id=target.id, telegram_user_id=telegram, slack_user_id=slack
        )

    linked = admin_action(link)
    typer.echo(
        f"Linked {linked.name}: telegram={linked.telegram_user_id} slack={linked.slack_user_id}"
    )


@brokers_app.command("token")
def brokers_token(broker: Annotated[str, typer.Argument(help="Broker name or id.")]) -> None:
    """Print a new personal token for the HTTP API and the board (shown only now)."""
    from crm_store.services.brokers import resolve_broker
    from crm_store.services.tokens import issue_token

    token = admin_action(lambda ctx: issue_token(ctx, broker=resolve_broker(ctx.session, broker)))
    typer.echo(token)


def admin_action(action: Any) -> Any:
    """Run an admin change in one unit of work; known errors become a message and exit 1."""
    from crm_store.errors import CopilotError

    runtime = get_runtime()
    require_store(runtime)
    try:
        with runtime.unit_of_work() as ctx:
            return action(ctx)
    except CopilotError as error:
        fail(error.message())
    finally:
        runtime.close()
