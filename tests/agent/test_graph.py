"""The graph with a scripted model: tool loop, confirmations, resume without double writes,
tool failures, and identity that the model cannot override."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from sqlalchemy import func, select

from agent.conversation import Copilot, classify_answer
from agent.graph import build_graph
from crm_store.context import Actor
from crm_store.models import Note
from crm_store.repositories.base import add
from tests.agent.fakes import ScriptedChatModel, StoreBackend, call, provider_for
from tests.conftest import as_broker
from tools.base import FAILED, ToolArgs, run_tool
from tools.confirm import requires_confirmation
from tools.deps import ToolDeps

executions: list[str] = []


class NoteArgs(ToolArgs):
    text: str


@tool("log_note", args_schema=NoteArgs)
def log_note(text: str, deps: ToolDeps | None = None) -> str:
    """Log a note."""

    def work(ctx: Any) -> str:
        executions.append(text)
        add(ctx, Note(author=ctx.actor.broker_id, text=text, source="text", created_at=ctx.now()))
        return f"Noted: {text}"

    return run_tool(deps, work)


@tool("wipe_notes", args_schema=NoteArgs)
def wipe_notes(text: str, deps: ToolDeps | None = None) -> str:
    """Destructive test tool: logs a note only after confirmation."""
    return log_note.invoke({"text": text, "deps": deps})


requires_confirmation(wipe_notes, lambda args, deps: f"Really wipe for {args['text']}?")


@tool("explode", args_schema=NoteArgs)
def explode(text: str, deps: ToolDeps | None = None) -> str:
    """Writes, then fails unexpectedly: the write must be rolled back."""

    def work(ctx: Any) -> str:
        add(ctx, Note(author=ctx.actor.broker_id, text=text, source="text", created_at=ctx.now()))
        raise RuntimeError("disk on fire")

    return run_tool(deps, work)


TOOLS = [log_note, wipe_notes, explode]


@pytest.fixture
def setup(ctx, session_factory, clock):
    from tests.factories import make_broker

    broker = make_broker(ctx, name="Anna Georgiou")
    ctx.session.commit()
    actor = as_broker(ctx, broker).actor
    backend = StoreBackend(session_factory=session_factory, clock=clock)
    executions.clear()

    def copilot(script: list[AIMessage]) -> tuple[Copilot, ScriptedChatModel]:
        model = ScriptedChatModel(script=script)
        bot = Copilot(
            graph=build_graph(InMemorySaver()),
            backend=backend,
            tools=TOOLS,
            model_provider=provider_for(model),
        )
        return bot, model

    def notes() -> int:
        with session_factory() as session:
            return session.execute(select(func.count()).select_from(Note)).scalar_one()

    return actor, copilot, notes


def test_tool_loop_runs_the_tool_and_answers(setup):
    actor, copilot, notes = setup
    bot, model = copilot([call("log_note", {"text": "hello"}, "1"), AIMessage("Logged.")])
    reply = bot.send(actor, channel="test", text="note hello")
    assert reply.texts == ["Logged."]
    assert reply.model_calls == 2
    assert notes() == 1
    assert "log_note" in model.bound_tools
    # The model saw the tool's result before answering.
    assert isinstance(model.seen[1][-1], ToolMessage)
    assert model.seen[1][-1].content == "Noted: hello"
    # The system prompt names the broker and today's date.
    assert "Anna Georgiou" in model.seen[0][0].content
    assert "2026-03-10" in model.seen[0][0].content


def test_confirmation_accepted_executes_once(setup):
    actor, copilot, notes = setup
    bot, _ = copilot([call("wipe_notes", {"text": "x"}, "1"), AIMessage("Done.")])
    first = bot.send(actor, channel="test", text="wipe x")
    assert first.pending_confirmation == "Really wipe for x?"
    assert notes() == 0 and executions == []
    second = bot.send(actor, channel="test", text="yes")
    assert second.texts == ["Noted: x"]  # the accepted calls' own results
    assert notes() == 1
    assert executions == ["x"]
    assert bot.pending_question(actor.with_message("test", None), "test") is None
    bot.send(actor, channel="test", text="yes")  # a second yes has nothing left to accept
    assert executions == ["x"] and notes() == 1


def test_confirmation_declined_changes_nothing(setup):
    actor, copilot, notes = setup
    bot, model = copilot([call("wipe_notes", {"text": "x"}, "1"), AIMessage("Cancelled.")])
    bot.send(actor, channel="test", text="wipe x")
    reply = bot.send(actor, channel="test", text="нет")
    assert reply.texts == ["OK, nothing changed."]
    assert notes() == 0 and executions == []
    assert len(model.seen) == 1  # the answer needed no model call


def test_a_new_request_while_a_proposal_is_open_proceeds_and_the_proposal_is_kept(setup):
    actor, copilot, notes = setup
    bot, _ = copilot(
        [
            call("wipe_notes", {"text": "x"}, "1"),
            call("log_note", {"text": "other"}, "2"),
            AIMessage("Logged."),
        ]
    )
    bot.send(actor, channel="test", text="wipe x")
    reply = bot.send(actor, channel="test", text="log other instead")
    assert executions == ["other"]
    assert reply.texts == ["Logged."]
    assert notes() == 1
    # A later bare "ok" does not accept a question the broker has moved on from: it reads it
    # back first, and only the yes to that applies it.
    again = bot.send(actor, channel="test", text="ok")
    assert again.texts == ["Really wipe for x? (yes/no)"] and executions == ["other"]
    bot.send(actor, channel="test", text="yes")
    assert executions == ["other", "x"]


def test_auto_confirm_answers_yes(setup):
    actor, copilot, notes = setup
    bot, _ = copilot([call("wipe_notes", {"text": "x"}, "1"), AIMessage("Done.")])
    reply = bot.send(actor, channel="test", text="wipe x", auto_confirm=True)
    assert reply.texts[-1] == "Noted: x" and notes() == 1


def test_tool_raising_mid_turn_rolls_back_and_the_turn_continues(setup):
    actor, copilot, notes = setup
    bot, model = copilot([call("explode", {"text": "boom"}, "1"), AIMessage("Sorry.")])
    reply = bot.send(actor, channel="test", text="explode")
    assert reply.texts == ["Sorry."]
    assert notes() == 0
    result = model.seen[1][-1]
    assert result.status == "error" and "ref " in result.content and "disk" not in result.content


def test_invalid_arguments_and_unknown_tools_go_back_to_the_model(setup):
    actor, copilot, notes = setup
    bot, model = copilot(
        [
            AIMessage(
                content="",
                tool_calls=[
                    {"name": "log_note", "args": {"txt": "typo"}, "id": "1"},
                    {"name": "drop_database", "args": {}, "id": "2"},
                ],
            ),
            AIMessage("Let me retry."),
        ]
    )
    bot.send(actor, channel="test", text="note")
    results = [m for m in model.seen[1] if isinstance(m, ToolMessage)]
    assert "invalid_arguments" in results[0].content
    assert "invalid_tool" in results[1].content
    assert notes() == 0


def test_identity_comes_from_the_channel_not_the_model(setup, session_factory):
    actor, copilot, _ = setup
    forged = {"text": "mine", "deps": {"actor": "someone-else"}}
    bot, _ = copilot([call("log_note", forged, "1"), AIMessage("ok")])
    bot.send(actor, channel="test", text="note")
    with session_factory() as session:
        note = session.execute(select(Note)).scalar_one()
    assert note.author == actor.broker_id


def test_conversations_are_separate_per_broker_and_channel(setup):
    actor, copilot, _ = setup
    bot, _ = copilot([call("wipe_notes", {"text": "x"}, "1")])
    bot.send(actor, channel="telegram", text="wipe x")
    assert bot.pending_question(actor, "telegram") is not None
    assert bot.pending_question(actor, "slack") is None
    other = Actor(broker_id="b-999", name="Other", role="broker")
    assert bot.pending_question(other, "telegram") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("Да, конечно", "yes"),
        ("ok go", "yes"),
        ("no", "no"),
        ("нет", "no"),
        ("cancel that", "no"),
        ("call Ivan tomorrow", None),
        ("notebook", None),
    ],
)
def test_classify_answer(text, expected):
    assert classify_answer(text) == expected


def test_history_keeps_the_current_turn_and_fits_earlier_turns_to_the_budget():
    from langchain_core.messages import HumanMessage

    from agent.nodes import recent_history

    old = [HumanMessage("old " * 400), AIMessage("long answer " * 300)]
    mid = [HumanMessage("mid question"), AIMessage("short answer")]
    now = [HumanMessage("now"), call("agenda", {}, "9"), ToolMessage("x " * 2000, tool_call_id="9")]
    kept = recent_history([*old, *mid, *now], limit=16, token_budget=500)
    assert kept == [*mid, *now]  # the old turn is over budget; the current one always stays
    assert recent_history([*mid, *now], limit=3) == now


def test_long_conversations_stay_small(setup):
    from agent import conversation

    actor, copilot, _ = setup
    turns = conversation.MAX_KEPT_MESSAGES
    bot, _ = copilot([AIMessage(f"answer {i}") for i in range(turns)])
    for i in range(turns):
        bot.send(actor, channel="test", text=f"question {i}")
    config = bot._config(actor, "test")
    messages = bot.graph.get_state(config).values["messages"]
    assert len(messages) <= conversation.MAX_KEPT_MESSAGES
    assert messages[-1].content == f"answer {turns - 1}"
    assert isinstance(messages[0], HumanMessage)  # cut at a broker's message


def test_a_large_turn_pushes_earlier_turns_out_of_the_prompt_budget(setup):
    actor, copilot, _ = setup
    big = "lorem " * 1400  # the call and its result alone nearly fill a 3,000-token prompt
    bot, model = copilot(
        [
            AIMessage("Hi there."),
            call("log_note", {"text": big}, "1"),
            AIMessage("Logged the long one."),
            AIMessage("Yes."),
        ]
    )
    bot.send(actor, channel="test", text="hello")
    bot.send(actor, channel="test", text="note this")
    answering = model.seen[2]  # the model reading the long tool result
    assert answering[1].content == "note this"  # system prompt, then this turn: no history
    assert isinstance(answering[-1], ToolMessage)
    assert any(m.content == "hello" for m in model.seen[1])  # while the turn was small
    bot.send(actor, channel="test", text="ok?")
    # A turn too big for the history budget is left out whole: no result without its call.
    assert [m.content for m in model.seen[3][1:]] == ["ok?"]


@tool("standup", args_schema=NoteArgs, return_direct=True)
def standup(text: str, deps: ToolDeps | None = None) -> str:
    """A report worded for the broker: it is the reply as it is."""
    return f"{FAILED} (not_found): no such day." if text == "bad" else f"Agenda: {text}"


def test_a_report_tool_is_the_reply_without_a_second_model_call(setup):
    actor, copilot, _ = setup
    bot, model = copilot([call("standup", {"text": "three calls"}, "1")])
    bot.tools = [*TOOLS, standup]
    reply = bot.send(actor, channel="test", text="agenda?")
    assert reply.texts == ["Agenda: three calls"]
    assert reply.model_calls == 1 and len(model.seen) == 1


def test_a_failed_report_goes_back_to_the_model(setup):
    actor, copilot, _ = setup
    bot, _ = copilot([call("standup", {"text": "bad"}, "1"), AIMessage("Which day?")])
    bot.tools = [*TOOLS, standup]
    reply = bot.send(actor, channel="test", text="agenda for the 40th?")
    assert reply.texts == ["Which day?"] and reply.model_calls == 2
