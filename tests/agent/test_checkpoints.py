"""Conversations survive a restart: a confirmation asked in one process is answered in the
next, from SQLite checkpoints beside the store or from PostgreSQL with the store."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage

from agent.conversation import Copilot
from agent.graph import build_graph
from memory.checkpoints import open_checkpointer
from tests.agent.fakes import ScriptedChatModel, StoreBackend, call, provider_for
from tests.agent.test_graph import TOOLS, executions
from tests.conftest import as_broker
from tests.factories import make_broker
from tests.pg import pg_url  # noqa: F401 - fixture


def _restart_between_question_and_answer(database_url, var_dir, ctx, session_factory, clock):
    anna = make_broker(ctx, name="Anna Georgiou")
    ctx.session.commit()
    actor = as_broker(ctx, anna).actor
    backend = StoreBackend(session_factory=session_factory, clock=clock)
    executions.clear()

    def process(script):
        saver = open_checkpointer(database_url=database_url, var_dir=var_dir)
        return Copilot(
            graph=build_graph(saver),
            backend=backend,
            tools=TOOLS,
            model_provider=provider_for(ScriptedChatModel(script=script)),
        )

    first = process([call("wipe_notes", {"text": "x"}, "1")])
    asked = first.send(actor, channel="telegram", text="wipe x")
    assert asked.pending_confirmation and executions == []
    second = process([AIMessage("Done.")])  # a new process: same store, same checkpoints
    assert second.pending_question(actor, "telegram") == asked.pending_confirmation
    assert second.pending_question(actor, "slack") is None
    reply = second.send(actor, channel="telegram", text="yes")
    assert reply.texts == ["Noted: x"] and executions == ["x"]


def test_sqlite_checkpoints_beside_the_store(tmp_path, ctx, session_factory, clock):
    _restart_between_question_and_answer(
        f"sqlite:///{tmp_path}/store.sqlite", tmp_path, ctx, session_factory, clock
    )
    assert (tmp_path / "checkpoints.sqlite").exists()


@pytest.mark.postgres
def test_postgres_checkpoints_with_the_store(pg_url, tmp_path, ctx, session_factory, clock):  # noqa: F811
    _restart_between_question_and_answer(pg_url, tmp_path, ctx, session_factory, clock)
    assert not (tmp_path / "checkpoints.sqlite").exists()
