"""The offline model's confidence per call (issue #10): a write the clause did not say plainly
is read back before it runs; a plain command still runs at once."""

from __future__ import annotations

import pytest

from agent.context import UNCERTAIN
from tests.agent.offline.turns import turns as _turns


def _doubted(reply) -> set[str]:
    uncertain = set(reply.additional_kwargs.get(UNCERTAIN) or {})
    return {call["name"] for call in reply.tool_calls if call["id"] in uncertain}


@pytest.mark.parametrize(
    "text",
    [
        "remind me to call Ivan Petrov tomorrow at 11",
        "move Ivan Petrov to viewing",
        "Ivan Petrov's budget is now up to 550k",
        "напомни позвонить Ольге Смирновой в пятницу в 12",
    ],
)
def test_a_plain_command_runs_at_once(brokerage, text):
    [reply] = _turns(brokerage, text)
    assert reply.tool_calls
    assert not _doubted(reply)


@pytest.mark.parametrize(
    "text",
    [
        # words of a stage move and of a follow-up in one clause
        "звонок Ивану Сидорову по снижению цены отметь как сделанный",
        # an amount no slot read: the commission may be the closing price meant
        "Ivan Petrov paid, 8250 came in this morning, close his deal as won",
    ],
)
def test_a_doubtful_write_is_read_back(brokerage, text):
    [reply] = _turns(brokerage, text)
    assert reply.tool_calls
    assert _doubted(reply) == {call["name"] for call in reply.tool_calls} - {"log_note"}
