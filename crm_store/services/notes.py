"""Notes (SPEC §2, §9): the raw text is always kept; extracted facts apply only whitelisted changes.

A note's text is data. Nothing here reads it for instructions: only a NoteFacts object (filled
by an extractor, validated against a whitelist) can change anything, and only feedback on a
showing, the buyer's criteria and the next follow-up.
"""

from __future__ import annotations

import json
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import CopilotError, InvalidInput
from crm_store.models import BuyerRequest, Contact, Listing, Note
from crm_store.repositories import deals as deals_repo
from crm_store.repositories import notes as repo
from crm_store.repositories.base import add, record
from crm_store.services import note_apply
from crm_store.services.contacts import get_contact, resolve_contact
from crm_store.services.deals import client_of
from crm_store.services.note_facts import AppliedFacts, NoteFacts
from crm_store.services.permissions import ensure_writable
from crm_store.services.scope import subject
from crm_store.services.stages import get_deal
from crm_store.vocabulary import NOTE_SOURCES

__all__ = ["AppliedFacts", "NoteFacts", "apply_note_facts", "log_note", "notes_for"]

Deal = Listing | BuyerRequest


def _facts_json(facts: Any) -> dict[str, Any] | None:
    """Facts as a plain JSON dict; anything unusable is dropped (the text is what counts)."""
    if facts is None:
        return None
    if isinstance(facts, NoteFacts):
        return facts.model_dump(mode="json", exclude_none=True)
    if not isinstance(facts, dict):
        return None
    try:
        return dict(json.loads(json.dumps(facts, default=str)))
    except (TypeError, ValueError):
        return None


def log_note(
    ctx: Ctx,
    *,
    text: str,
    contact_id: str | None = None,
    deal_id: str | None = None,
    source: str = "text",
    transcript: str | None = None,
    facts: Any = None,
) -> Note:
    """Keep a broker's note exactly as given (with the transcript and any extracted facts)."""
    raw = text if text and text.strip() else (transcript or "")
    if not raw.strip():
        raise InvalidInput(
            "The note is empty; say what happened.", "Заметка пустая; что произошло?"
        )
    if source not in NOTE_SOURCES:
        raise InvalidInput(
            f"Note source must be one of {', '.join(NOTE_SOURCES)}.",
            f"Источник заметки: одно из {', '.join(NOTE_SOURCES)}.",
        )
    deal = get_deal(ctx, deal_id=deal_id) if deal_id else None
    if deal is not None:
        ensure_writable(ctx, deal, what="deal")
    client = client_of(deal) if deal is not None else None
    contact: Contact | None = None
    if contact_id:
        contact = get_contact(ctx, contact_id=contact_id)
        ensure_writable(ctx, contact, what="contact")
    elif client:
        contact = ctx.session.get(Contact, client)
    if deal is not None and contact is not None and client not in (None, contact.id):
        raise InvalidInput(
            f"Deal {deal.id} is not {contact.full_name}'s; log the note on one or the other.",
            f"Сделка {deal.id} не относится к {contact.full_name}; выберите что-то одно.",
        )
    if deal is None and contact is not None:
        # a client with one open deal: the note is about it (it shows on the deal's history)
        open_deals = deals_repo.open_deals_of_contacts(ctx.session, [contact.id])
        deal = open_deals[0] if len(open_deals) == 1 else None
    author = ctx.actor.broker_id or (deal.owner if deal else contact.owner if contact else None)
    if author is None:
        raise InvalidInput(
            "Say which contact or deal the note is about.",
            "Укажите, к какому контакту или сделке относится заметка.",
        )
    note = Note(
        author=author,
        contact=contact.id if contact else None,
        listing_id=deal.id if isinstance(deal, Listing) else None,
        buyer_request_id=deal.id if isinstance(deal, BuyerRequest) else None,
        text=raw,
        source=source,
        transcript=transcript,
        facts=_facts_json(facts),
        created_at=ctx.now(),
    )
    return add(ctx, note)


def notes_for(
    ctx: Ctx, *, contact_id: str | None = None, deal_id: str | None = None, limit: int = 20
) -> list[Note]:
    """A contact's notes (their deals' too) or one deal's, newest first."""
    about = subject(ctx, contact_id=contact_id, deal_id=deal_id)
    return repo.notes_of(
        ctx.session,
        contact_id=about.contact_id,
        listing_id=about.listing_id,
        request_id=about.request_id,
        limit=limit,
    )


def _note_contact(ctx: Ctx, note: Note, facts: NoteFacts, result: AppliedFacts) -> Contact | None:
    """The note's contact, its deal's client, or (once) the contact the facts name."""
    deal = note_apply.note_deal(ctx, note)
    contact_id = note.contact or (client_of(deal) if deal is not None else None)
    if contact_id:
        return get_contact(ctx, contact_id=contact_id)
    if not facts.contact_name:
        return None
    try:
        contact = resolve_contact(ctx, name=facts.contact_name)
    except CopilotError as error:
        note_apply.skip(result, "contact", error)
        return None
    ensure_writable(ctx, contact, what="contact")
    note.contact = contact.id  # the note is about this client from now on
    ctx.session.flush()
    record(ctx, action="link", entity="notes", entity_id=note.id, changes={"contact": contact.id})
    return contact


def apply_note_facts(ctx: Ctx, *, note: Note, facts: NoteFacts) -> AppliedFacts:
    """Apply what was extracted from a note: showing feedback, buyer criteria, the next follow-up.

    Nothing else is ever changed: no deletion, no stage move (a fitting move is only proposed).
    A part that cannot be applied (an ambiguous listing, an invalid value) is skipped and
    reported; the rest still applies. Applying the same facts twice changes nothing more.
    """
    ensure_writable(ctx, note, what="note")
    facts = NoteFacts.model_validate(facts.model_dump()) if facts is not None else NoteFacts()
    result = AppliedFacts(note_id=note.id)
    if note.facts is None:
        note.facts = facts.model_dump(mode="json", exclude_none=True)
    contact = _note_contact(ctx, note, facts, result)
    if contact is None:
        if facts.showing or facts.criteria or facts.next_step or facts.price:
            note_apply.skip(
                result,
                "contact",
                "The note names no contact, so nothing was applied.",
                "В заметке не указан клиент, поэтому ничего не применено.",
            )
        return result
    ensure_writable(ctx, contact, what="contact")
    result.contact_id = contact.id
    request = note_apply.buyer_request(ctx, note, contact)
    if facts.showing and (facts.showing.listings or facts.showing.reactions):
        note_apply.apply_showing(
            ctx, note, contact, request, facts.showing, facts.next_step, result
        )
    if facts.criteria and facts.criteria.changes():
        note_apply.apply_criteria(ctx, request, facts.criteria, result, contact)
    if facts.price is not None:
        note_apply.apply_price(ctx, contact, facts.price, result)
    note_apply.apply_next_step(ctx, note, contact, request, facts.next_step, result)
    return result
