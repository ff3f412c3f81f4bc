"""Which record an id names. Ids are opaque (SPEC §10): an import keeps the ids it is given
("villa-peyia", "Ivan", "2026-03-12"), so what an id is can only be learnt by looking it up.

The store's own ids ("l-12", base.ID_PREFIXES) keep their shape; nothing reads a kind from it.
Lookups go through the primary key: the id as written and its lower-, upper- and title-case
spellings ("L-2" finds "l-2", "villa-peyia" finds "Villa-Peyia"), an exact spelling first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_store.models import Appointment, Base, BuyerRequest, Contact, FollowUp, Listing, Note
from crm_store.repositories.base import ID_PREFIXES

RecordT = TypeVar("RecordT", bound=Base)

# The records a broker names in a message, by the kind the tools take them as.
NAMEABLE: dict[str, type[Base]] = {
    "contact": Contact,
    "listing": Listing,
    "buyer_request": BuyerRequest,
    "follow_up": FollowUp,
    "appointment": Appointment,
    "note": Note,
}
MAX_ID = 64  # the canonical JSON's longest id
_CHUNK = 2000  # ids per IN (…): well below the bound-parameter limits of SQLite and PostgreSQL
WHOLE_TABLE = 400  # more spellings than this to look up: read the table's ids once instead
_PREFIXES = sorted(set(ID_PREFIXES.values()), key=len, reverse=True)
_GENERATED = re.compile(rf"(?:{'|'.join(_PREFIXES)})-\d+", re.IGNORECASE)


def generated_shape(text: str) -> bool:
    """Whether `text` is written like an id this store makes ("l-12"). Only a hint that a word
    is meant as an id even when no record has it ("l-99": answered as a missing record); what
    an id names is always looked up, never read from its shape."""
    return bool(_GENERATED.fullmatch(text.strip()))


def spellings(ref: str) -> list[str]:
    """The spellings of `ref` an id lookup tries, the one written first."""
    text = ref.strip()
    if not text or len(text) > MAX_ID:
        return []
    title = "-".join(part[:1].upper() + part[1:].lower() for part in text.split("-"))
    return list(dict.fromkeys((text, text.lower(), text.upper(), text.capitalize(), title)))


def _column(model: type[Base]) -> Any:
    return model.id  # type: ignore[attr-defined]


def find(session: Session, model: type[RecordT], ref: str) -> RecordT | None:
    """The `model` record whose id is `ref` (as written, else in another letter case)."""
    wanted = spellings(ref)
    if not wanted:
        return None
    exact = session.get(model, wanted[0])
    if exact is not None:
        return exact
    rows = session.execute(select(model).where(_column(model).in_(wanted[1:]))).scalars()
    same = [row for row in rows if str(row.id).lower() == wanted[0].lower()]  # type: ignore[attr-defined]
    return same[0] if same else None


def kinds_of(session: Session, ref: str) -> dict[str, str]:
    """Every nameable table holding `ref` as an id: kind → the id as stored."""
    found = known_ids(session, [ref])
    return found.get(ref.strip().lower(), {})


def known_ids(
    session: Session, refs: Iterable[str], kinds: Iterable[str] | None = None
) -> dict[str, dict[str, str]]:
    """Which of `refs` are ids, in which tables: lower-case ref → {kind: id as stored}.

    One indexed query per table (per few hundred refs). Where a table holds several ids that
    differ only in case, the spelling written wins."""
    written: dict[str, str] = {}
    probes: dict[str, str] = {}  # spelling → lower-case ref
    for ref in refs:
        variants = spellings(ref)
        if not variants:
            continue
        key = variants[0].lower()
        written.setdefault(key, variants[0])
        for variant in variants:
            probes.setdefault(variant, key)
    found: dict[str, dict[str, str]] = {}
    if not probes:
        return found
    for kind in NAMEABLE if kinds is None else kinds:
        column = _column(NAMEABLE[kind])
        if len(probes) > WHOLE_TABLE:  # a long text: one scan of the ids beats many IN lists
            every = session.execute(select(column)).scalars()
            held_ids: list[Any] = [stored for stored in every if str(stored) in probes]
        else:
            held_ids = [
                stored
                for chunk in _chunks(list(probes))
                for stored in session.execute(select(column).where(column.in_(chunk))).scalars()
            ]
        for stored in held_ids:
            key = str(stored).lower()
            if key not in written:
                continue
            held = found.setdefault(key, {})
            if kind not in held or stored == written[key]:
                held[kind] = str(stored)
    return found


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
