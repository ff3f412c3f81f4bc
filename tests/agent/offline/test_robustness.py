"""How brokers really write: which follow-up "my call" is, a bare "closed" that asks won or
lost, a report of a call that is no booking, listings and buyers asked for in a question,
Russian places and names in any case. Store: conftest.heldout_brokerage (Ivan Petrov has a
call f-3, a meeting f-4 and an e-mail f-5; Ольга Смирнова is Dmitry's buyer with a call f-8
and a message f-9)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage

from agent.offline.dialogue import PENDING
from tests.agent.offline.heldout import reported


def _calls(brokerage: Any, text: str, who: str = "anna") -> list[tuple[str, dict[str, Any]]]:
    """The calls a message makes or, for a report, proposes (its note aside)."""
    made, _ = reported(brokerage.reply(text, who=who))
    return [(call["name"], call["args"]) for call in made]


@pytest.mark.parametrize(
    ("text", "follow_up"),
    [
        ("push my call with Ivan Petrov to Friday", "f-3"),
        ("move Ivan Petrov's meeting to Friday", "f-4"),
        ("postpone the email to Ivan Petrov to Friday", "f-5"),
        ("move Ivan Petrov's follow-up to Friday", "Ivan Petrov"),  # nothing says which: ask
        ("push Peter Hall's call to Friday", "Peter Hall"),  # his only one
    ],
)
def test_the_follow_up_meant_is_the_soonest_of_the_kind_named(heldout_brokerage, text, follow_up):
    [(name, args)] = _calls(heldout_brokerage, text)
    assert name == "reschedule_follow_up"
    assert args["follow_up"] == follow_up and args["due_at"].startswith("2026-03-13")


def test_a_report_of_a_talk_completes_the_call_and_a_cancellation_reads_the_day(
    heldout_brokerage,
):
    assert _calls(heldout_brokerage, "дозвонилась до Ольги Смирновой, она подумает", "dmitry")[0][
        1
    ]["follow_up"] == ("f-8")
    assert _calls(heldout_brokerage, "drop the meeting with Ivan Petrov on Friday") == [
        ("cancel_follow_up", {"follow_up": "f-4"})
    ]


@pytest.mark.parametrize(
    "text",
    [
        "called Peter Hall, he wants to see flats next week",
        "созвонился с Петром Соколовым, хочет посмотреть ещё виллы на следующей неделе",
    ],
)
def test_a_call_done_is_reported_not_booked(heldout_brokerage, text):
    who = "dmitry" if "Петр" in text else "anna"
    [(name, _)] = _calls(heldout_brokerage, text, who)
    assert name == "complete_follow_up"


@pytest.mark.parametrize(
    "text",
    [
        "Ольга Смирнова: сделка закрыта",
        "сделка с Ольгой Смирновой закрыта",
        "закрой Ольгу Смирнову",
    ],
)
def test_closed_without_won_or_lost_asks_and_writes_nothing(heldout_brokerage, text):
    reply = heldout_brokerage.reply(text, who="dmitry")
    assert reply.tool_calls == []
    assert "успешно или потеряна" in str(reply.content)
    assert reply.additional_kwargs[PENDING]["close"] is True


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Ольга Смирнова передумала, сделка закрыта", "changed_plans"),
        ("закрой сделку Ольги Смирновой: купила у конкурентов", "competitor"),
        ("Ольга Смирнова купила через конкурентов", "competitor"),
        ("Пётр Соколов нашёл квартиру сам, закрываем", "bought_elsewhere"),
    ],
)
def test_an_exit_said_beside_closed_makes_it_lost(heldout_brokerage, text, reason):
    [(name, args)] = _calls(heldout_brokerage, text, "dmitry")
    assert name == "move_stage"
    assert (args["to_stage"], args["reason"]) == ("closed_lost", reason)


def test_a_won_word_makes_closed_won_with_its_figure(heldout_brokerage):
    text = "сделку с Ольгой Смирновой закрыли, она купила у нас, комиссия 18 тысяч"
    [(name, args)] = _calls(heldout_brokerage, text, "dmitry")
    assert name == "move_stage"
    assert (args["to_stage"], args["final_amount"]) == ("closed_won", 18000)


def _dialogue(brokerage: Any, who: str, *texts: str) -> Any:
    history: list[Any] = []
    reply = None
    for text in texts:
        reply = brokerage.reply(text, who=who, history=history)
        history += [HumanMessage(text), reply]
    return reply


def test_the_answer_to_won_or_lost_completes_the_move(heldout_brokerage):
    lost = _dialogue(
        heldout_brokerage,
        "dmitry",
        "Ольга Смирнова: сделка закрыта",
        "потеряна, ушла к конкурентам",
    )
    [call] = lost.tool_calls
    assert call["args"] == {
        "deal": "Ольга Смирнова",
        "to_stage": "closed_lost",
        "reason": "competitor",
    }
    won = _dialogue(heldout_brokerage, "anna", "Peter Hall's deal is closed", "won, commission 12k")
    [call] = won.tool_calls
    assert (call["args"]["to_stage"], call["args"]["final_amount"]) == ("closed_won", 12000)


def test_a_close_without_a_client_asks_whom_then_how(heldout_brokerage):
    asked = _dialogue(heldout_brokerage, "anna", "close it", "Peter Hall")
    assert asked.tool_calls == [] and "won, or lost" in str(asked.content)
    done = _dialogue(heldout_brokerage, "anna", "close it", "Peter Hall", "lost, bought elsewhere")
    assert done.tool_calls[0]["args"]["reason"] == "bought_elsewhere"


def test_an_exit_without_its_reason_asks_why(heldout_brokerage):
    reply = heldout_brokerage.reply("mark Ivan Petrov as lost")
    assert reply.tool_calls == [] and "Why was it lost" in str(reply.content)


@pytest.mark.parametrize(
    ("text", "who", "call"),
    [
        ("which listings fit Ivan Petrov?", "anna", ("match_listings", {"buyer": "Ivan Petrov"})),
        ("show me Ivan Petrov", "anna", ("client_card", {"client": "Ivan Petrov"})),
        ("who is interested in l-5?", "anna", ("match_buyers", {"listing": "l-5"})),
        ("кто из покупателей подойдёт на l-5?", "dmitry", ("match_buyers", {"listing": "l-5"})),
        ("кому показать виллу в Пейе?", "dmitry", ("match_buyers", {"listing": "l-2"})),
        (
            "send Ivan Petrov the curated list as pdf",
            "anna",
            ("curated_list", {"buyer": "Ivan Petrov", "pdf": True}),
        ),
        (
            "Peter Hall made an offer on l-5",
            "anna",
            ("move_stage", {"deal": "Peter Hall", "to_stage": "decision"}),
        ),
        (
            "Olga Smirnova doesn't want to sell anymore, withdraw the flat",
            "anna",
            (
                "move_stage",
                {"deal": "Olga Smirnova", "to_stage": "withdrawn", "reason": "changed_mind"},
            ),
        ),
    ],
)
def test_ordinary_phrasings(heldout_brokerage, text, who, call):
    assert _calls(heldout_brokerage, text, who) == [call]


def test_a_lead_source_is_not_the_client(heldout_brokerage):
    text = "got a lead from Bazaraki - Tom Reed, tom.reed@gmail.com, wants a villa in Paphos"
    [(name, args)] = _calls(heldout_brokerage, text)
    assert name == "register_contact"
    assert (args["full_name"], args["source"]) == ("Tom Reed", "portal")


def test_a_message_close_to_a_request_gets_a_phrasing_suggested(heldout_brokerage):
    reply = heldout_brokerage.reply("Ivan Petrov call")  # done, or to be made?
    assert reply.tool_calls == []
    assert "Called Ivan Petrov" in str(reply.content)
    assert "Remind me to call Ivan Petrov" in str(reply.content)
    reply = heldout_brokerage.reply("объекты Ивану Петрову")
    assert "Какие объекты подходят Ивану Петрову?" in str(reply.content)
