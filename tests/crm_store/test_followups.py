"""Follow-ups (SPEC §4): none in the past, none missed unnoticed, no open deal left without one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from crm_store.context import SYSTEM, Ctx
from crm_store.errors import Forbidden, InvalidInput
from crm_store.models import AuditEntry, FollowUp
from crm_store.services.followups import (
    cancel_follow_up,
    complete_follow_up,
    gaps,
    is_missed,
    missed_follow_ups,
    propose_next_follow_up,
    reschedule_follow_up,
    schedule_follow_up,
    temperature,
)
from tests.conftest import as_broker
from tests.factories import (
    make_broker,
    make_buyer_request,
    make_contact,
    make_follow_up,
    make_listing,
)

NICOSIA = ZoneInfo("Asia/Nicosia")
LONDON = ZoneInfo("Europe/London")


def local(day: int, hour: int, minute: int = 0, *, month: int = 3, tz: ZoneInfo = NICOSIA):
    """2026 (March: 10th Tuesday, 14th Saturday, 15th Sunday)."""
    return datetime(2026, month, day, hour, minute, tzinfo=tz)


@pytest.fixture
def anna(ctx):
    return make_broker(ctx, name="Anna Georgiou")


@pytest.fixture
def boris(ctx):
    return make_broker(ctx, name="Boris Ivanov")


@pytest.fixture
def actx(ctx, anna):
    return as_broker(ctx, anna)


@pytest.fixture
def ivan(ctx, anna):
    return make_contact(ctx, owner=anna, full_name="Ivan Petrov")


def _count_follow_ups(ctx) -> int:
    return ctx.session.execute(select(func.count()).select_from(FollowUp)).scalar_one()


# --- scheduling and closing -----------------------------------------------------------------


def test_schedule_a_follow_up_on_a_deal(actx, anna, ivan):
    listing = make_listing(actx, owner=anna, seller=ivan)
    due = local(12, 11)
    follow_up = schedule_follow_up(
        actx, contact_id=ivan.id, due_at=due, channel="Meeting", purpose="sign", deal_id=listing.id
    )
    assert (follow_up.owner, follow_up.contact, follow_up.listing_id) == (
        anna.id,
        ivan.id,
        listing.id,
    )
    assert follow_up.due_at == due and follow_up.channel == "meeting"
    assert follow_up.status == "open" and follow_up.purpose == "sign"
    [entry] = actx.session.execute(
        select(AuditEntry).where(AuditEntry.entity_id == follow_up.id)
    ).scalars()
    assert entry.broker == anna.id


def test_a_due_time_in_the_past_is_refused_with_a_future_suggestion(actx, ivan):
    with pytest.raises(InvalidInput) as raised:
        schedule_follow_up(actx, contact_id=ivan.id, due_at=local(10, 8, 30))
    assert "in the past" in raised.value.en
    assert "Tue 10 Mar 10:00" in raised.value.en  # the next round hour in working time
    assert "прошло" in raised.value.ru
    assert _count_follow_ups(actx) == 0


def test_a_naive_due_time_is_the_brokers_local_time(ctx):
    london = make_broker(ctx, name="Liam Walsh", timezone="Europe/London")
    client = make_contact(ctx, owner=london, full_name="Emma Stone")
    follow_up = schedule_follow_up(
        as_broker(ctx, london), contact_id=client.id, due_at=datetime(2026, 3, 11, 11, 0)
    )
    assert follow_up.due_at == datetime(2026, 3, 11, 11, 0, tzinfo=UTC)  # London is UTC in March


def test_an_unknown_channel_is_refused(actx, ivan):
    with pytest.raises(InvalidInput, match="call, message, email, meeting"):
        schedule_follow_up(actx, contact_id=ivan.id, due_at=local(12, 11), channel="pigeon")


def test_another_brokers_contact_or_deal_is_refused(actx, ctx, boris, ivan):
    theirs = make_contact(ctx, owner=boris, full_name="Olga Smirnova")
    their_deal = make_buyer_request(ctx, owner=boris, buyer=theirs)
    with pytest.raises(Forbidden):
        schedule_follow_up(actx, contact_id=theirs.id, due_at=local(12, 11))
    with pytest.raises(Forbidden):
        schedule_follow_up(actx, contact_id=ivan.id, due_at=local(12, 11), deal_id=their_deal.id)
    assert _count_follow_ups(actx) == 0


def test_a_managers_follow_up_belongs_to_the_clients_broker(ctx, anna, ivan):
    manager = make_broker(ctx, name="Maria Manager", role="manager")
    follow_up = schedule_follow_up(
        as_broker(ctx, manager), contact_id=ivan.id, due_at=local(12, 11)
    )
    assert follow_up.owner == anna.id


def test_complete_cancel_and_reschedule(actx, anna, ivan):
    done = make_follow_up(actx, owner=anna, contact=ivan, due_at=local(10, 8))
    complete_follow_up(actx, follow_up_id=done.id, outcome="  agreed to a viewing ")
    assert (done.status, done.completed_at, done.outcome) == (
        "done",
        actx.now(),
        "agreed to a viewing",
    )
    cancelled = make_follow_up(actx, owner=anna, contact=ivan, due_at=local(11, 12))
    cancel_follow_up(actx, follow_up_id=cancelled.id, reason="client travelling")
    assert (cancelled.status, cancelled.outcome) == ("cancelled", "client travelling")
    moved = make_follow_up(actx, owner=anna, contact=ivan, due_at=local(9, 12))  # missed
    old_due = moved.due_at
    reschedule_follow_up(actx, follow_up_id=moved.id, due_at=local(13, 15))
    assert moved.due_at == local(13, 15) and moved.status == "open"
    entry = actx.session.execute(
        select(AuditEntry).where(AuditEntry.entity_id == moved.id)
    ).scalar_one()
    assert entry.action == "reschedule"
    assert entry.changes["due_at"] == [old_due.isoformat(), local(13, 15).isoformat()]


@pytest.mark.parametrize("status", ["done", "cancelled"])
@pytest.mark.parametrize("action", ["complete", "cancel", "reschedule"])
def test_a_closed_follow_up_cannot_be_closed_or_moved_again(actx, anna, ivan, status, action):
    follow_up = make_follow_up(actx, owner=anna, contact=ivan, due_at=local(11, 12), status=status)
    with pytest.raises(InvalidInput, match="already done" if status == "done" else "is cancelled"):
        if action == "complete":
            complete_follow_up(actx, follow_up_id=follow_up.id)
        elif action == "cancel":
            cancel_follow_up(actx, follow_up_id=follow_up.id)
        else:
            reschedule_follow_up(actx, follow_up_id=follow_up.id, due_at=local(20, 12))
    assert follow_up.status == status and follow_up.due_at == local(11, 12)


def test_rescheduling_into_the_past_is_refused(actx, anna, ivan):
    follow_up = make_follow_up(actx, owner=anna, contact=ivan, due_at=local(11, 12))
    with pytest.raises(InvalidInput, match="in the past"):
        reschedule_follow_up(actx, follow_up_id=follow_up.id, due_at=local(9, 12))
    assert follow_up.due_at == local(11, 12)


def test_another_brokers_follow_up_cannot_be_touched(actx, ctx, boris):
    theirs = make_contact(ctx, owner=boris, full_name="Olga Smirnova")
    follow_up = make_follow_up(ctx, owner=boris, contact=theirs, due_at=local(11, 12))
    with pytest.raises(Forbidden):
        complete_follow_up(actx, follow_up_id=follow_up.id)
    assert follow_up.status == "open"


# --- missed and gaps ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "missed"),
    [
        ("open", local(10, 8, 59), True),
        ("open", local(10, 9, 0), False),  # due exactly now: not yet missed
        ("open", local(11, 9), False),
        ("done", local(9, 9), False),
        ("cancelled", local(9, 9), False),
    ],
)
def test_is_missed(ctx, anna, ivan, status, due, missed):
    follow_up = make_follow_up(ctx, owner=anna, contact=ivan, due_at=due, status=status)
    assert is_missed(follow_up, ctx.now()) is missed


def test_missed_follow_ups_are_the_owners_overdue_open_ones_oldest_first(
    ctx, actx, anna, boris, ivan
):
    older = make_follow_up(ctx, owner=anna, contact=ivan, due_at=local(8, 10))
    newer = make_follow_up(ctx, owner=anna, contact=ivan, due_at=local(9, 10))
    make_follow_up(ctx, owner=anna, contact=ivan, due_at=local(7, 10), status="done")
    make_follow_up(ctx, owner=anna, contact=ivan, due_at=local(7, 10), status="cancelled")
    make_follow_up(ctx, owner=anna, contact=ivan, due_at=local(11, 10))
    olga = make_contact(ctx, owner=boris, full_name="Olga Smirnova")
    theirs = make_follow_up(ctx, owner=boris, contact=olga, due_at=local(6, 10))
    assert missed_follow_ups(actx) == [older, newer]
    manager = as_broker(ctx, make_broker(ctx, name="Maria Manager", role="manager"))
    assert missed_follow_ups(manager) == [theirs, older, newer]
    assert missed_follow_ups(manager, owner_ids=[boris.id]) == [theirs]
    with pytest.raises(Forbidden):
        missed_follow_ups(actx, owner_ids=[boris.id])


def test_gaps_are_open_deals_without_a_future_open_follow_up(ctx, actx, anna, boris, ivan):
    maria = make_contact(ctx, owner=anna, full_name="Maria Kyriakou")
    overdue_only = make_listing(ctx, owner=anna, seller=ivan, price=Decimal("900000"))
    make_follow_up(ctx, owner=anna, contact=ivan, deal=overdue_only, due_at=local(9, 10))
    covered = make_listing(ctx, owner=anna, seller=ivan)
    make_follow_up(ctx, owner=anna, contact=ivan, deal=covered, due_at=local(12, 10))
    due_now = make_listing(ctx, owner=anna, seller=ivan)
    make_follow_up(ctx, owner=anna, contact=ivan, deal=due_now, due_at=local(10, 9))
    only_done = make_listing(ctx, owner=anna, seller=ivan, price=Decimal("300000"))
    make_follow_up(
        ctx, owner=anna, contact=ivan, deal=only_done, due_at=local(12, 10), status="done"
    )
    only_cancelled = make_listing(ctx, owner=anna, seller=ivan, price=Decimal("200000"))
    make_follow_up(
        ctx, owner=anna, contact=ivan, deal=only_cancelled, due_at=local(12, 10), status="cancelled"
    )
    # A follow-up with the client that names no deal covers the client's deals...
    by_client = make_buyer_request(ctx, owner=anna, buyer=maria, budget_max=Decimal("1"))
    make_follow_up(ctx, owner=anna, contact=maria, due_at=local(13, 10))
    # ...but one about another of the client's deals does not.
    other_deal = make_buyer_request(ctx, owner=anna, buyer=ivan, budget_max=Decimal("500000"))
    make_follow_up(ctx, owner=anna, contact=ivan, deal=covered, due_at=local(13, 10))
    make_listing(ctx, owner=anna, seller=ivan, stage="withdrawn")
    make_buyer_request(ctx, owner=anna, buyer=ivan, stage="closed_won")
    make_buyer_request(ctx, owner=anna, buyer=ivan, stage="closed_lost")
    theirs = make_listing(ctx, owner=boris)

    found = gaps(actx)
    assert found == [overdue_only, other_deal, only_done, only_cancelled]  # most valuable first
    assert by_client not in found and covered not in found and due_now not in found
    assert theirs in gaps(Ctx(session=ctx.session, actor=SYSTEM, clock=ctx.clock))


# --- temperature ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("side", "stage", "extra", "probability", "expected"),
    [
        ("seller", "prospect", {}, None, "cold"),
        ("seller", "contacted", {}, None, "warm"),
        ("seller", "agreement_signed", {}, None, "warm"),
        ("seller", "active_listing", {}, None, "hot"),
        ("seller", "sold", {}, None, "hot"),
        ("seller", "commission_payment", {}, None, "hot"),
        ("seller", "closed_won", {}, None, "cold"),
        ("seller", "withdrawn", {}, None, "cold"),
        ("buyer", "qualification", {}, None, "cold"),
        ("buyer", "demand_research", {}, None, "warm"),
        ("buyer", "viewing", {}, None, "warm"),
        ("buyer", "decision", {}, None, "hot"),
        ("buyer", "signing", {}, None, "hot"),
        ("buyer", "payment", {}, None, "hot"),
        ("buyer", "closed_lost", {}, None, "cold"),
        ("buyer", "viewing", {"timeline_months": 18}, None, "nurturing"),
        ("buyer", "viewing", {"timeline_months": 18}, 0.9, "nurturing"),
        ("buyer", "decision", {"timeline_months": 18}, None, "hot"),  # deciding beats the pool
        ("seller", "contacted", {}, 0.5, "hot"),
        ("seller", "prospect", {}, 0.3, "warm"),
        ("buyer", "viewing", {}, 0.1, "cold"),
        ("seller", "active_listing", {}, 0.1, "hot"),
    ],
)
def test_temperature(ctx, anna, ivan, side, stage, extra, probability, expected):
    if side == "seller":
        deal = make_listing(ctx, owner=anna, seller=ivan, stage=stage)
    else:
        deal = make_buyer_request(ctx, owner=anna, buyer=ivan, stage=stage, **extra)
    assert temperature(deal, probability=probability) == expected


# --- proposals ------------------------------------------------------------------------------


def _set_now(clock, when: datetime) -> None:
    clock.at = when.astimezone(UTC)


@pytest.mark.parametrize(
    ("stage", "now", "due"),
    [
        ("active_listing", local(10, 18, 30), local(11, 10)),  # hot, evening → next morning
        ("active_listing", local(10, 9, 0), local(11, 10)),
        ("active_listing", local(13, 18, 30), local(14, 10)),  # Friday → Saturday works
        ("active_listing", local(14, 12, 0), local(16, 10)),  # Saturday → Monday
        ("active_listing", local(15, 12, 0), local(16, 10)),  # Sunday → Monday
        ("contacted", local(10, 12, 0), local(13, 10)),  # warm: 3 working days
        ("contacted", local(12, 12, 0), local(16, 10)),  # Thu → Fri, Sat, (Sun), Mon
        ("prospect", local(10, 12, 0), local(24, 10)),  # cold: 14 days
        ("prospect", local(1, 12, 0), local(16, 10)),  # 14 days is a Sunday → Monday
    ],
)
def test_proposals_by_temperature_in_working_time(ctx, clock, anna, ivan, stage, now, due):
    _set_now(clock, now)
    listing = make_listing(ctx, owner=anna, seller=ivan, stage=stage)
    proposal = propose_next_follow_up(as_broker(ctx, anna), deal=listing)
    assert proposal.due_at == due
    assert proposal.due_at > ctx.now()


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (local(10, 12), local(10, 10, month=4)),
        (local(12, 12), local(13, 10, month=4)),  # 12 April is a Sunday
        (datetime(2026, 1, 31, 12, tzinfo=NICOSIA), local(28, 10, month=2)),  # short month
    ],
)
def test_the_nurturing_pool_is_monthly(ctx, clock, anna, ivan, now, due):
    _set_now(clock, now)
    request = make_buyer_request(ctx, owner=anna, buyer=ivan, stage="viewing", timeline_months=24)
    proposal = propose_next_follow_up(as_broker(ctx, anna), deal=request.id)
    assert (proposal.temperature, proposal.due_at) == ("nurturing", due)
    assert "24 months" in proposal.reason and "monthly" in proposal.reason
    assert "раз в месяц" in proposal.text("ru")


def test_a_proposal_is_never_in_the_past(ctx, anna, ivan):
    listing = make_listing(ctx, owner=anna, seller=ivan, stage="active_listing")
    long_ago = datetime(2025, 6, 1, 12, tzinfo=NICOSIA)
    proposal = propose_next_follow_up(as_broker(ctx, anna), deal=listing, after=long_ago)
    assert proposal.due_at == local(11, 10)


def test_a_proposal_counts_from_a_later_event(ctx, anna, ivan):
    listing = make_listing(ctx, owner=anna, seller=ivan, stage="active_listing")
    showing = local(13, 18, 30)  # Friday evening showing
    proposal = propose_next_follow_up(as_broker(ctx, anna), deal=listing, after=showing)
    assert proposal.due_at == local(14, 10)


def test_a_proposal_is_in_the_owning_brokers_timezone(ctx, clock, anna):
    london = make_broker(ctx, name="Liam Walsh", timezone="Europe/London")
    client = make_contact(ctx, owner=london, full_name="Emma Stone")
    theirs = make_listing(ctx, owner=london, seller=client, stage="active_listing")
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    ours = make_listing(ctx, owner=anna, seller=ivan, stage="active_listing")
    # Tuesday 22:30 in London is already Wednesday 00:30 in Limassol.
    _set_now(clock, datetime(2026, 3, 10, 22, 30, tzinfo=UTC))
    for actor in (as_broker(ctx, london), Ctx(session=ctx.session, actor=SYSTEM, clock=clock)):
        proposal = propose_next_follow_up(actor, deal=theirs)
        assert proposal.due_at == local(11, 10, tz=LONDON)
        assert proposal.due_at.utcoffset() == timedelta(0)
        assert "Wed 11 Mar 10:00" in proposal.reason
    assert propose_next_follow_up(as_broker(ctx, anna), deal=ours).due_at == local(12, 10)


def test_a_high_probability_makes_a_deal_hot(ctx, anna, ivan):
    listing = make_listing(ctx, owner=anna, seller=ivan, stage="contacted")
    proposal = propose_next_follow_up(as_broker(ctx, anna), deal=listing, probability=0.6)
    assert (proposal.temperature, proposal.due_at) == ("hot", local(11, 10))
    assert "60%" in proposal.reason


def test_a_contact_takes_its_hottest_deal_or_warm_without_one(ctx, anna, ivan):
    actx = as_broker(ctx, anna)
    assert propose_next_follow_up(actx, contact_id=ivan.id).temperature == "warm"
    make_listing(ctx, owner=anna, seller=ivan, stage="prospect")
    assert propose_next_follow_up(actx, contact_id=ivan.id).temperature == "cold"
    make_buyer_request(ctx, owner=anna, buyer=ivan, stage="decision")
    proposal = propose_next_follow_up(actx, contact_id=ivan.id)
    assert (proposal.temperature, proposal.due_at) == ("hot", local(11, 10))


def test_proposals_for_another_brokers_deal_are_refused(ctx, anna, boris):
    olga = make_contact(ctx, owner=boris, full_name="Olga Smirnova")
    theirs = make_buyer_request(ctx, owner=boris, buyer=olga)
    with pytest.raises(Forbidden):
        propose_next_follow_up(as_broker(ctx, anna), deal=theirs)
    with pytest.raises(Forbidden):
        propose_next_follow_up(as_broker(ctx, anna), contact_id=olga.id)
    with pytest.raises(InvalidInput):
        propose_next_follow_up(as_broker(ctx, anna))
