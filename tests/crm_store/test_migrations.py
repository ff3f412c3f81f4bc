"""Migrations reach a schema equal to the models, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from crm_store.clock import FrozenClock
from crm_store.context import SYSTEM, Ctx
from crm_store.db import make_engine, make_session_factory, unit_of_work
from crm_store.migrate import alembic_config, current_revision, head_revision, upgrade
from crm_store.models import Base
from crm_store.transfer import dump_canonical, export_store, import_store
from tests.crm_store.test_transfer import build_brokerage
from tests.pg import pg_empty_url, pg_url  # noqa: F401  (fixtures)

STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=STORES)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A store with no schema at all, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def schema_drift(engine: Engine) -> list[Any]:
    """What autogenerate would still write: empty when the database matches the models."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _alembic(engine: Engine, verb: str, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, revision)


def test_upgrade_reaches_head_and_matches_the_models(empty_engine):
    assert current_revision(empty_engine) is None
    assert upgrade(empty_engine) == head_revision()
    assert schema_drift(empty_engine) == []
    tables = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_upgrading_twice_changes_nothing(empty_engine, clock):
    upgrade(empty_engine)
    factory = make_session_factory(empty_engine)
    with unit_of_work(factory) as session:
        build_brokerage(Ctx(session=session, actor=SYSTEM, clock=clock))
    with factory() as session:
        before = dump_canonical(export_store(session))
    assert upgrade(empty_engine) == head_revision()
    assert schema_drift(empty_engine) == []
    with factory() as session:
        assert dump_canonical(export_store(session)) == before


def test_every_revision_applies_in_order_from_an_empty_store(empty_engine):
    """A store left at any older revision can be brought forward one step at a time."""
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]
    assert revisions[-1] == head_revision()
    for revision in revisions:
        _alembic(empty_engine, "upgrade", revision)
        assert current_revision(empty_engine) == revision
    assert schema_drift(empty_engine) == []


def test_downgrade_to_base_then_upgrade_again(empty_engine):
    upgrade(empty_engine)
    _alembic(empty_engine, "downgrade", "base")
    assert current_revision(empty_engine) is None
    assert not set(Base.metadata.tables) & set(inspect(empty_engine).get_table_names())
    assert upgrade(empty_engine) == head_revision()
    assert schema_drift(empty_engine) == []


@pytest.mark.postgres
def test_round_trip_through_postgres_keeps_every_byte(ctx, pg_empty_url, clock):  # noqa: F811
    """Decimal, aware datetimes, JSON and Cyrillic survive PostgreSQL exactly as on SQLite."""
    build_brokerage(ctx)
    text = dump_canonical(export_store(ctx.session))
    engine = make_engine(pg_empty_url)
    try:
        upgrade(engine)
        factory = make_session_factory(engine)
        with unit_of_work(factory) as session:
            import_store(_ctx(session, clock), json.loads(text))
        with factory() as session:
            assert dump_canonical(export_store(session)) == text
    finally:
        engine.dispose()


def _ctx(session: Session, clock: FrozenClock) -> Ctx:
    return Ctx(session=session, actor=SYSTEM, clock=clock)


def test_drift_check_notices_a_missing_index(empty_engine):
    """Guards the checks above: a schema that differs from the models is reported."""
    upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_listings_owner_stage")
    assert any("ix_listings_owner_stage" in str(diff) for diff in schema_drift(empty_engine))


def test_the_cheap_head_constant_matches_the_migration_scripts():
    from crm_store.migrate import HEAD_REVISION, head_revision

    assert head_revision() == HEAD_REVISION


def test_an_uninitialised_store_has_no_revision(tmp_path):
    from crm_store.db import make_engine
    from crm_store.migrate import current_revision

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert current_revision(engine) is None
    engine.dispose()
