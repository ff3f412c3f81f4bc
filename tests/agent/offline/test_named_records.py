"""Which record a message names (issue #10, session 6 trials): a follow-up or a visit named by
its id is what the message acts on ("mark f-418 done" was read as closing a deal, "cancel
a-350" was not understood, "звонок f-1017 поставь на 18:30" planned a new call); a follow-up
named by its purpose or by the day as an adjective ("пятничный звонок") is that one, not the
client's first. The clock is Tuesday 2026-03-10 09:00; Maria's call is tomorrow 09:00."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from agent.context import UNCERTAIN
from agent.offline.past_dates import happened_at
from agent.offline.quantities import find_timeline_months
from crm_store.models import Broker, Contact, FollowUp
from tests.agent.offline.turns import calls, turns
from tests.conftest import NICOSIA
from tests.factories import make_appointment, make_follow_up


def _maria(ctx) -> Contact:
    return ctx.session.execute(
        select(Contact).where(Contact.full_name == "Maria Ivanova")
    ).scalar_one()


def _her_call(ctx) -> FollowUp:
    return ctx.session.execute(
        select(FollowUp).where(FollowUp.contact == _maria(ctx).id)
    ).scalar_one()


def _her_thursday_visit(ctx, listings: list[str]):
    """Maria's visit booked for Thursday 12:45."""
    maria = _maria(ctx)
    visit = make_appointment(
        ctx,
        owner=ctx.session.get(Broker, maria.owner),
        contact=maria,
        scheduled_at=datetime(2026, 3, 12, 12, 45, tzinfo=NICOSIA),
        listings=listings,
    )
    ctx.session.commit()
    return visit


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("mark {id} done", "complete_follow_up"),
        ("{id} done", "complete_follow_up"),
        ("cancel {id}", "cancel_follow_up"),
        ("{id} -> friday 16:15", "reschedule_follow_up"),
        ("звонок {id} поставь на пятницу 18:30", "reschedule_follow_up"),
    ],
)
def test_a_follow_up_named_by_its_id_is_acted_on(brokerage, ctx, text, tool):
    call = _her_call(ctx)
    [reply] = turns(brokerage, text.format(id=call.id))
    [(name, args)] = calls(reply)
    assert (name, args["follow_up"]) == (tool, call.id)


def test_a_visit_named_by_its_id_is_cancelled(brokerage, ctx):
    visit = _her_thursday_visit(ctx, [])
    [reply] = turns(brokerage, f"cancel {visit.id}")
    assert calls(reply) == [
        ("record_appointment", {"appointment": visit.id, "status": "cancelled"})
    ]


@pytest.fixture
def maria_has_two_calls(brokerage, ctx):
    maria = _maria(ctx)
    friday = make_follow_up(
        ctx,
        owner=ctx.session.get(Broker, maria.owner),
        contact=maria,
        due_at=datetime(2026, 3, 13, 15, 0, tzinfo=NICOSIA),
        purpose="Collect the title deed copy",
    )
    ctx.session.commit()
    return brokerage, friday.id


def test_the_follow_up_named_by_its_purpose_is_the_one_done(maria_has_two_calls):
    brokerage, deed = maria_has_two_calls
    [reply] = turns(brokerage, "mark the title deed follow up with Maria Ivanova as done")
    assert calls(reply)[0][1]["follow_up"] == deed


def test_the_day_said_as_an_adjective_names_the_call_moved(maria_has_two_calls):
    brokerage, friday = maria_has_two_calls
    [reply] = turns(
        brokerage, "перенеси пятничный звонок Марии Ивановой на понедельник в то же время"
    )
    [(name, args)] = calls(reply)
    assert (name, args["follow_up"], args["due_at"]) == (
        "reschedule_follow_up",
        friday,
        "2026-03-16",
    )


def test_an_arrow_after_the_call_moves_it(brokerage, ctx):
    [reply] = turns(brokerage, "звонок Марии Ивановой завтра -> на 18:30")
    assert [name for name, _ in calls(reply)] == ["reschedule_follow_up"]


def test_about_an_hour_in_russian_word_order():
    now = datetime(2026, 3, 10, 9, 0, tzinfo=NICOSIA)
    moment = happened_at("вчера часа в 4 возил Дениса", now)
    assert moment == now.replace(hour=16) - timedelta(days=1)


def test_a_timeline_in_russian_word_order():
    assert find_timeline_months("не торопится - года через полтора") == 18
    assert find_timeline_months("месяцев через 6") == 6


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("{id} price down by 20k", 830_000),
        ("raise the price of {id} by 15k", 865_000),
        ("снизь цену на {id} на 50 тыс", 800_000),
    ],
)
def test_a_price_moved_by_an_amount_is_counted_from_the_asking(brokerage, text, price):
    """A broker trial: "price down by 20k" was read back as a price of €20,000."""
    listing = brokerage.ids["olympion"]  # asking €850,000
    [reply] = turns(brokerage, text.format(id=listing))
    [(name, args)] = calls(reply)
    assert name == "save_listing" and float(args["price"]) == price


