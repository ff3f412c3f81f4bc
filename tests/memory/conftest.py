"""Fixtures for matching tests: a team of brokers and a matcher on the fake embedder."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crm_store.context import Ctx
from crm_store.models import Broker
from memory.matching import Matcher
from tests.factories import make_broker
from tests.memory.fakes import FakeEmbedder


@dataclass
class Team:
    anna: Broker
    boris: Broker
    maria: Broker  # manager
    zoe: Broker  # another team


@pytest.fixture
def team(ctx: Ctx) -> Team:
    return Team(
        anna=make_broker(ctx, name="Anna Georgiou"),
        boris=make_broker(ctx, name="Boris Ivanov", language="ru"),
        maria=make_broker(ctx, name="Maria Kyriakou", role="manager"),
        zoe=make_broker(ctx, name="Zoe Other", team="north"),
    )


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def matcher(embedder: FakeEmbedder) -> Matcher:
    # Every call looks for changes (audit trail and full fingerprints): tests see writes at once.
    return Matcher(embedder, check_seconds=0.0, full_check_seconds=0.0)
