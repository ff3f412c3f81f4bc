"""The HTTP API: no token, no data; a broker's token reaches the copilot as that broker."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver

from agent.conversation import Copilot
from agent.graph import build_graph
from app.runtime import Runtime
from app.settings import Settings
from channels.http.app import create_app
from crm_store.services.tokens import issue_token
from tests.agent.fakes import ScriptedChatModel, provider_for
from tests.conftest import TUESDAY_9AM
from tests.factories import make_broker, make_contact, make_follow_up


@pytest.fixture
def client(store_url, tmp_path, ctx):
    anna = make_broker(ctx, name="Anna Georgiou")
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    make_follow_up(ctx, owner=anna, contact=ivan, due_at=TUESDAY_9AM.replace(hour=15))
    token = issue_token(ctx, broker=anna)
    ctx.session.commit()
    runtime = Runtime(settings=Settings(database_url=store_url, var_dir=tmp_path, now=TUESDAY_9AM))
    model = ScriptedChatModel(script=[AIMessage("Hello Anna.")])
    runtime.__dict__["copilot"] = Copilot(
        graph=build_graph(InMemorySaver()),
        backend=runtime,
        tools=[],
        model_provider=provider_for(model),
    )
    with TestClient(create_app(runtime)) as test_client:
        yield test_client, token, model
    runtime.close()


def test_health_and_openapi_are_public(client):
    http, _, _ = client
    assert http.get("/health").json() == {"status": "ok"}
    assert "/chat" in http.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_without_a_valid_token_nothing_is_answered(client, header):
    http, _, model = client
    headers = {"Authorization": header} if header else {}
    response = http.post("/chat", json={"message": "hi"}, headers=headers)
    assert response.status_code == 401
    assert "replies" not in response.json()
    assert http.get("/api/agenda", headers=headers).status_code == 401
    assert model.seen == []


def test_a_token_speaks_as_its_broker(client):
    http, token, model = client
    auth = {"Authorization": f"Bearer {token}"}
    response = http.post("/chat", json={"message": "hi"}, headers=auth)
    assert response.status_code == 200
    assert response.json() == {"replies": ["Hello Anna."], "pending_confirmation": None}
    assert "Anna Georgiou" in model.seen[0][0].content
    agenda = http.get("/api/agenda", headers=auth).json()
    assert [item["group"] for item in agenda] == ["due_today"]
    assert http.post("/chat", json={"message": ""}, headers=auth).status_code == 422
