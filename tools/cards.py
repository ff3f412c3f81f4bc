"""The client card: who, what, where, the Next Best Action and probability now → after."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from pydantic import Field

from crm_store.context import Ctx
from tools import resolve
from tools.base import ToolArgs, run_tool
from tools.deps import ToolDeps


class CardArgs(ToolArgs):
    client: str = Field(description="client's name or id, or a deal id")


@tool("client_card", args_schema=CardArgs, return_direct=True)
def client_card(client: str, deps: ToolDeps | None = None) -> str:
    """A client's card: deal facts, Next Best Action, probability now → after, pipeline."""

    from crm_store.services.card import client_card as render_card  # NBA, probabilities: lazy

    def work(ctx: Ctx) -> str:
        ref = client.strip()
        if resolve.deal_by_id(ctx, ref) is not None:  # a deal's id: that deal's card
            deal = resolve.deal(ctx, ref, include_closed=True)
            return render_card(
                ctx,
                deal_id=deal.id,
                language=ctx.actor.language,
                suggested_listings=_suggestions(deps, deal.id),
            )
        contact = resolve.contact(ctx, ref)
        return render_card(ctx, contact_id=contact.id, language=ctx.actor.language)

    return run_tool(deps, work)


def _suggestions(deps: ToolDeps | None, deal_id: str) -> list[Any]:
    """Listings to show a buyer, when the matching engine is already warm in this process."""
    if deps is None:
        return []
    quick = getattr(deps.backend, "warm_matches", None)
    return list(quick(deps.actor, deal_id)) if quick is not None else []


client_card.metadata = {"read_only": True}
TOOLS = [client_card]
