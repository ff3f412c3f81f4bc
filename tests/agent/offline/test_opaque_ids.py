"""Ids are opaque (SPEC §10), in conversation: whatever id an import gave a listing or a
contact, the broker reaches the record by writing its id ("card for villa-peyia", "change the
price of 500k to 400k") and still by describing or naming it ("the Germasogeia apartment",
"Andreas Constantinou"), and no reply ever takes the id for a contact's name.

Each example imports brokerage_small (evals/fixtures) with one record renamed and talks to the
offline model as Anna Georgiou, who owns the Germasogeia apartment (l-2) of Andreas
Constantinou (c-3).
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import assume, example, given
from hypothesis import strategies as st

from agent.conversation import Copilot
from crm_store.clock import FrozenClock
from crm_store.context import SYSTEM, Ctx
from crm_store.db import make_engine, make_session_factory, unit_of_work
from crm_store.models import Listing
from crm_store.services.brokers import actor_for, resolve_broker
from crm_store.transfer import import_store, read_canonical
from evals.fixtures.data_named_ids import rename_document
from tests.agent.fakes import StoreBackend, offline_copilot
from tests.id_strategies import examples, ids

ROOT = Path(__file__).resolve().parents[3]
CLOCK = FrozenClock(datetime.fromisoformat("2026-03-10T09:00:00+02:00"))
LISTING, SELLER = "l-2", "c-3"  # 8 Amathountos Ave, Germasogeia (€465,000); Andreas Constantinou


@functools.cache
def _small() -> dict[str, Any]:
    return read_canonical(ROOT / "evals" / "fixtures" / "brokerage_small.json")


def _taken() -> set[str]:
    return {str(r["id"]).lower() for records in _small().values() for r in records}


@dataclass
class Chat:
    """Anna Georgiou talking to the offline model over a store with renamed ids."""

    copilot: Copilot
    actor: Any
    factory: Any

    def say(self, *messages: str) -> list[str]:
        replies: list[str] = []
        for text in messages:
            replies.extend(self.copilot.send(self.actor, channel="test", text=text).texts)
        return replies

    def price(self, listing_id: str) -> Decimal | None:
        with self.factory() as session:
            listing = session.get(Listing, listing_id)
            return listing.price if listing is not None else None


@contextmanager
def chat(template: Path, renamed: dict[str, str]) -> Iterator[Chat]:
    with tempfile.TemporaryDirectory(prefix="opaque-chat-") as tmp:
        target = Path(tmp) / "store.sqlite"
        shutil.copy(template, target)
        engine = make_engine(f"sqlite:///{target}")
        try:
            factory = make_session_factory(engine)
            with unit_of_work(factory) as session:
                ctx = Ctx(session=session, actor=SYSTEM, clock=CLOCK)
                import_store(ctx, rename_document(_small(), renamed))
                actor = actor_for(resolve_broker(session, "Anna Georgiou"), channel="test")
            backend = StoreBackend(session_factory=factory, clock=CLOCK)
            copilot = offline_copilot(backend)
            yield Chat(copilot, actor, factory)
        finally:
            engine.dispose()


def _no_id_as_a_name(replies: list[str], record_id: str) -> None:
    text = "\n".join(replies)
    assert "no contact called" not in text.lower(), text
    for shown in (f"'{record_id}'", f"«{record_id}»", f"Name: {record_id} |"):
        assert shown not in text, text


def _fresh(record_id: str) -> bool:
    return record_id.lower() not in _taken()


@examples(15)
@given(record_id=ids(), opening=st.sampled_from(("tell me about {}", "card for {}")))
@example(record_id="apt-germasogeia-12", opening="tell me about {}")
@example(record_id="1", opening="tell me about {}")  # "about 1" is no time here
@example(record_id="Limassol", opening="card for {}")
@example(record_id="tomorrow", opening="card for {}")
def test_a_listing_is_reached_by_its_id(template_store, record_id, opening):
    assume(_fresh(record_id))
    with chat(template_store, {LISTING: record_id}) as talk:
        replies = talk.say(opening.format(record_id))
        text = "\n".join(replies)
        assert "Andreas Constantinou" in text and "Germasogeia" in text, text
        _no_id_as_a_name(replies, record_id)


@examples(15)
@given(record_id=ids())
@example(record_id="500k")
@example(record_id="2026-03-12")
@example(record_id="sold")
@example(record_id="vyronos 41")
def test_a_listing_price_is_changed_through_its_id(template_store, record_id):
    assume(_fresh(record_id))
    with chat(template_store, {LISTING: record_id}) as talk:
        replies = talk.say(f"change the price of {record_id} to 400k")
        if talk.price(record_id) != Decimal("400000"):
            replies += talk.say("yes")
        assert talk.price(record_id) == Decimal("400000"), replies
        _no_id_as_a_name(replies, record_id)


@examples(12)
@given(record_id=ids(), opening=st.sampled_from(("tell me about {}", "card for {}")))
@example(record_id="Ivan", opening="card for {}")  # a listing's id, not Ivan Petrov
@example(record_id="maria-ivanova", opening="tell me about {}")
@example(record_id="Andreas", opening="tell me about {}")
@example(record_id="1.2m", opening="card for {}")
def test_a_contact_is_reached_by_its_id(template_store, record_id, opening):
    assume(_fresh(record_id))
    with chat(template_store, {SELLER: record_id}) as talk:
        replies = talk.say(opening.format(record_id))
        assert "Andreas Constantinou" in "\n".join(replies), replies
        _no_id_as_a_name(replies, record_id)


@examples(12)
@given(record_id=ids(), renamed=st.sampled_from((LISTING, SELLER)))
@example(record_id="445k", renamed=LISTING)  # the new price is the listing's id
@example(record_id="445k", renamed=SELLER)
@example(record_id="Andreas", renamed=SELLER)  # his first name is his id
@example(record_id="Germasogeia", renamed=LISTING)
def test_describing_or_naming_still_works_whatever_the_ids(template_store, record_id, renamed):
    assume(_fresh(record_id))
    # Known limit: a listing whose id is the verb of a message ("card for Andreas …", listing
    # "card") is taken as named there; nothing tells that word's two readings apart.
    assume(not (renamed == LISTING and record_id.lower() == "card"))
    listing_id = record_id if renamed == LISTING else LISTING
    with chat(template_store, {renamed: record_id}) as talk:
        replies = talk.say("Andreas agreed to lower the Germasogeia apartment to 445k", "yes")
        assert talk.price(listing_id) == Decimal("445000"), replies
        replies += talk.say("card for Andreas Constantinou")
        assert "Name: Andreas Constantinou" in "\n".join(replies), replies
        _no_id_as_a_name(replies, record_id)


def test_a_choice_between_records_of_any_ids_is_answered(template_store):
    renamed = {"l-9": "PH-Potamos-7", "l-12": "kato-paphos-3", "c-21": "george"}
    with chat(template_store, renamed) as talk:
        asked = talk.say("move George Pappas to sold")
        assert "kato-paphos-3" in asked[0] and "PH-Potamos-7" in asked[0]
        talk.say("the penthouse")
        with talk.factory() as session:
            assert session.get(Listing, "PH-Potamos-7").stage == "sold"
            assert session.get(Listing, "kato-paphos-3").stage == "active_listing"


def test_a_record_named_by_its_id_is_the_subject_of_the_next_message(template_store):
    with chat(template_store, {LISTING: "apt-germasogeia-12"}) as talk:
        talk.say("card for apt-germasogeia-12")
        replies = talk.say("remind me to call him tomorrow at 10")
        assert "call Andreas Constantinou" in "\n".join(replies), replies
