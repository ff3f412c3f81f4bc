"""`new_match` nudges when a listing becomes active or cheaper: recorded once per price."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from crm_store.context import Ctx
from crm_store.models import Listing, Notification
from crm_store.repositories import matching as store_reads
from crm_store.repositories.base import add
from memory.documents import listing_doc
from memory.matching.results import NewMatchNotices

if TYPE_CHECKING:
    from memory.matching.matcher import Matcher


def match_trigger(listing: Listing, *, old_price: Any, old_stage: str | None) -> str | None:
    """Why buyers should hear about this listing now, if at all (SPEC §5, §7)."""
    if listing.stage != store_reads.ACTIVE:
        return None
    if old_stage != store_reads.ACTIVE:
        return "activated"
    cheaper = (
        old_price is not None
        and listing.price is not None
        and Decimal(str(listing.price)) < Decimal(str(old_price))
    )
    if cheaper:
        return "price_drop"
    return None


def dedupe_key(listing_id: str, request_id: str, price: Any) -> str:
    amount = f"{Decimal(str(price)):.2f}" if price is not None else "none"
    return f"match:{listing_id}:{request_id}:{amount}"


def announce_listing(
    matcher: Matcher, ctx: Ctx, listing: Listing | None, *, old_price: Any, old_stage: str | None
) -> NewMatchNotices:
    """Record a pending `new_match` for the broker of every buyer scoring ≥ the good score;
    a key already present (earlier run, other process) is skipped, never duplicated."""
    if listing is None:
        return NewMatchNotices(listing_id="", trigger=None)
    trigger = match_trigger(listing, old_price=old_price, old_stage=old_stage)
    if trigger is None:
        return NewMatchNotices(listing_id=listing.id, trigger=None)
    doc = listing_doc(listing)
    owners = matcher.team_owners(ctx, listing.owner)
    matches, _ = matcher.rank_buyers(
        ctx, doc, owners=owners, visible=None, limit=None, min_score=matcher.config.good_score
    )
    keys = {m.request_id: dedupe_key(listing.id, m.request_id, listing.price) for m in matches}
    existing = store_reads.existing_dedupe_keys(ctx.session, keys.values())
    created: list[str] = []
    skipped = 0
    for match in matches:
        key = keys[match.request_id]
        if key in existing:
            skipped += 1
            continue
        payload = {
            "listing": listing.id,
            "buyer_request": match.request_id,
            "buyer": match.buyer,
            "buyer_name": match.buyer_name,
            "score": match.score,
            "price": None if listing.price is None else f"{Decimal(str(listing.price)):.2f}",
            "old_price": None if old_price is None else f"{Decimal(str(old_price)):.2f}",
            "trigger": trigger,
            "reasons": match.reason_texts("en"),
            "reasons_ru": match.reason_texts("ru"),
        }
        notification = Notification(
            broker=match.owner,
            kind="new_match",
            dedupe_key=key,
            payload=payload,
            created_at=ctx.now(),
            status="pending",
        )
        try:
            # Another process may record the same key between our check and this insert.
            with ctx.session.begin_nested():
                add(ctx, notification, action="notify")
        except IntegrityError:
            skipped += 1
            continue
        created.append(notification.id)
    return NewMatchNotices(
        listing_id=listing.id, trigger=trigger, created=created, skipped_existing=skipped
    )
