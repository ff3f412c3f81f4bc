"""A broker's working calendar (Mon–Sat, 09:00–19:00 local): every generated time is plausible."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

FIRST_SLOT = 9 * 60  # minutes after midnight, broker-local
LAST_SLOT = 18 * 60 + 45  # brokers book on the quarter hour; the last slot still ends by 19:00
SLOT = 15
HISTORY_DAYS = 1000  # about three years of working days back
FUTURE_DAYS = 120


def _is_working_day(day: date) -> bool:
    return day.weekday() != 6  # Sunday off


class WorkCalendar:
    """Working days counted back (`past(k)`, k ≥ 1) and ahead (`ahead(k)`, k ≥ 1) from today."""

    def __init__(self, now: datetime, tz: ZoneInfo) -> None:
        self.now = now.astimezone(UTC)
        self.tz = tz
        local = now.astimezone(tz)
        self.today = local.date()
        self.now_minutes = local.hour * 60 + local.minute
        back: list[date] = [self.today]
        day = self.today
        while len(back) <= HISTORY_DAYS:
            day -= timedelta(days=1)
            if _is_working_day(day):
                back.append(day)
        ahead: list[date] = [self.today]
        day = self.today
        while len(ahead) <= FUTURE_DAYS:
            day += timedelta(days=1)
            if _is_working_day(day):
                ahead.append(day)
        self._back = back
        self._ahead = ahead
        # UTC instant of local midnight per day, taken at noon so a DST switch (always on a
        # Sunday night, never in working hours) cannot shift a slot.
        self._midnight: dict[date, datetime] = {}

    def _base(self, day: date) -> datetime:
        base = self._midnight.get(day)
        if base is None:
            noon = datetime.combine(day, time(12), tzinfo=self.tz).astimezone(UTC)
            base = noon - timedelta(hours=12)
            self._midnight[day] = base
        return base

    def past_day(self, k: int) -> date:
        return self._back[min(k, HISTORY_DAYS)]

    def ahead_day(self, k: int) -> date:
        return self._ahead[min(k, FUTURE_DAYS)]

    def at(self, day: date, minutes: int) -> datetime:
        return self._base(day) + timedelta(minutes=minutes)

    def slot(
        self, day: date, rng: random.Random, first: int = FIRST_SLOT, last: int = LAST_SLOT
    ) -> datetime:
        """A random quarter-hour between `first` and `last` (minutes) on `day`, in UTC."""
        first = -(-first // SLOT) * SLOT
        minutes = first + SLOT * rng.randrange((last - first) // SLOT + 1)
        return self.at(day, minutes)

    @property
    def today_is_working(self) -> bool:
        return _is_working_day(self.today)

    def has_past_today(self) -> bool:
        """Some working time today already lies behind us."""
        return self.today_is_working and self.now_minutes >= FIRST_SLOT + SLOT

    def has_rest_of_today(self) -> bool:
        """A slot later today is still free (for follow-ups due today)."""
        return self.today_is_working and self.now_minutes + SLOT <= LAST_SLOT

    def past(self, k: int, rng: random.Random) -> datetime:
        """A working-hours instant k working days ago; k = 0 is earlier today when possible."""
        if k <= 0:
            if self.has_past_today():
                last = min(LAST_SLOT, self.now_minutes - SLOT)
                return self.slot(self.today, rng, FIRST_SLOT, last)
            k = 1
        return self.slot(self.past_day(k), rng)

    def later_today(self, rng: random.Random) -> datetime | None:
        """A working-hours instant later today, or None when the working day is over."""
        if not self.has_rest_of_today():
            return None
        return self.slot(self.today, rng, self.now_minutes + SLOT, LAST_SLOT)

    def ahead(self, k: int, rng: random.Random) -> datetime:
        """A working-hours instant k working days from today (k ≥ 1)."""
        return self.slot(self.ahead_day(max(k, 1)), rng)

    def is_this_month(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz)
        return (local.year, local.month) == (self.today.year, self.today.month)
