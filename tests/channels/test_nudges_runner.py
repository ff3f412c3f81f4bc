"""Nudge passes: exactly-once recording and delivery across kills at every point, retries,
new_match delivery, the channel router, the terminal/log channels and the scheduler."""

from __future__ import annotations

import io
import logging
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from channels.nudges import runner, scheduler
from channels.nudges.base import ChannelRouter
from channels.nudges.runner import PassReport, run_nudges, run_once
from channels.nudges.terminal import LogChannel, TerminalChannel
from crm_store.clock import FrozenClock
from crm_store.context import Ctx
from crm_store.models import Broker, Notification
from crm_store.repositories import nudges as nudges_repo
from crm_store.services import nudges
from tests.factories import (
    make_broker,
    make_buyer_request,
    make_contact,
    make_follow_up,
    make_listing,
)

NICOSIA = ZoneInfo("Asia/Nicosia")


class Killed(BaseException):
    """The process dies here (not an error a channel reports)."""


class Recording:
    """A channel that remembers what it accepted; it can die or fail on demand."""

    def __init__(self, *, kill_after: int | None = None, fail_for: set[str] | None = None):
        self.accepted: list[tuple[str, str, str, str, list[dict[str, Any]]]] = []
        self.kill_after = kill_after
        self.fail_for = fail_for or set()

    def deliver(
        self, broker: Broker, notification: Notification, text: str, actions: list[dict[str, Any]]
    ) -> None:
        if self.kill_after is not None and len(self.accepted) >= self.kill_after:
            raise Killed
        if broker.id in self.fail_for:
            raise RuntimeError("telegram is down")
        self.accepted.append((broker.id, notification.kind, notification.dedupe_key, text, actions))

    def keys(self) -> list[str]:
        return [key for _, _, key, _, _ in self.accepted]


@pytest.fixture
def brokerage(ctx: Ctx) -> dict[str, Broker]:
    """Two brokers (EN, RU) each with a missed follow-up, a gap and a stale deal; Anna also
    has a call in 20 minutes. Committed, so each pass's own sessions see it."""
    anna = make_broker(ctx)
    dmitry = make_broker(ctx, name="Dmitry Volkov", language="ru")
    now = ctx.now()
    for broker, client in ((anna, "Ivan Petrov"), (dmitry, "Мария Иванова")):
        buyer = make_contact(ctx, owner=broker, full_name=client)
        request = make_buyer_request(ctx, owner=broker, buyer=buyer, stage="viewing")
        make_follow_up(ctx, owner=broker, contact=buyer, deal=request,
                       due_at=now - timedelta(hours=20), purpose="send the shortlist")  # fmt: skip
        make_listing(ctx, owner=broker, seller=make_contact(ctx, owner=broker, full_name="Seller"))
    soon = make_contact(ctx, owner=anna, full_name="Olga Smirnova")
    make_follow_up(ctx, owner=anna, contact=soon, due_at=now + timedelta(minutes=20))
    ctx.session.commit()
    return {"anna": anna, "dmitry": dmitry}


def rows(factory: sessionmaker[Session]) -> list[Notification]:
    with factory() as session:
        return list(session.execute(select(Notification)).scalars())


def one_pass(factory: sessionmaker[Session], clock: FrozenClock, channel: Any) -> PassReport:
    return run_once(session_factory=factory, clock=clock, channel=channel)


def test_a_pass_records_and_delivers_every_due_nudge_and_a_rerun_finds_nothing(
    brokerage: dict[str, Broker], session_factory: sessionmaker[Session], clock: FrozenClock
):
    channel = Recording()
    report = one_pass(session_factory, clock, channel)
    kinds = Counter(kind for _, kind, _, _, _ in channel.accepted)
    assert kinds == {"daily_digest": 2, "missed": 2, "gap": 4, "stale_deal": 4, "due_soon": 1}
    assert report.recorded == report.sent == kinds
    stored = rows(session_factory)
    assert {r.status for r in stored} == {"sent"}
    assert {r.sent_at for r in stored} == {clock.now()}
    again = one_pass(session_factory, clock, channel)
    assert sum(again.recorded.values()) == sum(again.sent.values()) == 0
    assert len(channel.accepted) == sum(kinds.values())


