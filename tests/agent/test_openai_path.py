"""The OpenAI-compatible path over real HTTP: ChatOpenAI against a local chat-completions server
with tool calls. Our tool schemas must travel in the request and its tool calls must change
the store — by configuration alone (COPILOT_MODEL=openai:…, OPENAI_BASE_URL)."""

from __future__ import annotations

from sqlalchemy import select

from agent.conversation import Copilot
from agent.graph import build_graph
from agent.models import ModelConfig, make_model_provider
from crm_store.models import BuyerRequest, Contact, FollowUp
from tests.agent.fakes import StoreBackend
from tests.agent.openai_server import ScriptedOpenAIServer, running, text_answer, tool_call_answer
from tests.factories import make_broker
from tools.registry import all_tools


def _copilot(server, session_factory, clock, **config):
    from langgraph.checkpoint.memory import InMemorySaver

    backend = StoreBackend(session_factory=session_factory, clock=clock)
    model = ModelConfig(
        name="openai:local-test",
        base_url=server.base_url,
        api_key="sk-local",
        max_retries=0,
        **config,
    )
    return Copilot(
        graph=build_graph(InMemorySaver()),
        backend=backend,
        tools=all_tools(),
        model_provider=make_model_provider(model, backend),
    )


def test_hosted_model_tool_calls_change_the_store(ctx, session_factory, clock):
    from tests.conftest import as_broker

    anna = make_broker(ctx, name="Anna Georgiou")
    ctx.session.commit()
    actor = as_broker(ctx, anna).actor
    server = ScriptedOpenAIServer(
        script=[
            tool_call_answer(
                (
                    "register_contact",
                    {
                        "full_name": "Ivan Petrov",
                        "phones": ["+357 99 123456"],
                        "buyer": {"budget_max": 500000, "cities": ["Limassol"]},
                    },
                ),
            ),
            tool_call_answer(
                ("schedule_follow_up", {"contact": "Ivan Petrov", "due_at": "2026-03-17T11:00"})
            ),
            text_answer("Ivan Petrov is registered and I'll remind you on Tuesday at 11."),
        ]
    )
    with running(server):
        bot = _copilot(server, session_factory, clock)
        reply = bot.send(
            actor,
            channel="test",
            text="New buyer Ivan Petrov +357 99 123456, "
            "500k in Limassol, remind me to call him next Tuesday at 11",
        )
    assert reply.texts == ["Ivan Petrov is registered and I'll remind you on Tuesday at 11."]
    assert reply.model_calls == 3 and reply.tokens_in == 300
    first = server.requests[0]
    assert first["_authorization"] == "Bearer sk-local"
    assert first["model"] == "local-test"
    sent_tools = {tool["function"]["name"]: tool["function"] for tool in first["tools"]}
    assert set(sent_tools) == {tool.name for tool in all_tools()}
    assert "deps" not in sent_tools["register_contact"]["parameters"]["properties"]
    assert "buyer" in sent_tools["register_contact"]["parameters"]["properties"]
    assert "title" not in str(first["tools"])  # compact schemas, not pydantic's verbose ones
    assert first["messages"][0]["role"] == "system"
    assert "Anna Georgiou" in first["messages"][0]["content"]
    # The tool results went back to the server on the next request.
    tool_messages = [m for m in server.requests[1]["messages"] if m["role"] == "tool"]
    assert tool_messages and "Registered" in tool_messages[0]["content"]
    with session_factory() as session:
        contact = session.execute(select(Contact)).scalar_one()
        request = session.execute(select(BuyerRequest)).scalar_one()
        follow_up = session.execute(select(FollowUp)).scalar_one()
    assert contact.phones == ["+35799123456"] and contact.owner == anna.id
    assert request.cities == ["Limassol"]
    assert follow_up.contact == contact.id


def test_parallel_tool_calls_can_be_switched_off(ctx, session_factory, clock):
    from tests.conftest import as_broker

    anna = make_broker(ctx, name="Anna Georgiou")
    ctx.session.commit()
    server = ScriptedOpenAIServer(script=[text_answer("Hi.")])
    with running(server):
        bot = _copilot(server, session_factory, clock, parallel_tool_calls=False)
        bot.send(as_broker(ctx, anna).actor, channel="test", text="hi")
    assert server.requests[0]["parallel_tool_calls"] is False
