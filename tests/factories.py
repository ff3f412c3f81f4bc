"""Keyword-only builders that insert records directly, bypassing the rules under test."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from crm_store.context import Ctx
from crm_store.models import (
    Appointment,
    Broker,
    BuyerRequest,
    Contact,
    FollowUp,
    Listing,
    Note,
)
from crm_store.repositories.base import add


def make_broker(
    ctx: Ctx, *, name: str = "Anna Georgiou", role: str = "broker", **kw: Any
) -> Broker:
    kw.setdefault("team", "main")
    kw.setdefault("timezone", "Asia/Nicosia")
    kw.setdefault("language", "en")
    return add(ctx, Broker(name=name, role=role, active=True, **kw), audit=False)


def make_contact(ctx: Ctx, *, owner: Broker, full_name: str = "Ivan Petrov", **kw: Any) -> Contact:
    kw.setdefault("phones", [])
    kw.setdefault("emails", [])
    kw.setdefault("tags", [])
    kw.setdefault("source", "referral")
    kw.setdefault("created_at", ctx.now() - timedelta(days=30))
    return add(ctx, Contact(owner=owner.id, full_name=full_name, **kw), audit=False)


def make_listing(ctx: Ctx, *, owner: Broker, seller: Contact | None = None, **kw: Any) -> Listing:
    kw.setdefault("stage", "active_listing")
    kw.setdefault("property_type", "apartment")
    kw.setdefault("city", "Limassol")
    kw.setdefault("district", "Germasogeia")
    kw.setdefault("price", Decimal("450000.00"))
    kw.setdefault("bedrooms", 2)
    kw.setdefault("features", [])
    kw.setdefault("created_at", ctx.now() - timedelta(days=60))
    kw.setdefault("updated_at", ctx.now() - timedelta(days=60))
    return add(
        ctx, Listing(owner=owner.id, seller=seller.id if seller else None, **kw), audit=False
    )


def make_buyer_request(ctx: Ctx, *, owner: Broker, buyer: Contact, **kw: Any) -> BuyerRequest:
    kw.setdefault("stage", "qualification")
    kw.setdefault("cities", ["Limassol"])
    kw.setdefault("districts", [])
    kw.setdefault("property_types", [])
    kw.setdefault("must_haves", [])
    kw.setdefault("financing", "unknown")
    kw.setdefault("nurturing", (kw.get("timeline_months") or 0) > 12)
    kw.setdefault("created_at", ctx.now() - timedelta(days=20))
    kw.setdefault("updated_at", ctx.now() - timedelta(days=20))
    return add(ctx, BuyerRequest(owner=owner.id, buyer=buyer.id, **kw), audit=False)


def make_follow_up(
    ctx: Ctx,
    *,
    owner: Broker,
    contact: Contact,
    due_at: datetime,
    deal: Listing | BuyerRequest | None = None,
    **kw: Any,
) -> FollowUp:
    kw.setdefault("status", "open")
    kw.setdefault("channel", "call")
    link = _deal_link(deal)
    return add(
        ctx, FollowUp(owner=owner.id, contact=contact.id, due_at=due_at, **link, **kw), audit=False
    )


def make_appointment(
    ctx: Ctx,
    *,
    owner: Broker,
    contact: Contact,
    scheduled_at: datetime,
    deal: Listing | BuyerRequest | None = None,
    **kw: Any,
) -> Appointment:
    kw.setdefault("status", "scheduled")
    kw.setdefault("listings", [])
    kw.setdefault("feedback", [])
    return add(
        ctx,
        Appointment(
            owner=owner.id, contact=contact.id, scheduled_at=scheduled_at, **_deal_link(deal), **kw
        ),
        audit=False,
    )


def make_note(
    ctx: Ctx, *, author: Broker, text: str, contact: Contact | None = None, **kw: Any
) -> Note:
    kw.setdefault("source", "text")
    kw.setdefault("created_at", ctx.now())
    return add(
        ctx,
        Note(author=author.id, contact=contact.id if contact else None, text=text, **kw),
        audit=False,
    )


def _deal_link(deal: Listing | BuyerRequest | None) -> dict[str, str | None]:
    if isinstance(deal, Listing):
        return {"listing_id": deal.id, "buyer_request_id": None}
    if isinstance(deal, BuyerRequest):
        return {"listing_id": None, "buyer_request_id": deal.id}
    return {"listing_id": None, "buyer_request_id": None}
