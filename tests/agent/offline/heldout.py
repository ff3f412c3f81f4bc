"""The held-out corpus: how brokers really write, scored against what the model should do.

data/heldout_en.jsonl and data/heldout_ru.jsonl hold utterances written apart from the
training-like commands_*.jsonl (and from the eval tasks), each with what must happen:
- "calls": the tool calls in order, each name exact and each given argument equal
  (arguments not given are free: an outcome's wording, a purpose);
- "ask": true — no call, a clarifying question instead (a destructive or final change that
  is unclear, a missing detail);
- "no_write": true — nothing may be written (a question, "not understood", or a read is fine).
"who" is the acting broker (anna: English; dmitry: Russian). "split" records how each batch was
used: "dev" and "dev2" were looked at while improving the model; "sealed", "sealed2" and
"sealed3" were each written before the changes they measured and scored once unseen (see the
commit messages for those scores), then read to fix what they showed. A new unseen batch is
the honest measure of the model as it is now.

The store is tests/agent/offline/conftest.py's brokerage plus a few clients with several
follow-ups (see `add_heldout_clients`). Run `python -m tests.agent.offline.heldout` for the
accuracy per split, language and intent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agent.context import UNCERTAIN
from crm_store.context import Ctx
from crm_store.models import Broker
from tests.factories import (
    make_buyer_request,
    make_contact,
    make_follow_up,
    make_listing,
)

DATA = Path(__file__).parent / "data"
FILES = ("heldout_en.jsonl", "heldout_ru.jsonl")
WRITES = frozenset(
    {
        "register_contact",
        "update_contact",
        "save_listing",
        "save_buyer_request",
        "move_stage",
        "schedule_follow_up",
        "complete_follow_up",
        "reschedule_follow_up",
        "cancel_follow_up",
        "book_appointment",
        "record_appointment",
        "log_note",
    }
)
_NICOSIA = ZoneInfo("Asia/Nicosia")


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=_NICOSIA)


def add_heldout_clients(ctx: Ctx) -> None:
    """Clients with several follow-ups, and Dmitry's Russian-named buyers and seller.

    Anna: Ivan Petrov gets f-3 call Thu 12 Mar 10:00, f-4 meeting Fri 13 Mar 12:00, f-5 e-mail
    Wed 18 Mar 10:00; Peter Hall c-9 (buyer r-6, viewing) has f-6 call Wed 11 Mar 11:00.
    Dmitry: Пётр Соколов c-10 (buyer r-7, viewing, Paphos villa) with f-7 call Fri 13 Mar 15:00;
    Ольга Смирнова c-11 (buyer r-8, decision) with f-8 call Thu 12 Mar 11:00 and f-9 message
    Mon 16 Mar 10:00; Марина Кузнецова c-12 sells l-6, a flat in Livadia (14 Ermou St), active.
    """
    anna = ctx.session.query(Broker).filter_by(name="Anna Georgiou").one()
    dmitry = ctx.session.query(Broker).filter_by(name="Dmitry Volkov").one()
    from crm_store.models import Contact

    ivan = ctx.session.query(Contact).filter_by(full_name="Ivan Petrov").one()
    make_follow_up(ctx, owner=anna, contact=ivan, due_at=_at(12, 10), channel="call")
    make_follow_up(ctx, owner=anna, contact=ivan, due_at=_at(13, 12), channel="meeting")
    make_follow_up(ctx, owner=anna, contact=ivan, due_at=_at(18, 10), channel="email")
    peter = make_contact(ctx, owner=anna, full_name="Peter Hall", phones=["+35799555123"])
    make_buyer_request(
        ctx,
        owner=anna,
        buyer=peter,
        stage="viewing",
        property_types=["apartment"],
        bedrooms_min=2,
        budget_max=Decimal("400000"),
    )
    make_follow_up(ctx, owner=anna, contact=peter, due_at=_at(11, 11), channel="call")
    petr = make_contact(ctx, owner=dmitry, full_name="Пётр Соколов", language="ru")
    make_buyer_request(
        ctx, owner=dmitry, buyer=petr, stage="viewing", cities=["Paphos"], property_types=["villa"]
    )
    make_follow_up(ctx, owner=dmitry, contact=petr, due_at=_at(13, 15), channel="call")
    olga = make_contact(ctx, owner=dmitry, full_name="Ольга Смирнова", language="ru")
    make_buyer_request(ctx, owner=dmitry, buyer=olga, stage="decision")
    make_follow_up(ctx, owner=dmitry, contact=olga, due_at=_at(12, 11), channel="call")
    make_follow_up(ctx, owner=dmitry, contact=olga, due_at=_at(16, 10), channel="message")
    marina = make_contact(ctx, owner=dmitry, full_name="Марина Кузнецова", language="ru")
    make_listing(
        ctx,
        owner=dmitry,
        seller=marina,
        stage="active_listing",
        address="14 Ermou St",
        city="Larnaca",
        district="Livadia",
        price=Decimal("300000"),
        created_at=ctx.now() - timedelta(days=40),
    )
    ctx.session.commit()


@dataclass(frozen=True)
class Case:
    text: str
    who: str
    language: str
    split: str
    intent: str  # the expected first tool, or "ask" / "no_write"
    expect: dict[str, Any]


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for name in FILES:
        language = "ru" if name.endswith("_ru.jsonl") else "en"
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            raw = json.loads(line)
            if raw.get("calls"):
                intent = str(raw["calls"][0]["name"])
            else:
                intent = "ask" if raw.get("ask") else "no_write"
            who = str(raw.get("who", "dmitry" if language == "ru" else "anna"))
            cases.append(Case(raw["text"], who, language, raw.get("split", "dev"), intent, raw))
    return cases


def _args_match(
    expected: dict[str, Any], got: dict[str, Any], clients: Mapping[str, str] | None = None
) -> bool:
    """Each expected argument equal; {"$in": [...]} one of several; a string ending in "*" a
    prefix (a date whose hour the broker left open); null: the argument must be absent. A
    follow-up named by its id is the one its client's name names (`clients`: id → name)."""
    clients = clients or {}
    for key, value in expected.items():
        if value is None:
            if key in got:
                return False
            continue
        if key not in got:
            return False
        if isinstance(value, dict) and "$in" in value:
            if got[key] not in value["$in"]:
                return False
        elif isinstance(value, str) and value.endswith("*"):
            if not str(got[key]).startswith(value[:-1]):
                return False
        elif isinstance(value, dict) and isinstance(got[key], dict):
            if not _args_match(value, got[key], clients):
                return False
        elif isinstance(value, list) and isinstance(got[key], list):
            if sorted(map(str, value)) != sorted(map(str, got[key])):
                return False
        elif got[key] != value and not (key == "follow_up" and clients.get(got[key]) == value):
            return False
    return True


