"""Shared fixtures: a fresh migrated SQLite store per test, a clock frozen on a Tuesday."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from crm_store.clock import FrozenClock
from crm_store.context import SYSTEM, Actor, Ctx
from crm_store.db import make_engine, make_session_factory
from crm_store.migrate import upgrade

NICOSIA = ZoneInfo("Asia/Nicosia")
# Tuesday 10 March 2026, 09:00 in Limassol: the day most tests are set on.
TUESDAY_9AM = datetime(2026, 3, 10, 9, 0, tzinfo=NICOSIA)


@pytest.fixture(scope="session")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once per session; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "store.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def store_url(template_store: Path, tmp_path: Path) -> str:
    target = tmp_path / "store.sqlite"
    shutil.copy(template_store, target)
    return f"sqlite:///{target}"


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(TUESDAY_9AM)


@pytest.fixture
def ctx(session_factory: sessionmaker[Session], clock: FrozenClock) -> Iterator[Ctx]:
    """A session acting as the system; tests switch `ctx.actor` to act as a broker."""
    session = session_factory()
    try:
        yield Ctx(session=session, actor=SYSTEM, clock=clock)
    finally:
        session.rollback()
        session.close()


def as_broker(ctx: Ctx, broker: object, *, message: str | None = None) -> Ctx:
    """The same unit of work, acting as `broker` (a Broker row)."""
    actor = Actor(
        broker_id=broker.id,  # type: ignore[attr-defined]
        name=broker.name,  # type: ignore[attr-defined]
        role=broker.role,  # type: ignore[attr-defined]
        team=broker.team,  # type: ignore[attr-defined]
        timezone=broker.timezone,  # type: ignore[attr-defined]
        language=broker.language,  # type: ignore[attr-defined]
        channel="test",
        message=message,
    )
    return Ctx(session=ctx.session, actor=actor, clock=ctx.clock)
