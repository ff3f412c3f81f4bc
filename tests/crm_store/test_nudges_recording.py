"""Recording nudges once per dedupe key, on SQLite and PostgreSQL, also when two passes race."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crm_store.clock import FrozenClock
from crm_store.context import Ctx
from crm_store.db import make_engine, make_session_factory
from crm_store.migrate import upgrade
from crm_store.models import AuditEntry, Broker, Notification
from crm_store.repositories import nudges as repo
from crm_store.services.nudges import PlannedNudge, mark_failed, mark_sent, record_nudges
from tests.pg import pg_empty_url, pg_url  # noqa: F401  (fixtures)

NOW = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=STORES)
def engine_with_broker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated store on each backend holding one broker, b-1."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        session.add(Broker(id="b-1", name="Anna Georgiou", role="broker", team="main",
                           timezone="Asia/Nicosia", language="en", active=True))  # fmt: skip
        session.commit()
    yield engine
    engine.dispose()


def nudge(key: str, kind: str = "missed") -> PlannedNudge:
    return PlannedNudge(kind=kind, broker="b-1", dedupe_key=key, channel="terminal",
                        payload={"kind": kind, "note": key})  # fmt: skip


def ctx_of(session: Session) -> Ctx:
    return Ctx(session=session, clock=FrozenClock(NOW))


def test_each_key_is_recorded_once_and_ids_follow_each_other(engine_with_broker: Engine):
    factory = make_session_factory(engine_with_broker)
    with factory() as session:
        first = record_nudges(ctx_of(session), nudges=[nudge("missed:f-1"), nudge("missed:f-2")])
        session.commit()
    assert [nid for nid, _ in first] == ["nt-1", "nt-2"]
    with factory() as session:
        again = record_nudges(
            ctx_of(session), nudges=[nudge("missed:f-2"), nudge("missed:f-3"), nudge("missed:f-1")]
        )
        session.commit()
    assert [(nid, n.dedupe_key) for nid, n in again] == [("nt-4", "missed:f-3")]
    with factory() as session:
        stored = session.execute(select(Notification).order_by(Notification.id)).scalars().all()
        audit = session.execute(select(AuditEntry)).scalars().all()
    assert sorted(n.dedupe_key for n in stored) == ["missed:f-1", "missed:f-2", "missed:f-3"]
    assert {n.status for n in stored} == {"pending"}
    assert stored[0].payload == {"kind": "missed", "note": "missed:f-1"}
    assert [(a.action, (a.changes or {})["ids"]) for a in audit] == [
        ("record_nudges", ["nt-1", "nt-2"]),
        ("record_nudges", ["nt-4"]),
    ]


def test_two_passes_racing_for_the_same_keys_record_each_once(engine_with_broker: Engine):
    factory = make_session_factory(engine_with_broker)
    planned = [nudge("gap:r-1:2026-03-10", "gap"), nudge("gap:r-2:2026-03-10", "gap")]
    first, second = factory(), factory()
    try:
        # Both planned before either recorded: the second's insert meets the first's rows.
        assert repo.ids_of_keys(second, [n.dedupe_key for n in planned]) == {}
        won = record_nudges(ctx_of(first), nudges=planned)
        first.commit()
        lost = record_nudges(ctx_of(second), nudges=planned)
        second.commit()
    finally:
        first.close()
        second.close()
    assert len(won) == 2 and lost == []
    with factory() as session:
        assert len(session.execute(select(Notification)).scalars().all()) == 2


def test_sent_marks_only_a_pending_nudge_and_failures_count_attempts(engine_with_broker: Engine):
    factory = make_session_factory(engine_with_broker)
    with factory() as session:
        ((nid, _),) = record_nudges(ctx_of(session), nudges=[nudge("missed:f-9")])
        session.commit()
    with factory() as session:
        notification = session.get(Notification, nid)
        assert notification is not None
        assert mark_failed(ctx_of(session), notification=notification, error="boom") == "pending"
        session.commit()
    with factory() as session:
        stored = session.get(Notification, nid)
        assert stored is not None and stored.payload["delivery"]["attempts"] == 1
        assert stored.payload["note"] == "missed:f-9"  # the payload itself is kept
        assert mark_sent(ctx_of(session), notification_id=nid) is True
        session.commit()
    with factory() as session:
        assert mark_sent(ctx_of(session), notification_id=nid) is False  # already sent
        stored = session.get(Notification, nid)
        assert stored is not None and stored.status == "sent" and stored.sent_at == NOW
