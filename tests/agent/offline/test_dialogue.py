"""Conversations the offline model finishes over two messages: a question and its answer, a
proposed follow-up and the broker's yes/no, an ambiguous name and the broker's choice."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.offline.dialogue import PENDING, PROPOSAL
from tests.agent.offline.turns import calls as _calls
from tests.agent.offline.turns import turns as _turns


def test_missing_time_is_asked_and_the_answer_completes_the_reminder(brokerage):
    first, second = _turns(brokerage, "Remind me to call Ivan Petrov", "tomorrow at 4pm")
    assert not first.tool_calls
    assert "When" in str(first.content)
    assert first.additional_kwargs[PENDING]["missing"] == "due_at"
    assert _calls(second) == [
        (
            "schedule_follow_up",
            {"contact": "Ivan Petrov", "due_at": "2026-03-11T16:00", "channel": "call"},
        )
    ]


def test_russian_time_answer_completes_a_russian_request(brokerage):
    first, second = _turns(brokerage, "Напомни позвонить Ольге Смирновой", "завтра в 16")
    assert str(first.content).startswith("Когда")
    assert _calls(second) == [
        (
            "schedule_follow_up",
            {"contact": "Olga Smirnova", "due_at": "2026-03-11T16:00", "channel": "call"},
        )
    ]


def test_missing_client_is_asked_then_named(brokerage):
    first, second = _turns(brokerage, "remind me to call tomorrow at 10", "Maria Ivanova")
    assert first.additional_kwargs[PENDING]["missing"] == "contact"
    assert _calls(second) == [
        (
            "schedule_follow_up",
            {"contact": "Maria Ivanova", "due_at": "2026-03-11T10:00", "channel": "call"},
        )
    ]


def test_two_missing_slots_are_asked_one_at_a_time(brokerage):
    first, second, third = _turns(brokerage, "set a reminder", "Olga Smirnova", "Friday 12:30")
    assert first.additional_kwargs[PENDING]["missing"] == "contact"
    assert second.additional_kwargs[PENDING]["missing"] == "due_at"
    assert not second.tool_calls
    assert _calls(third) == [
        (
            "schedule_follow_up",
            {"contact": "Olga Smirnova", "due_at": "2026-03-13T12:30", "channel": "call"},
        )
    ]


def test_new_contact_without_a_name_asks_for_it(brokerage):
    first, second = _turns(brokerage, "new client, +357 99 555666", "Elena Kuznetsova")
    assert "name" in str(first.content)
    assert _calls(second) == [
        ("register_contact", {"full_name": "Elena Kuznetsova", "phones": ["+35799555666"]})
    ]


def test_lost_without_a_reason_asks_why(brokerage):
    first, second = _turns(
        brokerage, "move Ivan Petrov to closed lost", "he went with a competitor"
    )
    assert first.additional_kwargs[PENDING]["missing"] == "reason"
    assert _calls(second) == [
        ("move_stage", {"deal": "Ivan Petrov", "to_stage": "closed_lost", "reason": "competitor"})
    ]


def test_ambiguous_first_name_is_asked_and_settled_by_surname(brokerage):
    first, second = _turns(brokerage, "call ivan tomorrow at 10", "Sidorov")
    assert "Ivan Petrov" in str(first.content) and "Иван Сидоров" in str(first.content)
    assert _calls(second) == [
        ("schedule_follow_up", {"contact": "c-4", "due_at": "2026-03-11T10:00", "channel": "call"})
    ]


def test_ambiguous_name_settled_by_ordinal_completes_every_waiting_call(brokerage):
    first, second = _turns(
        brokerage, "Ivan wants a 3-bed in Limassol up to 500k, call him Friday at 11", "the first"
    )
    assert not first.tool_calls
    assert _calls(second) == [
        (
            "save_buyer_request",
            {"buyer": "c-1", "budget_max": 500000, "cities": ["Limassol"], "bedrooms_min": 3},
        ),
        ("schedule_follow_up", {"contact": "c-1", "due_at": "2026-03-13T11:00", "channel": "call"}),
    ]


def test_ambiguous_name_settled_in_russian(brokerage):
    _, second = _turns(brokerage, "позвонить Ивану завтра в 10", "второму")
    assert _calls(second)[0][1]["contact"] == "c-4"


def test_no_to_a_question_drops_the_request(brokerage):
    first, second = _turns(brokerage, "Remind me to call Ivan Petrov", "no, forget it")
    assert first.additional_kwargs[PENDING]
    assert not second.tool_calls
    assert PENDING not in second.additional_kwargs
    assert "nothing changed" in str(second.content)


def test_a_new_request_replaces_an_open_question(brokerage):
    _, second = _turns(brokerage, "Remind me to call Ivan Petrov", "what's on today?")
    assert _calls(second) == [("agenda", {})]


def test_an_unclear_answer_is_asked_once_more_then_given_up(brokerage):
    first, second, third = _turns(
        brokerage, "Remind me to call Ivan Petrov", "hmm let me think", "whatever"
    )
    assert second.content == first.content
    assert second.additional_kwargs[PENDING]["attempts"] == 1
    assert not third.tool_calls
    assert PENDING not in third.additional_kwargs


def _proposal_history() -> list[Any]:
    call = {"name": "complete_follow_up", "args": {"follow_up": "Maria Ivanova"}, "id": "off-1"}
    return [
        HumanMessage("Called Maria Ivanova"),
        AIMessage("", tool_calls=[call]),
        ToolMessage(
            "Done: call Maria Ivanova.\nSuggested next follow-up: Thu 12 Mar 10:00. Schedule it? "
            "[proposal contact=c-3 due_at=2026-03-12T10:00]",
            tool_call_id="off-1",
        ),
        AIMessage(
            "Done: call Maria Ivanova.\nSuggested next follow-up: Thu 12 Mar 10:00. Schedule it?",
            additional_kwargs={PROPOSAL: {"contact": "c-3", "due_at": "2026-03-12T10:00"}},
        ),
    ]


def test_yes_to_a_proposal_schedules_it(brokerage):
    reply = brokerage.reply("yes", history=_proposal_history())
    assert _calls(reply) == [
        ("schedule_follow_up", {"contact": "c-3", "due_at": "2026-03-12T10:00"})
    ]


def test_da_to_a_proposal_schedules_it(brokerage):
    reply = brokerage.reply("да, давай", history=_proposal_history())
    assert _calls(reply) == [
        ("schedule_follow_up", {"contact": "c-3", "due_at": "2026-03-12T10:00"})
    ]


def test_yes_with_another_time_schedules_that_time(brokerage):
    reply = brokerage.reply("yes, but Friday at 3pm", history=_proposal_history())
    assert _calls(reply) == [
        ("schedule_follow_up", {"contact": "c-3", "due_at": "2026-03-13T15:00"})
    ]


def test_no_to_a_proposal_calls_nothing(brokerage):
    reply = brokerage.reply("no", history=_proposal_history())
    assert not reply.tool_calls
    assert "won't schedule" in str(reply.content)


def test_a_proposal_is_not_answered_by_a_new_request(brokerage):
    reply = brokerage.reply("what's on tomorrow?", history=_proposal_history())
    assert _calls(reply) == [("agenda", {"day": "2026-03-11"})]


@pytest.mark.parametrize(
    "question",
    ["whats my weighted forecast this month", "how many deals did we close in February?"],
)
def test_a_question_with_a_date_is_no_new_time_for_a_proposal(brokerage, question):
    reply = brokerage.reply(question, history=_proposal_history())
    assert all(call["name"] != "schedule_follow_up" for call in reply.tool_calls)


def test_yes_without_anything_open_calls_nothing(brokerage):
    reply = brokerage.reply("yes")
    assert not reply.tool_calls


def _duplicate_warned() -> tuple[dict[str, Any], list[Any]]:
    """A registration the tool refused as a likely duplicate of Ivan Petrov."""
    args = {"full_name": "Ivan Petrov", "phones": ["+35799123456"]}
    call = {"name": "register_contact", "args": args, "id": "off-1"}
    return args, [
        HumanMessage("new client Ivan Petrov +357 99 123456"),
        AIMessage("", tool_calls=[call]),
        ToolMessage(
            "NOT DONE (duplicate): This looks like an existing contact: Ivan Petrov (c-1, "
            "+357 99 123456) — same phone. Update the existing contact, or confirm that this "
            "is a different person to register a new one.",
            tool_call_id="off-1",
        ),
    ]


def test_duplicate_warning_then_yes_registers_anyway(brokerage):
    args, history = _duplicate_warned()
    answer = brokerage.model().invoke(history)  # the answer phase: this turn's tools have run
    assert answer.additional_kwargs[PENDING]["missing"] == "confirm_new"
    reply = brokerage.reply("yes, it's a different person", history=[*history, answer])
    assert _calls(reply) == [("register_contact", {**args, "new_despite_duplicate": True})]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("new client Bob Stone 99555111", {"full_name": "Bob Stone", "phones": ["+35799555111"]}),
        ("новый клиент Пётр Соколов", {"full_name": "Пётр Соколов"}),
    ],
)
def test_after_a_duplicate_warning_another_new_client_is_not_a_yes(brokerage, text, expected):
    _, history = _duplicate_warned()
    answer = brokerage.model().invoke(history)
    reply = brokerage.reply(text, history=[*history, answer])
    assert _calls(reply) == [("register_contact", expected)]


def test_a_pronoun_next_turn_means_the_previous_client(brokerage):
    _, second = _turns(
        brokerage,
        "add a note for Olga Smirnova: she wants the pool heated",
        "also remind me to call her Thursday at 9",
    )
    assert _calls(second) == [
        (
            "schedule_follow_up",
            {"contact": "Olga Smirnova", "due_at": "2026-03-12T09:00", "channel": "call"},
        )
    ]


def test_a_russian_pronoun_next_turn(brokerage):
    _, second = _turns(
        brokerage, "Что у меня с Марией Ивановой?", "перенеси звонок ей на завтра на 12"
    )
    assert _calls(second) == [
        ("reschedule_follow_up", {"follow_up": "Maria Ivanova", "due_at": "2026-03-11T12:00"})
    ]


def test_without_a_previous_client_a_pronoun_is_asked_about(brokerage):
    reply = brokerage.reply("call him tomorrow at 10")
    assert reply.tool_calls == []
    assert reply.additional_kwargs[PENDING]["missing"] == "contact"


def test_a_short_follow_up_repeats_the_report_for_another_broker(brokerage):
    first, second = _turns(brokerage, "revenue this month?", "and Dmitry on his own?", who="boss")
    assert _calls(first) == [
        ("pipeline_report", {"metric": "revenue_vs_plan", "period": "2026-03"})
    ]
    assert _calls(second) == [
        (
            "pipeline_report",
            {"metric": "revenue_vs_plan", "period": "2026-03", "broker": "Dmitry Volkov"},
        )
    ]


def test_a_short_follow_up_moves_the_agenda_to_another_day(brokerage):
    _, second = _turns(brokerage, "what's on today?", "and tomorrow?")
    assert _calls(second) == [("agenda", {"day": "2026-03-11"})]


def test_which_of_a_sellers_listings_is_asked_and_answered_by_type(brokerage):
    first, second = _turns(
        brokerage,
        "book Ivan Petrov a viewing of Nikos's place on Saturday at 10",
        "the penthouse",
    )
    assert not first.tool_calls
    assert "l-3" in str(first.content) and "l-5" in str(first.content)
    assert _calls(second) == [
        (
            "book_appointment",
            {"at": "2026-03-14T10:00", "listings": ["l-5"], "contact": "Ivan Petrov"},
        )
    ]


def test_a_missing_commission_is_asked_and_the_number_closes_the_deal(brokerage):
    call = {"name": "move_stage", "args": {"deal": "Sofia Papadopoulou", "to_stage": "closed_won"}}
    history = [
        HumanMessage("Sofia Papadopoulou paid, closed won"),
        AIMessage("", tool_calls=[{**call, "id": "off-1"}]),
        ToolMessage(
            "NOT DONE (invalid_input): To close this buyer request as won, confirm the "
            "commission earned (expected €12,500.00): give it as final_amount.",
            tool_call_id="off-1",
        ),
    ]
    answer = brokerage.model().invoke(history)
    assert "final_amount" not in str(answer.content) and "how much" in str(answer.content)
    for said in ("12 500", "12.500", "€12,500", "12.5k", "12 500 евро"):
        reply = brokerage.reply(said, history=[*history, answer])
        assert _calls(reply) == [("move_stage", {**call["args"], "final_amount": 12500})], said
    assert not brokerage.reply("0", history=[*history, answer]).tool_calls


def test_a_surname_answers_which_of_the_clients_asked_about(brokerage, ctx):
    from sqlalchemy import select

    from crm_store.models import Broker
    from tests.factories import make_contact

    anna = ctx.session.execute(select(Broker).where(Broker.name == "Anna Georgiou")).scalar_one()
    make_contact(ctx, owner=anna, full_name="Oleg Petrov")  # "Petrov" alone fits two clients
    ctx.session.commit()
    first, second = _turns(brokerage, "call Ivan tomorrow at 4pm", "Petrov")
    assert not first.tool_calls and "Oleg" not in str(first.content)
    [(name, args)] = _calls(second)
    assert name == "schedule_follow_up" and args["contact"] in ("c-1", "Ivan Petrov")
