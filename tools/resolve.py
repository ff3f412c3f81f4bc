"""Turn what the model passes (an id, a client's name, an address) into the record meant.

Ids are opaque (SPEC §10): whether a reference is an id, and of what, is looked up in the
store ("villa-peyia" is a listing because the listings table holds it), never read from its
shape. A reference that is the id of a record the broker may not open is still tried as a
name, so a colleague's odd id never hides the broker's own client of that name.
"""

from __future__ import annotations

from typing import TypeVar

from crm_store.context import Ctx
from crm_store.errors import Ambiguous, NotFound
from crm_store.models import Appointment, Base, BuyerRequest, Contact, FollowUp, Listing
from crm_store.repositories import ids, lookup
from crm_store.services import permissions
from crm_store.services.contacts import resolve_contact
from crm_store.services.stages import side_of
from crm_store.vocabulary import Side, is_terminal, stage_name
from tools.render import listing_line, when

Deal = Listing | BuyerRequest
RecordT = TypeVar("RecordT", bound=Base)


def by_id(ctx: Ctx, model: type[RecordT], ref: str) -> RecordT | None:
    """The `model` record whose id `ref` is, whoever owns it (None: no such id)."""
    return ids.find(ctx.session, model, ref)


def deal_by_id(ctx: Ctx, ref: str) -> Deal | None:
    """The listing or buyer request whose id `ref` is (None: neither table holds it)."""
    return by_id(ctx, Listing, ref) or by_id(ctx, BuyerRequest, ref)


def _readable(ctx: Ctx, record: Base | None) -> bool:
    return record is not None and permissions.can_read(ctx, record)


def contact(ctx: Ctx, ref: str) -> Contact:
    """A contact by id, name (either script, any case), phone or e-mail."""
    ref = ref.strip()
    found = by_id(ctx, Contact, ref)
    if found is not None and _readable(ctx, found):
        return found
    try:
        return resolve_contact(ctx, name=ref)
    except NotFound:
        if found is not None:  # a colleague's contact's id, and no client of that name
            permissions.ensure_readable(ctx, found, what="contact")
        raise


def _owner_of_ref(ctx: Ctx, ref: str, found: Base | None, *, what: str) -> Contact:
    """The client `ref` names, when it is not the id of a record the broker may open; a
    colleague's record's id that names no client of the broker is refused as such."""
    try:
        return contact(ctx, ref)
    except NotFound:
        if found is not None:
            permissions.ensure_readable(ctx, found, what=what)
        raise


def deal(ctx: Ctx, ref: str, *, side: Side | None = None, include_closed: bool = False) -> Deal:
    """A deal by id, by its client's name (their open deal on `side`), or by listing address."""
    ref = ref.strip()
    found = deal_by_id(ctx, ref)
    if found is not None and _readable(ctx, found):
        return found
    try:
        client = contact(ctx, ref)
    except NotFound:
        if found is not None:
            permissions.ensure_readable(ctx, found, what="deal")
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
    found = by_id(ctx, FollowUp, ref)
    if found is not None and _readable(ctx, found):
        return found
    client = _owner_of_ref(ctx, ref, found, what="follow-up")
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
    found = by_id(ctx, Appointment, ref)
    if found is not None and _readable(ctx, found):
        return found
    client = _owner_of_ref(ctx, ref, found, what="appointment")
    found_list = lookup.appointments_of_contact(ctx.session, client.id, status=status)
    if not found_list:
        raise NotFound(
            f"{client.full_name} has no {status} appointment. Book one first.",
            f"У клиента {client.full_name} нет такой встречи. Сначала запишите встречу.",
        )
    return found_list[0]
