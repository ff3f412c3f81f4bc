"""Long messages cost time linear in their length (issue #10): 8,000 characters of padding or
repeats that backtracking regexes took seconds to minutes over ("a" + spaces + "b": 6 s,
"a a a …": 32 s, "a-a-a-…": over two minutes) are read in well under a second. The bound is
loose, for a loaded CI machine; `copilot bench --only long_input` measures them."""

from __future__ import annotations

import time

import pytest

N = 8_000
INPUTS = {
    "spaces between two letters": "a" + " " * (N - 2) + "b",
    "one digit": "7" * N,
    "a a a": "a " * (N // 2),
    "a-a-a-": "a-" * (N // 2),
    "и и и": "и " * (N // 2),
    "call call": "call " * (N // 5),
    "full stops, then a letter": "." * (N - 1) + "x",
    "new new": "new " * (N // 4),
    "padded order": " " * 3978 + "remind me to call Ivan Petrov tomorrow at 11" + " " * 3978,
}


@pytest.mark.parametrize("text", INPUTS.values(), ids=INPUTS.keys())
def test_a_long_message_is_read_in_linear_time(shared_brokerage, text):
    started = time.perf_counter()
    shared_brokerage.reply(text)
    assert time.perf_counter() - started < 3.0