def test_texts_reach_each_broker_in_their_language_with_buttons(
    brokerage: dict[str, Broker], session_factory: sessionmaker[Session], clock: FrozenClock
):
    channel = Recording()
    one_pass(session_factory, clock, channel)
    texts = {(b, kind): text for b, kind, _, text, _ in channel.accepted}
    anna, dmitry = brokerage["anna"].id, brokerage["dmitry"].id
    assert texts[(anna, "missed")].startswith("Missed follow-up: call Ivan Petrov")
    assert "send the shortlist" in texts[(anna, "missed")]
    assert texts[(dmitry, "missed")].startswith("Пропущено: звонок Мария Иванова")
    assert texts[(anna, "daily_digest")].startswith("Good morning, Anna!")
    assert texts[(dmitry, "daily_digest")].startswith("Доброе утро, Dmitry!")
    assert "Через 30 минут" not in texts[(anna, "due_soon")]
    assert texts[(anna, "due_soon")].startswith("In 30 minutes — Tue 10 Mar 09:20: call Olga")
    buttons = {(b, kind): acts for b, kind, _, _, acts in channel.accepted}
    assert [a["id"] for a in buttons[(anna, "due_soon")]] == [
        "done", "snooze_1d", "reschedule", "open_card",
    ]  # fmt: skip


@pytest.mark.parametrize("survivors", [0, 1, 2, 5, 12])
def test_a_pass_killed_after_some_deliveries_and_rerun_delivers_each_once(
    brokerage: dict[str, Broker],
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    survivors: int,
):
    dying = Recording(kill_after=survivors)
    with pytest.raises(Killed):
        one_pass(session_factory, clock, dying)
    recorded = rows(session_factory)
    assert len(recorded) == 13 and Counter(r.status for r in recorded)["sent"] == survivors
    healthy = Recording()
    report = one_pass(session_factory, clock, healthy)
    assert sum(report.recorded.values()) == 0
    delivered = dying.keys() + healthy.keys()
    assert sorted(delivered) == sorted(r.dedupe_key for r in recorded)  # each exactly once
    assert {r.status for r in rows(session_factory)} == {"sent"}


def test_killed_at_every_point_of_delivery_each_nudge_still_arrives_once(
    brokerage: dict[str, Broker], session_factory: sessionmaker[Session], clock: FrozenClock
):
    delivered: list[str] = []
    passes = 0
    while True:
        channel = Recording(kill_after=1)  # dies right after its first acceptance
        passes += 1
        try:
            one_pass(session_factory, clock, channel)
        except Killed:
            delivered += channel.keys()
            continue
        delivered += channel.keys()
        break
    stored = rows(session_factory)
    assert passes == len(stored)  # 12 killed, the last one finishes after its only delivery
    assert sorted(delivered) == sorted(r.dedupe_key for r in stored)


def test_a_crash_between_acceptance_and_the_sent_mark_is_the_only_repeat(
    brokerage: dict[str, Broker],
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
):
    original = nudges.mark_sent
    calls = {"n": 0}

    def dies_on_the_third(ctx: Ctx, *, notification_id: str) -> bool:
        calls["n"] += 1
        original(ctx, notification_id=notification_id)  # the update ran, the commit never does
        if calls["n"] == 3:
            raise Killed
        return True

    monkeypatch.setattr(nudges, "mark_sent", dies_on_the_third)
    first = Recording()
    with pytest.raises(Killed):
        one_pass(session_factory, clock, first)
    monkeypatch.setattr(nudges, "mark_sent", original)
    second = Recording()
    one_pass(session_factory, clock, second)
    counts = Counter(first.keys() + second.keys())
    assert [key for key, n in counts.items() if n > 1] == [first.keys()[2]]
    assert set(counts) == {r.dedupe_key for r in rows(session_factory)}
    assert {r.status for r in rows(session_factory)} == {"sent"}


@pytest.mark.parametrize("where", ["planning", "recording", "after_recording_statement"])
def test_a_pass_killed_while_recording_records_each_nudge_once_on_rerun(
    brokerage: dict[str, Broker],
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
):
    original_insert = nudges_repo.insert_new

    def die(*args: Any, **kwargs: Any) -> None:
        if where == "after_recording_statement":
            original_insert(*args, **kwargs)
        raise Killed

    target = (nudges, "due_nudges") if where == "planning" else (nudges_repo, "insert_new")
    monkeypatch.setattr(*target, die)
    with pytest.raises(Killed):
        one_pass(session_factory, clock, Recording())
    assert rows(session_factory) == []
    monkeypatch.undo()
    channel = Recording()
    one_pass(session_factory, clock, channel)
    stored = rows(session_factory)
    assert len(stored) == 13 and len({r.dedupe_key for r in stored}) == 13
    assert sorted(channel.keys()) == sorted(r.dedupe_key for r in stored)


