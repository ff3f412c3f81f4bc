"""The nudge daemon's clock: APScheduler runs one pass per interval, never two at once.

A pass that overruns its interval is not stacked (max_instances=1) and missed runs collapse
into one (coalesce): the pass is idempotent, so running late is fine and running twice at once
is just wasted work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

DEFAULT_INTERVAL_S = 60.0
JOB_ID = "nudge-pass"


def schedule(scheduler: BaseScheduler, job: Callable[[], None], *, interval_s: float) -> None:
    """Add the pass as an interval job, its first run right away."""
    scheduler.add_job(
        job,
        "interval",
        seconds=interval_s,
        id=JOB_ID,
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=max(1, int(interval_s)),
        replace_existing=True,
    )


def run_every(job: Callable[[], None], *, interval_s: float = DEFAULT_INTERVAL_S) -> None:
    """Block, running `job` every `interval_s` seconds, until Ctrl-C or SIGTERM (SystemExit)."""
    scheduler = BlockingScheduler(timezone=UTC)
    schedule(scheduler, job, interval_s=interval_s)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)


def start_in_background(
    job: Callable[[], None], *, interval_s: float = DEFAULT_INTERVAL_S
) -> BackgroundScheduler:
    """Run `job` every `interval_s` seconds on a background thread (inside another process,
    e.g. the HTTP server); the caller shuts the returned scheduler down."""
    scheduler = BackgroundScheduler(timezone=UTC)
    schedule(scheduler, job, interval_s=interval_s)
    scheduler.start()
    return scheduler
