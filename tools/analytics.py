"""Manager questions: revenue vs plan, forecast, listings, appointments, follow-up discipline."""

from __future__ import annotations

from langchain_core.tools import tool
from pydantic import Field

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.services.brokers import resolve_broker
from crm_store.services.metric_names import METRIC_NAMES
from tools.base import ToolArgs, run_tool
from tools.deps import ToolDeps

EXTRA = ("revenue_vs_plan", "forecast")
NAMES = (*EXTRA, *METRIC_NAMES)


class ReportArgs(ToolArgs):
    metric: str = Field(description="|".join(NAMES))
    period: str | None = Field(None, description="YYYY-MM or YYYY-MM-DD..YYYY-MM-DD")
    broker: str | None = None
    city: str | None = None
    side: str | None = Field(None, description="seller|buyer")
    stage: str | None = Field(None, description="deals_by_stage: one stage")


@tool("pipeline_report", args_schema=ReportArgs, return_direct=True)
def pipeline_report(
    metric: str,
    period: str | None = None,
    broker: str | None = None,
    city: str | None = None,
    side: str | None = None,
    stage: str | None = None,
    deps: ToolDeps | None = None,
) -> str:
    """Pipeline numbers (a manager's team, or a broker's own): revenue, forecast, metrics."""

    # The metrics, forecast and revenue code loads when a report is asked for.
    from crm_store.services import metrics as metric_service
    from crm_store.services.forecast import weighted_pipeline
    from crm_store.services.metrics_common import period_or_this_month
    from crm_store.services.revenue import revenue_vs_plan

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        name = metric.strip().lower().replace(" ", "_").replace("-", "_")
        owners = [resolve_broker(ctx.session, broker).id] if broker else None
        if name == "revenue_vs_plan":
            month = (
                period_or_this_month(ctx, period).label if period else f"{ctx.local_now():%Y-%m}"
            )
            return revenue_vs_plan(ctx, period=month, owner_ids=owners).text(lang)
        if name == "forecast":
            by = "broker" if ctx.actor.is_manager and not broker else "month"
            result = weighted_pipeline(ctx, owner_ids=owners, by=by)
            rows = [f"- {row.label}: €{row.weighted:,.0f} ({row.deals})" for row in result.rows]
            return "\n".join([result.text(lang), *rows])
        if name not in METRIC_NAMES:
            raise InvalidInput(
                f"Unknown metric '{metric}'; ask for one of: {', '.join(NAMES)}.",
                f"Неизвестная метрика «{metric}»; доступны: {', '.join(NAMES)}.",
            )
        found = metric_service.metric(
            ctx, name=name, period=period, owner_ids=owners, city=city, side=side, stage=stage
        )
        return found.ru if lang == "ru" else found.en

    return run_tool(deps, work)


pipeline_report.metadata = {"read_only": True}
TOOLS = [pipeline_report]
