"""Deal probability (SPEC §6): stage base rates, learned from closed deals, plus adjustments.

Learning blends each stage's base rate with what the team's closed deals did after reaching
that stage: p = (k·p_base + wins) / (k + n), k = 10. Adjustments then read the deal's recent
activity: a done appointment in 30 days +0.05, an overdue follow-up −0.10, 14+ days without
activity −0.10, an exclusive mandate +0.05, confirmed financing +0.05, and ×0.5 for the
nurturing pool; the result is clamped to [0.01, 0.99].

Decision (the SPEC is silent): financing counts as confirmed when it is "cash", or when it is
"mortgage" and the buyer carries the contact tag `mortgage_approved` (a bank's approval is a
fact the broker records; "mortgage" alone is only an intention).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from crm_store.context import Ctx
from crm_store.models import BuyerRequest, Listing
from crm_store.repositories import signals
from crm_store.services.deal_fields import is_nurturing
from crm_store.services.permissions import ensure_readable, team_broker_ids
from crm_store.services.stages import side_of
from crm_store.vocabulary import Side, stages_of

Deal = Listing | BuyerRequest

BASE: dict[Side, dict[str, float]] = {
    Side.SELLER: {
        "prospect": 0.05,
        "contacted": 0.15,
        "agreement_signed": 0.35,
        "active_listing": 0.50,
        "sold": 0.90,
        "commission_payment": 0.95,
    },
    Side.BUYER: {
        "qualification": 0.10,
        "demand_research": 0.20,
        "viewing": 0.35,
        "decision": 0.55,
        "signing": 0.80,
        "payment": 0.90,
    },
}
K = 10
FLOOR, CEILING = 0.01, 0.99
RECENT_APPOINTMENT = timedelta(days=30)
STALE_AFTER = timedelta(days=14)
MORTGAGE_APPROVED_TAGS = {"mortgage_approved", "ипотека_одобрена"}

APPOINTMENT = ("Appointment done in the last 30 days", "Встреча за последние 30 дней", 0.05)
OVERDUE = ("Overdue follow-up", "Просроченное напоминание", -0.10)
STALE = ("No activity for 14+ days", "Нет активности 14+ дней", -0.10)
EXCLUSIVE = ("Exclusive mandate", "Эксклюзивный договор", 0.05)
FINANCING = ("Financing confirmed", "Финансирование подтверждено", 0.05)
NURTURING = ("Nurturing pool ×0.5", "Пул прогрева ×0,5")
CLAMPED = ("Kept within 1–99%", "Ограничено 1–99%")


@dataclass(frozen=True)
class StageRate:
    """A stage's base rate and, once closed deals exist, the learned blend."""

    stage: str
    base: float
    value: float
    n: int = 0
    wins: int = 0

    @property
    def learned(self) -> bool:
        return self.n > 0


class Adjustment(NamedTuple):
    label_en: str
    label_ru: str
    delta: float


@dataclass(frozen=True)
class Probability:
    """The probability a deal closes won, and why."""

    value: float
    base: float  # the stage rate used (learned when learned_from is set)
    learned_from: tuple[int, int] | None  # (n closed deals that reached the stage, wins)
    adjustments: list[Adjustment] = field(default_factory=list)
    stage_base: float = 0.0  # the SPEC table's rate for the stage

    def explain(self, language: str = "en") -> str:
        """ "35% (learned from 12 closed deals, 7 won) +5% exclusive mandate … = 40%"."""
        ru = language == "ru"
        if self.learned_from is not None:
            n, wins = self.learned_from
            source = (
                f"по {n} закрытым сделкам, {wins} успешных"
                if ru
                else f"learned from {n} closed deals, {wins} won"
            )
        else:
            source = "базовая ставка этапа" if ru else "stage base rate"
        parts = [f"{self.base:.0%} ({source})"]
        for label_en, label_ru, delta in self.adjustments:
            parts.append(f"{delta:+.0%} {label_ru if ru else label_en}")
        return " ".join(parts) + f" = {self.value:.0%}"


def _clamp(value: float) -> float:
    return min(CEILING, max(FLOOR, value))


def _scope(ctx: Ctx) -> set[str] | None:
    """Learning reads the whole team's history (one broker's few closed deals are noise)."""
    return None if ctx.actor.broker_id is None else team_broker_ids(ctx)


def stage_table(ctx: Ctx, side: Side | str) -> dict[str, StageRate]:
    """Each open stage's rate for one side: the base, blended with the team's closed deals."""
    side = Side(side)
    reached = signals.stage_reach(ctx.session, seller=side is Side.SELLER, owner_ids=_scope(ctx))
    table: dict[str, StageRate] = {}
    for stage, base in BASE[side].items():
        n, wins = reached.get(stage, (0, 0))
        value = (K * base + wins) / (K + n) if n else base
        table[stage] = StageRate(stage, base, round(value, 6), n, wins)
    return table