def test_a_channel_failure_keeps_the_nudge_pending_then_gives_up(
    brokerage: dict[str, Broker], session_factory: sessionmaker[Session], clock: FrozenClock
):
    dmitry = brokerage["dmitry"].id
    channel = Recording(fail_for={dmitry})
    report = one_pass(session_factory, clock, channel)
    assert sum(report.retrying.values()) == 6 and sum(report.sent.values()) == 7
    waiting = [r for r in rows(session_factory) if r.broker == dmitry]
    assert {r.status for r in waiting} == {"pending"}
    delivery = waiting[0].payload["delivery"]
    assert delivery["attempts"] == 1 and "telegram is down" in delivery["last_error"]
    assert delivery["next_attempt_at"] == (clock.now() + timedelta(minutes=1)).isoformat()
    assert one_pass(session_factory, clock, channel).waiting == 6  # not before its retry time
    for _ in range(nudges.MAX_ATTEMPTS - 1):
        clock.advance(hours=1)
        one_pass(session_factory, clock, channel)
    gave_up = [r for r in rows(session_factory) if r.broker == dmitry]
    assert {r.status for r in gave_up} == {"failed"}
    assert {r.payload["delivery"]["attempts"] for r in gave_up} == {nudges.MAX_ATTEMPTS}
    assert all(r.status == "sent" for r in rows(session_factory) if r.broker != dmitry)
    recovered = Recording()
    one_pass(session_factory, clock, recovered)
    assert recovered.accepted == []  # failed ones are not retried any more


def test_a_later_attempt_succeeds_after_the_channel_recovers(
    brokerage: dict[str, Broker], session_factory: sessionmaker[Session], clock: FrozenClock
):
    dmitry = brokerage["dmitry"].id
    one_pass(session_factory, clock, Recording(fail_for={dmitry}))
    clock.advance(minutes=2)
    healthy = Recording()
    report = one_pass(session_factory, clock, healthy)
    assert sum(report.sent.values()) == 6 and {b for b, *_ in healthy.accepted} == {dmitry}
    assert {r.status for r in rows(session_factory)} == {"sent"}


def _new_match(ctx: Ctx, broker: Broker) -> Notification:
    """A new_match as the matching engine records it: pending, no channel, no actions."""
    notification = Notification(
        id="nt-900", broker=broker.id, kind="new_match",
        dedupe_key="match:l-1:r-1:450000.00", channel=None, created_at=ctx.now(),
        status="pending",
        payload={
            "listing": "l-1", "buyer_request": "r-1", "buyer": "c-1", "buyer_name": "Ivan Petrov",
            "score": 0.82, "price": "450000.00", "old_price": "480000.00",
            "trigger": "price_drop", "reasons": ["€450k within budget", "sea view"],
            "reasons_ru": ["€450k в бюджете", "вид на море"],
        },
    )  # fmt: skip
    ctx.session.add(notification)
    ctx.session.commit()
    return notification


def test_a_pending_new_match_recorded_elsewhere_is_delivered_once_in_working_hours(
    ctx: Ctx, session_factory: sessionmaker[Session], clock: FrozenClock
):
    anna = make_broker(ctx)
    ctx.session.commit()
    _new_match(ctx, anna)
    clock.at = datetime(2026, 3, 10, 21, 0, tzinfo=NICOSIA).astimezone(UTC)
    night = Recording()
    assert one_pass(session_factory, clock, night).waiting == 1 and night.accepted == []
    clock.at = datetime(2026, 3, 11, 8, 45, tzinfo=NICOSIA).astimezone(UTC)
    channel = Recording()
    one_pass(session_factory, clock, channel)
    match = [a for a in channel.accepted if a[1] == "new_match"]
    assert len(match) == 1
    _, _, key, text, actions = match[0]
    assert key == "match:l-1:r-1:450000.00"
    assert text.startswith("New match for Ivan Petrov: l-1 (price dropped €480K → €450K, 82%)")
    assert [a["command"] for a in actions] == [{"tool": "client_card", "args": {"client": "r-1"}}]
    again = Recording()
    one_pass(session_factory, clock, again)
    assert again.accepted == []