def test_the_words_of_the_order_are_no_outcome(brokerage):
    """ "mark yiannis loizou's overdue call as done" stored "s overdue call as done"."""
    [reply] = turns(brokerage, "mark Maria Ivanova's overdue call as done")
    [(name, args)] = calls(reply)
    assert name == "complete_follow_up" and "outcome" not in args


def test_the_next_contact_keeps_the_channel_it_is_said_with(brokerage, ctx):
    """ "spoke w thomas …, call him back thurs 4pm" planned a message: the one done was one."""
    nikos = ctx.session.execute(
        select(Contact).where(Contact.full_name == "Nikos Christodoulou")
    ).scalar_one()
    make_follow_up(
        ctx,
        owner=ctx.session.get(Broker, nikos.owner),
        contact=nikos,
        due_at=datetime(2026, 3, 10, 12, 0, tzinfo=NICOSIA),
        channel="message",
    )
    ctx.session.commit()
    [reply] = turns(
        brokerage, "spoke w Nikos Christodoulou, he wants to think. call him back thurs 4pm"
    )
    [args] = [args for name, args in calls(reply) if name == "complete_follow_up"]
    assert (args["next_due_at"], args["next_channel"]) == ("2026-03-12T16:00", "call")


def test_a_visit_cancelled_in_a_report_is_not_booked_again(brokerage, ctx):
    """ "Stephen's thursday viewing of l-212 - cancel it, he hated that flat" cancelled it and
    proposed booking another at 10:00."""
    visit = _her_thursday_visit(ctx, [brokerage.ids["olympion"]])
    [reply] = turns(
        brokerage,
        f"Maria Ivanova's thursday viewing of {brokerage.ids['olympion']} - cancel it, "
        "she hated that villa",
    )
    names = [name for name, _ in calls(reply)]
    assert visit.id  # her one visit: the tool finds it by her name
    cancelled = ("record_appointment", {"appointment": "Maria Ivanova", "status": "cancelled"})
    assert cancelled in calls(reply)
    assert "book_appointment" not in names


def test_a_call_cancelled_then_moved_in_one_message_is_moved(brokerage):
    """A trial: "сегодняшний звонок Володину отменяй, он улетел. перенеси на понедельник в то
    же время" proposed the cancellation and moved another call."""
    [reply] = turns(
        brokerage,
        "завтрашний звонок Марии Ивановой отменяй, она улетела. перенеси на понедельник "
        "в то же время",
    )
    [(name, args)] = calls(reply)
    assert (name, args["due_at"]) == ("reschedule_follow_up", "2026-03-16")


def test_cancel_in_any_form_is_no_call_to_plan(brokerage):
    [reply] = turns(brokerage, "звонок Марии Ивановой завтра отменяй")
    assert [name for name, _ in calls(reply)] == ["cancel_follow_up"]


def test_a_must_have_moved_to_the_wishes_is_no_move_of_a_call(brokerage):
    """ "elevator убрать из обязательных, перенеси в пожелания" asked "when?"."""
    [reply] = turns(brokerage, "Maria Ivanova: лифт убрать из обязательных, перенеси в пожелания")
    names = [name for name, _ in calls(reply)]
    assert "reschedule_follow_up" not in names and names


@pytest.mark.parametrize(
    ("text", "not_called"),
    [
        ("Don't cancel {id}, move it to Friday 10:00", "cancel_follow_up"),
        ("{id} не отменяй, перенеси на пятницу", "cancel_follow_up"),
        (
            "Besides {id}, schedule another call with Maria Ivanova on Friday at 11",
            "complete_follow_up",
        ),
        (
            "Besides {id}, schedule another call with Maria Ivanova on Friday at 11",
            "reschedule_follow_up",
        ),
        ("what is {id} about?", "complete_follow_up"),
    ],
)
def test_an_id_said_in_passing_or_with_a_negated_order_is_not_acted_on(
    brokerage, ctx, text, not_called
):
    """A review of the id rule: "Don't cancel f-418" cancelled it; "Besides f-418, …" marked
    it done; "what is f-418 about?" proposed it done."""
    [reply] = turns(brokerage, text.format(id=_her_call(ctx).id))
    assert not_called not in [name for name, _ in calls(reply)]


