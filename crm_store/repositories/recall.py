"""The store reads client memory needs: notes and showing feedback as column rows, newest first."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm_store.models import Appointment, BuyerRequest, Listing, Note

_CHUNK = 500  # well under SQLite's host-parameter limit


@dataclass(frozen=True)
class NoteRow:
    id: str
    author: str
    client: str | None  # the note's contact, else its deal's client
    text: str
    transcript: str | None
    created_at: datetime


@dataclass(frozen=True)
class ShowingRow:
    id: str
    owner: str
    client: str
    scheduled_at: datetime
    feedback: list[Any]


def recent_notes(
    session: Session,
    *,
    author_ids: Collection[str] | None,
    client_id: str | None = None,
    limit: int = 2000,
) -> list[NoteRow]:
    """Notes written by these brokers (None: anyone), on one client or all, newest first."""
    query = select(
        Note.id,
        Note.author,
        Note.contact,
        Note.listing_id,
        Note.buyer_request_id,
        Note.text,
        Note.transcript,
        Note.created_at,
    )
    if author_ids is not None:
        query = query.where(Note.author.in_(list(author_ids)))
    if client_id is not None:
        # A note on one of the client's deals may have been logged without naming the client.
        query = query.where(
            or_(
                Note.contact == client_id,
                Note.listing_id.in_(select(Listing.id).where(Listing.seller == client_id)),
                Note.buyer_request_id.in_(
                    select(BuyerRequest.id).where(BuyerRequest.buyer == client_id)
                ),
            )
        )
    query = query.order_by(Note.created_at.desc(), Note.id.desc()).limit(max(1, limit))
    rows = list(session.execute(query))
    clients = _deal_clients(
        session,
        listing_ids=[r.listing_id for r in rows if r.contact is None and r.listing_id],
        request_ids=[r.buyer_request_id for r in rows if r.contact is None and r.buyer_request_id],
    )
    return [
        NoteRow(
            id=r.id,
            author=r.author,
            client=r.contact or clients.get(r.listing_id or r.buyer_request_id or ""),
            text=r.text or "",
            transcript=r.transcript,
            created_at=r.created_at,
        )
        for r in rows
    ]


def recent_showings(
    session: Session,
    *,
    owner_ids: Collection[str] | None,
    client_id: str | None = None,
    limit: int = 2000,
) -> list[ShowingRow]:
    """Appointments of these brokers that carry feedback, newest first (JSON read in Python)."""
    query = select(
        Appointment.id,
        Appointment.owner,
        Appointment.contact,
        Appointment.scheduled_at,
        Appointment.feedback,
    )
    if owner_ids is not None:
        query = query.where(Appointment.owner.in_(list(owner_ids)))
    if client_id is not None:
        query = query.where(Appointment.contact == client_id)
    query = query.order_by(Appointment.scheduled_at.desc(), Appointment.id.desc())
    found: list[ShowingRow] = []
    for row in session.execute(query):
        if row.feedback:
            found.append(ShowingRow(row.id, row.owner, row.contact, row.scheduled_at, row.feedback))
            if len(found) >= limit:
                break
    return found


def _deal_clients(
    session: Session, *, listing_ids: Sequence[str], request_ids: Sequence[str]
) -> dict[str, str]:
    """Deal id → its client (a listing's seller, a request's buyer)."""
    found: dict[str, str] = {}
    for model, client in ((Listing, Listing.seller), (BuyerRequest, BuyerRequest.buyer)):
        ids = list(dict.fromkeys(listing_ids if model is Listing else request_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            query = select(model.id, client).where(model.id.in_(chunk))
            found.update({deal_id: who for deal_id, who in session.execute(query) if who})
    return found
