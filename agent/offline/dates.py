"""Natural dates and times in English and Russian, resolved in the broker's timezone (SPEC §4).

Conventions (a broker's, not a calendar's):
- a date without a time is due at 10:00 (or, when that has passed today, at the next quarter
  hour); "morning" 10:00, "lunch" 13:00, "afternoon"/"днём" 15:00, "evening"/"tonight" 18:00;
- a bare hour 1-7 ("at 4", "в 5") is afternoon; "at 8" said after 08:00 means 20:00 today;
- a weekday alone is the next such day; today's weekday is asked ("today or next week?"), never
  guessed; "next <weekday>" / "в следующий <день>" is that day of next week (Mon-Sun);
- "next week" is next Monday, "next month" the 1st, "end of the week" Friday, "end of the
  month" its last day that is not a Sunday, "mid-month" the 15th, "this weekend" Saturday,
  "this week"/"this month" today;
- with prefer_future nothing resolves to the past: a date without a year rolls to next year,
  a time already gone today rolls to tomorrow — except a clock time said with "today"
  ("at 8am today" at 09:00), which stays today so the broker hears it has passed.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from agent.offline.date_fallback import dateparser_fallback
from agent.offline.date_grammar import find_pieces
from agent.offline.date_pieces import Piece
from agent.offline.date_words import DEFAULT_HOUR, PART_ENDS, PM_PARTS
from agent.offline.normalise import normalise

_DAY_KINDS = frozenset({"rel_day", "weekday", "date", "dom", "period", "month", "offset"})
_CONNECTORS = frozenset({"at", "on", "in", "the", "и", "в", "во", "на", "around", "about", "с"})
_TO = frozenset({"на", "to"})  # between two days: a move from one to the other


@dataclass(frozen=True)
class When:
    """A resolved date/time: `at` is aware in the broker's timezone; `span` indexes the text."""

    at: datetime
    has_time: bool
    span: tuple[int, int]
    text: str
    has_date: bool = True  # False for a time said alone ("to 3pm"): the day is today's guess


def _local(day: date, at: time, now: datetime) -> datetime:
    # Through UTC and back, so a wall time inside a DST gap lands on a real instant.
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=now.tzinfo).astimezone(UTC).astimezone(now.tzinfo)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _not_sunday(day: date) -> date:
    return day - timedelta(days=1) if day.weekday() == 6 else day


def _next_quarter(now: datetime) -> datetime:
    floor = now.replace(second=0, microsecond=0)
    return floor + timedelta(minutes=15 - floor.minute % 15)


def _groups(pieces: list[Piece], lower: str) -> list[list[Piece]]:
    """Pieces next to each other (only connector words between) that form one expression."""
    groups: list[list[Piece]] = []
    for piece in pieces:
        current = groups[-1] if groups else None
        if current is not None:
            gap = re.split(r"[\s,\-]+", lower[current[-1].end : piece.start].strip(" ,-"))
            adjacent = all(not word or word in _CONNECTORS for word in gap)
            kinds = {p.kind for p in current}
            weekday_then_dom = piece.kind == "dom" and kinds == {"weekday"}
            clash = (
                piece.kind in _DAY_KINDS
                and kinds & _DAY_KINDS
                and piece.kind != "date"
                and not weekday_then_dom
            ) or (piece.kind in kinds and piece.kind in ("clock", "part", "date"))
            next_week = [p for p in (*current, piece) if p.kind == "period" and p.unit == "week"]
            weekday = [p for p in (*current, piece) if p.kind == "weekday"]
            if adjacent and next_week and weekday and next_week[0].days == 1:
                # "next week on Tuesday": Tuesday of next week.
                current[:] = [p for p in current if p.kind not in ("period", "weekday")]
                current.append(
                    replace(
                        weekday[0],
                        modifier="next",
                        start=min(p.start for p in (*next_week, *weekday)),
                        end=max(p.end for p in (*next_week, *weekday)),
                    )
                )
                continue
            moved = piece.kind in _DAY_KINDS and bool(kinds & _DAY_KINDS) and _TO & set(gap)
            if adjacent and not clash and not moved:  # "с 17-го на 19 марта": from one, to another
                current.append(piece)
                continue
        groups.append([piece])
    return [g for g in map(_settle_loose_clock, groups) if g]


def _settle_loose_clock(group: list[Piece]) -> list[Piece]:
    """A dotted "9.30" is a time only beside a day ("завтра 9.30"); alone it is a number."""
    kinds = {p.kind for p in group}
    keep = bool(kinds & _DAY_KINDS) and "clock" not in kinds
    return [
        replace(p, kind="clock") if p.kind == "loose_clock" else p
        for p in group
        if p.kind != "loose_clock" or keep
    ]


