"""Demo stage histories: each deal walks the SPEC §3 pipeline one legal move at a time."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from crm_store.demo.odds import Odds
from crm_store.vocabulary import (
    BUYER_EXIT,
    BUYER_STAGES,
    LOST_REASONS,
    SELLER_EXIT,
    SELLER_STAGES,
    WITHDRAWN_REASONS,
)

# Where today's deals sit: most listings are on the market, a healthy share of buyers was lost.
SELLER_MIX = {
    "prospect": 6,
    "contacted": 7,
    "agreement_signed": 7,
    "active_listing": 52,
    "sold": 4,
    "commission_payment": 3,
    "closed_won": 12,
    SELLER_EXIT: 9,
}
BUYER_MIX = {
    "qualification": 12,
    "demand_research": 14,
    "viewing": 20,
    "decision": 9,
    "signing": 5,
    "payment": 3,
    "closed_won": 13,
    BUYER_EXIT: 24,
}
# Working days a move usually takes, from the stage named to the next one.
SELLER_STEP = {
    "prospect": (1, 10),
    "contacted": (3, 25),
    "agreement_signed": (3, 15),
    "active_listing": (10, 150),
    "sold": (10, 40),
    "commission_payment": (3, 15),
}
BUYER_STEP = {
    "qualification": (1, 7),
    "demand_research": (2, 20),
    "viewing": (5, 40),
    "decision": (3, 20),
    "signing": (5, 30),
    "payment": (3, 20),
}
# Working days spent so far in today's stage.
SELLER_DWELL = {
    "prospect": (1, 30),
    "contacted": (1, 40),
    "agreement_signed": (1, 20),
    "active_listing": (1, 200),
    "sold": (1, 30),
    "commission_payment": (1, 15),
}
BUYER_DWELL = {
    "qualification": (1, 15),
    "demand_research": (1, 30),
    "viewing": (1, 40),
    "decision": (1, 20),
    "signing": (1, 15),
    "payment": (1, 15),
}
CLOSED_DWELL = (1, 300)  # closed deals spread over about a year, so every month has history
WITHDRAWN_FROM = {"prospect": 10, "contacted": 25, "agreement_signed": 15, "active_listing": 50}
WITHDRAWN_WEIGHTS = (40, 25, 15, 20)
LOST_FROM = {
    "qualification": 30,
    "demand_research": 30,
    "viewing": 28,
    "decision": 10,
    "signing": 2,
}
LOST_WEIGHTS = (25, 20, 20, 20, 10, 5)


@dataclass(frozen=True)
class Move:
    from_stage: str | None
    to_stage: str
    day: int  # working days before today (0 = today)
    reason: str | None = None


@dataclass
class History:
    """A deal's moves, oldest first; days strictly decrease so timestamps strictly increase."""

    moves: list[Move] = field(default_factory=list)

    @property
    def stage(self) -> str:
        return self.moves[-1].to_stage

    @property
    def created_day(self) -> int:
        return self.moves[0].day

    @property
    def last_day(self) -> int:
        return self.moves[-1].day

    def entered(self, stage: str) -> int | None:
        """The day the deal last entered `stage`, or None if it never did."""
        for move in reversed(self.moves):
            if move.to_stage == stage:
                return move.day
        return None

    def reached(self, stage: str) -> bool:
        return self.entered(stage) is not None

    def exit_reason(self) -> str | None:
        last = self.moves[-1]
        return last.reason if last.to_stage in (SELLER_EXIT, BUYER_EXIT) else None


SELLER_ODDS = Odds.of(SELLER_MIX)
BUYER_ODDS = Odds.of(BUYER_MIX)
WITHDRAWN_FROM_ODDS = Odds.of(WITHDRAWN_FROM)
LOST_FROM_ODDS = Odds.of(LOST_FROM)
WITHDRAWN_ODDS = Odds(WITHDRAWN_REASONS, WITHDRAWN_WEIGHTS)
LOST_ODDS = Odds(LOST_REASONS, LOST_WEIGHTS)


