"""Applying a note's extracted facts: showing feedback, buyer criteria, the next follow-up."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import CopilotError
from crm_store.models import BuyerRequest, Contact, Listing, Note
from crm_store.repositories import appointments as appointments_repo
from crm_store.repositories import deals as deals_repo
from crm_store.repositories import lookup
from crm_store.services import appointments
from crm_store.services.amounts import doubt, shown
from crm_store.services.deals import create_buyer_request, update_buyer_request, update_listing
from crm_store.services.followups import (
    propose_next_follow_up,
    reschedule_follow_up,
    schedule_follow_up,
)
from crm_store.services.listing_refs import resolve_listing
from crm_store.services.note_facts import (
    AppliedFacts,
    CriteriaFacts,
    NextStepFacts,
    PriceFacts,
    ShowingFacts,
    Skipped,
)
from crm_store.services.workhours import local_at, to_local

Deal = Listing | BuyerRequest

# Feedback in a note belongs to the contact's showing of the last days; an older showing is
# another visit, so a new (done) showing is recorded instead.
SHOWING_WINDOW = timedelta(days=7)
CRITERIA_FIELDS = (
    "budget_min",
    "budget_max",
    "cities",
    "districts",
    "property_types",
    "bedrooms_min",
    "must_haves",
    "wishes",
    "timeline_months",
    "financing",
)


def skip(result: AppliedFacts, what: str, error: CopilotError | str, ru: str = "") -> None:
    if isinstance(error, CopilotError):
        result.skipped.append(Skipped(what, error.en, error.ru))
    else:
        result.skipped.append(Skipped(what, error, ru or error))


def note_deal(ctx: Ctx, note: Note) -> Deal | None:
    return deals_repo.find_deal(ctx.session, note.deal) if note.deal else None


def buyer_request(ctx: Ctx, note: Note, contact: Contact) -> BuyerRequest | str:
    """The request the note is about, else the contact's only open one; else why not."""
    deal = note_deal(ctx, note)
    if isinstance(deal, BuyerRequest):
        return deal
    found = [
        d
        for d in deals_repo.open_deals_of_contacts(ctx.session, [contact.id])
        if isinstance(d, BuyerRequest)
    ]
    if len(found) == 1:
        return found[0]
    return "none" if not found else "several"


def _resolve_refs(
    ctx: Ctx, refs: list[str], among: list[str], result: AppliedFacts
) -> dict[str, str]:
    """ref → listing id for each reference that names exactly one visible listing."""
    resolved: dict[str, str] = {}
    for ref in dict.fromkeys(refs):
        try:
            resolved[ref] = resolve_listing(ctx, ref=ref, among=among).id
        except CopilotError as error:
            skip(result, f"listing '{ref}'", error)
    return resolved


def _latest_showing(ctx: Ctx, contact: Contact) -> Any:
    """The contact's latest showing of the last days (today's later ones included), if any."""
    now = ctx.now()
    tomorrow = to_local(now, tz=ctx.actor.tz).date() + timedelta(days=1)
    for candidate in appointments_repo.recent_appointments_of_contact(
        ctx.session,
        contact.id,
        since=now - SHOWING_WINDOW,
        until=local_at(tomorrow, time(0), tz=ctx.actor.tz),
    ):
        if candidate.listings and candidate.status in ("scheduled", "done"):
            return candidate
    return None


def _same_visit(showing: Any, named: set[str], feedback: list[dict[str, Any]]) -> bool:
    """The note tells of this showing: it shows a listing the note names, and none of those
    has other feedback there already (a second opinion is a second visit, never an overwrite;
    the same feedback again changes nothing)."""
    if not named & set(showing.listings or []):
        return False
    given = {
        str(i.get("listing")): i.get("reaction")
        for i in showing.feedback or []
        if isinstance(i, dict)
    }
    return all(given.get(str(i["listing"]), i["reaction"]) == i["reaction"] for i in feedback)


def _same_day(ctx: Ctx, showing: Any, at: datetime) -> bool:
    tz = ctx.actor.tz
    return bool(to_local(showing.scheduled_at, tz=tz).date() == to_local(at, tz=tz).date())