def _closed(deal: Deal) -> Probability | None:
    stage = deal.stage
    if stage == "closed_won":
        return Probability(CEILING, 1.0, None, [], 1.0)
    if stage not in stages_of(side_of(deal)):  # withdrawn, closed_lost
        return Probability(FLOOR, 0.0, None, [], 0.0)
    return None


def _client(deal: Deal) -> str | None:
    return deal.seller if isinstance(deal, Listing) else deal.buyer


def _key(deal: Deal) -> tuple[str, str]:
    return ("listing" if isinstance(deal, Listing) else "request", deal.id)


def _financing_confirmed(deal: BuyerRequest, tags: Sequence[object]) -> bool:
    if deal.financing == "cash":
        return True
    folded = {str(t).strip().lower().replace(" ", "_").replace("-", "_") for t in tags}
    return deal.financing == "mortgage" and bool(folded & MORTGAGE_APPROVED_TAGS)


def deal_probabilities(
    ctx: Ctx,
    deals: Iterable[Deal],
    *,
    tables: dict[Side, dict[str, StageRate]] | None = None,
    now: datetime | None = None,
) -> dict[str, Probability]:
    """Probabilities of many deals at once (deal id → Probability), in a few batched queries."""
    deals = list(deals)
    now = now or ctx.now()
    tables = dict(tables or {})
    for side in {side_of(d) for d in deals} - set(tables):
        tables[side] = stage_table(ctx, side)
    open_deals = [d for d in deals if _closed(d) is None]
    clients = sorted({c for d in open_deals if (c := _client(d))})
    seen = signals.activity(
        ctx.session,
        listing_ids=[d.id for d in open_deals if isinstance(d, Listing)],
        request_ids=[d.id for d in open_deals if isinstance(d, BuyerRequest)],
        contact_ids=clients,
        now=now,
        showings_since=now - RECENT_APPOINTMENT,
    )
    buyers = [c for d in open_deals if isinstance(d, BuyerRequest) and (c := _client(d))]
    tags = signals.contact_tags(ctx.session, set(buyers))
    out: dict[str, Probability] = {}
    for deal in deals:
        closed = _closed(deal)
        out[deal.id] = closed or _score(deal, tables[side_of(deal)], seen, tags, now)
    return out


def _score(
    deal: Deal,
    table: dict[str, StageRate],
    seen: signals.Activity,
    tags: dict[str, list[object]],
    now: datetime,
) -> Probability:
    rate = table[deal.stage]
    keys = [_key(deal)]
    if (client := _client(deal)) is not None:
        keys.append(("contact", client))
    adjustments: list[Adjustment] = []
    met = [seen.appointment[k] for k in keys if k in seen.appointment]
    if any(at >= now - RECENT_APPOINTMENT for at in met):
        adjustments.append(Adjustment(*APPOINTMENT))
    if any(k in seen.overdue for k in keys):
        adjustments.append(Adjustment(*OVERDUE))
    last = max([deal.created_at, *(seen.last[k] for k in keys if k in seen.last)])
    if now - last >= STALE_AFTER:
        adjustments.append(Adjustment(*STALE))
    if isinstance(deal, Listing) and deal.mandate == "exclusive":
        adjustments.append(Adjustment(*EXCLUSIVE))
    if isinstance(deal, BuyerRequest) and _financing_confirmed(deal, tags.get(client or "", [])):
        adjustments.append(Adjustment(*FINANCING))
    value = rate.value + sum(a.delta for a in adjustments)
    nurturing = isinstance(deal, BuyerRequest) and (
        deal.nurturing or is_nurturing(deal.timeline_months)
    )
    if nurturing:
        halved = value * 0.5
        adjustments.append(Adjustment(*NURTURING, round(halved - value, 6)))
        value = halved
    if _clamp(value) != value:
        adjustments.append(Adjustment(*CLAMPED, round(_clamp(value) - value, 6)))
        value = _clamp(value)
    return Probability(
        value=round(value, 6),
        base=rate.value,
        learned_from=(rate.n, rate.wins) if rate.learned else None,
        adjustments=adjustments,
        stage_base=rate.base,
    )


def deal_probability(
    ctx: Ctx,
    deal: Deal,
    *,
    table: dict[str, StageRate] | None = None,
    now: datetime | None = None,
) -> Probability:
    """The probability this deal closes won, with its explanation (SPEC §6)."""
    ensure_readable(ctx, deal, what="deal")
    tables = {side_of(deal): table} if table is not None else None
    return deal_probabilities(ctx, [deal], tables=tables, now=now)[deal.id]
