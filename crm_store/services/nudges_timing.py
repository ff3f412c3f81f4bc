"""When each nudge is due (SPEC §7), in the receiving broker's own timezone, and its dedupe key.

The broker's day runs from the digest (08:30) to the end of working hours (19:00), Monday to
Saturday. Nudges about the state of the book (missed, gap, stale, new matches) wait for it, so
nobody is woken at 03:00 by a follow-up that went overdue in the night; they arrive with the
morning digest instead. A due_soon reminder keeps the time the broker chose for the follow-up.
Whatever was due while the daemon was down is still produced later the same day (the digest
until 19:00, the weekly review until Monday ends).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from crm_store.services.workhours import (
    WORKDAY_END,
    TzLike,
    add_working_days,
    is_working_day,
    local_at,
    to_local,
)

DIGEST_AT = time(8, 30)
WEEKLY_AT = time(9, 0)
MONDAY = 0
DUE_SOON_LEAD = timedelta(minutes=30)
# A follow-up that went overdue longer ago than this gets no `missed` nudge of its own any more
# (the daily digest keeps listing it): a store opened after a long pause, or a first run on an
# old book, would otherwise send one message per forgotten follow-up.
MISSED_LOOKBACK = timedelta(days=7)
STALE_AFTER = timedelta(days=14)
# Kinds delivered whenever they are pending; the others wait for the broker's day.
ANY_TIME_KINDS = frozenset({"due_soon", "weekly_review"})


def local_date(now: datetime, *, tz: TzLike) -> date:
    return to_local(now, tz=tz).date()


def iso_week(day: date) -> str:
    """2026-03-10 → "2026-W11" (ISO year and week)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def broker_day_open(now: datetime, *, tz: TzLike) -> bool:
    """From 08:30 to 19:00 broker-local on a working day (not Sunday)."""
    local = to_local(now, tz=tz)
    return is_working_day(local.date()) and DIGEST_AT <= local.time() < WORKDAY_END


def digest_day(now: datetime, *, tz: TzLike) -> date | None:
    """The broker-local day whose digest is due now, if any."""
    return local_date(now, tz=tz) if broker_day_open(now, tz=tz) else None


def weekly_week(now: datetime, *, tz: TzLike) -> str | None:
    """The ISO week whose review is due now: Monday from 09:00 manager-local."""
    local = to_local(now, tz=tz)
    if local.weekday() == MONDAY and local.time() >= WEEKLY_AT:
        return iso_week(local.date())
    return None


def due_soon_window(now: datetime) -> tuple[datetime, datetime]:
    """Follow-ups and appointments at [now, now + 30 min] are about to happen."""
    return now, now + DUE_SOON_LEAD


def deliverable_now(kind: str, now: datetime, *, tz: TzLike) -> bool:
    """Whether a pending nudge of this kind may reach the broker now."""
    return kind in ANY_TIME_KINDS or broker_day_open(now, tz=tz)


def snooze_until(due_at: datetime, now: datetime, *, tz: TzLike) -> datetime:
    """One working day later, at the follow-up's own time of day (overdue ones: counted from
    today, so the new time is never in the past)."""
    due = to_local(due_at, tz=tz)
    today = local_date(now, tz=tz)
    base = due if due.date() >= today else local_at(today, due.time(), tz=tz)
    return add_working_days(base, 1, tz=tz)


def stamp(at: datetime) -> str:
    """A time inside a dedupe key: UTC to the minute ("2026-03-10T09:00Z")."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def local_iso(at: datetime, *, tz: TzLike) -> str:
    """Broker-local time as the tools take it ("2026-03-11T10:00")."""
    return to_local(at, tz=tz).strftime("%Y-%m-%dT%H:%M")


# --- dedupe keys (SPEC §7) -------------------------------------------------------------------


def digest_key(broker_id: str, day: date) -> str:
    return f"digest:{broker_id}:{day.isoformat()}"


def due_key(item_id: str, at: datetime) -> str:
    return f"due:{item_id}:{stamp(at)}"


def missed_key(follow_up_id: str) -> str:
    return f"missed:{follow_up_id}"


def gap_key(deal_id: str, day: date) -> str:
    return f"gap:{deal_id}:{day.isoformat()}"


def stale_key(deal_id: str, week: str) -> str:
    return f"stale:{deal_id}:{week}"


def weekly_key(team: str, week: str, *, manager_id: str | None = None) -> str:
    """One per team and week; a team's second manager gets their own copy, keyed by id."""
    base = f"weekly:{team}:{week}"
    return base if manager_id is None else f"{base}:{manager_id}"
