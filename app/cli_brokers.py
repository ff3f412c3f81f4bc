"""`copilot brokers …`: the team, its chat identities, personal API tokens and leavers."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from app.cli_common import fail, get_runtime, require_store

brokers_app = typer.Typer(help="Manage brokers and their chat identities.", no_args_is_help=True)


@brokers_app.command("list")
def brokers_list() -> None:
    """Show the team: ids, roles, languages, linked chat identities and who is active."""
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy import select

    from crm_store.models import Broker

    runtime = get_runtime()
    with runtime.unit_of_work() as ctx:
        rows = ctx.session.execute(select(Broker).order_by(Broker.id)).scalars().all()
        table = Table(
            "id", "name", "role", "team", "lang", "timezone", "telegram", "slack", "active"
        )
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
                "yes" if b.active else "no",
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
    from crm_store.services.brokers import ensure_active, resolve_broker
    from crm_store.services.tokens import issue_token

    def issue(ctx: Any) -> str:
        target = resolve_broker(ctx.session, broker, include_inactive=True)
        ensure_active(
            target,
            doing="no token is issued for them",
            doing_ru="токен для него не выдаётся",
        )
        return issue_token(ctx, broker=target)

    typer.echo(admin_action(issue))


@brokers_app.command("deactivate")
def brokers_deactivate(broker: Annotated[str, typer.Argument(help="Broker name or id.")]) -> None:
    """Mark a broker inactive (a leaver) and revoke all their access; their records stay."""
    from crm_store.services.brokers import deactivate_broker, resolve_broker

    done = admin_action(
        lambda ctx: deactivate_broker(
            ctx, broker_id=resolve_broker(ctx.session, broker, include_inactive=True).id
        )
    )
    who = f"{done.broker.name} ({done.broker.id})"
    if done.was_active:
        typer.echo(f"Deactivated {who}: no channel acts as them any more; their records stay.")
    else:
        typer.echo(f"{who} was already inactive.")
    typer.echo(_revoked_line(done.revoked))


@brokers_app.command("revoke")
def brokers_revoke(broker: Annotated[str, typer.Argument(help="Broker name or id.")]) -> None:
    """End every token and chat link of a broker (a lost phone); they stay registered."""
    from crm_store.services.brokers import resolve_broker, revoke_access

    def revoke(ctx: Any) -> tuple[str, Any]:
        target = resolve_broker(ctx.session, broker, include_inactive=True)
        return f"{target.name} ({target.id})", revoke_access(ctx, broker_id=target.id)

    who, revoked = admin_action(revoke)
    typer.echo(f"Revoked the access of {who}.")
    typer.echo(_revoked_line(revoked))


def _revoked_line(revoked: Any) -> str:
    """What `revoke_access` ended, in one line."""
    tokens = {0: "no API token to revoke", 1: "revoked 1 API token"}.get(
        revoked.api_tokens, f"revoked {revoked.api_tokens} API tokens"
    )
    links = (
        "unlinked " + " and ".join(revoked.chat_links)
        if revoked.chat_links
        else "no chat account was linked"
    )
    return f"Access: {tokens}; {links}."


def admin_action(action: Any) -> Any:
    """Run an admin change in one unit of work; known errors become a message and exit 1."""
    from crm_store.context import SYSTEM
    from crm_store.errors import CopilotError

    runtime = get_runtime()
    require_store(runtime)
    try:
        with runtime.unit_of_work(SYSTEM) as ctx:  # the CLI is the admin's channel
            return action(ctx)
    except CopilotError as error:
        fail(error.message())
    finally:
        runtime.close()
