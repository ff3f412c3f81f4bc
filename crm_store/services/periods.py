"""Reporting periods: a month ("2026-03") or a date range, as broker-local instants."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from crm_store.errors import InvalidInput
from crm_store.services.workhours import local_at


@dataclass(frozen=True)
class Period:
    """[start, end) as aware instants, and how to name it."""

    start: datetime
    end: datetime
    label: str

    def contains(self, at: datetime | None) -> bool:
        return at is not None and self.start <= at < self.end


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _bad(value: Any) -> InvalidInput:
    return InvalidInput(
        f"'{value}' is not a period; give a month as YYYY-MM (2026-03) or a date range "
        "as YYYY-MM-DD..YYYY-MM-DD.",
        f"«{value}» — не период; укажите месяц как ГГГГ-ММ (2026-03) или диапазон дат "
        "ГГГГ-ММ-ДД..ГГГГ-ММ-ДД.",
    )


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def parse_period(period: Any, *, tz: str) -> Period:
    """A month "YYYY-MM", or a range (two dates, or "YYYY-MM-DD..YYYY-MM-DD", both days
    included), broker-local."""
    try:
        if isinstance(period, str) and ".." not in period:
            year, month = (int(part) for part in period.strip().split("-"))
            first = date(year, month, 1)
            return Period(
                local_at(first, time(0), tz=tz),
                local_at(add_months(first, 1), time(0), tz=tz),
                f"{year:04d}-{month:02d}",
            )
        first_raw, last_raw = period.split("..") if isinstance(period, str) else period
        first, last = _day(first_raw), _day(last_raw)
    except (ValueError, TypeError):
        raise _bad(period) from None
    if last < first:
        raise _bad(period)
    return Period(
        local_at(first, time(0), tz=tz),
        local_at(last + timedelta(days=1), time(0), tz=tz),
        f"{first.isoformat()}..{last.isoformat()}",
    )
