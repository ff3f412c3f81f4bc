"""The terminal REPL: answers each line, asks yes/no before destructive changes, exits cleanly."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from rich.console import Console

from agent.conversation import Copilot
from agent.graph import build_graph
from channels.terminal import run_repl
from tests.agent.fakes import ScriptedChatModel, StoreBackend, call, provider_for
from tests.agent.test_graph import TOOLS, executions
from tests.conftest import as_broker
from tests.factories import make_broker


@pytest.fixture
def repl(ctx, session_factory, clock, monkeypatch):
    anna = make_broker(ctx, name="Anna Georgiou")
    ctx.session.commit()
    actor = as_broker(ctx, anna).actor
    executions.clear()

    def play(lines: list[str], confirms: list[bool], script: list[AIMessage]) -> str:
        answers: Iterator[str] = iter(lines)
        decisions: Iterator[bool] = iter(confirms)

        def ask(*_args: object, **_kw: object) -> str:
            try:
                return next(answers)
            except StopIteration:
                raise EOFError from None

        monkeypatch.setattr("channels.terminal.Prompt.ask", ask)
        monkeypatch.setattr("channels.terminal.Confirm.ask", lambda *a, **k: next(decisions))
        bot = Copilot(
            graph=build_graph(InMemorySaver()),
            backend=StoreBackend(session_factory=session_factory, clock=clock),
            tools=TOOLS,
            model_provider=provider_for(ScriptedChatModel(script=script)),
        )
        out = io.StringIO()
        run_repl(bot, actor, console=Console(file=out, width=120))
        return out.getvalue()

    return play


def test_answers_and_confirms(repl):
    output = repl(
        ["note hello", "wipe it", "exit"],
        [True],
        [
            call("log_note", {"text": "hello"}, "1"),
            AIMessage("Logged."),
            call("wipe_notes", {"text": "x"}, "2"),
            AIMessage("Wiped."),
        ],
    )
    assert "Anna Georgiou" in output and "Logged." in output and "Noted: x" in output
    assert executions == ["hello", "x"]


def test_declining_changes_nothing_and_eof_ends_the_session(repl):
    output = repl(
        ["wipe it"], [False], [call("wipe_notes", {"text": "x"}, "1"), AIMessage("Not done.")]
    )
    assert "nothing changed" in output and executions == []
