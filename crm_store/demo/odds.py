"""Weighted choices prepared once: random.choices rebuilds its table on every call."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Odds(Generic[T]):
    """`items` drawn in proportion to `weights`, with one random number per draw."""

    __slots__ = ("_cumulative", "_total", "items")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if len(items) != len(weights) or not items:
            raise ValueError("one weight per item, at least one item")
        self.items = tuple(items)
        self._cumulative = tuple(accumulate(weights))
        self._total = self._cumulative[-1]

    @classmethod
    def of(cls, weights: Mapping[T, float]) -> Odds[T]:
        return cls(tuple(weights), tuple(weights.values()))

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect(self._cumulative, rng.random() * self._total)]
