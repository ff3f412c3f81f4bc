"""SQL for notes: a contact's or a deal's notes, newest first."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm_store.models import BuyerRequest, Listing, Note


def get_note(session: Session, note_id: str) -> Note | None:
    return session.get(Note, note_id)


def notes_of(
    session: Session,
    *,
    contact_id: str | None = None,
    listing_id: str | None = None,
    request_id: str | None = None,
    limit: int = 20,
) -> list[Note]:
    """Notes on a contact (their deals' notes included) or on one deal, newest first."""
    conditions = []
    if contact_id is not None:
        # A note on one of the contact's deals may have been logged without naming the contact.
        own_listings = select(Listing.id).where(Listing.seller == contact_id)
        own_requests = select(BuyerRequest.id).where(BuyerRequest.buyer == contact_id)
        conditions.append(
            or_(
                Note.contact == contact_id,
                Note.listing_id.in_(own_listings),
                Note.buyer_request_id.in_(own_requests),
            )
        )
    if listing_id is not None:
        conditions.append(Note.listing_id == listing_id)
    if request_id is not None:
        conditions.append(Note.buyer_request_id == request_id)
    if not conditions:
        return []
    query = (
        select(Note)
        .where(*conditions)
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(max(1, limit))
    )
    return list(session.execute(query).scalars())
