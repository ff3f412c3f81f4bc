"""A real PostgreSQL for the tests marked `postgres`: one fresh database per session, dropped after.

The server comes from COPILOT_TEST_POSTGRES_URL or from var/test-postgres.url, which
scripts/ensure_postgres.sh writes (`make test` runs it first). With neither reachable the tests
skip, saying why. Use the fixtures by importing them: `from tests.pg import pg_url, pg_empty_url`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

URL_FILE = Path(__file__).resolve().parents[1] / "var" / "test-postgres.url"
HOW_TO_GET_ONE = "run scripts/ensure_postgres.sh or set COPILOT_TEST_POSTGRES_URL"


def configured_server_url() -> str | None:
    """The server URL the environment or ensure_postgres.sh gave, if any."""
    url = os.environ.get("COPILOT_TEST_POSTGRES_URL", "").strip()
    if not url and URL_FILE.is_file():
        url = URL_FILE.read_text(encoding="utf-8").strip()
    return url or None


def _libpq(url: str) -> str:
    """psycopg takes the plain form; SQLAlchemy URLs may name a driver."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, database: str) -> str:
    parsed = make_url(url).set(database=database)
    return parsed.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The URL of a new, empty database on the test server (SQLAlchemy/psycopg form)."""
    server = configured_server_url()
    if server is None:
        pytest.skip(f"no PostgreSQL server configured: {HOW_TO_GET_ONE}")
    safe = make_url(server).render_as_string(hide_password=True)
    try:
        admin = psycopg.connect(_libpq(server), autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        pytest.skip(f"PostgreSQL at {safe} cannot be reached ({error}): {HOW_TO_GET_ONE}")
    name = f"copilot_test_{os.getpid()}_{secrets.token_hex(3)}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield with_database(server, name)
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def pg_empty_url(pg_url: str) -> str:
    """The session's database with its schema emptied, so each test starts from nothing."""
    with psycopg.connect(_libpq(pg_url), autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")
    return pg_url
