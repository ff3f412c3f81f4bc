"""Money told in a report, through the whole runtime on the eval fixture (issue #10, spent
batches): the budget read back and applied on "yes" is the one said as the budget, never the
bank's loan or the value it replaces; a place the client is against leaves the search.
Иван Сидоров (r-6, Dmitry's buyer) looks in Paphos up to €300,000."""

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


@pytest.fixture
def chat(runtime) -> Callable[[str], list[str]]:
    with runtime.unit_of_work() as ctx:
        actor = actor_for(resolve_broker(ctx.session, "Dmitry Volkov"), channel="test")
    return lambda text: runtime.copilot.send(actor, channel="test", text=text).texts


def _sidorov(runtime: Runtime) -> BuyerRequest:
    with runtime.unit_of_work() as ctx:
        request = ctx.session.get(BuyerRequest, "r-6")
        assert request is not None
        return request


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
