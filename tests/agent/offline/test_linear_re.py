"""Tempered cues (agent/offline/linear_re.py): they match exactly the clauses the cues as written
match, and a clause that repeats a cue's first words is read in linear time (issue #10)."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import agent.offline.cue_sets as cue_sets
from agent.offline.intents import INTENTS
from agent.offline.linear_re import temper


def _written_cues() -> list[str]:
    """Every cue pattern as its module writes it: the cue lists of the `spec(...)` calls in the
    cue modules' source, evaluated in the module (before `spec` tempers them)."""
    written: list[str] = []
    for path in sorted(Path(cue_sets.__file__).parent.glob("cue_sets*.py")):
        module = importlib.import_module(f"agent.offline.{path.stem}")
        tree = ast.parse(inspect.getsource(module))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "spec":
                expression = compile(ast.Expression(node.args[1]), path.name, "eval")
                cues = eval(expression, vars(module))
                written += [pattern for pattern, _ in cues]
    return written


CUES = [pattern for pattern in _written_cues() if temper(pattern) != pattern]
_PLACEHOLDERS = ["@name", "@date", "@phone", "@email", "@ref", "@money", "@feat", "@stage"]


def _vocabulary(pattern: str) -> list[str]:
    return sorted(set(re.findall(r"[^\W\d_]{2,}", re.sub(r"\\[a-zA-Z]", " ", pattern))))


def test_top_level_dots_are_tempered_and_nothing_else():
    assert temper(r"\bcall\b.*\bdone\b") == r"\bcall\b(?:(?!\bcall\b).)*\bdone\b"
    assert temper(r"a.*b|c.*d.*e") == r"a(?:(?!a).)*b|c(?:(?!c).)*d(?:(?!d).)*e"
    assert temper(r"^(?!.*x).*y") == r"^(?!.*x).*y"  # anchored: tried once anyway
    assert temper(r"a.*?b|a.*+b|a\.*b|[.*]b|(?:a.*b)") == r"a.*?b|a.*+b|a\.*b|[.*]b|(?:a.*b)"


def test_the_cues_read_are_the_written_ones_tempered():
    compiled = [pattern.pattern for spec in INTENTS for pattern, _ in spec.cues]
    assert sorted(compiled) == sorted(temper(p) for p in _written_cues())
    assert len(CUES) > 50


@pytest.mark.parametrize("pattern", CUES)
def test_a_tempered_cue_matches_what_the_cue_as_written_matches(pattern):
    written, tempered = re.compile(pattern), re.compile(temper(pattern))
    words = [*_vocabulary(pattern), *_PLACEHOLDERS, "x", "7"]

    @settings(max_examples=60, derandomize=True, deadline=None, database=None)
    @given(
        st.lists(st.sampled_from(words), max_size=14),
        st.lists(st.sampled_from([" ", " ", ", ", "\n", " - "]), min_size=14, max_size=14),
    )
    def check(tokens: list[str], separators: list[str]) -> None:
        text = "".join(t + s for t, s in zip(tokens, separators, strict=False))
        assert bool(written.search(text)) == bool(tempered.search(text)), text

    check()


def test_a_clause_repeating_a_cues_first_word_is_read_in_linear_time():
    started = time.perf_counter()
    for pattern in CUES:
        tempered = re.compile(temper(pattern))
        for word in _vocabulary(pattern)[:3]:
            tempered.search(f"{word} " * (8000 // (len(word) + 1)))
    assert time.perf_counter() - started < 5.0  # as written: minutes
