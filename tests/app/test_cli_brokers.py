"""`copilot brokers deactivate|revoke|token` and `copilot chat --as` (issue #10 §9, safe
defaults): a deactivated broker is acted as by no one, and revoking ends every credential the
store keeps, so the HTTP API refuses an old token. Each refusal changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from app import cli
from app.runtime import Runtime
from app.settings import Settings
from channels.http.app import create_app
from crm_store.context import Ctx
from crm_store.errors import CopilotError
from crm_store.models import ApiToken, AuditEntry, Broker, Contact
from crm_store.services import brokers as broker_service
from tests.conftest import TUESDAY_9AM
from tests.factories import make_broker

AGENDA = "/api/agenda"


@pytest.fixture
def copilot(store_url: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """`copilot …` in this process, on this test's store; returns the command's Result."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COPILOT_DATABASE_URL", store_url)
    monkeypatch.setenv("COPILOT_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("COPILOT_NOW", TUESDAY_9AM.isoformat())
    monkeypatch.setenv("COPILOT_MODEL", "offline")

    def leave() -> None:  # a one-shot chat ends the process; here it only ends the command
        raise typer.Exit(0)

    monkeypatch.setattr(cli, "exit_now", leave)
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(cli.app, list(args))

    yield run


@pytest.fixture
def team(ctx: Ctx) -> dict[str, Broker]:
    made = {
        "anna": make_broker(ctx, name="Anna Georgiou"),
        "boris": make_broker(ctx, name="Boris Ivanov"),
    }
    ctx.session.commit()
    return made


def _state(session_factory: sessionmaker[Session]) -> dict[str, Any]:
    """What a refused command must leave as it was."""
    with session_factory() as session:
        brokers = session.execute(select(Broker).order_by(Broker.id)).scalars()
        return {
            "brokers": [(b.id, b.active, b.telegram_user_id, b.slack_user_id) for b in brokers],
            "tokens": sorted(session.execute(select(ApiToken.token_hash, ApiToken.revoked))),
            "contacts": session.execute(select(func.count(Contact.id))).scalar_one(),
            "audit": session.execute(select(func.count(AuditEntry.id))).scalar_one(),
        }


def _set_inactive(session_factory: sessionmaker[Session], broker_id: str) -> None:
    with session_factory() as session:
        broker = session.get(Broker, broker_id)
        assert broker is not None
        broker.active = False
        session.commit()


def _token(result: Result) -> str:
    assert result.exit_code == 0, result.output
    found = re.search(r"\bbc_\S+", result.output)
    assert found is not None, result.output
    return found.group()


@pytest.fixture
def http(store_url: str, tmp_path: Any) -> Iterator[TestClient]:
    runtime = Runtime(settings=Settings(database_url=store_url, var_dir=tmp_path, now=TUESDAY_9AM))
    with TestClient(create_app(runtime)) as client:
        yield client
    runtime.close()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("ref", ["Anna Georgiou", "анна георгиу", "Anna", "ID"])
def test_chat_as_an_inactive_broker_is_refused_by_name_and_by_id(
    copilot, team, session_factory, ref
):
    anna = team["anna"]
    _set_inactive(session_factory, anna.id)
    before = _state(session_factory)
    result = copilot(
        "chat",
        "--as",
        anna.id if ref == "ID" else ref,
        "-m",
        "New client Peter Hall +357 99 555123",
    )
    assert result.exit_code == 1
    assert f"Anna Georgiou ({anna.id}) is deactivated" in result.output
    assert "copilot brokers list" in result.output  # says what to do instead
    assert _state(session_factory) == before


def test_an_active_broker_still_chats(copilot, team):
    result = copilot("chat", "--as", "Boris Ivanov", "-m", "what's on today?")
    assert result.exit_code == 0, result.output
    assert "deactivated" not in result.output


def test_deactivate_revokes_everything_and_then_chat_and_token_are_refused(
    copilot, team, session_factory, http
):
    anna, boris = team["anna"], team["boris"]
    assert copilot("brokers", "link", "Anna", "--telegram", "111", "--slack", "U111").exit_code == 0
    old = _token(copilot("brokers", "token", "Anna Georgiou"))
    kept = _token(copilot("brokers", "token", "Boris Ivanov"))
    assert http.get(AGENDA, headers=_bearer(old)).status_code == 200

    done = copilot("brokers", "deactivate", "Anna Georgiou")
    assert done.exit_code == 0, done.output
    assert f"Deactivated Anna Georgiou ({anna.id})" in done.output
    assert "revoked 1 API token" in done.output
    assert "Telegram user 111" in done.output and "Slack user U111" in done.output

    with session_factory() as session:
        row = session.get(Broker, anna.id)
        assert row is not None and not row.active
        assert row.telegram_user_id is None and row.slack_user_id is None
        assert broker_service.broker_by_telegram(session, 111) is None
        still = session.get(Broker, boris.id)
        assert still is not None and still.active
    assert http.get(AGENDA, headers=_bearer(old)).status_code == 401
    assert http.post("/chat", json={"message": "hi"}, headers=_bearer(old)).status_code == 401
    assert http.get(AGENDA, headers=_bearer(kept)).status_code == 200  # only Anna's went

    before = _state(session_factory)
    for ref in ("Anna Georgiou", anna.id):
        refused = copilot("chat", "--as", ref, "-m", "what's on today?")
        assert refused.exit_code == 1 and "is deactivated" in refused.output
    assert _state(session_factory) == before

    again = copilot("brokers", "deactivate", anna.id)
    assert again.exit_code == 0 and "already inactive" in again.output


@pytest.mark.parametrize("ref", ["Anna Georgiou", "ID"])
def test_token_refuses_an_inactive_broker(copilot, team, session_factory, ref):
    anna = team["anna"]
    _set_inactive(session_factory, anna.id)
    before = _state(session_factory)
    result = copilot("brokers", "token", anna.id if ref == "ID" else ref)
    assert result.exit_code == 1
    assert f"Anna Georgiou ({anna.id}) is deactivated" in result.output
    assert "bc_" not in result.output
    assert _state(session_factory) == before
    _token(copilot("brokers", "token", "Boris Ivanov"))  # an active broker still gets one


def test_revoke_ends_the_api_token_and_chat_links_but_keeps_the_broker(
    copilot, team, session_factory, http
):
    anna = team["anna"]
    assert copilot("brokers", "link", "Anna Georgiou", "--telegram", "222").exit_code == 0
    first = _token(copilot("brokers", "token", "Anna Georgiou"))
    second = _token(copilot("brokers", "token", anna.id))
    assert http.get(AGENDA, headers=_bearer(first)).status_code == 200

    done = copilot("brokers", "revoke", "Anna Georgiou")
    assert done.exit_code == 0, done.output
    assert f"Anna Georgiou ({anna.id})" in done.output
    assert "revoked 2 API tokens" in done.output and "Telegram user 222" in done.output
    for old in (first, second):
        assert http.get(AGENDA, headers=_bearer(old)).status_code == 401
        assert http.post("/chat", json={"message": "hi"}, headers=_bearer(old)).status_code == 401
    with session_factory() as session:
        row = session.get(Broker, anna.id)
        assert row is not None and row.active and row.telegram_user_id is None

    fresh = _token(copilot("brokers", "token", "Anna Georgiou"))  # she still works here
    assert http.get(AGENDA, headers=_bearer(fresh)).status_code == 200
    nothing_left = copilot("brokers", "revoke", anna.id)
    assert nothing_left.exit_code == 0
    assert "revoked 1 API token" in nothing_left.output
    assert "no chat account was linked" in nothing_left.output


@pytest.mark.parametrize("command", ["deactivate", "revoke"])
def test_an_unknown_broker_is_a_clear_error_and_changes_nothing(
    copilot, team, session_factory, command
):
    before = _state(session_factory)
    result = copilot("brokers", command, "Zoe Pappas")
    assert result.exit_code == 1
    assert "There is no broker 'Zoe Pappas'" in result.output
    assert "Anna Georgiou" in result.output  # the known brokers are listed
    assert _state(session_factory) == before


def test_deactivate_is_one_transaction(copilot, team, session_factory, http, monkeypatch):
    """A failure after the broker was marked inactive and the tokens revoked undoes both."""
    assert copilot("brokers", "link", "Anna Georgiou", "--telegram", "333").exit_code == 0
    token = _token(copilot("brokers", "token", "Anna Georgiou"))
    before = _state(session_factory)

    def broken(*_: Any, **__: Any) -> None:
        raise CopilotError("The chat link could not be ended.")

    monkeypatch.setattr(broker_service, "unlink_identity", broken)
    result = copilot("brokers", "deactivate", "Anna Georgiou")
    assert result.exit_code == 1 and "could not be ended" in result.output
    assert _state(session_factory) == before
    assert http.get(AGENDA, headers=_bearer(token)).status_code == 200
