"""Any digit string through the real graph (offline model, checkpoints, tools, store): a
29-digit budget gets a clear message and changes nothing, never a traceback (issue #10 §6);
a figure 10× the one on record is read back and applied on yes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from langchain_core.messages import AIMessage
from sqlalchemy import select

from agent.models import checkpointable
from crm_store.context import Actor
from crm_store.models import BuyerRequest, Note
from tests.agent.fakes import StoreBackend, offline_copilot
from tests.factories import make_broker, make_buyer_request, make_contact

HUGE = "99999999999999999999999999999"


@pytest.fixture
def chat(ctx, session_factory, clock):
    anna = make_broker(ctx, name="Anna Georgiou")
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    make_buyer_request(ctx, owner=anna, buyer=ivan, budget_max=Decimal("500000.00"))
    ctx.session.commit()
    backend = StoreBackend(session_factory=session_factory, clock=clock)
    bot = offline_copilot(backend)
    actor = Actor(
        broker_id=anna.id,
        name=anna.name,
        role=anna.role,
        team=anna.team,
        timezone=anna.timezone,
        language=anna.language,
    )
    return lambda text: bot.send(actor, channel="test", text=text)


def budget_max(session_factory) -> Decimal | None:
    with session_factory() as s:
        return s.execute(select(BuyerRequest.budget_max)).scalar_one()


def test_a_29_digit_budget_is_refused_with_a_message(chat, session_factory):
    reply = chat(f"Ivan Petrov budget up to {HUGE} eur")
    text = "\n".join(reply.texts)
    assert "29-digit number is far too large" in text, text
    assert reply.pending_confirmation is None
    assert budget_max(session_factory) == Decimal("500000.00")


def test_a_note_with_a_29_digit_budget_is_kept_and_the_budget_is_not(chat, session_factory):
    reply = chat(f"note for Ivan Petrov: budget {HUGE} euro")
    assert reply.texts and reply.texts[0].startswith("Note n-")
    with session_factory() as s:
        assert HUGE in s.execute(select(Note.text)).scalar_one()
    assert budget_max(session_factory) == Decimal("500000.00")


def test_a_budget_ten_times_higher_is_asked_then_applied(chat, session_factory):
    reply = chat("Ivan Petrov: budget now up to 5m")
    assert reply.pending_confirmation is not None
    question = "\n".join(reply.texts)
    assert "€5,000,000 (was €500,000)" in question and "10× higher" in question
    assert budget_max(session_factory) == Decimal("500000.00")
    chat("yes")
    assert budget_max(session_factory) == Decimal("5000000.00")


def test_a_model_message_keeps_every_digit_in_a_form_the_checkpoint_holds():
    message = AIMessage(
        content="",
        tool_calls=[{"name": "save_listing", "args": {"price": 10**40, "n": [2**70]}, "id": "1"}],
        additional_kwargs={"pending": {"args": {"budget_max": -(10**30)}}},
    )
    safe = checkpointable(message)
    assert safe.tool_calls[0]["args"] == {"price": "1" + "0" * 40, "n": [str(2**70)]}
    assert safe.additional_kwargs == {"pending": {"args": {"budget_max": str(-(10**30))}}}
    usual = AIMessage(content="", tool_calls=[{"name": "x", "args": {"price": 5}, "id": "2"}])
    assert checkpointable(usual) is usual


@pytest.mark.parametrize(
    "text",
    [f"budget {HUGE} euro", f"бюджет около {'9' * 40} евро", f"€{HUGE}k", f"{'1' * 400} eur"],
)
def test_the_offline_money_reader_keeps_long_figures_exact(text):
    from agent.offline.money import find_money, parse_budget

    digits = "".join(ch for ch in text if ch.isdigit())
    (found,) = find_money(text)
    assert str(found.amount).startswith(digits) and found.amount == found.amount.to_integral()
    assert parse_budget(text) is not None
