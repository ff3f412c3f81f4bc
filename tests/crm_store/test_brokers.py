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
    deactivate_broker,
    ensure_active,
    link_identity,
    resolve_broker,
    revoke_access,
    unlink_identity,
)
from crm_store.services.tokens import broker_for_token, issue_token
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


def test_resolve_broker_finds_a_deactivated_broker_only_when_asked(ctx: Ctx) -> None:
    gone = make_broker(ctx, name="Gone Broker")
    _retired(ctx, gone)
    with pytest.raises(NotFound):
        resolve_broker(ctx.session, "Gone Broker")
    assert resolve_broker(ctx.session, "Gone Broker", include_inactive=True) == gone
    assert resolve_broker(ctx.session, gone.id) == gone  # an id always finds its broker
    with pytest.raises(Forbidden) as error:
        ensure_active(gone, doing="nobody can chat as them", doing_ru="нельзя")
    assert f"Gone Broker ({gone.id}) is deactivated, so nobody can chat as them" in error.value.en


def test_revoke_access_ends_tokens_and_chat_links_and_is_audited(ctx: Ctx) -> None:
    anna = make_broker(ctx, name="Anna Georgiou", telegram_user_id=111, slack_user_id="U111")
    boris = make_broker(ctx, name="Boris Ivanov")
    tokens = [issue_token(ctx, broker=anna), issue_token(ctx, broker=anna)]
    kept = issue_token(ctx, broker=boris)
    revoked = revoke_access(ctx, broker_id=anna.id)
    assert revoked.api_tokens == 2
    assert revoked.chat_links == ("Telegram user 111", "Slack user U111")
    assert all(broker_for_token(ctx.session, token) is None for token in tokens)
    assert broker_for_token(ctx.session, kept) == boris
    assert (
        broker_by_telegram(ctx.session, 111) is None
        and broker_by_slack(ctx.session, "U111") is None
    )
    assert anna.active  # revoking is not leaving
    actions = ctx.session.execute(
        select(AuditEntry.action).where(AuditEntry.entity_id == anna.id).order_by(AuditEntry.id)
    )
    assert list(actions.scalars()) == [
        "issue_token",
        "issue_token",
        "revoke_tokens",
        "unlink_identity",
    ]


def test_deactivate_marks_inactive_and_revokes(ctx: Ctx) -> None:
    anna = make_broker(ctx, name="Anna Georgiou", telegram_user_id=111)
    token = issue_token(ctx, broker=anna)
    done = deactivate_broker(ctx, broker_id=anna.id)
    assert done.was_active and not anna.active
    assert done.revoked.api_tokens == 1 and done.revoked.chat_links == ("Telegram user 111",)
    assert broker_for_token(ctx.session, token) is None
    entry = ctx.session.execute(
        select(AuditEntry).where(AuditEntry.action == "deactivate_broker")
    ).scalar_one()
    assert entry.entity_id == anna.id and entry.changes == {"active": [True, False]}
    assert not deactivate_broker(ctx, broker_id=anna.id).was_active


def test_only_an_admin_deactivates_or_revokes(ctx: Ctx) -> None:
    manager = make_broker(ctx, name="Maria Manager", role="manager")
    anna = make_broker(ctx, name="Anna Georgiou")
    token = issue_token(ctx, broker=anna)
    for action in (deactivate_broker, revoke_access):
        with pytest.raises(Forbidden):
            action(as_broker(ctx, manager), broker_id=anna.id)
        with pytest.raises(NotFound):
            action(ctx, broker_id="b-999")
    assert anna.active and broker_for_token(ctx.session, token) == anna
