"""The ANSWER phase: tool results relayed in one reply, advice turned to the broker, proposals
remembered, declined confirmations acknowledged, several results joined."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from agent.offline.answer import compose_answer, has_results
from agent.offline.dialogue import PENDING, PROPOSAL


def _turn(calls: list[dict[str, Any]], results: list[str], **kwargs: Any) -> list[Any]:
    ai = AIMessage(
        "",
        tool_calls=[{**c, "id": f"off-{i}"} for i, c in enumerate(calls)],
        additional_kwargs=kwargs,
    )
    tools = [ToolMessage(text, tool_call_id=f"off-{i}") for i, text in enumerate(results)]
    return [SystemMessage("sys"), HumanMessage("…"), ai, *tools]


def _call(name: str, **args: Any) -> dict[str, Any]:
    return {"name": name, "args": args}


def test_results_only_count_after_the_last_broker_message():
    earlier = _turn([_call("agenda")], ["Nothing on the agenda."])
    assert has_results(earlier)
    assert not has_results([*earlier, HumanMessage("and tomorrow?")])


def test_a_success_line_is_relayed_as_it_is():
    text = "Follow-up f-7 scheduled: call Ivan Petrov, Tue 17 Mar 11:00."
    answer = compose_answer(_turn([_call("schedule_follow_up")], [text]), "en")
    assert answer.text == text
    assert answer.kwargs == {}


def test_a_proposal_marker_is_removed_but_the_question_stays_and_is_remembered():
    result = (
        "Done: call Maria Ivanova.\nSuggested next follow-up: Thu 12 Mar 10:00. Schedule it? "
        "[proposal contact=c-3 due_at=2026-03-12T10:00]"
    )
    answer = compose_answer(_turn([_call("complete_follow_up")], [result]), "en")
    assert "[proposal" not in answer.text
    assert answer.text.endswith("Schedule it?")
    assert answer.kwargs[PROPOSAL] == {"contact": "c-3", "due_at": "2026-03-12T10:00"}


def test_not_done_becomes_the_advice():
    result = (
        "NOT DONE (not_found): I have no contact called 'Adriel'. Check the spelling, or "
        "register them as a new contact (name and phone)."
    )
    answer = compose_answer(_turn([_call("client_card", client="Adriel")], [result]), "en")
    assert answer.text.startswith("I have no contact called 'Adriel'.")
    assert "NOT DONE" not in answer.text
    assert PENDING not in answer.kwargs


def test_ambiguity_becomes_a_question_and_a_pending_choice():
    result = (
        "NOT DONE (ambiguous): Several contacts match 'Ivan': Ivan Petrov (c-1, +357 99 123456), "
        "Иван Сидоров (c-4). Ask the broker which one they mean."
    )
    call = _call("schedule_follow_up", contact="Ivan", due_at="2026-03-11T10:00")
    answer = compose_answer(_turn([call], [result]), "en")
    assert answer.text.endswith("Which one do you mean?")
    assert "Ask the broker" not in answer.text
    pending = answer.kwargs[PENDING]
    assert pending["missing"] == "contact"
    assert pending["candidates"] == ["c-1", "c-4"]
    assert pending["args"]["due_at"] == "2026-03-11T10:00"


def test_russian_ambiguity_is_put_to_the_broker():
    result = (
        "NOT DONE (ambiguous): Под «Иван» подходят несколько контактов: Ivan Petrov (c-1), "
        "Иван Сидоров (c-4). Уточните у брокера, какой именно."
    )
    answer = compose_answer(_turn([_call("client_card", client="Иван")], [result]), "ru")
    assert answer.text.endswith("Какой именно?")
    assert answer.kwargs[PENDING]["missing"] == "client"


def test_a_duplicate_leaves_a_confirmation_pending():
    result = "NOT DONE (duplicate): This looks like an existing contact: Ivan Petrov (c-1)."
    call = _call("register_contact", full_name="Ivan Petrov")
    answer = compose_answer(_turn([call], [result]), "en")
    assert answer.kwargs[PENDING]["missing"] == "confirm_new"


def test_a_declined_confirmation_reads_nothing_changed():
    declined = "The broker declined; nothing was changed."
    answer = compose_answer(_turn([_call("move_stage")], [declined]), "en")
    assert answer.text == "OK, nothing changed."
    russian = compose_answer(
        _turn([_call("move_stage")], ["Брокер отказался; ничего не изменено."]), "ru"
    )
    assert russian.text == "Хорошо, ничего не меняю."


def test_several_results_are_joined_in_order():
    answer = compose_answer(
        _turn(
            [_call("register_contact"), _call("schedule_follow_up")],
            [
                "Registered Elena Kuznetsova (c-9, +357 96 555444)",
                "Follow-up f-3 scheduled: call Elena Kuznetsova, Wed 11 Mar 10:00.",
            ],
        ),
        "en",
    )
    assert answer.text.splitlines() == [
        "Registered Elena Kuznetsova (c-9, +357 96 555444)",
        "Follow-up f-3 scheduled: call Elena Kuznetsova, Wed 11 Mar 10:00.",
    ]


def test_a_question_left_by_the_understanding_follows_the_results():
    pending = {"tool": "schedule_follow_up", "args": {}, "missing": "due_at"}
    messages = _turn(
        [_call("save_buyer_request")],
        ["Updated: r-1 Ivan Petrov: up to €500,000, Limassol (Qualification)"],
        offline_say="When should it be? (e.g. tomorrow at 11)",
        offline_pending=pending,
    )
    answer = compose_answer(messages, "en")
    assert answer.text.splitlines()[-1] == "When should it be? (e.g. tomorrow at 11)"
    assert answer.kwargs[PENDING] == pending
