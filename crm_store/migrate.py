"""Create or upgrade the store's schema with Alembic (what `copilot init` runs)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest revision, so a one-shot command can check the store without loading Alembic
# (~0.15 s); tests/crm_store/test_migrations keeps it equal to the migration scripts' head.
HEAD_REVISION = "0002"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> str:
    """Bring the schema to the newest revision; returns the revision now in place."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return current_revision(engine) or ""


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision, or None for a store that was never initialised."""
    try:
        with engine.connect() as connection:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except DBAPIError:
        return None
    return str(row[0]) if row else None


def head_revision() -> str:
    """The newest revision among the migration scripts (loads Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head