def test_the_router_picks_the_recorded_channel_and_falls_back_to_the_terminal(
    ctx: Ctx, session_factory: sessionmaker[Session], clock: FrozenClock
):
    anna = make_broker(ctx, telegram_user_id=42)
    elena = make_broker(ctx, name="Elena Sokolova")
    ctx.session.commit()
    _new_match(ctx, anna)  # no channel recorded: the broker's preferred one
    telegram, terminal = Recording(), Recording()
    one_pass(session_factory, clock, ChannelRouter({"telegram": telegram}, terminal))
    assert {b for b, *_ in telegram.accepted} == {anna.id}
    assert {k for _, k, *_ in telegram.accepted} == {"daily_digest", "new_match"}
    assert {b for b, *_ in terminal.accepted} == {elena.id}


def test_terminal_and_log_channels_show_the_text_and_the_buttons(
    brokerage: dict[str, Broker],
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
):
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    run_once(session_factory=session_factory, clock=clock, channel=TerminalChannel(console))
    printed = out.getvalue()
    assert "missed → Anna Georgiou" in printed and "[Snooze 1 day]" in printed
    assert "[Отложить на день]" in printed  # Dmitry reads Russian buttons
    logged = rows(session_factory)[0]
    with caplog.at_level(logging.INFO, logger="copilot.nudges"):
        LogChannel().deliver(brokerage["anna"], logged, "line one\nline two", [])
    assert f"nudge {logged.id} {logged.kind} to Anna Georgiou" in caplog.text
    assert "line one | line two" in caplog.text


def test_run_nudges_once_takes_a_runtime_like_object(
    brokerage: dict[str, Broker], session_factory: sessionmaker[Session], clock: FrozenClock
):
    runtime = SimpleNamespace(session_factory=session_factory, clock=clock)
    channel = Recording()
    report = run_nudges(runtime, once=True, channel=channel)
    assert report is not None and sum(report.sent.values()) == 13
    assert sum(run_nudges(runtime, once=True, channel=channel).recorded.values()) == 0  # type: ignore[union-attr]


def test_the_daemon_schedules_an_interval_job_that_survives_a_broken_pass(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    jobs: list[Any] = []
    monkeypatch.setattr(runner, "run_every", lambda job, interval_s: jobs.append((job, interval_s)))

    def broken(**_: Any) -> PassReport:
        raise RuntimeError("store is locked")

    monkeypatch.setattr(runner, "run_once", broken)
    runner.run_forever(session_factory=None, clock=None, channel=Recording())  # type: ignore[arg-type]
    ((job, interval),) = jobs
    assert interval == scheduler.DEFAULT_INTERVAL_S
    with caplog.at_level(logging.ERROR, logger="copilot.nudges"):
        job()  # logged, not raised: the next tick tries again
    assert "nudge pass failed" in caplog.text


def test_apscheduler_runs_the_pass_on_its_interval_one_at_a_time():
    ran = threading.Event()
    background = scheduler.start_in_background(ran.set, interval_s=60)
    try:
        assert ran.wait(timeout=10)  # the first run is immediate
        job = background.get_job(scheduler.JOB_ID)
        assert job.max_instances == 1 and job.coalesce is True
        assert job.trigger.interval == timedelta(seconds=60)
    finally:
        background.shutdown(wait=False)


@pytest.fixture
def demo(ctx: Ctx) -> Iterator[None]:
    from crm_store.demo import generate_demo

    generate_demo(ctx, listings=120)
    ctx.session.commit()
    yield


def test_a_working_day_morning_on_the_demo_gives_every_broker_digest_missed_and_gaps_once(
    demo: None, ctx: Ctx, session_factory: sessionmaker[Session], clock: FrozenClock
):
    from crm_store.services.followups import gaps

    channel = Recording()
    report = one_pass(session_factory, clock, channel)  # Tuesday 09:00 Limassol
    brokers = {b.id for b in ctx.session.execute(select(Broker)).scalars() if b.active}
    sent = Counter(kind for _, kind, *_ in channel.accepted)
    assert {b for b, k, *_ in channel.accepted if k == "daily_digest"} == brokers
    week_ago = clock.now() - timedelta(days=7)
    overdue = nudges_repo.follow_ups_overdue_since(ctx.session, since=week_ago, now=clock.now())
    assert {b for b, k, *_ in channel.accepted if k == "missed"} == {f.owner for f in overdue}
    assert sent["missed"] == len(overdue) > 0
    assert sent["gap"] == len(gaps(ctx)) > 0
    assert report.sent == sent
    again = Recording()
    rerun = one_pass(session_factory, clock, again)
    assert sum(rerun.recorded.values()) == 0 and again.accepted == []