def _clock_time(group: list[Piece]) -> tuple[time | None, bool]:
    """The time of day the group states, and whether the hour was bare (no am/pm, no part)."""
    clock = next((p for p in group if p.kind == "clock"), None)
    part = next((p.part_hour for p in group if p.part_hour is not None), None)
    if clock is None or clock.hour is None:
        return (time(part) if part is not None else None), False
    hour, meridiem = clock.hour, clock.meridiem
    if meridiem == "night":
        meridiem = "pm" if 6 <= hour < 12 else "am"
    if meridiem is None and part is not None and hour < 12:
        meridiem = "pm" if part in PM_PARTS and (part != 21 or hour >= 6) else "am"
    bare = meridiem is None and hour <= 12
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    elif bare and 1 <= hour <= 7:
        hour += 12  # a broker's "at 4" is 16:00
    return time(hour, clock.minute), bare


def _weekday_date(piece: Piece, today: date, future: bool) -> date:
    assert piece.weekday is not None
    if piece.modifier == "next":
        return today - timedelta(days=today.weekday()) + timedelta(days=7 + piece.weekday)
    if piece.modifier == "last" or not future:
        back = (today.weekday() - piece.weekday) % 7 or (7 if piece.modifier == "last" else 0)
        return today - timedelta(days=back)
    ahead = (piece.weekday - today.weekday()) % 7
    if ahead == 0 and piece.modifier != "this":
        raise TodayOrNext(piece.weekday)  # "next Tuesday" is said with "next"
    return today + timedelta(days=ahead)


def _period_date(piece: Piece, today: date, future: bool) -> date:
    if piece.position is None and piece.days == 0:
        return today  # "this week", "в этом месяце": from today on
    if piece.unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=piece.days)
        offset = {"middle": 2, "end": 4}.get(piece.position or "", 0)
        target = monday + timedelta(days=offset)
        if future and target < today:  # "end of the week" on a Saturday: next Friday
            target += timedelta(weeks=1)
        return target
    first = _add_months(today.replace(day=1), piece.days)
    target = _month_position(first, piece.position or "start")
    if future and target < today:
        target = _month_position(_add_months(first, 1), piece.position or "start")
    return target


def _month_position(first: date, position: str) -> date:
    if position == "end":
        return _not_sunday(first.replace(day=calendar.monthrange(first.year, first.month)[1]))
    return first.replace(day=15) if position == "middle" else first


def _dated(year: int | None, month: int, day: int, today: date, future: bool) -> date | None:
    def build(y: int) -> date | None:
        try:
            return date(y, month, day)
        except (ValueError, OverflowError):  # 31 April, 29 February of a common year, 10^20
            return None

    if year is not None:
        return build(year)
    target = build(today.year)
    if target is not None and future and target < today:
        if (today - target).days <= RECENTLY_PASSED_DAYS:
            raise DayPassed(target)  # "2 марта" on 10 March: a slip, or next year? asked
        target = build(today.year + 1)
    elif target is not None and not future and target > today:
        target = build(today.year - 1)
    return target


def _day_of_month(day: int, today: date, later_today: bool, future: bool) -> date | None:
    step = 1 if future else -1
    first = today.replace(day=1)
    for months in range(0, 13 * step, step):
        month = _add_months(first, months)
        if day > calendar.monthrange(month.year, month.month)[1]:
            continue
        target = month.replace(day=day)
        if (future and (target > today or (target == today and later_today))) or (
            not future and target <= today
        ):
            return target
    return None


