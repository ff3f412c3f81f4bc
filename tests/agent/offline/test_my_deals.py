""" "my deals", "мои сделки", "which buyers are at viewing?" (issue #10 trials: not understood)
ask where the broker's deals stand; nothing is written."""

from __future__ import annotations

import pytest

from tests.agent.offline.turns import calls, turns


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("my deals", {"metric": "deals_by_stage"}),
        ("show me my pipeline", {"metric": "deals_by_stage"}),
        ("мои сделки", {"metric": "deals_by_stage"}),
        ("покажи мою доску", {"metric": "deals_by_stage"}),
        (
            "which buyers are at the viewing stage?",
            {"metric": "deals_by_stage", "stage": "viewing", "side": "buyer"},
        ),
        (
            "какие у меня покупатели на стадии показов?",
            {"metric": "deals_by_stage", "stage": "viewing", "side": "buyer"},
        ),
    ],
)
def test_the_brokers_deals_by_stage(shared_brokerage, text, args):
    [reply] = turns(shared_brokerage, text)
    assert calls(reply) == [("pipeline_report", args)]
