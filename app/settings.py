"""The one reader of the environment: every setting of SPEC §10 in a single typed object."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Values people paste from examples; a secret that looks like one of these is a mistake, not a key.
PLACEHOLDER_SECRETS = {
    "changeme",
    "change-me",
    "change_me",
    "secret",
    "token",
    "xxx",
    "your-token",
    "your_token",
    "your-token-here",
    "your-api-key",
    "placeholder",
    "todo",
    "sk-...",
    "xoxb-...",
    "xapp-...",
}

DEFAULT_TIMEZONE = "Asia/Nicosia"


def _is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered in PLACEHOLDER_SECRETS or lowered.startswith("<") or set(lowered) <= {"x", "."}


class Settings(BaseSettings):
    """Configuration of one Broker Copilot process (environment variables or a `.env` file)."""

    model_config = SettingsConfigDict(
        env_prefix="COPILOT_", env_file=".env", extra="ignore", populate_by_name=True
    )

    database_url: str = ""
    var_dir: Path = Path("var")
    model: str = "offline"
    now: datetime | None = None
    default_timezone: str = DEFAULT_TIMEZONE

    telegram_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None

    chroma_url: str = ""
    embedding_model: str = ""
    transcribe: str = "offline"

    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "COPILOT_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "COPILOT_OPENAI_BASE_URL")
    )
    openai_strict_tools: bool = False
    openai_parallel_tool_calls: bool = True
    openai_timeout_s: float = 60.0
    openai_max_retries: int = 2

    log_level: str = "WARNING"

    @field_validator(
        "telegram_token",
        "telegram_webhook_secret",
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
        "openai_api_key",
    )
    @classmethod
    def _reject_placeholders(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if not raw.strip():
            return None
        if _is_placeholder(raw):
            raise ValueError(
                "looks like a placeholder, not a real secret; set the real value or unset it"
            )
        return value

    @field_validator("now", mode="before")
    @classmethod
    def _empty_now_is_live(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("now")
    @classmethod
    def _naive_now_is_brokerage_local(cls, value: datetime | None) -> datetime | None:
        # A bare "2026-03-10T09:00" means the brokerage's wall clock, as a broker would read it.
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=ZoneInfo(DEFAULT_TIMEZONE))
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (KeyError, ValueError) as error:
            raise ValueError(f"{value!r} is not an IANA time zone such as Asia/Nicosia") from error
        return value

    @property
    def resolved_database_url(self) -> str:
        """The store's URL: `COPILOT_DATABASE_URL`, or an SQLite file under the var directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'copilot.sqlite').as_posix()}"


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; overrides are for tests and the CLI's flags."""
    return Settings(**overrides)  # type: ignore[arg-type]