def _resolve(group: list[Piece], now: datetime, future: bool) -> tuple[datetime, bool] | None:
    today = now.date()
    at_time, bare = _clock_time(group)
    has_time = at_time is not None
    # Whether the stated time is still ahead today (a later time on today's weekday).
    later_today = at_time is not None and _local(today, at_time, now) > now
    day: date | None = None
    dated = any(p.kind in ("date", "dom") for p in group)
    for piece in group:
        if piece.year is not None and not today.year - 1 <= piece.year <= today.year + YEARS_AHEAD:
            raise YearOutOfRange(piece.year)
        if piece.kind == "offset" and piece.amount is not None and piece.unit is not None:
            try:
                if piece.unit in ("minutes", "hours"):
                    minutes = piece.amount * (60 if piece.unit == "hours" else 1)
                    moment = now.astimezone(UTC) + timedelta(minutes=float(minutes))
                    return moment.astimezone(now.tzinfo).replace(second=0, microsecond=0), True
                if piece.unit in ("months", "years"):
                    factor = 12 if piece.unit == "years" else 1
                    day = _add_months(today, int(piece.amount * factor))
                else:
                    factor = 7 if piece.unit == "weeks" else 1
                    day = today + timedelta(days=int(piece.amount * factor))
            except (OverflowError, ValueError):  # "через 3000000 дней": past the calendar's end
                raise YearOutOfRange(_year_after(today, piece.amount, piece.unit)) from None
        elif piece.kind == "rel_day":
            day = today + timedelta(days=piece.days)
        elif piece.kind == "weekday" and not dated:  # "Tuesday, March 17": the date decides
            day = _weekday_date(piece, today, future)
        elif piece.kind == "date" and piece.month and piece.day:
            year = piece.year or next((p.year for p in group if p.kind == "year"), None)
            day = _dated(year, piece.month, piece.day, today, future)
            if day is None:
                raise ImpossibleDate(piece.month, piece.day)
        elif piece.kind == "dom" and piece.day:
            day = _day_of_month(piece.day, today, later_today, future)
        elif piece.kind == "period":
            day = _period_date(piece, today, future)
        elif piece.kind == "month" and piece.month:
            year = piece.year or today.year
            if piece.year is None and future and piece.month < today.month:
                year += 1
            day = _month_position(date(year, piece.month, 1), piece.position or "start")
            if piece.month == today.month and year == today.year and day < today:
                day = today
        elif piece.kind == "part" and piece.modifier == "today":
            day = today
    if day is None:  # a time alone: today, or tomorrow once it has passed
        if at_time is None:
            return None
        day = today
    if at_time is None:
        at = _local(day, time(DEFAULT_HOUR), now)
        if day == today and future:
            at = max(at, _next_quarter(now))
        return None if future and at <= now else (at, False)
    at = _local(day, at_time, now)
    said_today = any(p.kind == "rel_day" and p.days == 0 for p in group)
    clock_said = any(p.kind == "clock" for p in group)
    if future and at <= now and day == today and said_today and clock_said and not bare:
        return at, has_time  # "at 8am today" said at 09:00: the tool says it has passed
    if future and at <= now and day == today:
        part = next((p.part_hour for p in group if p.part_hour is not None), None)
        evening = None
        if bare and at_time.hour <= 8:
            evening = _local(today, time(at_time.hour + 12, at_time.minute), now)
        if evening is not None and evening > now:
            at = evening  # "at 8" said at 09:00 is 20:00
        elif (
            part is not None
            and not any(p.kind == "clock" for p in group)
            and (now.hour < PART_ENDS[part])
        ):
            at = _next_quarter(now)  # "tonight" at 20:00: still tonight
        else:
            at = _local(today + timedelta(days=1), at_time, now)
    if future and at <= now:
        return None  # "yesterday" cannot be scheduled
    return at, has_time


class ImpossibleDate(ValueError):
    """A date that does not exist (30 February, 31 April): never moved to another day."""

    def __init__(self, month: int, day: int) -> None:
        super().__init__(month, day)
        self.month, self.day = month, day


# A day and month that passed this many days ago or fewer is asked about, never moved to next
# year ("2 марта" said on 10 March became 2 March 2027 in a trial).
RECENTLY_PASSED_DAYS = 60


class DayPassed(ValueError):
    """A day and month said without a year that has just passed."""

    def __init__(self, day: date) -> None:
        super().__init__(day)
        self.day = day


