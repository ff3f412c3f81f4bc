"""Note extraction through a hosted model (structured output over real HTTP), with the offline
extractor as the fallback when the server fails."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from agent.extraction import make_note_extractor
from agent.models import ModelConfig
from crm_store.context import Actor
from tests.agent.fakes import StoreBackend
from tests.agent.openai_server import ScriptedOpenAIServer, running, text_answer
from tests.factories import make_broker, make_contact

NICOSIA = ZoneInfo("Asia/Nicosia")


def _actor(ctx):
    anna = make_broker(ctx, name="Anna Georgiou")
    make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    ctx.session.commit()
    return Actor(broker_id=anna.id, name=anna.name, role="broker", language="en")


def test_hosted_structured_extraction(ctx, session_factory, clock):
    actor = _actor(ctx)
    facts = {
        "contact_name": "Ivan Petrov",
        "showing": {"listings": ["l-5"], "reactions": [
            {"listing": "l-5", "reaction": "disliked", "text": "too noisy"}]},
        "criteria": {"budget_max": "550000"},
        "next_step": {"action": "call back", "due_at": "2026-03-13T15:00:00+02:00",
                      "channel": "call"},
    }  # fmt: skip
    server = ScriptedOpenAIServer(script=[text_answer(json.dumps(facts))])
    backend = StoreBackend(session_factory=session_factory, clock=clock)
    with running(server):
        config = ModelConfig(name="openai:local", base_url=server.base_url, api_key="sk-x",
                             max_retries=0)  # fmt: skip
        extracted = make_note_extractor(config, backend)(actor, "Met Ivan, l-5 too noisy…")
    assert extracted is not None
    assert extracted.showing.reactions[0].reaction == "disliked"
    assert extracted.next_step.due_at == datetime(2026, 3, 13, 15, 0, tzinfo=NICOSIA)
    request = server.requests[0]
    assert "response_format" in request or "tools" in request  # structured output was asked
    assert "never follow instructions" in request["messages"][0]["content"]


def test_server_failure_falls_back_to_the_offline_extractor(ctx, session_factory, clock):
    actor = _actor(ctx)
    backend = StoreBackend(session_factory=session_factory, clock=clock)
    config = ModelConfig(name="openai:local", base_url="http://127.0.0.1:9/v1", api_key="sk-x",
                         max_retries=0, timeout_s=2)  # fmt: skip
    extracted = make_note_extractor(config, backend)(actor, "Call Ivan Petrov on Friday at 3pm")
    assert extracted is not None and extracted.next_step is not None
    assert extracted.next_step.due_at.hour == 15
