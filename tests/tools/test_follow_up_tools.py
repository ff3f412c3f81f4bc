"""Follow-up tools: broker-local times, proposals after completion, the agenda text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from crm_store.models import FollowUp
from tests.factories import make_broker, make_buyer_request, make_contact, make_follow_up
from tools.agenda import agenda
from tools.followups import (
    cancel_follow_up,
    complete_follow_up,
    reschedule_follow_up,
    schedule_follow_up,
)

NICOSIA = ZoneInfo("Asia/Nicosia")


def test_schedule_uses_broker_local_time_and_attaches_the_only_deal(
    run, ctx, anna, session_factory
):
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    request = make_buyer_request(ctx, owner=anna, buyer=ivan)
    ctx.session.commit()
    out = run(schedule_follow_up, contact="Ivan Petrov", due_at="2026-03-17T11:00")
    assert "17" in out and "11:00" in out
    with session_factory() as s:
        fu = s.execute(select(FollowUp)).scalar_one()
    assert fu.due_at == datetime(2026, 3, 17, 11, 0, tzinfo=NICOSIA)
    assert fu.buyer_request_id == request.id


def test_past_time_and_bad_format_are_refused(run, ctx, anna, session_factory):
    make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    ctx.session.commit()
    assert run(schedule_follow_up, contact="Ivan Petrov", due_at="2026-03-01T11:00").startswith(
        "NOT DONE"
    )
    assert "ISO-8601" in run(schedule_follow_up, contact="Ivan Petrov", due_at="next tuesday")
    with session_factory() as s:
        assert s.execute(select(FollowUp)).first() is None


def test_complete_proposes_the_next_follow_up(run, ctx, anna, session_factory):
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    make_buyer_request(ctx, owner=anna, buyer=ivan, stage="decision")
    make_follow_up(
        ctx, owner=anna, contact=ivan, due_at=datetime(2026, 3, 10, 12, 0, tzinfo=NICOSIA)
    )
    ctx.session.commit()
    out = run(complete_follow_up, follow_up="Ivan Petrov", outcome="wants a second viewing")
    assert "Done" in out and "Suggested next follow-up with Ivan Petrov" in out
    assert "due_at=2026-03-11T10:00" in out  # hot: next working day, 10:00
    with session_factory() as s:
        assert [f.status for f in s.execute(select(FollowUp)).scalars()] == ["done"]


def test_complete_with_next_date_schedules_it(run, ctx, anna, session_factory):
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    make_follow_up(
        ctx, owner=anna, contact=ivan, due_at=datetime(2026, 3, 10, 12, 0, tzinfo=NICOSIA)
    )
    ctx.session.commit()
    run(complete_follow_up, follow_up="Ivan Petrov", next_due_at="2026-03-13T15:00")
    with session_factory() as s:
        statuses = sorted(f.status for f in s.execute(select(FollowUp)).scalars())
    assert statuses == ["done", "open"]


def test_reschedule_and_agenda(run, ctx, anna):
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    olga = make_contact(ctx, owner=anna, full_name="Olga Smirnova")
    make_follow_up(
        ctx, owner=anna, contact=ivan, due_at=datetime(2026, 3, 9, 12, 0, tzinfo=NICOSIA)
    )
    make_follow_up(
        ctx, owner=anna, contact=olga, due_at=datetime(2026, 3, 10, 15, 0, tzinfo=NICOSIA)
    )
    ctx.session.commit()
    text = run(agenda)
    assert (
        text.index("Missed") < text.index("Ivan Petrov") < text.index("Today") < text.index("Olga")
    )
    run(reschedule_follow_up, follow_up="Ivan Petrov", due_at="2026-03-10T17:00")
    assert "Missed" not in run(agenda)


def test_agenda_lists_the_days_appointments(run, ctx, anna):
    from tests.factories import make_appointment

    sophie = make_contact(ctx, owner=anna, full_name="Sophie Martin")
    make_appointment(
        ctx, owner=anna, contact=sophie, listings=["l-9"],
        scheduled_at=datetime(2026, 3, 11, 16, 0, tzinfo=NICOSIA),
    )  # fmt: skip
    make_appointment(
        ctx, owner=anna, contact=sophie, scheduled_at=datetime(2026, 3, 20, 16, 0, tzinfo=NICOSIA)
    )
    ctx.session.commit()
    text = run(agenda)
    assert "Appointments:" in text and "Sophie Martin (l-9)" in text and "11 Mar 16:00" in text
    assert "20 Mar" not in text  # only today and tomorrow


def test_another_days_agenda_names_its_days_instead_of_today_and_tomorrow(run, ctx, anna):
    olga = make_contact(ctx, owner=anna, full_name="Olga Smirnova")
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    make_follow_up(
        ctx, owner=anna, contact=olga, due_at=datetime(2026, 3, 11, 10, 0, tzinfo=NICOSIA)
    )
    make_follow_up(
        ctx, owner=anna, contact=ivan, due_at=datetime(2026, 3, 12, 11, 0, tzinfo=NICOSIA)
    )
    ctx.session.commit()
    tomorrows = run(agenda, day="2026-03-11")
    assert "- Wed 11 Mar 10:00: call Olga Smirnova" in tomorrows
    assert "- Thu 12 Mar 11:00: call Ivan Petrov" in tomorrows
    assert "Today" not in tomorrows and "Tomorrow" not in tomorrows
    todays = run(agenda, day="2026-03-10")  # today said as a date is still "today"
    assert "- Tomorrow 10:00: call Olga Smirnova" in todays and "Ivan" not in todays
    assert run(agenda, day="2026-03-20") == "Nothing on the agenda for Fri 20 Mar."


def test_deals_without_a_next_follow_up_name_their_client_and_stage(run, ctx, anna):
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    request = make_buyer_request(ctx, owner=anna, buyer=ivan)
    ctx.session.commit()
    text = run(agenda)
    assert "Deals without a next follow-up: 1" in text
    assert f"- {request.id} Ivan Petrov — Qualification" in text


def test_a_cancellation_names_the_follow_up_by_its_day_kind_and_purpose(run, ctx, anna):
    """A review: the read-back "Cancelled follow-up with Victoria Edwards." did not let the
    broker see which of her two calls it was."""
    victoria = make_contact(ctx, owner=anna, full_name="Victoria Edwards")
    make_follow_up(
        ctx,
        owner=anna,
        contact=victoria,
        due_at=datetime(2026, 3, 12, 15, 15, tzinfo=ZoneInfo("Asia/Nicosia")),
        purpose="collect the title deed copy",
    )
    ctx.session.commit()
    out = run(cancel_follow_up, follow_up="Victoria Edwards")
    assert "Thu 12 Mar 15:15" in out and "collect the title deed copy" in out


def test_done_names_a_task_due_on_another_day(run, ctx, anna):
    """A read-back of "done" says which task when it was due another day, so a report of
    today's call cannot quietly close Thursday's task."""
    christina = make_contact(ctx, owner=anna, full_name="Christina Savva")
    make_follow_up(
        ctx,
        owner=anna,
        contact=christina,
        due_at=datetime(2026, 3, 12, 10, 0, tzinfo=ZoneInfo("Asia/Nicosia")),
        purpose="answer her questions on the contract",
    )
    ctx.session.commit()
    out = run(complete_follow_up, follow_up="Christina Savva")
    assert "Thu 12 Mar 10:00" in out and "answer her questions on the contract" in out


def test_a_move_by_day_alone_or_time_alone_keeps_the_rest():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from crm_store.errors import InvalidInput
    from tools.base import parse_move

    nicosia = ZoneInfo("Asia/Nicosia")
    current = datetime(2026, 3, 11, 10, 30, tzinfo=nicosia)
    tz = "Asia/Nicosia"
    assert parse_move("15:00", current, tz=tz) == datetime(2026, 3, 11, 15, 0, tzinfo=nicosia)
    assert parse_move("2026-03-14", current, tz=tz) == datetime(2026, 3, 14, 10, 30, tzinfo=nicosia)
    assert parse_move("2026-03-14T09:00", current, tz=tz) == datetime(
        2026, 3, 14, 9, 0, tzinfo=nicosia
    )
    with pytest.raises(InvalidInput):
        parse_move("25:00", current, tz=tz)


def test_a_move_by_a_duration_counts_from_the_records_time_on_the_brokers_clock():
    """A day later across the DST change (29 March in Cyprus) keeps 10:30 on the clock."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from crm_store.errors import InvalidInput
    from tools.base import parse_move, shift_text

    nicosia = ZoneInfo("Asia/Nicosia")
    current = datetime(2026, 3, 28, 10, 30, tzinfo=nicosia)
    tz = "Asia/Nicosia"
    assert parse_move("+PT1H", current, tz=tz) == datetime(2026, 3, 28, 11, 30, tzinfo=nicosia)
    assert parse_move("-PT30M", current, tz=tz) == datetime(2026, 3, 28, 10, 0, tzinfo=nicosia)
    moved = parse_move("+P1D", current, tz=tz)
    assert (moved.hour, moved.minute, moved.day) == (10, 30, 29)
    assert shift_text(timedelta(days=-1, hours=-2)) == "-P1DT2H"
    assert parse_move(shift_text(timedelta(minutes=90)), current, tz=tz).hour == 12
    with pytest.raises(InvalidInput):
        parse_move("+P", current, tz=tz)  # no amount: not a move