def apply_showing(
    ctx: Ctx,
    note: Note,
    contact: Contact,
    request: BuyerRequest | str,
    showing: ShowingFacts,
    next_step: NextStepFacts | None,
    result: AppliedFacts,
) -> None:
    """Feedback goes on the contact's showing of the last days, or on a done showing made now."""
    latest = _latest_showing(ctx, contact)
    among = list(latest.listings) if latest is not None else []
    refs = [*showing.listings, *(r.listing for r in showing.reactions)]
    ids = _resolve_refs(ctx, refs, among, result)
    shown = [ids[ref] for ref in showing.listings if ref in ids]
    feedback: list[dict[str, Any]] = [
        {"listing": ids[r.listing], "reaction": r.reaction, "text": r.text}
        for r in showing.reactions
        if r.listing in ids
    ]
    if not shown and not feedback:
        return
    named = {*shown, *(str(i["listing"]) for i in feedback)}
    if latest is not None and not _same_visit(latest, named, feedback):
        latest = None  # another listing, or one already given feedback: another visit
    if latest is not None and showing.at is not None and not _same_day(ctx, latest, showing.at):
        latest = None  # "showed her yesterday": not the showing of last week
    try:
        if latest is None:
            deal_id = request.id if isinstance(request, BuyerRequest) else None
            latest = appointments.book_appointment(
                ctx,
                contact_id=contact.id,
                scheduled_at=showing.at or ctx.now(),
                happened=True,
                listing_ids=list(dict.fromkeys([*shown, *(str(i["listing"]) for i in feedback)])),
                deal_id=deal_id,
            )
            result.showing_created = True
        before = {i.get("listing"): i for i in latest.feedback or [] if isinstance(i, dict)}
        step = next_step.action if next_step is not None else None
        done = appointments.record_outcome(
            ctx,
            appointment_id=latest.id,
            status="done",
            feedback=feedback,
            next_step=step,
            add_listings=shown,
        )
    except CopilotError as error:
        skip(result, "showing", error)
        return
    result.appointment_id = done.id
    result.showing_at = done.scheduled_at
    result.feedback = [i for i in done.feedback if before.get(i["listing"]) != i]
    deal = deals_repo.find_deal(ctx.session, done.deal) if done.deal else None
    if deal is not None:
        target = appointments.suggested_stage(deal, showing=True)
        if target is not None:
            result.stage_move = appointments.StageProposal(deal.id, deal.stage, target)


def _request_snapshot(request: BuyerRequest) -> dict[str, Any]:
    return {key: getattr(request, key) for key in CRITERIA_FIELDS}


# What makes criteria a search of their own (a mortgage or a wish alone is no search).
_SEARCH_FIELDS = CRITERIA_FIELDS[: CRITERIA_FIELDS.index("must_haves")]


def _a_new_search(ctx: Ctx, contact: Contact, criteria: CriteriaFacts) -> bool:
    """A client with no open deal at all whose note says what they look for: a new lead
    ("first call with Tom, wants a 3-bed in Limassol up to 750k") starts a buyer request."""
    changes = criteria.changes()
    if not any(changes.get(name) for name in _SEARCH_FIELDS):
        return False
    return not deals_repo.open_deals_of_contacts(ctx.session, [contact.id])


def _open_request(
    ctx: Ctx, contact: Contact, criteria: CriteriaFacts, result: AppliedFacts
) -> None:
    changes = criteria.changes()
    wish = changes.pop("wishes_add", None)
    if wish:
        changes["wishes"] = wish.strip()
    try:
        request = create_buyer_request(ctx, buyer_id=contact.id, **changes)
    except CopilotError as error:
        skip(result, "criteria", error)
        return
    result.request_id = request.id
    result.request_created = True
    after = _request_snapshot(request)
    result.criteria = {k: [None, v] for k, v in after.items() if v not in (None, [], "", "unknown")}


def apply_criteria(
    ctx: Ctx,
    request: BuyerRequest | str,
    criteria: CriteriaFacts,
    result: AppliedFacts,
    contact: Contact | None = None,
) -> None:
    """The buyer request's new criteria, through the same validation as any edit."""
    if request == "none" and contact is not None and _a_new_search(ctx, contact, criteria):
        _open_request(ctx, contact, criteria, result)
        return
    if not isinstance(request, BuyerRequest):
        en, ru = (
            (
                "The client has no open buyer request; criteria were not saved.",
                "У клиента нет открытой заявки; критерии не сохранены.",
            )
            if request == "none"
            else (
                "The client has several open buyer requests; say which one to update.",
                "У клиента несколько открытых заявок; уточните, какую обновить.",
            )
        )
        skip(result, "criteria", en, ru)
        return
    changes = criteria.changes()
    added = changes.pop("wishes_add", None)
    if added and added.strip().casefold() not in (request.wishes or "").casefold():
        changes["wishes"] = f"{request.wishes}; {added.strip()}" if request.wishes else added
    if "must_haves" in changes:  # a note adds requirements; dropping one is an explicit edit
        changes["must_haves"] = [*request.must_haves, *changes["must_haves"]]
    before = _request_snapshot(request)
    try:
        update_buyer_request(ctx, request_id=request.id, **changes)
    except CopilotError as error:
        skip(result, "criteria", error)
        return
    after = _request_snapshot(request)
    result.request_id = request.id
    result.criteria = {k: [before[k], after[k]] for k in CRITERIA_FIELDS if before[k] != after[k]}


