"""Where the open deals stand: how many at each stage of both pipelines, and what they are
worth — "how many deals are in viewing?", "pipeline by stage"."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.repositories import metrics as repo
from crm_store.services.display import compact_eur
from crm_store.services.metrics_common import Metric, city_of, owners, scope_text, side_of_filter
from crm_store.vocabulary import Side, is_terminal, stage_name, stages_of


def _open_stages(side: Side) -> list[str]:
    return [stage for stage in stages_of(side) if not is_terminal(stage)]


def deals_by_stage(
    ctx: Ctx,
    *,
    owner_ids: Collection[str] | None = None,
    city: str | None = None,
    side: str | None = None,
    stage: str | None = None,
) -> Metric:
    """Open deals per stage (or at one stage), with their value."""
    city, side = city_of(city), side_of_filter(side)
    sides = [s for s in (Side.SELLER, Side.BUYER) if side is None or s.value == side]
    wanted = {s: _open_stages(s) for s in sides}
    if stage is not None:
        key = stage.strip().lower().replace(" ", "_")
        wanted = {s: [key] for s in sides if key in _open_stages(s)}
        if not wanted:
            raise InvalidInput(
                f"'{stage}' is not an open stage; name one such as viewing or active_listing "
                "(closed deals: ask for closed_won or withdrawn).",
                f"«{stage}» — не открытый этап; например viewing или active_listing "
                "(закрытые сделки: closed_won или withdrawn).",
            )
    names = [name for stages in wanted.values() for name in stages]
    rows = repo.open_deals_by_stage(
        ctx.session, owner_ids=owners(ctx, owner_ids), city=city, stages=names
    )
    found = {(row[0], row[1]): (row[2], Decimal(str(row[3]))) for row in rows}
    en_scope, ru_scope = scope_text(None, city, side)
    total = sum(count for count, _ in found.values())
    lines_en: list[str] = []
    lines_ru: list[str] = []
    for pipeline, stages in wanted.items():
        for key in stages:
            count, value = found.get((pipeline.value, key), (0, Decimal(0)))
            worth_en = f", {compact_eur(value)}" if value else ""
            worth_ru = f", {compact_eur(value, 'ru')}" if value else ""
            lines_en.append(f"- {stage_name(key)}: {count}{worth_en}")
            lines_ru.append(f"- {stage_name(key, 'ru')}: {count}{worth_ru}")
    if stage is not None and len(lines_en) == 1:
        head_en = f"Open deals at {stage_name(names[0])}{en_scope}: {total}."
        head_ru = f"Открытых сделок на этапе «{stage_name(names[0], 'ru')}»{ru_scope}: {total}."
        return Metric("deals_by_stage", total, "count", head_en, head_ru, count=total)
    en = "\n".join([f"Open deals by stage{en_scope}: {total}.", *lines_en])
    ru = "\n".join([f"Открытые сделки по этапам{ru_scope}: {total}.", *lines_ru])
    return Metric(
        "deals_by_stage", total, "count", en, ru, count=total,
        breakdown={"by_stage": {f"{s}:{k}": v[0] for (s, k), v in found.items()}},
    )  # fmt: skip
