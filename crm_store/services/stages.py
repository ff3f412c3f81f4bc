"""Stage moves of both pipelines (SPEC §3): which moves are legal, and applying one with history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import ConfirmationRequired, IllegalMove, InvalidInput, NotFound
from crm_store.models import BuyerRequest, Listing, StageChange
from crm_store.repositories import deals as deals_repo
from crm_store.repositories.base import add, record
from crm_store.services.amounts import parse_money
from crm_store.services.permissions import ensure_readable, ensure_writable
from crm_store.vocabulary import (
    ALL_BUYER_STAGES,
    ALL_SELLER_STAGES,
    BUYER_EXIT,
    LOST_REASONS,
    SELLER_EXIT,
    STAGE_NAMES,
    WITHDRAWN_REASONS,
    Side,
    exit_stage_of,
    stage_name,
    stages_of,
)

Deal = Listing | BuyerRequest

# Where a closed-but-not-won deal may be brought back to (SPEC §3).
REOPEN_TO: dict[str, tuple[str, ...]] = {
    SELLER_EXIT: ("contacted", "active_listing"),
    BUYER_EXIT: ("qualification",),
}
EXIT_REASONS = {SELLER_EXIT: WITHDRAWN_REASONS, BUYER_EXIT: LOST_REASONS}
# A listing can be withdrawn only while it is open and not yet sold.
LAST_WITHDRAWABLE = "active_listing"
SKIPPED_NOTE = "skipped (confirmed)"


def side_of(deal: Deal) -> Side:
    """Seller side for a listing, buyer side for a buyer request."""
    if isinstance(deal, Listing):
        return Side.SELLER
    if isinstance(deal, BuyerRequest):
        return Side.BUYER
    raise TypeError(f"not a deal: {deal!r}")


def all_stages(side: Side) -> tuple[str, ...]:
    return ALL_SELLER_STAGES if side is Side.SELLER else ALL_BUYER_STAGES


def get_deal(ctx: Ctx, *, deal_id: str) -> Deal:
    """A listing or buyer request the actor may open, by id."""
    deal = deals_repo.find_deal(ctx.session, deal_id)
    if deal is None:
        raise NotFound(
            f"There is no listing or buyer request {deal_id}. Check the id, or find the deal "
            "by the client's name.",
            f"Объекта или заявки {deal_id} нет. Проверьте номер или найдите сделку "
            "по имени клиента.",
        )
    ensure_readable(ctx, deal, what="deal")
    return deal


def _names(stages: tuple[str, ...] | list[str], language: str) -> str:
    return ", ".join(f"{stage_name(s, language)} ({s})" for s in stages)


def normalise_stage(side: Side, text: str) -> str:
    """A stage key of this side from a key or an English/Russian display name."""
    valid = all_stages(side)
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    if key in valid:
        return key
    folded = text.strip().casefold()
    for stage in valid:
        if folded in (name.casefold() for name in STAGE_NAMES[stage].values()):
            return stage
    other = all_stages(Side.BUYER if side is Side.SELLER else Side.SELLER)
    what_en, what_ru = (
        ("a listing", "объекта") if side is Side.SELLER else ("a buyer request", "заявки")
    )
    hint_en = hint_ru = ""
    if key in other:
        hint_en = f" {stage_name(key)} is a stage of the other pipeline."
        hint_ru = f" {stage_name(key, 'ru')} — этап другой воронки."
    raise InvalidInput(
        f"'{text}' is not a stage of {what_en}.{hint_en} Choose one of: {_names(valid, 'en')}.",
        f"«{text}» — не этап {what_ru}.{hint_ru} Выберите один из: {_names(valid, 'ru')}.",
        valid=list(valid),
    )


def _exit_reason_key(exit_stage: str, reason: str | None) -> str:
    """The reason key of a withdrawal or loss ("other: moved abroad" → "other")."""
    allowed = EXIT_REASONS[exit_stage]
    key = (reason or "").split(":", 1)[0].strip().lower().replace(" ", "_").replace("-", "_")
    if key in allowed:
        return key
    verb_en = "withdraw a listing" if exit_stage == SELLER_EXIT else "close a buyer request as lost"
    verb_ru = "снять объект" if exit_stage == SELLER_EXIT else "закрыть заявку как потерянную"
    got_en = f" (got '{reason}')" if reason else ""
    got_ru = f" (получено «{reason}»)" if reason else ""
    raise InvalidInput(
        f"To {verb_en}, give the reason{got_en}: one of {', '.join(allowed)}.",
        f"Чтобы {verb_ru}, укажите причину{got_ru}: одну из {', '.join(allowed)}.",
        reasons=list(allowed),
    )


def _check_final_figure(deal: Deal, amount: Decimal | None) -> None:
    """closed_won needs the final price (listing) or the confirmed commission (buyer)."""
    if isinstance(deal, Listing):
        if amount is None and deal.closed_price is None:
            raise InvalidInput(
                "To close this listing as won, give the final sale price (final_amount).",
                "Чтобы закрыть объект как успешный, укажите итоговую цену продажи (final_amount).",
            )
        return
    if amount is None:
        expected = deal.expected_commission
        shown = f" (expected €{expected:,.2f})" if expected is not None else ""
        shown_ru = f" (ожидалось €{expected:,.2f})" if expected is not None else ""
        raise InvalidInput(
            f"To close this buyer request as won, confirm the commission earned{shown}: "
            "give it as final_amount.",
            f"Чтобы закрыть заявку как успешную, подтвердите полученную комиссию{shown_ru}: "
            "укажите её в final_amount.",
        )


def plan_move(
    deal: Deal,
    *,
    to_stage: str,
    reason: str | None = None,
    confirm_skip: bool = False,
    final_amount: Any = None,
) -> list[str]:
    """Check a move against SPEC §3 and return every stage it passes through, target last."""
    side = side_of(deal)
    target = normalise_stage(side, to_stage)
    current = deal.stage
    amount = parse_money(final_amount, field="final_amount")
    if target == current:
        raise InvalidInput(
            f"The deal is already at {stage_name(current)}. Name the stage to move it to.",
            f"Сделка уже на этапе «{stage_name(current, 'ru')}». Укажите, на какой этап перевести.",
        )
    exit_stage = exit_stage_of(side)
    order = stages_of(side)
    if current == "closed_won":
        raise IllegalMove(
            "This deal is Closed Won: it accepts no further moves. Open a new deal instead.",
            "Сделка закрыта успешно, её этап больше не меняется. Заведите новую сделку.",
        )
    if current == exit_stage:
        path = _plan_reopen(current, target)
    elif current not in order:
        raise IllegalMove(
            f"The deal is at an unknown stage '{current}'; ask your manager to correct it.",
            f"Сделка на неизвестном этапе «{current}»; попросите менеджера исправить.",
        )
    elif target == exit_stage:
        path = _plan_exit(side, current, target, reason)
    else:
        path = _plan_along(order, current, target, reason)
    takes_amount = ("closed_won", "sold") if side is Side.SELLER else ("closed_won",)
    if amount is not None and target not in takes_amount:
        raise InvalidInput(
            "A final amount is recorded only when the deal is sold or closed won; "
            "repeat the move without it.",
            "Итоговая сумма указывается только при продаже или успешном закрытии; "
            "повторите без неё.",
        )
    if "closed_won" in path:
        _check_final_figure(deal, amount)
    skipped = path[:-1]
    if skipped and not confirm_skip:
        raise ConfirmationRequired(
            f"Moving from {stage_name(current)} to {stage_name(target)} skips "
            f"{', '.join(stage_name(s) for s in skipped)}. Confirm to skip them; they will be "
            "recorded as skipped.",
            f"Переход с «{stage_name(current, 'ru')}» на «{stage_name(target, 'ru')}» пропускает "
            f"{', '.join('«' + stage_name(s, 'ru') + '»' for s in skipped)}. Подтвердите пропуск; "
            "пропущенные этапы будут записаны.",
            skipped=skipped,
        )
    return path


def _plan_reopen(current: str, target: str) -> list[str]:
    allowed = REOPEN_TO[current]
    if target in allowed:
        return [target]
    raise IllegalMove(
        f"A deal at {stage_name(current)} accepts no moves except reactivation to "
        f"{' or '.join(stage_name(s) for s in allowed)}. Reactivate it first.",
        f"Сделка на этапе «{stage_name(current, 'ru')}» может только вернуться на "
        f"{' или '.join('«' + stage_name(s, 'ru') + '»' for s in allowed)}. Сначала верните её.",
    )


def _plan_exit(side: Side, current: str, target: str, reason: str | None) -> list[str]:
    order = stages_of(side)
    if side is Side.SELLER and order.index(current) > order.index(LAST_WITHDRAWABLE):
        raise IllegalMove(
            f"A listing at {stage_name(current)} is already sold and cannot be withdrawn. "
            "If the sale fell through, move it back one stage with a reason first.",
            f"Объект на этапе «{stage_name(current, 'ru')}» уже продан, снять его нельзя. "
            "Если сделка сорвалась, сначала верните его на этап назад с причиной.",
        )
    _exit_reason_key(target, reason)
    return [target]


def _plan_along(order: tuple[str, ...], current: str, target: str, reason: str | None) -> list[str]:
    here, there = order.index(current), order.index(target)
    if there > here:
        return list(order[here + 1 : there + 1])
    if there < here - 1:
        raise IllegalMove(
            f"A deal moves back one stage at a time: from {stage_name(current)} the only step "
            f"back is {stage_name(order[here - 1])}. Move it one stage at a time, with a reason.",
            f"Назад сделка переходит по одному этапу: с «{stage_name(current, 'ru')}» можно "
            f"вернуться только на «{stage_name(order[here - 1], 'ru')}». Двигайте по одному "
            "этапу и укажите причину.",
        )
    if not (reason or "").strip():
        raise InvalidInput(
            f"Moving back to {stage_name(target)} needs a reason. Say why, and repeat the move.",
            f"Для возврата на «{stage_name(target, 'ru')}» нужна причина. Укажите её и повторите.",
        )
    return [target]


def legal_moves(deal: Deal) -> list[str]:
    """Stages the broker may move this deal to next (skips and exits need more, see plan_move)."""
    side = side_of(deal)
    current = deal.stage
    exit_stage = exit_stage_of(side)
    if current == exit_stage:
        return list(REOPEN_TO[current])
    order = stages_of(side)
    if current not in order or current == "closed_won":
        return []
    here = order.index(current)
    moves = list(order[here + 1 :])
    if here > 0:
        moves.append(order[here - 1])
    if side is Side.BUYER or here <= order.index(LAST_WITHDRAWABLE):
        moves.append(exit_stage)
    return moves


def move_stage(
    ctx: Ctx,
    *,
    deal_id: str,
    to_stage: str,
    reason: str | None = None,
    confirm_skip: bool = False,
    final_amount: Any = None,
) -> list[StageChange]:
    """Move a deal (SPEC §3), one stage change per stage passed; an illegal move changes nothing."""
    deal = get_deal(ctx, deal_id=deal_id)
    ensure_writable(ctx, deal, what="deal")
    path = plan_move(
        deal,
        to_stage=to_stage,
        reason=reason,
        confirm_skip=confirm_skip,
        final_amount=final_amount,
    )
    amount = parse_money(final_amount, field="final_amount")
    now = ctx.now()
    old = deal.stage
    target = path[-1]
    changes: dict[str, Any] = {"stage": [old, target], "path": path, "reason": reason}
    rows: list[StageChange] = []
    previous: str | None = old
    for stage in path:
        skipped = stage != target
        note = (f"{SKIPPED_NOTE}: {reason}" if reason else SKIPPED_NOTE) if skipped else reason
        row = StageChange(
            listing_id=deal.id if isinstance(deal, Listing) else None,
            buyer_request_id=deal.id if isinstance(deal, BuyerRequest) else None,
            from_stage=previous,
            to_stage=stage,
            at=now,
            by=ctx.actor.broker_id,
            reason=note,
        )
        # The deal's own audit entry below names the channel and message for all rows.
        rows.append(add(ctx, row, audit=False))
        previous = stage
    _apply_fields(deal, old=old, path=path, reason=reason, amount=amount, now=now, changes=changes)
    deal.stage = target
    deal.updated_at = now
    ctx.session.flush()
    changes["stage_changes"] = [row.id for row in rows]
    record(ctx, action="move_stage", entity=deal.__tablename__, entity_id=deal.id, changes=changes)
    return rows


def _apply_fields(
    deal: Deal,
    *,
    old: str,
    path: list[str],
    reason: str | None,
    amount: Decimal | None,
    now: Any,
    changes: dict[str, Any],
) -> None:
    """The fields a move sets besides the stage (listed_at, reasons, final figures)."""
    target = path[-1]
    if isinstance(deal, Listing):
        if "active_listing" in path and deal.listed_at is None:
            deal.listed_at = now
            changes["listed_at"] = now
        if target == SELLER_EXIT:
            deal.withdrawn_reason = _exit_reason_key(SELLER_EXIT, reason)
            changes["withdrawn_reason"] = deal.withdrawn_reason
        elif old == SELLER_EXIT:
            deal.withdrawn_reason = None  # reactivated; the reason stays in the history
        if amount is not None:
            changes["closed_price"] = [deal.closed_price, amount]
            deal.closed_price = amount
        elif old == "sold" and target == "active_listing" and deal.closed_price is not None:
            # The sale fell through: its price no longer stands.
            changes["closed_price"] = [deal.closed_price, None]
            deal.closed_price = None
        return
    if target == BUYER_EXIT:
        deal.lost_reason = _exit_reason_key(BUYER_EXIT, reason)
        changes["lost_reason"] = deal.lost_reason
    elif old == BUYER_EXIT:
        deal.lost_reason = None
    if amount is not None:
        changes["expected_commission"] = [deal.expected_commission, amount]
        deal.expected_commission = amount
