"""Proposals (SPEC §2, §9): stored before the question, accepted at most once, expiring."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm_store.clock import FrozenClock
from crm_store.errors import AlreadyExists
from crm_store.services import followups, proposals
from crm_store.services.proposals import ProposalClosed
from tests.conftest import as_broker
from tests.factories import make_broker, make_contact, make_follow_up

CALLS = [{"name": "schedule_follow_up", "args": {"contact": "c-1", "due_at": "2026-03-12T10:00"}}]


@pytest.fixture
def anna(ctx):
    broker = make_broker(ctx, name="Anna Georgiou")
    ctx.session.commit()
    return as_broker(ctx, broker)


def test_a_proposal_is_accepted_once_and_then_refused_with_a_word(anna):
    made = proposals.propose(anna, calls=CALLS, readback="Schedule it?")
    assert made.status == "pending" and made.thread == f"{made.broker}:test"
    assert proposals.latest(anna, thread=made.thread).id == made.id
    assert proposals.claim(anna, made.id).status == "accepted"
    with pytest.raises(ProposalClosed) as second:
        proposals.claim(anna, made.id)
    assert "already accepted" in second.value.en
    assert proposals.latest(anna, thread=made.thread) is None


def test_an_expired_proposal_cannot_be_accepted(anna):
    made = proposals.propose(anna, calls=CALLS, readback="Schedule it?")
    later = FrozenClock(anna.clock.now() + proposals.LIFETIME + timedelta(minutes=1))
    anna.clock = later
    with pytest.raises(ProposalClosed) as refused:
        proposals.claim(anna, made.id)
    assert "expired" in refused.value.en and made.status == "expired"


def test_declined_is_final_and_another_broker_cannot_touch_it(anna, ctx):
    made = proposals.propose(anna, calls=CALLS, readback="Schedule it?")
    other = as_broker(ctx, make_broker(ctx, name="Dmitry Volkov"))
    with pytest.raises(Exception, match="no proposal"):
        proposals.claim(other, made.id)
    assert proposals.decline(anna, made.id).status == "declined"
    with pytest.raises(ProposalClosed):
        proposals.claim(anna, made.id)


def test_the_same_follow_up_asked_again_is_not_made_twice(anna, ctx):
    broker_id = anna.actor.broker_id
    from crm_store.models import Broker

    owner = ctx.session.get(Broker, broker_id)
    client = make_contact(ctx, owner=owner, full_name="Daniel Cohen")
    due = anna.clock.now() + timedelta(days=1)
    existing = make_follow_up(ctx, owner=owner, contact=client, due_at=due, channel="call")
    with pytest.raises(AlreadyExists) as repeated:
        followups.schedule_follow_up(anna, contact_id=client.id, due_at=due, channel="call")
    assert existing.id in repeated.value.en
    # Another channel at the same time is another follow-up.
    assert followups.schedule_follow_up(anna, contact_id=client.id, due_at=due, channel="email")


def test_proposals_of_one_message_merge_into_one_question(anna):
    """Made at the same instant (a frozen clock), the newer is still told apart by its id."""
    made = [
        proposals.propose(anna, calls=[{"name": name, "args": {}}], readback=name)
        for name in ("first", "second", "third")
    ]
    thread = made[0].thread
    assert [p.readback for p in proposals.pending(anna, thread=thread)] == [
        "third",
        "second",
        "first",
    ]
    kept = proposals.merge(anna, [p.id for p in made])
    assert kept.id == made[0].id and kept.readback == "first\nsecond\nthird"
    assert [c["name"] for c in kept.calls] == ["first", "second", "third"]
    assert [p.id for p in proposals.pending(anna, thread=thread)] == [kept.id]


def test_a_decided_proposal_is_never_merged(anna):
    first = proposals.propose(anna, calls=CALLS, readback="first")
    second = proposals.propose(anna, calls=CALLS, readback="second")
    proposals.claim(anna, second.id)
    with pytest.raises(ProposalClosed):
        proposals.merge(anna, [first.id, second.id])
