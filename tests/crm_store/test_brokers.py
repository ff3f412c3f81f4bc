"""Brokers: found by id, name (either script) or chat identity; registered only by an admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_store.context import Actor, Ctx
from crm_store.errors import Ambiguous, Forbidden, InvalidInput, NotFound
from crm_store.models import AuditEntry, Broker
from crm_store.services.brokers import (
    actor_for,
    add_broker,
    broker_by_slack,
    broker_by_telegram,
    link_identity,
    resolve_broker,
    unlink_identity,
)
from tests.conftest import as_broker
from tests.factories import make_broker


def _retired(ctx: Ctx, broker: Broker) -> None:
    broker.active = False
    ctx.session.flush()


def test_add_broker_validates_and_audits(ctx: Ctx) -> None:
    broker = add_broker(ctx, name="  Anna  Georgiou ", role="manager", language="ru")
    assert broker.id.startswith("b-")
    assert (broker.name, broker.role, broker.team) == ("Anna Georgiou", "manager", "main")
    assert (broker.timezone, broker.language, broker.active) == ("Asia/Nicosia", "ru", True)
    actions = ctx.session.execute(
        select(AuditEntry.action).where(AuditEntry.entity_id == broker.id)
    )
    assert list(actions.scalars()) == ["create"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"role": "boss"}, "role"),
        ({"timezone": "Cyprus/Limassol"}, "timezone"),
        ({"timezone": "../etc"}, "timezone"),
        ({"language": "de"}, "language"),
        ({"name": "  "}, "name"),
    ],
)
def test_add_broker_rejects_bad_values(ctx: Ctx, kwargs: dict[str, str], field: str) -> None:
    args = {"name": "Boris Ivanov", **kwargs}
    with pytest.raises(InvalidInput) as error:
        add_broker(ctx, **args)
    assert error.value.data["field"] == field


def test_add_broker_refuses_a_second_broker_with_the_same_name(ctx: Ctx) -> None:
    first = add_broker(ctx, name="Anna Georgiou")
    with pytest.raises(InvalidInput) as error:
        add_broker(ctx, name="Анна Георгиу")
    assert first.id in error.value.en


def test_only_an_admin_adds_brokers(ctx: Ctx) -> None:
    manager = make_broker(ctx, name="Maria Manager", role="manager")
    with pytest.raises(Forbidden):
        add_broker(as_broker(ctx, manager), name="Boris Ivanov")
    admin = make_broker(ctx, name="Adam Admin", role="admin")
    assert add_broker(as_broker(ctx, admin), name="Boris Ivanov").name == "Boris Ivanov"


def test_resolve_broker_by_id_and_name_in_either_script(ctx: Ctx) -> None:
    anna = make_broker(ctx, name="Anna Georgiou")
    boris = make_broker(ctx, name="Борис Иванов")
    assert resolve_broker(ctx.session, anna.id) == anna
    assert resolve_broker(ctx.session, "anna georgiou") == anna
    assert resolve_broker(ctx.session, "Анна Георгиу") == anna
    assert resolve_broker(ctx.session, "Anna") == anna
    assert resolve_broker(ctx.session, "Boris Ivanov") == boris
    assert resolve_broker(ctx.session, "Борису Иванову") == boris


def test_resolve_broker_not_found_lists_known_brokers(ctx: Ctx) -> None:
    anna = make_broker(ctx, name="Anna Georgiou")
    _retired(ctx, make_broker(ctx, name="Gone Broker"))
    with pytest.raises(NotFound) as error:
        resolve_broker(ctx.session, "Zoe Pappas")
    assert f"Anna Georgiou ({anna.id})" in error.value.en
    assert "Gone Broker" not in error.value.en


def test_resolve_broker_ambiguous(ctx: Ctx) -> None:
    one = make_broker(ctx, name="Anna Georgiou")
    two = make_broker(ctx, name="Anna Ioannou")
    with pytest.raises(Ambiguous) as error:
        resolve_broker(ctx.session, "Anna")
    assert {cid for cid, _ in error.value.candidates} == {one.id, two.id}


def test_actor_for_carries_the_brokers_settings(ctx: Ctx) -> None:
    broker = make_broker(
        ctx,
        name="Olga Smirnova",
        role="manager",
        team="north",
        timezone="Europe/Moscow",
        language="ru",
    )
    actor = actor_for(broker, channel="telegram", message="m-1")
    assert actor == Actor(
        broker_id=broker.id,
        name="Olga Smirnova",
        role="manager",
        team="north",
        timezone="Europe/Moscow",
        language="ru",
        channel="telegram",
        message="m-1",
    )


def test_link_and_find_by_chat_identity(ctx: Ctx) -> None:
    anna = make_broker(ctx, name="Anna Georgiou")
    assert broker_by_telegram(ctx.session, 111) is None
    link_identity(ctx, broker_id=anna.id, telegram_user_id=111, slack_user_id="U111")
    assert broker_by_telegram(ctx.session, 111) == anna
    assert broker_by_slack(ctx.session, "U111") == anna
    assert broker_by_slack(ctx.session, "U999") is None
    entry = ctx.session.execute(
        select(AuditEntry).where(AuditEntry.action == "link_identity")
    ).scalar_one()
    assert entry.changes == {"telegram_user_id": [None, 111], "slack_user_id": [None, "U111"]}


def test_identity_of_another_broker_is_refused(ctx: Ctx) -> None:
    anna = make_broker(ctx, name="Anna Georgiou", telegram_user_id=111)
    boris = make_broker(ctx, name="Boris Ivanov")
    with pytest.raises(InvalidInput) as error:
        link_identity(ctx, broker_id=boris.id, telegram_user_id=111)
    assert f"Anna Georgiou ({anna.id})" in error.value.en
    assert boris.telegram_user_id is None
    # Relinking the same account to the same broker is harmless.
    assert link_identity(ctx, broker_id=anna.id, telegram_user_id=111) == anna
    unlink_identity(ctx, broker_id=anna.id, telegram=True)
    assert link_identity(ctx, broker_id=boris.id, telegram_user_id=111).telegram_user_id == 111


def test_link_identity_needs_a_known_broker_and_an_identity(ctx: Ctx) -> None:
    anna = make_broker(ctx, name="Anna Georgiou")
    with pytest.raises(NotFound):
        link_identity(ctx, broker_id="b-999", telegram_user_id=1)
    with pytest.raises(InvalidInput):
        link_identity(ctx, broker_id=anna.id)
    with pytest.raises(Forbidden):
        link_identity(as_broker(ctx, anna), broker_id=anna.id, telegram_user_id=1)


def test_inactive_broker_gets_nothing_through_chat(ctx: Ctx) -> None:
    _retired(ctx, make_broker(ctx, name="Gone Broker", telegram_user_id=222, slack_user_id="U2"))
    assert broker_by_telegram(ctx.session, 222) is None
    assert broker_by_slack(ctx.session, "U2") is None
