"""One nudge pass, and the daemon that runs one every minute (`copilot nudges [--once]`).

A pass has two steps, each committed on its own: (1) find the nudges due now and record them
as pending in one transaction; (2) deliver every pending nudge whose time has come, marking
each sent in its own transaction right after its channel accepted it. Killing the process at
any point loses nothing and records nothing twice (see crm_store/services/nudges.py).
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from channels.nudges.base import Channel, ChannelRouter
from channels.nudges.scheduler import DEFAULT_INTERVAL_S, run_every
from channels.nudges.terminal import TerminalChannel
from crm_store.clock import Clock
from crm_store.context import Actor, Ctx
from crm_store.db import SessionFactory, unit_of_work
from crm_store.services import nudges
from crm_store.services.nudges_render import nudge_actions, render_nudge

logger = logging.getLogger("copilot.nudges")
# Changes made by a pass (recording nudges) are attributed to the nudge engine.
NUDGES = Actor(broker_id=None, name="nudges", role="admin", channel="nudges")


@dataclass
class PassReport:
    """What one pass did, per kind."""

    recorded: Counter[str] = field(default_factory=Counter)
    sent: Counter[str] = field(default_factory=Counter)
    retrying: Counter[str] = field(default_factory=Counter)  # failed now, will retry
    failed: Counter[str] = field(default_factory=Counter)  # given up
    waiting: int = 0  # pending, outside the broker's hours or before their retry time

    def as_dict(self) -> dict[str, Any]:
        return {
            "recorded": dict(self.recorded),
            "sent": dict(self.sent),
            "retrying": dict(self.retrying),
            "failed": dict(self.failed),
            "waiting": self.waiting,
        }

    def summary(self) -> str:
        def part(label: str, counts: Counter[str]) -> str:
            kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
            return f"{label} {sum(counts.values())}" + (f" ({kinds})" if kinds else "")

        return "; ".join(
            [
                part("recorded", self.recorded),
                part("sent", self.sent),
                part("retrying", self.retrying),
                part("failed", self.failed),
                f"waiting {self.waiting}",
            ]
        )


def _ctx(session: Any, clock: Clock) -> Ctx:
    return Ctx(session=session, actor=NUDGES, clock=clock)


def record_due(*, session_factory: SessionFactory, clock: Clock, report: PassReport) -> None:
    """Step 1: record every nudge due now (one committed transaction)."""
    with unit_of_work(session_factory) as session:
        planned = nudges.due_nudges(_ctx(session, clock))
        recorded = nudges.record_nudges(_ctx(session, clock), nudges=planned)
    report.recorded.update(nudge.kind for _, nudge in recorded)


def deliver_pending(
    *, session_factory: SessionFactory, clock: Clock, channel: Channel, report: PassReport
) -> None:
    """Step 2: deliver each pending nudge whose time has come, committing its new state (sent,
    or the failed attempt) right after the channel answered, before the next one is tried."""
    session = session_factory()
    try:
        ctx = _ctx(session, clock)
        waiting = nudges.pending_nudges(ctx)
        session.commit()
        for item in waiting:
            _deliver_one(ctx, item, channel, report)
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _deliver_one(ctx: Ctx, item: nudges.Delivery, channel: Channel, report: PassReport) -> None:
    notification, broker = item.notification, item.broker
    kind = notification.kind
    if item.undeliverable is not None or broker is None:
        error = item.undeliverable or "no broker"
        nudges.mark_failed(ctx, notification=notification, error=error, final=True)
        report.failed[kind] += 1
        return
    if not item.ready:
        report.waiting += 1
        return
    payload = notification.payload or {}
    try:
        text = render_nudge(kind, payload, language=broker.language, timezone=broker.timezone)
        channel.deliver(broker, notification, text, nudge_actions(kind, payload))
    except Exception as error:  # the channel refused it: keep it pending, retry later
        logger.warning("nudge %s not delivered: %s", notification.id, error, exc_info=True)
        status = nudges.mark_failed(ctx, notification=notification, error=repr(error))
        (report.failed if status == "failed" else report.retrying)[kind] += 1
        return
    nudges.mark_sent(ctx, notification_id=notification.id)
    report.sent[kind] += 1


def run_once(
    *, session_factory: SessionFactory, clock: Clock, channel: Channel, progress: bool = False
) -> PassReport:
    """One pass: record what is due now, then deliver what is pending."""
    report = PassReport()
    record_due(session_factory=session_factory, clock=clock, report=report)
    deliver_pending(session_factory=session_factory, clock=clock, channel=channel, report=report)
    if progress:
        print(f"nudges: {report.summary()}", file=sys.stderr, flush=True)
    return report


def run_forever(
    *,
    session_factory: SessionFactory,
    clock: Clock,
    channel: Channel,
    interval_s: float = DEFAULT_INTERVAL_S,
    progress: bool = False,
) -> None:
    """Run a pass every `interval_s` seconds (APScheduler) until interrupted."""

    def one_pass() -> None:
        try:
            run_once(
                session_factory=session_factory, clock=clock, channel=channel, progress=progress
            )
        except Exception:  # a broken pass must not stop the daemon; the next one retries
            logger.exception("nudge pass failed")

    run_every(one_pass, interval_s=interval_s)


class RuntimeLike(Protocol):
    @property
    def session_factory(self) -> SessionFactory: ...

    @property
    def clock(self) -> Clock: ...


def run_nudges(
    runtime: RuntimeLike,
    *,
    once: bool,
    channel: Channel | None = None,
    progress: bool = False,
) -> PassReport | None:
    """`copilot nudges [--once]`: one pass (its report), or the daemon (returns when stopped).
    Without a channel every nudge goes to the terminal until Telegram/Slack are configured."""
    channel = channel or ChannelRouter({}, TerminalChannel())
    if once:
        return run_once(
            session_factory=runtime.session_factory,
            clock=runtime.clock,
            channel=channel,
            progress=progress,
        )
    run_forever(
        session_factory=runtime.session_factory,
        clock=runtime.clock,
        channel=channel,
        progress=progress,
    )
    return None
