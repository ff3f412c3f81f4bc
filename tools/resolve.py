"""Turn what the model passes (an id, a client's name, an address) into the record meant."""

from __future__ import annotations

import re

from crm_store.context import Ctx
from crm_store.errors import Ambiguous, NotFound
from crm_store.models import Appointment, BuyerRequest, Contact, FollowUp, Listing
from crm_store.repositories import lookup
from crm_store.repositories.deals import find_deal
from crm_store.services import permissions
from crm_store.services.contacts import get_contact, resolve_contact
from crm_store.services.stages import side_of
from crm_store.vocabulary import Side, is_terminal, stage_name
from tools.render import listing_line, when

Deal = Listing | BuyerRequest
_ID = re.compile(r"^[a-z]{1,3}-\d+$", re.IGNORECASE)


def looks_like_id(ref: str) -> bool:
    return bool(_ID.match(ref.strip()))


def contact(ctx: Ctx, ref: str) -> Contact:
    """A contact by id, name (either script, any case), phone or e-mail."""
    ref = ref.strip()
    if looks_like_id(ref) and ctx.session.get(Contact, ref.lower()) is not None:
        return get_contact(ctx, contact_id=ref.lower())
    return resolve_contact(ctx, name=ref)


def deal(ctx: Ctx, ref: str, *, side: Side | None = None, include_closed: bool = False) -> Deal:
    """A deal by id, by its client's name (their open deal on `side`), or by listing address."""
    ref = ref.strip()
    if looks_like_id(ref):
        found = find_deal(ctx.session, ref.lower())
        if found is not None:
            permissions.ensure_readable(ctx, found, what="deal")
            return found
    try:
        client = contact(ctx, ref)
    except NotFound:
        listings = lookup.listings_by_text(
            ctx.session, ref, owner_ids=permissions.visible_owner_ids(ctx)
        )
        if side is not Side.BUYER and len(listings) == 1:
            return listings[0]
        raise
    return _choose(
        ctx, client, lookup.deals_of_contact(ctx.session, client.id), side, include_closed
    )


def _choose(
    ctx: Ctx, client: Contact, deals: list[Deal], side: Side | None, include_closed: bool
) -> Deal:
    language = ctx.actor.language
    candidates = [d for d in deals if side is None or side_of(d) is side]
    open_ones = [d for d in candidates if not is_terminal(d.stage)]
    pool = open_ones or (candidates if include_closed else [])
    if len(pool) == 1:
        return pool[0]
    if not pool:
        what = {Side.SELLER: "listing", Side.BUYER: "buyer request", None: "open deal"}[side]
        raise NotFound(
            f"{client.full_name} has no {what} yet. Create one first (a listing for a seller, "
            "a buyer request for a buyer).",
            f"У клиента {client.full_name} нет открытой сделки. Сначала создайте объект "
            "(продавец) или заявку (покупатель).",
        )
    labels = [(d.id, _deal_label(d, language)) for d in pool]
    listed = "; ".join(f"{i}: {label}" for i, label in labels)
    raise Ambiguous(
        f"{client.full_name} has several deals — {listed}. Ask which one (or pass its id).",
        f"У клиента {client.full_name} несколько сделок — {listed}. Уточните, какая (или id).",
        candidates=labels,
    )


def _deal_label(deal: Deal, language: str) -> str:
    if isinstance(deal, Listing):
        return listing_line(deal, language)
    return f"buyer request ({stage_name(deal.stage, language)})"


def follow_up(ctx: Ctx, ref: str) -> FollowUp:
    """An open follow-up by id, or the one open follow-up with a client."""
    ref = ref.strip()
    if looks_like_id(ref):
        found = ctx.session.get(FollowUp, ref.lower())
        if found is not None:
            permissions.ensure_readable(ctx, found, what="follow-up")
            return found
    client = contact(ctx, ref)
    open_ones = lookup.open_follow_ups_of_contact(ctx.session, client.id)
    if len(open_ones) == 1:
        return open_ones[0]
    if not open_ones:
        raise NotFound(
            f"{client.full_name} has no open follow-up. Schedule one if needed.",
            f"У клиента {client.full_name} нет открытых напоминаний. Запланируйте новое.",
        )
    tz = ctx.actor.timezone
    labels = [(f.id, f"{when(f.due_at, tz=tz)} {f.channel}") for f in open_ones]
    listed = "; ".join(f"{i}: {label}" for i, label in labels)
    raise Ambiguous(
        f"{client.full_name} has several open follow-ups — {listed}. Ask which one (or its id).",
        f"У клиента {client.full_name} несколько напоминаний — {listed}. Уточните, какое.",
        candidates=labels,
    )


def appointment(ctx: Ctx, ref: str, *, status: str = "scheduled") -> Appointment:
    """An appointment by id, or a client's latest one in `status` (default: still scheduled)."""
    ref = ref.strip()
    if looks_like_id(ref):
        found = ctx.session.get(Appointment, ref.lower())
        if found is not None:
            permissions.ensure_readable(ctx, found, what="appointment")
            return found
    client = contact(ctx, ref)
    found_list = lookup.appointments_of_contact(ctx.session, client.id, status=status)
    if not found_list:
        raise NotFound(
            f"{client.full_name} has no {status} appointment. Book one first.",
            f"У клиента {client.full_name} нет такой встречи. Сначала запишите встречу.",
        )
    return found_list[0]
