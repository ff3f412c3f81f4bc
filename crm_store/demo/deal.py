"""One generated deal as the activity writers see it, and the readable ids they hand out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crm_store.demo.calendar import WorkCalendar
from crm_store.demo.pipeline import History


class Ids:
    """Readable ids ("f-12") numbered per prefix, like repositories.base hands them out."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        number = self._last.get(prefix, 0) + 1
        self._last[prefix] = number
        return f"{prefix}-{number}"


@dataclass
class Deal:
    """A listing or buyer request with its dated history and who it is between."""

    id: str
    side: str  # seller | buyer
    owner: str
    language: str  # the language the owner writes this client's notes in
    contact: str
    client: str  # the client's first name as the broker writes it
    city: str
    district: str
    history: History
    times: list[datetime]  # one per move of `history`
    cal: WorkCalendar
    is_open: bool
    nurturing: bool = False
    # For showings: what the buyer looks for.
    property_types: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    budget_max: float | None = None
    money: str = ""  # a budget or price as brokers say it ("€500k")

    @property
    def link(self) -> dict[str, str | None]:
        if self.side == "seller":
            return {"listing_id": self.id, "buyer_request_id": None}
        return {"listing_id": None, "buyer_request_id": self.id}

    @property
    def stage(self) -> str:
        return self.history.stage

    def stage_on(self, day: int) -> str:
        """The stage the deal was in `day` working days ago (today's for day ≤ 0)."""
        stage = self.history.moves[0].to_stage
        for move in self.history.moves:
            if move.day < day:
                break
            stage = move.to_stage
        return stage

    def stay(self, stage: str) -> tuple[int, int] | None:
        """(first, last) working days back the deal spent in `stage` (last ≥ 1), if it did."""
        moves = self.history.moves
        for index in range(len(moves) - 1, -1, -1):
            if moves[index].to_stage == stage:
                start = moves[index].day
                end = moves[index + 1].day if index + 1 < len(moves) else 0
                end = max(end, 1)
                return (start, end) if start >= end else None
        return None


def money_words(amount: float) -> str:
    """€850k / €1.2m, as brokers write amounts."""
    if amount >= 1_000_000:
        return f"€{amount / 1_000_000:.1f}m".replace(".0m", "m")
    return f"€{round(amount / 1000)}k"
