"""What a broker asks about: a contact, a deal, or both — checked and turned into columns."""

from __future__ import annotations

from dataclasses import dataclass

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.models import BuyerRequest, Listing
from crm_store.services.contacts import get_contact
from crm_store.services.stages import get_deal


@dataclass(frozen=True)
class Subject:
    contact_id: str | None
    listing_id: str | None
    request_id: str | None


def subject(ctx: Ctx, *, contact_id: str | None, deal_id: str | None) -> Subject:
    """The contact and/or deal a question is about, each one the actor may read."""
    if contact_id is None and deal_id is None:
        raise InvalidInput("Name the contact or the deal.", "Укажите контакт или сделку.")
    listing_id = request_id = None
    if deal_id is not None:
        deal = get_deal(ctx, deal_id=deal_id)
        listing_id = deal.id if isinstance(deal, Listing) else None
        request_id = deal.id if isinstance(deal, BuyerRequest) else None
    if contact_id is not None:
        get_contact(ctx, contact_id=contact_id)
    return Subject(contact_id=contact_id, listing_id=listing_id, request_id=request_id)
