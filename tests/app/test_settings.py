"""Settings: the COPILOT_ prefix, secrets as SecretStr, placeholders refused, a frozen clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from app.runtime import Runtime
from app.settings import Settings
from crm_store.clock import FrozenClock, SystemClock


def test_reads_prefixed_variables_and_hides_secrets(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("COPILOT_MODEL", "openai:gpt-4o-mini")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-live-1234567890")
    monkeypatch.setenv("COPILOT_TELEGRAM_TOKEN", "123456:ABCdefGhIJKlmnoPQRstu")
    settings = Settings()
    assert settings.model == "openai:gpt-4o-mini"
    assert settings.openai_api_key.get_secret_value() == "sk-live-1234567890"
    assert "ABCdef" not in repr(settings)
    assert settings.resolved_database_url.startswith("sqlite:///var/")


@pytest.mark.parametrize("placeholder", ["changeme", "xxx", "<your token>", "your-token-here"])
def test_placeholder_secrets_are_refused(monkeypatch, tmp_path, placeholder):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COPILOT_SLACK_BOT_TOKEN", placeholder)
    with pytest.raises(ValidationError, match="placeholder"):
        Settings()


def test_empty_secret_means_unset(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COPILOT_SLACK_BOT_TOKEN", "")
    assert Settings().slack_bot_token is None


def test_now_freezes_the_clock_and_a_bare_time_is_cyprus_time(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COPILOT_NOW", "2026-03-10T09:00")
    runtime = Runtime(settings=Settings())
    assert isinstance(runtime.clock, FrozenClock)
    assert runtime.clock.now() == datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Nicosia"))
    monkeypatch.delenv("COPILOT_NOW")
    assert isinstance(Runtime(settings=Settings()).clock, SystemClock)


def test_unknown_timezone_is_refused(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COPILOT_DEFAULT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValidationError):
        Settings()


def test_cli_reports_bad_configuration_without_a_traceback(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from app.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COPILOT_NOW", "not a date")
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 1
    assert "configuration is invalid" in result.output and "now" in result.output
    assert not (tmp_path / "var").exists()  # nothing was created
