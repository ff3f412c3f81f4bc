"""Shared pieces of the eval tests: the tiny fixture's path and its export."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crm_store.clock import FrozenClock
from crm_store.context import SYSTEM, Ctx
from crm_store.db import make_engine, make_session_factory, unit_of_work
from crm_store.migrate import upgrade
from crm_store.transfer import export_store, import_store, read_canonical

DATA = Path(__file__).parent / "data"
TINY = DATA / "brokerage_tiny.json"


@pytest.fixture(scope="session")
def _tiny_export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    path = tmp_path_factory.mktemp("tiny") / "store.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    factory = make_session_factory(engine)
    clock = FrozenClock(datetime(2026, 3, 10, 7, 0, tzinfo=UTC))
    with unit_of_work(factory) as session:
        import_store(Ctx(session=session, actor=SYSTEM, clock=clock), read_canonical(TINY))
    with unit_of_work(factory) as session:
        exported = export_store(session)
    engine.dispose()
    return exported


@pytest.fixture
def tiny_export(_tiny_export: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The export of brokerage_tiny.json; each test gets its own copy to change."""
    return copy.deepcopy(_tiny_export)
