"""Criteria told or ordered, through the whole runtime on the eval fixture (issue #10, spent
batches and session 6 trials): the budget read back and applied on "yes" is the one said as the
budget, never the bank's loan or the value it replaces; a place or a kind of home the client is
against leaves the search; a district added to a city searched whole does not narrow it; a
reason is no wish. Иван Сидоров (r-6, Dmitry's) looks in Paphos up to €300,000; Michael Brown
(r-3, Anna's) wants a villa or house in all of Limassol with a private pool."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest

from app.runtime import Runtime
from app.settings import load_settings
from crm_store.models import BuyerRequest
from crm_store.services.brokers import actor_for, resolve_broker
from crm_store.transfer import import_store, read_canonical
from evals.runner import EmptyStores
from evals.trust import FIXTURE, NOW


@pytest.fixture
def runtime(tmp_path) -> Iterator[Runtime]:
    store = EmptyStores(tmp_path).new()  # a migrated empty store
    settings = load_settings(database_url=f"sqlite:///{store}", var_dir=store.parent, now=NOW)
    runtime = Runtime(settings=settings, ephemeral_conversations=True)
    with runtime.unit_of_work() as ctx:
        import_store(ctx, read_canonical(FIXTURE))
    yield runtime
    runtime.close()


def _chat_as(runtime: Runtime, broker: str) -> Callable[[str], list[str]]:
    with runtime.unit_of_work() as ctx:
        actor = actor_for(resolve_broker(ctx.session, broker), channel="test")
    return lambda text: runtime.copilot.send(actor, channel="test", text=text).texts


@pytest.fixture
def chat(runtime) -> Callable[[str], list[str]]:
    return _chat_as(runtime, "Dmitry Volkov")


def _request(runtime: Runtime, request_id: str) -> BuyerRequest:
    with runtime.unit_of_work() as ctx:
        request = ctx.session.get(BuyerRequest, request_id)
        assert request is not None
        return request


def _sidorov(runtime: Runtime) -> BuyerRequest:
    return _request(runtime, "r-6")


@pytest.mark.parametrize(
    ("report", "budget"),
    [
        ("говорил с Сидоровым: ипотеку одобрили на 250к, остальное своими, общий бюджет 320", 320),
        ("Сидоров звонил, бюджет теперь 350, а не 320", 350),
        ("Sidorov called: the bank approved 200k, with savings 330k is the max now", 330),
    ],
)
def test_the_budget_applied_is_the_one_said_as_the_budget(chat, runtime, report, budget):
    chat(report)
    chat("да")
    assert _sidorov(runtime).budget_max == Decimal(budget * 1000)


def test_a_place_the_client_is_against_leaves_the_search(chat, runtime):
    chat("говорил с Сидоровым. жена против Пафоса, смотрят только Лимассол")
    chat("да")
    assert _sidorov(runtime).cities == ["Limassol"]


def test_a_kind_of_home_said_not_wanted_and_a_hyphenated_wish(runtime):
    """A trial: "NOT commercial" added commercial, "a nice-to-have" kept the must-have."""
    chat = _chat_as(runtime, "Anna Georgiou")
    chat("michael brown wants villa or house, NOT commercial. private pool is a nice-to-have")
    request = _request(runtime, "r-3")
    assert "commercial" not in request.property_types
    assert "private_pool" not in request.must_haves


def test_a_district_added_to_a_city_searched_whole_does_not_narrow_it(runtime):
    chat = _chat_as(runtime, "Anna Georgiou")
    chat("michael brown: add agios tychonas")
    assert _request(runtime, "r-3").districts == []


def test_a_reason_and_a_home_office_are_no_wish_and_no_commercial(runtime):
    chat = _chat_as(runtime, "Anna Georgiou")
    chat("spoke to michael brown, they need 4 beds because of the kids and a home office")
    chat("yes")
    request = _request(runtime, "r-3")
    assert request.bedrooms_min == 4
    assert "commercial" not in request.property_types
    assert "because" not in (request.wishes or "")


def test_a_place_no_longer_wanted_in_a_report_stays_off(runtime):
    """A trial: "вилла в Никосии больше не интересна, теперь смотрят Лимассол тоже" kept
    Nicosia (Сидоров searches Paphos)."""
    chat = _chat_as(runtime, "Dmitry Volkov")
    chat("говорил с Сидоровым, Пафос больше не интересен, теперь смотрят Ларнаку тоже")
    chat("да")
    assert _sidorov(runtime).cities == ["Larnaca"]