class YearOutOfRange(ValueError):
    """A year no broker plans in ("March 5, 2087", "year 9999"): asked, never stored."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


YEARS_AHEAD = 10  # a follow-up or a viewing further ahead than this is a typo
_DAYS_IN = {"minutes": 1 / 1440, "hours": 1 / 24, "weeks": 7.0, "months": 30.44, "years": 365.25}


def _year_after(today: date, amount: Decimal, unit: str) -> int:
    """About the year an offset too long for the calendar ends in (for the question asked)."""
    years = float(amount) * _DAYS_IN.get(unit, 1.0) / 365.25
    if not math.isfinite(years):
        return today.year + (10**9 if years > 0 else -(10**9))
    return today.year + int(years)


def _with_weekday(group: list[Piece], modifier: str) -> list[Piece]:
    return [replace(p, modifier=modifier) if p.kind == "weekday" else p for p in group]


class TodayOrNext(ValueError):
    """A bare weekday said on that weekday ("on Tuesday" on a Tuesday): today or next week?"""

    def __init__(self, weekday: int) -> None:
        super().__init__(weekday)
        self.weekday = weekday


@dataclass(frozen=True)
class Doubt:
    """A date or time the copilot must not guess, and why: the broker is asked instead.
    kind: "no_such_date" (30 February), "no_such_time" (25:00), "day_passed" (2 March on the
    10th), "today_or_next" (a bare
    weekday said on that weekday)."""

    kind: str
    text: str  # the words as said
    month: int = 0
    day: int = 0
    year: int = 0
    weekday: int = 0
    # today_or_next: (this week's, next week's); no_such_time: the day said with the time
    options: tuple[datetime, ...] = ()


# A clock reading no day has ("25:00", "10:75"): the whole message's time is left unread.
_IMPOSSIBLE_CLOCK = re.compile(
    r"(?<![\d:.])(?:2[4-9]|[3-9]\d):[0-5]\d(?!\d)|(?<![\d:.])\d{1,2}:[6-9]\d(?!\d)"
)


def find_whens(text: str, *, now: datetime, prefer_future: bool = True) -> list[When]:
    """Every date/time expression in `text`, in order; spans index `text` as given. A text
    holding an impossible date or time gives none at all: the caller asks for the time
    instead of guessing another one (read_dates says why)."""
    return read_dates(text, now=now, prefer_future=prefer_future)[0]


def read_dates(
    text: str, *, now: datetime, prefer_future: bool = True
) -> tuple[list[When], list[Doubt]]:
    """The dates and times of `text` (see find_whens), and the ones not guessed, with why."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (the broker's timezone)")
    norm = normalise(text)
    clock = _IMPOSSIBLE_CLOCK.search(norm.lower)
    if clock:
        # the day said with it is kept, so that an answer of a time alone lands on it
        # ("friday 25:00" → "sorry, 15:00" is Friday 15:00, not today)
        rest = norm.lower[: clock.start()] + " " * len(clock.group()) + norm.lower[clock.end() :]
        days, _ = read_dates(rest, now=now, prefer_future=prefer_future)
        day_said = tuple(w.at for w in days if w.has_date)[:1]
        return [], [Doubt("no_such_time", clock.group(), options=day_said)]
    whens: list[When] = []
    doubts: list[Doubt] = []
    for group in _groups(find_pieces(norm.lower), norm.lower):
        start, end = norm.to_original(min(p.start for p in group), max(p.end for p in group))
        try:
            resolved = _resolve(group, now, prefer_future)
        except ImpossibleDate as error:
            return [], [Doubt("no_such_date", text[start:end], error.month, error.day)]
        except TodayOrNext as error:
            options = tuple(
                found[0]
                for modifier in ("this", "next")
                if (found := _resolve(_with_weekday(group, modifier), now, prefer_future))
                is not None
            )
            said = text[start:end]
            as_said = _resolve(_with_weekday(group, "this"), now, False)
            if as_said is not None and as_said[1] and as_said[0] <= now and len(options) == 2:
                # "on Tuesday at 8:30" said on Tuesday at 09:00: only next week is left
                whens.append(When(options[1], True, (start, end), said))
                continue
            doubts.append(Doubt("today_or_next", said, weekday=error.weekday, options=options))
            continue
        except YearOutOfRange as error:
            return [], [Doubt("no_such_year", text[start:end], year=error.year)]
        except DayPassed as error:
            passed = error.day
            return [], [Doubt("day_passed", text[start:end], passed.month, passed.day)]
        if resolved is None:
            continue
        dated = any(p.kind not in ("clock", "part") for p in group)
        whens.append(When(resolved[0], resolved[1], (start, end), text[start:end], dated))
    if doubts:
        return [], doubts
    if not whens:
        fallback = dateparser_fallback(norm.text, now, prefer_future)
        if fallback is not None:
            at, has_time, a, b = fallback
            start, end = norm.to_original(a, b)
            whens.append(When(at, has_time, (start, end), text[start:end]))
    return _same_day_joined(sorted(whens, key=lambda w: w.span), text), []


_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)|\n")


def _same_day_joined(whens: list[When], text: str) -> list[When]:
    """ "14/3 sat 11am": a date and the same day with its time, side by side, are one moment
    (the time kept), not a day without a time and a second date."""
    joined: list[When] = []
    for when in whens:
        last = joined[-1] if joined else None
        close = last is not None and not text[last.span[1] : when.span[0]].strip(" ,")
        if last is not None and _SENTENCE_END.search(text[last.span[0] : when.span[0]]):
            close = False  # "думает до пятницы. в пятн в 18 узнать": two sentences, two days
        both_timed = last is not None and last.has_time and when.has_time
        if last is not None and close and last.at.date() == when.at.date() and not both_timed:
            timed = when if when.has_time else last
            span = (last.span[0], when.span[1])
            joined[-1] = When(timed.at, timed.has_time, span, text[span[0] : span[1]])
            continue
        joined.append(when)
    return joined


def parse_when(text: str, *, now: datetime, prefer_future: bool = True) -> When | None:
    """The first date/time expression in `text`, or None when it names no date or time."""
    whens = find_whens(text, now=now, prefer_future=prefer_future)
    return whens[0] if whens else None


def warm_up() -> None:
    """Load dateparser's language data now rather than on a broker's first unusual date."""
    dateparser_fallback("in a fortnight", datetime.now(UTC), True)