def test_the_day_and_kind_said_outweigh_a_purpose_word(brokerage, ctx):
    """ "Mark yesterday's message to Hannah done - she wants to discuss the price" closed the
    e-mail about the price instead of the message due yesterday."""
    maria = _maria(ctx)
    owner = ctx.session.get(Broker, maria.owner)
    message = make_follow_up(
        ctx,
        owner=owner,
        contact=maria,
        due_at=datetime(2026, 3, 9, 10, 0, tzinfo=NICOSIA),
        channel="message",
    )
    make_follow_up(
        ctx,
        owner=owner,
        contact=maria,
        due_at=datetime(2026, 3, 14, 10, 0, tzinfo=NICOSIA),
        channel="email",
        purpose="Discuss a price adjustment",
    )
    ctx.session.commit()
    [reply] = turns(
        brokerage, "Mark yesterday's message to Maria Ivanova done - she wants to discuss the price"
    )
    [args] = [args for name, args in calls(reply) if name == "complete_follow_up"]
    assert args["follow_up"] == message.id


def test_a_cancel_and_a_move_of_another_record_stay_two_orders(maria_has_two_calls):
    brokerage, friday = maria_has_two_calls
    [reply] = turns(
        brokerage, "Звонок Марии Ивановой завтра отмени. Звонок в пятницу перенеси на понедельник"
    )
    names = [name for name, _ in calls(reply)]
    assert names == ["cancel_follow_up", "reschedule_follow_up"]
    assert calls(reply)[1][1]["follow_up"] == friday


@pytest.mark.parametrize(
    "text",
    [
        "Maria Ivanova: муж не против Лимассола, но сама она больше хочет Пафос",
        "Maria Ivanova also wants to see houses, as there are no apartments in her budget",
    ],
)
def test_not_against_and_no_in_passing_take_nothing_off(brokerage, text):
    for _, args in calls(turns(brokerage, text)[0]):
        criteria = args.get("criteria", args)
        assert "Limassol" in criteria.get("cities", ["Limassol"])
        assert "apartment" in criteria.get("property_types", ["apartment"])


def test_a_price_moved_by_an_amount_to_a_price_said_is_that_price(brokerage):
    listing = brokerage.ids["olympion"]
    [reply] = turns(brokerage, f"Reduce the price of {listing} by 16k to 839k")
    [(name, args)] = calls(reply)
    assert name == "save_listing" and float(args["price"]) == 839_000


@pytest.mark.parametrize(
    "text",
    [
        "Maria Ivanova texted: 'we talked it over, raise our budget to 3.5m and move us on'",
        "Мария Иванова пишет: «подними нам бюджет до 900 тысяч»",
        "fwd from Maria Ivanova: please set my budget to 2m",
    ],
)
def test_a_clients_words_passed_on_are_kept_and_not_extracted(brokerage, text):
    """README: a client's forwarded words are only a note (a trial: a quoted "raise our budget"
    was read back as a budget change)."""
    [(name, args)] = calls(turns(brokerage, text)[0])
    assert name == "log_note" and args["extract"] is False


def test_a_call_told_done_with_its_time_is_completed_with_no_next_one(brokerage):
    """ "victoria edwards 15:15 call today is done" planned a new call (and then a next one
    today at 10:00 with the order as its outcome)."""
    [reply] = turns(brokerage, "Maria Ivanova 9:00 call tomorrow is done")
    [(name, args)] = calls(reply)
    assert name == "complete_follow_up"
    assert "next_due_at" not in args and "outcome" not in args


@pytest.mark.parametrize(
    "text",
    [
        "Maria Ivanova call today is not done",  # a second review: completed it anyway
        "Maria Ivanova call Friday is done",  # her one call is tomorrow's: another day
    ],
)
def test_a_done_not_plainly_said_of_the_planned_call_is_read_back(brokerage, text):
    [reply] = turns(brokerage, text)
    done = [args for name, args in calls(reply) if name == "complete_follow_up"]
    assert all("next_due_at" not in args for args in done)
    if done:
        assert reply.tool_calls[0]["id"] in reply.additional_kwargs[UNCERTAIN]


def test_an_order_after_a_quotation_runs(brokerage):
    """A second review: 'Ivan Petrov texted: "thanks". Move his call to Friday 3pm' kept only
    the note; the move was lost."""
    [reply] = turns(brokerage, 'Maria Ivanova texted: "thanks". Move her call to Friday 3pm')
    moves = [args for name, args in calls(reply) if name == "reschedule_follow_up"]
    assert moves and moves[0]["due_at"] == "2026-03-13T15:00"


@pytest.mark.parametrize(
    "text",
    ["no I said same day - wednesday 18th 16:45 for Maria Ivanova", "нет, я имел в виду пятницу"],
)
def test_a_correction_nothing_can_tie_is_asked_in_full_not_kept_as_a_note(brokerage, text):
    """A trial: "no I said same day - wednesday 18th 16:45 for jonathan smith" was saved as a
    note on the client's deal."""
    [reply] = turns(brokerage, text)
    assert calls(reply) == []
    assert "in full" in str(reply.content) or "целиком" in str(reply.content)


def test_a_report_of_what_the_broker_said_is_no_correction(brokerage):
    [reply] = turns(brokerage, "I said to Maria Ivanova that we'd call her friday")
    assert [name for name, _ in calls(reply)][:1] == ["log_note"]
