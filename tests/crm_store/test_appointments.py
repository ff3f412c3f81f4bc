"""Appointments: booking rules, outcomes with per-listing feedback, permissions, proposals."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from crm_store.errors import AlreadyExists, Forbidden, InvalidInput, NotFound
from crm_store.models import Appointment, AuditEntry
from crm_store.services import appointments as svc
from tests.conftest import NICOSIA, as_broker
from tests.factories import (
    make_appointment,
    make_broker,
    make_buyer_request,
    make_contact,
    make_listing,
)

TOMORROW_11 = datetime(2026, 3, 11, 11, 0, tzinfo=NICOSIA)


@pytest.fixture
def team(ctx):
    anna = make_broker(ctx, name="Anna Georgiou")
    boris = make_broker(ctx, name="Boris Orlov")
    manager = make_broker(ctx, name="Maria Manager", role="manager")
    buyer = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    request = make_buyer_request(ctx, owner=anna, buyer=buyer, stage="demand_research")
    own = make_listing(ctx, owner=anna, address="1 Own Street")
    colleague_active = make_listing(ctx, owner=boris, address="2 Shared Road")
    colleague_draft = make_listing(ctx, owner=boris, stage="prospect", address="3 Hidden Lane")
    return {
        "anna": anna,
        "boris": boris,
        "manager": manager,
        "buyer": buyer,
        "request": request,
        "own": own,
        "shared": colleague_active,
        "hidden": colleague_draft,
    }


def _appointments(ctx) -> int:
    return ctx.session.execute(select(func.count()).select_from(Appointment)).scalar_one()


def test_a_showing_of_own_and_colleague_listings_is_booked_on_the_buyer_deal(ctx, team):
    actx = as_broker(ctx, team["anna"])
    booked = svc.book_appointment(
        actx,
        contact_id=team["buyer"].id,
        scheduled_at=TOMORROW_11,
        listing_ids=[team["own"].id, team["shared"].id, team["own"].id],
    )
    assert booked.listings == [team["own"].id, team["shared"].id]
    assert booked.status == "scheduled"
    assert booked.owner == team["anna"].id
    # the buyer's only open request is linked, so the showing counts as activity on the deal
    assert booked.buyer_request_id == team["request"].id
    assert booked.scheduled_at == TOMORROW_11


def test_the_same_visit_asked_for_twice_is_booked_once(ctx, team):
    """A broker trial: the same showing sent twice made two identical showings."""
    actx = as_broker(ctx, team["anna"])
    first = svc.book_appointment(
        actx, contact_id=team["buyer"].id, scheduled_at=TOMORROW_11, listing_ids=[team["own"].id]
    )
    with pytest.raises(AlreadyExists) as said:
        svc.book_appointment(
            actx,
            contact_id=team["buyer"].id,
            scheduled_at=TOMORROW_11,
            listing_ids=[team["own"].id],
        )
    assert first.id in str(said.value)
    # another home at the same time is another visit (the broker decides)
    svc.book_appointment(
        actx, contact_id=team["buyer"].id, scheduled_at=TOMORROW_11, listing_ids=[team["shared"].id]
    )
    count = ctx.session.scalar(select(func.count()).select_from(Appointment))
    assert count == 2


def test_a_meeting_has_no_listings_and_a_naive_time_is_broker_local(ctx, team):
    actx = as_broker(ctx, team["anna"])
    booked = svc.book_appointment(
        actx, contact_id=team["buyer"].id, scheduled_at=datetime(2026, 3, 11, 15, 0)
    )
    assert booked.listings == []
    assert booked.scheduled_at == datetime(2026, 3, 11, 15, 0, tzinfo=NICOSIA)


def test_booking_refuses_colleague_listing_off_market_unknown_listing_and_the_past(ctx, team):
    actx = as_broker(ctx, team["anna"])
    with pytest.raises(Forbidden):
        svc.book_appointment(
            actx,
            contact_id=team["buyer"].id,
            scheduled_at=TOMORROW_11,
            listing_ids=[team["hidden"].id],
        )
    with pytest.raises(NotFound):
        svc.book_appointment(
            actx, contact_id=team["buyer"].id, scheduled_at=TOMORROW_11, listing_ids=["l-999"]
        )
    with pytest.raises(InvalidInput):
        svc.book_appointment(
            actx, contact_id=team["buyer"].id, scheduled_at=ctx.now() - timedelta(minutes=1)
        )
    assert _appointments(ctx) == 0


def test_a_broker_cannot_book_with_a_colleagues_client_or_on_another_clients_deal(ctx, team):
    bctx = as_broker(ctx, team["boris"])
    with pytest.raises(Forbidden):
        svc.book_appointment(bctx, contact_id=team["buyer"].id, scheduled_at=TOMORROW_11)
    other = make_contact(ctx, owner=team["anna"], full_name="Olga Smirnova")
    with pytest.raises(InvalidInput):
        svc.book_appointment(
            as_broker(ctx, team["anna"]),
            contact_id=other.id,
            scheduled_at=TOMORROW_11,
            deal_id=team["request"].id,
        )
    assert _appointments(ctx) == 0


def _past_showing(ctx, team, **kw):
    return make_appointment(
        ctx,
        owner=team["anna"],
        contact=team["buyer"],
        deal=team["request"],
        scheduled_at=ctx.now() - timedelta(hours=2),
        listings=[team["own"].id],
        **kw,
    )


def test_feedback_is_recorded_once_per_listing_however_often_the_outcome_is_repeated(ctx, team):
    actx = as_broker(ctx, team["anna"])
    showing = _past_showing(ctx, team)
    feedback = [{"listing": team["own"].id, "reaction": "liked", "text": "loves the terrace"}]
    svc.record_outcome(actx, appointment_id=showing.id, status="done", feedback=feedback)
    again = svc.record_outcome(actx, appointment_id=showing.id, status="done", feedback=feedback)
    assert again.status == "done"
    assert again.feedback == [
        {"listing": team["own"].id, "reaction": "liked", "text": "loves the terrace"}
    ]
    # a changed mind replaces the reaction rather than adding a second one
    changed = svc.record_outcome(
        actx,
        appointment_id=showing.id,
        status="done",
        feedback=[{"listing": team["own"].id, "reaction": "dislike"}],
    )
    assert changed.feedback == [
        {"listing": team["own"].id, "reaction": "disliked", "text": "loves the terrace"}
    ]


def test_feedback_on_a_listing_not_yet_on_the_showing_adds_it_when_it_may_be_shown(ctx, team):
    actx = as_broker(ctx, team["anna"])
    showing = _past_showing(ctx, team)
    done = svc.record_outcome(
        actx,
        appointment_id=showing.id,
        status="done",
        feedback=[{"listing": team["shared"].id, "reaction": "disliked", "text": "too dark"}],
    )
    assert done.listings == [team["own"].id, team["shared"].id]
    assert svc.disliked_listing_ids(actx, contact_id=team["buyer"].id) == {team["shared"].id}
    with pytest.raises(Forbidden):
        svc.record_outcome(
            actx,
            appointment_id=showing.id,
            status="done",
            feedback=[{"listing": team["hidden"].id, "reaction": "liked"}],
        )


def test_outcome_validation(ctx, team):
    actx = as_broker(ctx, team["anna"])
    showing = _past_showing(ctx, team)
    with pytest.raises(InvalidInput):
        svc.record_outcome(actx, appointment_id=showing.id, status="maybe")
    with pytest.raises(InvalidInput):  # no feedback from a client who did not come
        svc.record_outcome(
            actx,
            appointment_id=showing.id,
            status="no_show",
            feedback=[{"listing": team["own"].id, "reaction": "liked"}],
        )
    with pytest.raises(InvalidInput):
        svc.record_outcome(
            actx,
            appointment_id=showing.id,
            status="done",
            feedback=[{"listing": team["own"].id, "reaction": "thrilled"}],
        )
    future = make_appointment(
        ctx, owner=team["anna"], contact=team["buyer"], scheduled_at=TOMORROW_11
    )
    with pytest.raises(InvalidInput):  # cannot have happened yet
        svc.record_outcome(actx, appointment_id=future.id, status="done")
    assert svc.record_outcome(actx, appointment_id=future.id, status="cancelled").status == (
        "cancelled"
    )
    svc.record_outcome(actx, appointment_id=showing.id, status="no_show")
    with pytest.raises(InvalidInput):  # a recorded outcome is not silently rewritten
        svc.record_outcome(actx, appointment_id=showing.id, status="done")
    assert ctx.session.get(Appointment, showing.id).feedback == []


def test_only_the_owner_or_their_manager_records_an_outcome(ctx, team):
    showing = _past_showing(ctx, team)
    with pytest.raises(Forbidden):
        svc.record_outcome(as_broker(ctx, team["boris"]), appointment_id=showing.id, status="done")
    done = svc.record_outcome(
        as_broker(ctx, team["manager"]), appointment_id=showing.id, status="done"
    )
    assert done.status == "done"
    audit = ctx.session.execute(
        select(AuditEntry).where(AuditEntry.entity_id == showing.id, AuditEntry.action == "outcome")
    ).scalar_one()
    assert audit.broker == team["manager"].id


def test_reschedule_moves_only_scheduled_appointments_to_the_future(ctx, team):
    actx = as_broker(ctx, team["anna"])
    booked = svc.book_appointment(actx, contact_id=team["buyer"].id, scheduled_at=TOMORROW_11)
    later = TOMORROW_11 + timedelta(days=2)
    assert (
        svc.reschedule_appointment(actx, appointment_id=booked.id, scheduled_at=later).scheduled_at
        == later
    )
    with pytest.raises(InvalidInput):
        svc.reschedule_appointment(
            actx, appointment_id=booked.id, scheduled_at=ctx.now() - timedelta(days=1)
        )
    svc.record_outcome(actx, appointment_id=booked.id, status="cancelled")
    with pytest.raises(InvalidInput):
        svc.reschedule_appointment(actx, appointment_id=booked.id, scheduled_at=later)


def test_upcoming_lists_own_scheduled_appointments_in_the_window(ctx, team):
    start, end = ctx.now(), ctx.now() + timedelta(days=7)
    mine = make_appointment(
        ctx, owner=team["anna"], contact=team["buyer"], scheduled_at=TOMORROW_11
    )
    make_appointment(  # cancelled: not upcoming
        ctx, owner=team["anna"], contact=team["buyer"], scheduled_at=TOMORROW_11, status="cancelled"
    )
    make_appointment(  # beyond the window
        ctx, owner=team["anna"], contact=team["buyer"], scheduled_at=end + timedelta(hours=1)
    )
    olga = make_contact(ctx, owner=team["boris"], full_name="Olga Smirnova")
    theirs = make_appointment(ctx, owner=team["boris"], contact=olga, scheduled_at=TOMORROW_11)
    actx = as_broker(ctx, team["anna"])
    assert [a.id for a in svc.upcoming_appointments(actx, start=start, end=end)] == [mine.id]
    with pytest.raises(Forbidden):
        svc.upcoming_appointments(actx, owner_ids=[team["boris"].id], start=start, end=end)
    team_view = svc.upcoming_appointments(as_broker(ctx, team["manager"]), start=start, end=end)
    assert {a.id for a in team_view} == {mine.id, theirs.id}


def test_last_appointment_is_the_latest_one_that_already_took_place(ctx, team):
    actx = as_broker(ctx, team["anna"])
    older = _past_showing(ctx, team)
    latest = make_appointment(
        ctx,
        owner=team["anna"],
        contact=team["buyer"],
        deal=team["request"],
        scheduled_at=ctx.now() - timedelta(minutes=30),
        status="no_show",
    )
    make_appointment(ctx, owner=team["anna"], contact=team["buyer"], scheduled_at=TOMORROW_11)
    assert svc.last_appointment_for(actx, contact_id=team["buyer"].id).id == latest.id
    assert svc.last_appointment_for(actx, deal_id=team["request"].id).id == latest.id
    done_only = svc.last_appointment_for(actx, contact_id=team["buyer"].id, statuses=["scheduled"])
    assert done_only.id == older.id


def test_a_done_showing_proposes_viewing_but_never_moves_the_stage(ctx, team):
    actx = as_broker(ctx, team["anna"])
    showing = _past_showing(ctx, team)
    done = svc.record_outcome(actx, appointment_id=showing.id, status="done")
    after = svc.after_appointment(actx, appointment=done)
    assert after.stage_move is not None
    assert (after.stage_move.from_stage, after.stage_move.to_stage) == (
        "demand_research",
        "viewing",
    )
    assert "Solution/Viewing" in after.stage_move.text("en")
    assert after.follow_up is not None and after.follow_up.due_at > ctx.now()
    assert team["request"].stage == "demand_research"
    no_show = _past_showing(ctx, team)
    svc.record_outcome(actx, appointment_id=no_show.id, status="no_show")
    assert svc.after_appointment(actx, appointment=no_show).stage_move is None
