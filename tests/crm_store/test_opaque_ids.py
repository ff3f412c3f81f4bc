"""Ids are opaque (SPEC §10): any id an import brings is kept, exported and re-imported as it
is, looked up by the store whatever it looks like, and the ids the store makes keep theirs."""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from crm_store.clock import FrozenClock
from crm_store.context import SYSTEM, Ctx
from crm_store.db import make_engine, make_session_factory, unit_of_work
from crm_store.models import Broker, Contact, Listing
from crm_store.repositories import ids as id_lookup
from crm_store.transfer import dump_canonical, export_store, import_store, read_canonical
from evals.fixtures.data_named_ids import rename_document
from tests.factories import make_contact
from tests.id_strategies import examples, ids

ROOT = Path(__file__).resolve().parents[2]
CLOCK = FrozenClock(datetime.fromisoformat("2026-03-10T09:00:00+02:00"))
# One record of every entity that has any in brokerage_small, renamed in each example.
RENAMED = ("b-2", "c-3", "l-2", "r-1", "sc-5", "f-3", "a-1", "n-1", "p-3")


@functools.cache
def _small() -> dict[str, Any]:
    return read_canonical(ROOT / "evals" / "fixtures" / "brokerage_small.json")


@contextmanager
def empty_store(template: Path) -> Iterator[sessionmaker[Session]]:
    with tempfile.TemporaryDirectory(prefix="opaque-ids-") as tmp:
        target = Path(tmp) / "store.sqlite"
        shutil.copy(template, target)
        engine = make_engine(f"sqlite:///{target}")
        try:
            yield make_session_factory(engine)
        finally:
            engine.dispose()


def imported_and_exported(template: Path, data: dict[str, Any]) -> dict[str, Any]:
    with empty_store(template) as factory:
        with unit_of_work(factory) as session:
            import_store(Ctx(session=session, actor=SYSTEM, clock=CLOCK), data)
        with unit_of_work(factory) as session:
            return export_store(session)


def _existing(data: dict[str, Any]) -> set[str]:
    return {str(record["id"]).lower() for records in data.values() for record in records}


@examples(25)
@given(new_ids=st.lists(ids(), min_size=len(RENAMED), max_size=len(RENAMED), unique_by=str.lower))
def test_any_ids_survive_import_and_export(template_store, new_ids):
    small = _small()
    assume(not {i.lower() for i in new_ids} & _existing(small))  # another record's id: no rename
    mapping = dict(zip(RENAMED, new_ids, strict=True))
    first = imported_and_exported(template_store, rename_document(small, mapping))

    listing = next(r for r in first["listings"] if r["id"] == mapping["l-2"])
    assert (listing["owner"], listing["seller"]) == (mapping["b-2"], mapping["c-3"])
    assert listing["seller_name"] == "Andreas Constantinou"
    request = next(r for r in first["buyer_requests"] if r["id"] == mapping["r-1"])
    assert request["buyer_name"] == "Ivan Petrov"
    shown = next(r for r in first["appointments"] if r["id"] == mapping["a-1"])
    assert mapping["l-2"] in shown["listings"] and shown["deal"] == mapping["r-1"]
    assert any(r["id"] == mapping["sc-5"] for r in first["stage_changes"])
    assert any(r["deal"] == mapping["l-2"] for r in first["stage_changes"])
    assert any(
        r["id"] == mapping["f-3"] and r["deal"] == mapping["r-1"] for r in first["follow_ups"]
    )
    assert any(r["id"] == mapping["n-1"] for r in first["notes"])
    assert any(r["id"] == mapping["p-3"] and r["broker"] == mapping["b-2"] for r in first["plans"])

    text = dump_canonical(first)
    again = imported_and_exported(template_store, json.loads(text))
    assert dump_canonical(again) == text  # an import of an export reproduces it


@examples(20)
@given(listing_id=ids(), contact_id=ids())
def test_the_store_finds_any_id_and_makes_ids_of_its_own_shape(
    template_store, listing_id, contact_id
):
    small = _small()
    assume(listing_id.lower() != contact_id.lower())
    assume(not {listing_id.lower(), contact_id.lower()} & _existing(small))
    data = rename_document(small, {"l-2": listing_id, "c-3": contact_id})
    with empty_store(template_store) as factory, unit_of_work(factory) as session:
        ctx = Ctx(session=session, actor=SYSTEM, clock=CLOCK)
        import_store(ctx, data)
        found = id_lookup.find(session, Listing, listing_id)
        assert found is not None and found.address == "8 Amathountos Ave, Germasogeia"
        assert id_lookup.find(session, Contact, listing_id) is None  # a listing's, not a contact's
        assert id_lookup.kinds_of(session, listing_id) == {"listing": listing_id}
        assert id_lookup.kinds_of(session, contact_id) == {"contact": contact_id}
        if contact_id in (contact_id.lower(), contact_id.upper()):  # "L-2" finds "l-2"
            other = contact_id.lower() if contact_id.isupper() else contact_id.upper()
            assert id_lookup.kinds_of(session, other) == {"contact": contact_id}
        anna = session.get(Broker, "b-2")
        made = make_contact(ctx, owner=anna, full_name="Nina Ross")
        assert made.id == "c-27"  # after the imported c-26, whatever else was imported