def reported(message: Any) -> tuple[list[Any], bool]:
    """The calls that count, and whether they are only proposed: a report is kept as a note
    and the calls it implies wait for the broker's yes (issue #10), so they are judged as
    the calls, never as silent writes."""
    calls = list(message.tool_calls)
    inferred = set(message.additional_kwargs.get(UNCERTAIN) or {})
    if calls and calls[0]["name"] == "log_note" and calls[1:]:
        return calls[1:], bool(inferred)
    return calls, False


def judge(case: Case, message: Any, clients: Mapping[str, str] | None = None) -> str | None:
    """None when the model did what the case expects, else what went wrong."""
    made, proposed = reported(message)
    calls = [(call["name"], call["args"]) for call in made]
    expect = case.expect
    if expect.get("calls"):
        wanted = expect["calls"]
        names = [name for name, _ in calls]
        if names != [c["name"] for c in wanted]:
            return f"calls {calls} / {str(message.content)[:80]!r}"
        for (_, args), want in zip(calls, wanted, strict=True):
            if not _args_match(want.get("args", {}), args, clients):
                return f"args {args} != {want.get('args')}"
        return None
    writes = [name for name, _ in calls if name in WRITES]
    if expect.get("ask"):
        question = "offline_pending" in message.additional_kwargs or "?" in str(message.content)
        if proposed:  # read back before anything changes: the broker is asked
            return None
        if calls or not question:
            return f"no question: calls {calls} / {str(message.content)[:80]!r}"
        return None
    if writes and not proposed:
        return f"wrote {calls}"
    return None


