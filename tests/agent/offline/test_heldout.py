"""The held-out corpus (data/heldout_*.jsonl, see heldout.py): brokers' own phrasings, scored.

Not one assertion per utterance: the corpus measures how well the model copes with writing
it was not built from, so the test holds the rate and, without exception, safety: nothing
unclear becomes a write it was not asked for.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from crm_store.clock import FrozenClock
from crm_store.context import SYSTEM, Ctx
from crm_store.db import make_engine, make_session_factory
from tests.agent.offline.conftest import build_brokerage
from tests.agent.offline.heldout import add_heldout_clients, evaluate, load_cases
from tests.conftest import TUESDAY_9AM

MIN_RATE = 0.5


@pytest.fixture(scope="module")
def heldout_brokerage(template_store, tmp_path_factory) -> Iterator[Any]:
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


def test_the_corpus_is_large_and_two_fifths_russian():
    cases = load_cases()
    assert len(cases) >= 150
    assert sum(c.language == "ru" for c in cases) * 5 >= len(cases) * 2


def test_held_out_accuracy(heldout_brokerage):
    report = evaluate(heldout_brokerage, load_cases())
    assert report.overall.rate >= MIN_RATE, report.text()
