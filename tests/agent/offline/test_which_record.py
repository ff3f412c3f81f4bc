"""A move names the planned contact by its day and kind (issue #10): "my thursday meeting with
Maria" is her meeting booked on Thursday, not her call on Wednesday; words that fit nothing
planned are read back before anything moves. The clock is Tuesday 2026-03-10 09:00."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from agent.context import UNCERTAIN
from crm_store.models import Broker, Contact
from tests.agent.offline.turns import calls as _calls
from tests.agent.offline.turns import turns as _turns
from tests.conftest import NICOSIA
from tests.factories import make_appointment


@pytest.fixture
def maria_meets_on_thursday(brokerage, ctx):
    maria = ctx.session.execute(
        select(Contact).where(Contact.full_name == "Maria Ivanova")
    ).scalar_one()
    meeting = make_appointment(
        ctx,
        owner=ctx.session.get(Broker, maria.owner),
        contact=maria,
        scheduled_at=datetime(2026, 3, 12, 11, 0, tzinfo=NICOSIA),
        listings=[],
    )
    ctx.session.commit()
    return brokerage, meeting.id


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("move my thursday meeting with Maria Ivanova to fri 3pm", "2026-03-13T15:00"),
        ("push Maria Ivanova's thursday meeting to friday same time", "2026-03-13"),
        ("перенеси встречу с Марией Ивановой в четверг на пятницу в 15:00", "2026-03-13T15:00"),
    ],
)
def test_the_meeting_named_by_its_day_is_moved_not_the_call(maria_meets_on_thursday, text, at):
    brokerage, meeting = maria_meets_on_thursday
    [reply] = _turns(brokerage, text)
    assert _calls(reply) == [("reschedule_appointment", {"appointment": meeting, "at": at})]


def test_words_that_fit_nothing_planned_are_read_back(maria_meets_on_thursday):
    brokerage, _ = maria_meets_on_thursday
    [reply] = _turns(brokerage, "move my monday call with Maria Ivanova to fri 3pm")
    [call] = reply.tool_calls
    assert call["name"] == "reschedule_follow_up"
    assert call["id"] in reply.additional_kwargs[UNCERTAIN]


def test_the_call_named_by_its_day_is_moved_directly(maria_meets_on_thursday):
    brokerage, _ = maria_meets_on_thursday
    [reply] = _turns(brokerage, "move my call with Maria Ivanova tomorrow to fri 3pm")
    [call] = reply.tool_calls
    assert call["name"] == "reschedule_follow_up"
    assert not reply.additional_kwargs.get(UNCERTAIN)