def apply_price(ctx: Ctx, contact: Contact, fact: PriceFacts, result: AppliedFacts) -> None:
    """The asking price the seller agreed to, on their listing (the one named, else their only
    open one); an implausible figure is skipped with the reason, never written."""
    own = [
        d.id
        for d in deals_repo.open_deals_of_contacts(ctx.session, [contact.id])
        if isinstance(d, Listing) and d.seller == contact.id
    ]
    if fact.listing is None and len(own) != 1:
        skip(
            result,
            "price",
            f"{contact.full_name} has {len(own)} open listings; say which one the price is for.",
            f"У {contact.full_name} открытых объектов: {len(own)}; уточните, о каком цена.",
        )
        return
    try:
        listing = resolve_listing(ctx, ref=fact.listing or own[0], among=own)
        if doubt("price", fact.price, listing.price, field="price") is not None:
            new, was = shown(fact.price), shown(listing.price)
            skip(
                result,
                "price",
                f"{new} is unlikely as {listing.id}'s asking price (now {was}); "
                "if it is right, say so as an order.",
                f"{shown(fact.price, 'ru')} — маловероятная цена для {listing.id} (сейчас "
                f"{shown(listing.price, 'ru')}); если верно, скажите это прямо.",
            )
            return
        old = listing.price
        update_listing(ctx, listing_id=listing.id, price=fact.price)
    except CopilotError as error:
        skip(result, "price", error)
        return
    if old != listing.price and listing.price is not None:
        result.price = (listing.id, old, listing.price)


def _move_planned(ctx: Ctx, contact: Contact, step: NextStepFacts, result: AppliedFacts) -> bool:
    """ "Звонок в пятницу переносим на пн": the client's planned contact of that kind moves
    (its day kept when only a time was said) — not a second one beside it. False when which
    one is not clear: the step is then planned as a new follow-up, read back like any other."""
    assert step.due_at is not None
    planned = lookup.open_follow_ups_of_contact(ctx.session, contact.id)
    same_kind = [f for f in planned if f.channel == step.channel]
    if len(same_kind) != 1:
        return False
    follow_up = same_kind[0]
    due = step.due_at
    if not step.day_said:
        old = to_local(follow_up.due_at, tz=ctx.actor.timezone)
        due = old.replace(hour=due.hour, minute=due.minute)
    was = follow_up.due_at
    try:
        result.follow_up = reschedule_follow_up(ctx, follow_up_id=follow_up.id, due_at=due)
    except CopilotError as error:
        skip(result, "follow-up", error)
        return True
    result.follow_up_moved_from = was
    return True


def apply_next_step(
    ctx: Ctx,
    note: Note,
    contact: Contact,
    request: BuyerRequest | str,
    step: NextStepFacts | None,
    result: AppliedFacts,
) -> None:
    """Schedule the follow-up when a time was given (once); otherwise propose a date."""
    deal = note_deal(ctx, note) or (request if isinstance(request, BuyerRequest) else None)
    moving = step is not None and step.due_at is not None and step.moves
    if moving and step is not None and _move_planned(ctx, contact, step, result):
        return
    if step is not None and step.due_at is not None:
        existing = appointments_repo.open_follow_up_at(
            ctx.session, contact_id=contact.id, due_at=step.due_at
        )
        if existing is not None:
            result.follow_up, result.follow_up_existed = existing, True
            return
        try:
            result.follow_up = schedule_follow_up(
                ctx,
                contact_id=contact.id,
                due_at=step.due_at,
                channel=step.channel,
                purpose=step.action,
                deal_id=deal.id if deal is not None else None,
            )
            return
        except CopilotError as error:
            skip(result, "follow-up", error)
    planned = appointments_repo.next_open_follow_up(
        ctx.session, contact_id=contact.id, after=ctx.now()
    )
    if step is None and planned is not None:
        return  # the next step is on the agenda already (made with the note, or before it)
    # SPEC §4: after each logged contact the copilot proposes the next follow-up.
    result.proposal = (
        propose_next_follow_up(ctx, deal=deal)
        if deal is not None
        else propose_next_follow_up(ctx, contact_id=contact.id)
    )