@dataclass
class Score:
    passed: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.passed += ok
        self.total += 1

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.rate:6.1%} ({self.passed}/{self.total})"


@dataclass
class Report:
    overall: Score
    by_split: dict[str, Score]
    by_language: dict[str, Score]
    by_intent: dict[str, Score]
    failures: list[tuple[Case, str]]
    wrong_writes: list[tuple[Case, str]]

    def text(self) -> str:
        lines = [f"overall {self.overall}"]
        for title, table in (
            ("split", self.by_split),
            ("language", self.by_language),
            ("intent", self.by_intent),
        ):
            lines += [f"  {title} {key:22} {score}" for key, score in sorted(table.items())]
        lines.append(f"wrong writes: {len(self.wrong_writes)}")
        return "\n".join(lines)


def _follow_up_clients(brokerage: Any) -> dict[str, str]:
    """Each follow-up's id → its client's full name (a read-back pins the follow-up by id)."""
    from crm_store.models import Contact, FollowUp

    with brokerage.backend.unit_of_work(brokerage.actors["anna"]) as ctx:
        rows = ctx.session.query(FollowUp.id, Contact.full_name).join(
            Contact, Contact.id == FollowUp.contact
        )
        return {str(fid): str(name) for fid, name in rows}


def evaluate(brokerage: Any, cases: list[Case]) -> Report:
    overall = Score()
    tables: tuple[dict[str, Score], ...] = tuple(defaultdict(Score) for _ in range(3))
    failures: list[tuple[Case, str]] = []
    wrong: list[tuple[Case, str]] = []
    clients = _follow_up_clients(brokerage)
    for case in cases:
        message = brokerage.reply(case.text, who=case.who)
        problem = judge(case, message, clients)
        ok = problem is None
        overall.add(ok)
        for table, key in zip(tables, (case.split, case.language, case.intent), strict=True):
            table[key].add(ok)
        if not ok:
            assert problem is not None
            failures.append((case, problem))
            expected = {c["name"] for c in case.expect.get("calls", [])}
            calls, proposed = reported(message)
            made = {c["name"] for c in calls}
            if not proposed and (made & WRITES) - expected:
                wrong.append((case, problem))
    return Report(overall, dict(tables[0]), dict(tables[1]), dict(tables[2]), failures, wrong)


def _main() -> None:  # pragma: no cover - a report for people, not a test
    import argparse
    import shutil
    import tempfile

    from crm_store.clock import FrozenClock
    from crm_store.context import SYSTEM
    from crm_store.db import make_engine, make_session_factory
    from crm_store.migrate import upgrade
    from tests.agent.offline.conftest import build_brokerage
    from tests.conftest import TUESDAY_9AM

    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default=None)
    parser.add_argument("--failures", action="store_true", help="list the dev split's failures")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    try:
        engine = make_engine(f"sqlite:///{folder / 'store.sqlite'}")
        upgrade(engine)
        factory = make_session_factory(engine)
        clock = FrozenClock(TUESDAY_9AM)
        session = factory()
        ctx = Ctx(session=session, actor=SYSTEM, clock=clock)
        brokerage = build_brokerage(ctx, factory, clock)
        add_heldout_clients(ctx)
        cases = [c for c in load_cases() if options.split in (None, c.split)]
        report = evaluate(brokerage, cases)
        print(report.text())
        if options.failures:
            for case, problem in report.failures:
                if case.split.startswith("sealed") and options.split != case.split:
                    continue  # the sealed part is measured, not read
                print(f"- [{case.split} {case.who}] {case.text}\n    {problem}")
        session.close()
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    _main()
