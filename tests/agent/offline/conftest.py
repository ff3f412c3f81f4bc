"""A small brokerage for the offline model: Anna's clients in both scripts, deals, listings.

Clock: Tuesday 2026-03-10 09:00 Asia/Nicosia (tests/conftest.py).
Anna (broker, en): Ivan Petrov c-1, Olga Smirnova c-2, Maria Ivanova c-3, Иван Сидоров c-4,
Andreas Georgiou c-5, Sofia Papadopoulou c-6, Nikos Christodoulou c-7 (two listings: a house
in Larnaca l-3 and a penthouse in Potamos l-5).
Dmitry (broker, ru): Павел Орлов c-8 (not Anna's). Elena Markou: the team's manager.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from agent.offline.model import OfflineChatModel
from crm_store.clock import FrozenClock
from crm_store.context import SYSTEM, Actor, Ctx
from crm_store.db import make_engine, make_session_factory
from tests.agent.fakes import StoreBackend
from tests.conftest import TUESDAY_9AM
from tests.factories import (
    make_appointment,
    make_broker,
    make_buyer_request,
    make_contact,
    make_follow_up,
    make_listing,
)
from tools.registry import all_tools

# Tools of the contract that may not be registered yet: bound by name for understanding tests.
CONTRACT = (
    "book_appointment",
    "record_appointment",
    "log_note",
    "client_card",
    "match_listings",
    "curated_list",
    "match_buyers",
    "explain_match",
    "recall",
    "pipeline_report",
)


def bound_tools() -> list[Any]:
    real = all_tools()
    names = {tool.name for tool in real}
    stubs = [
        {"type": "function", "function": {"name": name, "parameters": {"type": "object"}}}
        for name in CONTRACT
        if name not in names
    ]
    return [*real, *stubs]


def actor_of(broker: Any) -> Actor:
    return Actor(
        broker_id=broker.id,
        name=broker.name,
        role=broker.role,
        team=broker.team,
        timezone=broker.timezone,
        language=broker.language,
        channel="test",
    )


@dataclass
class Brokerage:
    """The store, the backend over it, and who may speak."""

    backend: StoreBackend
    actors: dict[str, Actor]
    ids: dict[str, str] = field(default_factory=dict)

    def model(self, who: str = "anna", tools: list[Any] | None = None) -> Any:
        chosen = bound_tools() if tools is None else tools
        return OfflineChatModel(backend=self.backend, actor=self.actors[who]).bind_tools(chosen)

    def reply(
        self, text: str, *, who: str = "anna", history: list[BaseMessage] | None = None
    ) -> AIMessage:
        messages = [SystemMessage("You are Broker Copilot."), *(history or []), HumanMessage(text)]
        result = self.model(who).invoke(messages)
        assert isinstance(result, AIMessage)
        return result

    def calls(self, text: str, **kw: Any) -> list[tuple[str, dict[str, Any]]]:
        return [(call["name"], call["args"]) for call in self.reply(text, **kw).tool_calls]


@pytest.fixture
def brokerage(ctx, session_factory, clock) -> Brokerage:
    """A fresh store per test (for tests that write)."""
    return build_brokerage(ctx, session_factory, clock)


@pytest.fixture(scope="module")
def shared_brokerage(template_store, tmp_path_factory) -> Iterator[Brokerage]:
    """One store for a module of read-only understanding tests (nothing there writes)."""
    target = tmp_path_factory.mktemp("offline") / "store.sqlite"
    shutil.copy(template_store, target)
    engine = make_engine(f"sqlite:///{target}")
    factory = make_session_factory(engine)
    clock = FrozenClock(TUESDAY_9AM)
    session = factory()
    try:
        yield build_brokerage(Ctx(session=session, actor=SYSTEM, clock=clock), factory, clock)
    finally:
        session.close()
        engine.dispose()


@pytest.fixture(scope="module")
def heldout_brokerage(template_store, tmp_path_factory) -> Iterator[Brokerage]:
    """The brokerage plus clients with several follow-ups (heldout.add_heldout_clients)."""
    from tests.agent.offline.heldout import add_heldout_clients

    target = tmp_path_factory.mktemp("heldout") / "store.sqlite"
    shutil.copy(template_store, target)
    engine = make_engine(f"sqlite:///{target}")
    factory = make_session_factory(engine)
    clock = FrozenClock(TUESDAY_9AM)
    session = factory()
    try:
        ctx = Ctx(session=session, actor=SYSTEM, clock=clock)
        brokerage = build_brokerage(ctx, factory, clock)
        add_heldout_clients(ctx)
        yield brokerage
    finally:
        session.close()
        engine.dispose()


def build_brokerage(ctx: Ctx, session_factory: Any, clock: Any) -> Brokerage:
    anna = make_broker(ctx, name="Anna Georgiou")
    dmitry = make_broker(ctx, name="Dmitry Volkov", language="ru")
    boss = make_broker(ctx, name="Elena Markou", role="manager")
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov", phones=["+35799123456"])
    olga = make_contact(ctx, owner=anna, full_name="Olga Smirnova")
    maria = make_contact(ctx, owner=anna, full_name="Maria Ivanova")
    sidorov = make_contact(ctx, owner=anna, full_name="Иван Сидоров")
    andreas = make_contact(ctx, owner=anna, full_name="Andreas Georgiou")
    sofia = make_contact(ctx, owner=anna, full_name="Sofia Papadopoulou")
    nikos = make_contact(ctx, owner=anna, full_name="Nikos Christodoulou")
    pavel = make_contact(ctx, owner=dmitry, full_name="Павел Орлов")
    make_buyer_request(ctx, owner=anna, buyer=ivan, stage="qualification")
    make_buyer_request(ctx, owner=anna, buyer=maria, stage="demand_research")
    make_buyer_request(ctx, owner=anna, buyer=sidorov, stage="viewing")
    make_buyer_request(ctx, owner=anna, buyer=sofia, stage="decision")
    make_buyer_request(ctx, owner=dmitry, buyer=pavel, stage="viewing")
    amathus = make_listing(
        ctx, owner=anna, seller=olga, stage="contacted", address="12 Amathus Ave"
    )
    olympion = make_listing(
        ctx,
        owner=anna,
        seller=andreas,
        stage="active_listing",
        address="7 Olympion St",
        property_type="villa",
        city="Paphos",
        district="Peyia",
        price=Decimal("850000"),
    )
    make_listing(
        ctx,
        owner=anna,
        seller=nikos,
        stage="agreement_signed",
        address="3 Makariou Ave",
        property_type="house",
        city="Larnaca",
        district=None,
    )
    make_listing(
        ctx,
        owner=dmitry,
        stage="active_listing",
        address="22 Tombs of the Kings Rd",
        city="Paphos",
        district="Kato Paphos",
    )
    make_listing(
        ctx,
        owner=anna,
        seller=nikos,
        stage="active_listing",
        address="Penthouse 7, 2 Potamos St",
        property_type="penthouse",
        city="Limassol",
        district="Potamos Germasogeia",
        price=Decimal("495000"),
    )
    now = clock.now()
    make_follow_up(ctx, owner=anna, contact=maria, due_at=now + timedelta(days=1))
    make_follow_up(ctx, owner=anna, contact=olga, due_at=now + timedelta(hours=5))
    make_appointment(
        ctx,
        owner=anna,
        contact=sidorov,
        scheduled_at=now - timedelta(hours=2),
        listings=[olympion.id, amathus.id],
    )
    ctx.session.commit()
    backend = StoreBackend(session_factory=session_factory, clock=clock)
    actors = {"anna": actor_of(anna), "dmitry": actor_of(dmitry), "boss": actor_of(boss)}
    return Brokerage(backend, actors, {"amathus": amathus.id, "olympion": olympion.id})
