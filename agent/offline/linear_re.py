"""Cue patterns of the form "A … B" searched in linear time (issue #10).

`A.*B` is tried from every place A matches, and each try runs `.*` to the end of the line and
back: a clause that repeats A ("call call call …", 8,000 digits for `\\d.*instead`) costs time
quadratic in its length. `temper` writes each such `.*` as `(?:(?!A).)*`, which stops at the
next A: the search then goes on from that A, and the last A before B is as good a start as any.
So `search` says yes exactly when the pattern as written would — the cues only ask whether they
match — while every character is scanned a bounded number of times.
"""

from __future__ import annotations

import re
from itertools import pairwise


def _top_level(pattern: str, separator: str) -> list[str]:
    """`pattern` cut at each `separator` ("|" or ".*") outside groups, classes and escapes."""
    pieces: list[str] = []
    depth = 0
    start = i = 0
    in_class = False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # "[]…]": a "]" first is a member
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and pattern.startswith(separator, i):
            lazy_or_possessive = pattern[i + len(separator) : i + len(separator) + 1] in ("?", "+")
            if separator == "|" or not lazy_or_possessive:
                pieces.append(pattern[start:i])
                i += len(separator)
                start = i
                continue
        i += 1
    pieces.append(pattern[start:])
    return pieces


def temper(pattern: str) -> str:
    """`pattern` with every `.*` at the top level of a branch, after a piece A, made
    `(?:(?!A).)*` (see the module docstring). A piece anchored at the start ("^…") is tried once
    anyway and keeps its `.*`."""
    branches: list[str] = []
    for branch in _top_level(pattern, "|"):
        pieces = _top_level(branch, ".*")
        out = pieces[0]
        for before, after in pairwise(pieces):
            anchored = not before or before.startswith("^")
            out += ".*" if anchored else f"(?:(?!{before}).)*"
            out += after
        branches.append(out)
    tempered = "|".join(branches)
    re.compile(tempered)  # a pattern this cannot rewrite fails here, at import
    return tempered