def _walk(order: tuple[str, ...], upto: str) -> list[str]:
    return list(order[: order.index(upto) + 1])


def _history(
    rng: random.Random,
    path: Sequence[tuple[str, str | None]],
    steps: dict[str, tuple[int, int]],
    dwell: tuple[int, int],
    *,
    gaps: dict[int, tuple[int, int]] | None = None,
    fresh: bool = False,
) -> History:
    """Turn a path of (stage, reason) into dated moves, counting back from today's dwell."""
    last = 0 if fresh and len(path) == 1 else rng.randint(*dwell)
    days = [last]
    for index in range(len(path) - 1, 0, -1):
        low, high = (gaps or {}).get(index) or steps.get(path[index - 1][0], (3, 20))
        days.append(days[-1] + rng.randint(low, high))
    days.reverse()
    moves = []
    previous: str | None = None
    for (stage, reason), day in zip(path, days, strict=True):
        moves.append(Move(previous, stage, day, reason))
        previous = stage
    return History(moves)


def seller_history(
    rng: random.Random, stage: str, *, fresh: bool = False, reactivation_text: str = ""
) -> History:
    """A listing's moves up to `stage`; a few listings were withdrawn once and came back."""
    if stage == SELLER_EXIT:
        before = WITHDRAWN_FROM_ODDS.pick(rng)
        reason = WITHDRAWN_ODDS.pick(rng)
        path = [(s, None) for s in _walk(SELLER_STAGES, before)] + [(SELLER_EXIT, reason)]
        return _history(rng, path, SELLER_STEP, CLOSED_DWELL, gaps={len(path) - 1: (5, 60)})
    path = [(s, None) for s in _walk(SELLER_STAGES, stage)]
    gaps: dict[int, tuple[int, int]] = {}
    if reactivation_text and SELLER_STAGES.index(stage) >= SELLER_STAGES.index("active_listing"):
        # Withdrawn while on the market, reactivated straight back to active_listing later.
        at = path.index(("active_listing", None)) + 1
        reason = WITHDRAWN_ODDS.pick(rng)
        path[at:at] = [(SELLER_EXIT, reason), ("active_listing", reactivation_text)]
        gaps = {at: (10, 60), at + 1: (20, 120)}
    dwell = CLOSED_DWELL if stage == "closed_won" else SELLER_DWELL[stage]
    return _history(rng, path, SELLER_STEP, dwell, gaps=gaps, fresh=fresh)


def buyer_history(
    rng: random.Random,
    stage: str,
    *,
    nurturing: bool = False,
    fresh: bool = False,
    reopen_text: str = "",
) -> History:
    """A buyer request's moves up to `stage`; nurturing buyers linger, a few were lost once."""
    if stage == BUYER_EXIT:
        before = LOST_FROM_ODDS.pick(rng)
        reason = LOST_ODDS.pick(rng)
        path = [(s, None) for s in _walk(BUYER_STAGES, before)] + [(BUYER_EXIT, reason)]
        return _history(rng, path, BUYER_STEP, CLOSED_DWELL, gaps={len(path) - 1: (3, 40)})
    path = [(s, None) for s in _walk(BUYER_STAGES, stage)]
    gaps: dict[int, tuple[int, int]] = {}
    if reopen_text:
        # Lost at qualification once (went quiet), re-opened months later.
        path[1:1] = [(BUYER_EXIT, "unresponsive"), ("qualification", reopen_text)]
        gaps = {1: (5, 30), 2: (40, 150)}
    if stage == "closed_won":
        dwell = CLOSED_DWELL
    elif nurturing:
        dwell = (10, 150)
    else:
        dwell = BUYER_DWELL[stage]
    return _history(rng, path, BUYER_STEP, dwell, gaps=gaps, fresh=fresh)
