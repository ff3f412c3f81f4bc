"""SPEC §1: brokers their own, managers their team, team listings' facts, strangers nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crm_store.context import Actor, Ctx
from crm_store.errors import Forbidden
from crm_store.models import Broker
from crm_store.services import permissions
from crm_store.services.agenda import agenda
from crm_store.services.brokers import add_broker
from crm_store.services.contacts import (
    create_contact,
    find_contacts,
    get_contact,
    resolve_contact,
    update_contact,
)
from tests.conftest import as_broker
from tests.factories import make_broker, make_contact, make_listing


@pytest.fixture
def team(ctx: Ctx) -> dict[str, Broker]:
    return {
        "anna": make_broker(ctx, name="Anna Georgiou"),
        "boris": make_broker(ctx, name="Boris Ivanov"),
        "maria": make_broker(ctx, name="Maria Manager", role="manager"),
        "zoe": make_broker(ctx, name="Zoe North", team="north"),
        "nick": make_broker(ctx, name="Nick North Manager", role="manager", team="north"),
    }


def test_broker_cannot_read_or_update_another_brokers_contact(
    ctx: Ctx, team: dict[str, Broker]
) -> None:
    theirs = make_contact(ctx, owner=team["boris"], full_name="Ivan Petrov")
    anna = as_broker(ctx, team["anna"])
    assert not permissions.can_read(anna, theirs)
    with pytest.raises(Forbidden) as error:
        get_contact(anna, contact_id=theirs.id)
    assert "another broker" in error.value.en
    with pytest.raises(Forbidden):
        update_contact(anna, contact_id=theirs.id, full_name="Hacked")
    assert theirs.full_name == "Ivan Petrov"
    assert find_contacts(anna, query="Ivan Petrov") == []


def test_broker_reads_and_updates_own_contact(ctx: Ctx, team: dict[str, Broker]) -> None:
    mine = make_contact(ctx, owner=team["anna"], full_name="Ivan Petrov")
    anna = as_broker(ctx, team["anna"])
    assert permissions.can_read(anna, mine)
    assert get_contact(anna, contact_id=mine.id) == mine
    assert update_contact(anna, contact_id=mine.id, tags=["vip"]).tags == ["vip"]


def test_manager_reads_the_teams_contacts_but_not_other_teams(
    ctx: Ctx, team: dict[str, Broker]
) -> None:
    borises = make_contact(ctx, owner=team["boris"], full_name="Ivan Petrov")
    zoes = make_contact(ctx, owner=team["zoe"], full_name="Olga Smirnova")
    maria = as_broker(ctx, team["maria"])
    assert permissions.visible_owner_ids(maria) == {
        team["anna"].id,
        team["boris"].id,
        team["maria"].id,
    }
    assert get_contact(maria, contact_id=borises.id) == borises
    assert resolve_contact(maria, name="Ivan Petrov") == borises
    assert update_contact(maria, contact_id=borises.id, language="ru").language == "ru"
    with pytest.raises(Forbidden):
        get_contact(maria, contact_id=zoes.id)
    nick = as_broker(ctx, team["nick"])
    assert get_contact(nick, contact_id=zoes.id) == zoes


def test_unknown_identity_gets_forbidden_not_an_empty_answer(
    ctx: Ctx, team: dict[str, Broker]
) -> None:
    contact = make_contact(ctx, owner=team["anna"], full_name="Ivan Petrov")
    stranger = Ctx(
        session=ctx.session,
        actor=Actor(broker_id=None, name="stranger", role="broker", channel="telegram"),
        clock=ctx.clock,
    )
    with pytest.raises(Forbidden) as error:
        permissions.visible_owner_ids(stranger)
    assert "not registered" in error.value.en
    with pytest.raises(Forbidden):
        permissions.can_read(stranger, contact)
    with pytest.raises(Forbidden):
        get_contact(stranger, contact_id=contact.id)
    with pytest.raises(Forbidden):
        find_contacts(stranger, query="Ivan")
    with pytest.raises(Forbidden):
        resolve_contact(stranger, name="Ivan Petrov")


@pytest.mark.parametrize("identified", [True, False], ids=["with_broker_id", "bare"])
def test_an_actor_built_without_a_role_can_neither_read_nor_write(
    ctx: Ctx, team: dict[str, Broker], identified: bool
) -> None:
    """Safe default (issue #10 §9): forgetting the role gives no rights, never admin's."""
    anna = team["anna"]
    mine = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    actor = Actor(broker_id=anna.id, name=anna.name, team=anna.team) if identified else Actor()
    nobody = Ctx(session=ctx.session, actor=actor, clock=ctx.clock)
    with pytest.raises(Forbidden) as error:
        get_contact(nobody, contact_id=mine.id)
    assert "no role" in error.value.en
    for read in (
        lambda: permissions.visible_owner_ids(nobody),
        lambda: permissions.can_read(nobody, mine),
        lambda: find_contacts(nobody, query="Ivan"),
        lambda: resolve_contact(nobody, name="Ivan Petrov"),
        lambda: agenda(nobody),
    ):
        with pytest.raises(Forbidden):
            read()
    contacts_before = len(find_contacts(ctx, query="Ivan Petrov"))
    for write in (
        lambda: update_contact(nobody, contact_id=mine.id, full_name="Hacked"),
        lambda: create_contact(nobody, full_name="Petr Sokolov", phones=["+35799765432"]),
        lambda: add_broker(nobody, name="Mallory Intruder", role="admin"),
    ):
        with pytest.raises(Forbidden):
            write()
    assert mine.full_name == "Ivan Petrov"
    assert find_contacts(ctx, query="Petr Sokolov") == []
    assert len(find_contacts(ctx, query="Ivan Petrov")) == contacts_before
    # The same actor with its role said explicitly has its usual rights.
    named = Ctx(
        session=ctx.session,
        actor=replace(actor, role="broker" if identified else "admin"),
        clock=ctx.clock,
    )
    assert get_contact(named, contact_id=mine.id) == mine


def test_system_reads_everything(ctx: Ctx, team: dict[str, Broker]) -> None:
    contact = make_contact(ctx, owner=team["zoe"], full_name="Olga Smirnova")
    assert permissions.visible_owner_ids(ctx) is None
    assert permissions.can_read(ctx, contact)


def test_colleagues_active_listing_facts_are_visible_but_not_its_seller(
    ctx: Ctx, team: dict[str, Broker]
) -> None:
    seller = make_contact(ctx, owner=team["boris"], full_name="Petros Ioannou")
    listing = make_listing(ctx, owner=team["boris"], seller=seller, stage="active_listing")
    anna = as_broker(ctx, team["anna"])
    assert permissions.can_see_listing_facts(anna, listing)
    assert not permissions.can_read(anna, listing)  # facts only, not the whole deal
    assert not permissions.can_read(anna, seller)
    with pytest.raises(Forbidden):
        get_contact(anna, contact_id=seller.id)
    assert "seller" not in permissions.SHARED_LISTING_FIELDS
    assert "commission_pct" not in permissions.SHARED_LISTING_FIELDS


def test_colleagues_listing_before_or_after_active_is_private(
    ctx: Ctx, team: dict[str, Broker]
) -> None:
    anna = as_broker(ctx, team["anna"])
    for stage in ("prospect", "agreement_signed", "sold", "withdrawn"):
        listing = make_listing(ctx, owner=team["boris"], stage=stage)
        assert not permissions.can_see_listing_facts(anna, listing), stage


def test_other_teams_active_listing_is_not_shared(ctx: Ctx, team: dict[str, Broker]) -> None:
    listing = make_listing(ctx, owner=team["zoe"], stage="active_listing")
    assert not permissions.can_see_listing_facts(as_broker(ctx, team["anna"]), listing)
    assert permissions.can_see_listing_facts(as_broker(ctx, team["nick"]), listing)


def test_ensure_writable_refuses_another_brokers_record(ctx: Ctx, team: dict[str, Broker]) -> None:
    listing = make_listing(ctx, owner=team["boris"], stage="active_listing")
    with pytest.raises(Forbidden) as error:
        permissions.ensure_writable(as_broker(ctx, team["anna"]), listing, what="listing")
    assert "listing" in error.value.en
    permissions.ensure_writable(as_broker(ctx, team["boris"]), listing, what="listing")
    permissions.ensure_writable(as_broker(ctx, team["maria"]), listing, what="listing")


def test_history_and_team_plan_follow_their_owner(ctx):
    from crm_store.models import Plan, StageChange
    from crm_store.services.permissions import can_read
    from tests.conftest import as_broker
    from tests.factories import make_broker, make_contact, make_listing

    anna = make_broker(ctx, name="Anna Georgiou")
    dmitry = make_broker(ctx, name="Dmitry Volkov")
    listing = make_listing(ctx, owner=anna, seller=make_contact(ctx, owner=anna))
    change = StageChange(
        id="sc-1",
        listing_id=listing.id,
        from_stage=None,
        to_stage="active_listing",
        at=ctx.now(),
        by=dmitry.id,
    )
    team_plan = Plan(id="p-1", team="main", broker=None, period="2026-03")
    ctx.session.add_all([change, team_plan])
    ctx.session.flush()
    assert can_read(as_broker(ctx, anna), change)
    assert not can_read(as_broker(ctx, dmitry), change)  # moved it, but it is Anna's deal
    assert can_read(as_broker(ctx, dmitry), team_plan)
    assert can_read(as_broker(ctx, anna), anna) and not can_read(as_broker(ctx, anna), dmitry)
