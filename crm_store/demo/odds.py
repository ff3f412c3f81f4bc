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


class DemoRandom(random.Random):
    """random.Random with one-draw choice/randint/randrange: the demo makes millions of them.

    The standard versions reject-sample with getrandbits through three Python frames; scaling
    one random() is exact enough for test data and still fully determined by the seed.
    """

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))