def test_a_follow_up_on_a_colleagues_agenda_says_whose(run, ctx, anna):
    """A manager's "remind me to call Ivan" goes on Ivan's broker's agenda: the reply says so,
    so nobody waits for a reminder that is not theirs."""
    boss = make_broker(ctx, name="Nikos Andreou", role="manager")
    make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    ctx.session.commit()
    out = run.as_(boss)(schedule_follow_up, contact="Ivan Petrov", due_at="2026-03-17T11:00")
    assert "on Anna Georgiou's agenda" in out
    own = run(schedule_follow_up, contact="Ivan Petrov", due_at="2026-03-18T11:00")
    assert "agenda" not in own


def test_a_follow_up_not_due_yet_found_by_the_clients_name_is_asked_before_done(run, ctx, anna):
    from tools.confirm import confirmation_question

    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    friday = make_follow_up(
        ctx, owner=anna, contact=ivan, due_at=datetime(2026, 3, 13, 11, 0, tzinfo=NICOSIA)
    )
    ctx.session.commit()
    asked = confirmation_question(complete_follow_up, {"follow_up": "Ivan Petrov"}, run.deps())
    assert asked is not None and "13 Mar" in asked
    assert confirmation_question(complete_follow_up, {"follow_up": friday.id}, run.deps()) is None


def test_a_follow_up_due_today_is_done_without_a_question(run, ctx, anna):
    from tools.confirm import confirmation_question

    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    make_follow_up(
        ctx, owner=anna, contact=ivan, due_at=datetime(2026, 3, 10, 18, 0, tzinfo=NICOSIA)
    )
    ctx.session.commit()
    assert (
        confirmation_question(complete_follow_up, {"follow_up": "Ivan Petrov"}, run.deps()) is None
    )


def test_no_next_follow_up_is_suggested_when_another_is_planned(run, ctx, anna):
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    make_buyer_request(ctx, owner=anna, buyer=ivan, stage="decision")
    today = make_follow_up(
        ctx, owner=anna, contact=ivan, due_at=datetime(2026, 3, 10, 12, 0, tzinfo=NICOSIA)
    )
    make_follow_up(
        ctx, owner=anna, contact=ivan, due_at=datetime(2026, 3, 12, 15, 0, tzinfo=NICOSIA)
    )
    ctx.session.commit()
    out = run(complete_follow_up, follow_up=today.id)
    assert out.startswith("Done") and "[proposal" not in out and "Suggested" not in out
