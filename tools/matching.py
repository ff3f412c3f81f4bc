"""Matching tools: listings for a buyer, a Curated List (and its PDF), buyers for a listing,
why one listing fits, and what clients said (recall)."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from pydantic import Field

from crm_store.context import Ctx
from crm_store.errors import InvalidInput, NotFound
from crm_store.models import BuyerRequest, Listing
from crm_store.vocabulary import Side
from tools import resolve
from tools.base import ToolArgs, run_tool
from tools.deps import ToolDeps
from tools.render import say


def _matcher(deps: ToolDeps | None) -> Any:
    if deps is None:
        raise RuntimeError("tool called without injected dependencies")
    return deps.backend.matcher()


def _request(ctx: Ctx, buyer: str) -> BuyerRequest:
    found = resolve.deal(ctx, buyer, side=Side.BUYER)
    if not isinstance(found, BuyerRequest):  # a listing's id given for the buyer
        raise InvalidInput(*_not_a_buyer(buyer))
    return found


def _not_a_buyer(ref: str) -> tuple[str, str]:
    return (
        f"{ref} is a listing, not a buyer's request: name the buyer or their request.",
        f"{ref} — это объект, а не заявка покупателя: назовите покупателя или его заявку.",
    )


def _not_a_listing(ref: str) -> tuple[str, str]:
    return (
        f"{ref} is a buyer's request, not a listing: name the listing or its seller.",
        f"{ref} — это заявка покупателя, а не объект: назовите объект или продавца.",
    )


class BuyerArgs(ToolArgs):
    buyer: str = Field(description="buyer's name or request id")
    limit: int = 5


@tool("match_listings", args_schema=BuyerArgs)
def match_listings(buyer: str, limit: int = 5, deps: ToolDeps | None = None) -> str:
    """Active team listings that fit a buyer, ranked, with reasons."""
    from memory.render import match_block

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        request = _request(ctx, buyer)
        found = _matcher(deps).listings_for_buyer(ctx, request_id=request.id, limit=limit)
        if not found:
            return say(lang, "No active listing fits this buyer yet.",
                       "Пока нет подходящих активных объектов.")  # fmt: skip
        return "\n".join(match_block(rank, m, lang) for rank, m in enumerate(found, start=1))

    return run_tool(deps, work)


class CuratedArgs(ToolArgs):
    buyer: str = Field(description="buyer's name or request id")
    pdf: bool = Field(False, description="also make the PDF brochure")


@tool("curated_list", args_schema=CuratedArgs)
def curated_list(buyer: str, pdf: bool = False, deps: ToolDeps | None = None) -> str:
    """Build and save a Curated List (3–7 listings) for a buyer; optionally its PDF brochure."""
    from memory.render import render_curated_list

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        request = _request(ctx, buyer)
        result = _matcher(deps).build_curated_list(ctx, request_id=request.id)
        text = render_curated_list(result, lang)
        if pdf and result.curated_list_id and deps is not None:
            path = _brochure(ctx, deps, result.curated_list_id)
            text += "\n" + say(lang, f"Brochure: {path}", f"Брошюра: {path}")
        return text

    return run_tool(deps, work)


def _brochure(ctx: Ctx, deps: ToolDeps, curated_list_id: str) -> str:
    from memory.brochure import render_brochure

    out_dir = deps.backend.brochure_dir()
    return str(
        render_brochure(ctx, curated_list_id=curated_list_id, out_dir=out_dir,
                        language=ctx.actor.language)
    )  # fmt: skip


class ListingArgs(ToolArgs):
    listing: str = Field(description="listing id, address or seller's name")
    limit: int = 10


@tool("match_buyers", args_schema=ListingArgs)
def match_buyers(listing: str, limit: int = 10, deps: ToolDeps | None = None) -> str:
    """Buyers who fit a listing: your own in full, colleagues' as a count."""
    from memory.render import render_buyer_matches

    def work(ctx: Ctx) -> str:
        target = _listing(ctx, listing)
        found = _matcher(deps).buyers_for_listing(ctx, listing_id=target.id, limit=limit)
        return render_buyer_matches(found, ctx.actor.language)

    return run_tool(deps, work)


def _listing(ctx: Ctx, ref: str) -> Listing:
    """A listing by id or address words; failing that, the seller's listing by their name."""
    from crm_store.services.listing_refs import resolve_listing

    try:
        return resolve_listing(ctx, ref=ref)
    except NotFound as by_address:
        try:
            found = resolve.deal(ctx, ref, side=Side.SELLER)
        except NotFound:
            raise by_address from None  # the listing wording, not "no contact called …"
        if not isinstance(found, Listing):  # a buyer's request's id given for the listing
            raise InvalidInput(*_not_a_listing(ref)) from None
        return found


class ExplainArgs(ToolArgs):
    buyer: str = Field(description="buyer's name or request id")
    listing: str = Field(description="listing id or address")


@tool("explain_match", args_schema=ExplainArgs)
def explain_match(buyer: str, listing: str, deps: ToolDeps | None = None) -> str:
    """Why a listing fits a buyer or not: criteria met or failed, wishes found."""
    from memory.explain import explain_pair

    def work(ctx: Ctx) -> str:
        request = _request(ctx, buyer)
        target = _listing(ctx, listing)
        return explain_pair(_matcher(deps), ctx, request=request, listing=target,
                            language=ctx.actor.language)  # fmt: skip

    return run_tool(deps, work)


class RecallArgs(ToolArgs):
    query: str = Field(description="what to look for, e.g. 'schools', 'a dog'")
    client: str | None = Field(None, description="only this client's notes")


@tool("recall", args_schema=RecallArgs)
def recall(query: str, client: str | None = None, deps: ToolDeps | None = None) -> str:
    """Search your clients' notes, showing feedback and transcripts ("who wanted a garden?")."""
    from memory.recall import recall as search
    from memory.recall import render_memories

    def work(ctx: Ctx) -> str:
        if not query.strip():
            raise InvalidInput("Say what to look for.", "Скажите, что искать.")
        client_id = resolve.contact(ctx, client).id if client else None
        if deps is None:
            raise RuntimeError("tool called without injected dependencies")
        embedder = deps.backend.embedder()
        found = search(ctx, embedder=embedder, query=query, client_id=client_id)
        return render_memories(found, ctx.actor.language, today=ctx.local_now().date())

    return run_tool(deps, work)


for _read_only in (match_listings, match_buyers, explain_match, recall):
    _read_only.metadata = {"read_only": True}
TOOLS = [match_listings, curated_list, match_buyers, explain_match, recall]
