"""The client card: who, what, where, the Next Best Action and probability now → after."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from pydantic import Field

from crm_store.context import Ctx
from crm_store.errors import CopilotError, NotFound
from crm_store.models import Listing
from crm_store.services.permissions import can_read, can_see_listing_facts
from tools import resolve
from tools.base import ToolArgs, run_tool
from tools.deps import ToolDeps
from tools.listings import listing_facts


class CardArgs(ToolArgs):
    client: str = Field(description="client's name or id, or a deal id")


@tool("client_card", args_schema=CardArgs, return_direct=True)
def client_card(client: str, deps: ToolDeps | None = None) -> str:
    """A client's card: deal facts, Next Best Action, probability now → after, pipeline."""

    from crm_store.services.card import client_card as render_card  # NBA, probabilities: lazy

    def work(ctx: Ctx) -> str:
        ref = client.strip()
        found = resolve.deal_by_id(ctx, ref)
        readable = found is None or can_read(ctx, found)
        if isinstance(found, Listing) and not readable and can_see_listing_facts(ctx, found):
            return listing_facts(ctx, found)  # a colleague's active listing: its facts
        if found is not None:  # a deal's id: that deal's card
            deal = resolve.deal(ctx, ref, include_closed=True)
            return render_card(
                ctx,
                deal_id=deal.id,
                language=ctx.actor.language,
                suggested_listings=_suggestions(deps, deal.id),
            )
        try:
            contact = resolve.contact(ctx, ref)
        except NotFound:
            listing = _listing_named(ctx, ref)  # "the Amathus Hill villa": a listing's facts
            if listing is None:
                raise
            if can_read(ctx, listing):
                return render_card(ctx, deal_id=listing.id, language=ctx.actor.language)
            return listing_facts(ctx, listing)
        return render_card(ctx, contact_id=contact.id, language=ctx.actor.language)

    return run_tool(deps, work)


def _listing_named(ctx: Ctx, ref: str) -> Listing | None:
    """The one listing the words describe, when they describe exactly one the actor may see."""
    from crm_store.services.listing_refs import resolve_listing

    try:
        return resolve_listing(ctx, ref=ref)
    except CopilotError:
        return None


def _suggestions(deps: ToolDeps | None, deal_id: str) -> list[Any]:
    """Listings to show a buyer, when the matching engine is already warm in this process."""
    if deps is None:
        return []
    quick = getattr(deps.backend, "warm_matches", None)
    return list(quick(deps.actor, deal_id)) if quick is not None else []


client_card.metadata = {"read_only": True}
TOOLS = [client_card]
