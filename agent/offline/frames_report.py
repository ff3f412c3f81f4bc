"""Managers' questions → pipeline_report(metric, period, broker, city, side).

Periods are written as the report reads them: "2026-03" for a month, "2026-01-01..2026-03-31"
for any other span (a quarter, a year, a week, a day); none means the tool's default.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from agent.offline.date_words import month_number
from agent.offline.frames import Call, Outcome, Say, Segment, Turn, slots_in
from agent.offline.linear_re import temper
from agent.offline.stage_words import named_stage
from crm_store.vocabulary import BUYER_STAGES, SELLER_STAGES

STAGE_KEYS = frozenset((*SELLER_STAGES, *BUYER_STAGES))

# The first metric whose words appear wins: specific ones before the general.
_METRICS: tuple[tuple[str, str], ...] = (
    ("no_show_rate", r"no[- ]?shows?|неявк\w*|не пришл\w*|не явил\w*"),
    ("missed_follow_ups", r"missed|overdue|пропущенн\w*|просроченн\w*"),
    ("gaps", r"\bgaps?\b|without (?:a )?(?:next )?follow|без (?:следующего )?контакта|пробел\w*"),
    (
        "days_on_market",
        r"days on (?:the )?market|дн\w* на рынке|срок\w* экспозиции|how long .*market",
    ),
    (
        "follow_up_to_appointment_conversion",
        r"(?:conversion|конверси\w*).*(?:follow|call|звон|касани)|(?:follow|call|"
        r"звон).*(?:conversion|конверси)",
    ),
    (
        "listing_to_sale_conversion",
        r"(?:conversion|конверси\w*).*(?:listing|sale|объект|продаж)|(?:listing|"
        r"объект).*(?:conversion|конверси)",
    ),
    ("meeting_to_deal_conversion", r"conversion|конверси\w*"),
    (
        "average_commission",
        r"average (?:commission|check|deal)|средн\w* (?:чек|комисси\w*|сделк\w*)",
    ),
    (
        "sales_cycle_length",
        r"sales cycle|cycle length|how long (?:does it take )?to close|цикл\w* сдел\w*|"
        r"длительност\w* сдел\w*",
    ),
    ("forecast", r"forecast|weighted|pipeline|funnel|прогноз\w*|воронк\w*"),
    (
        "revenue_vs_plan",
        r"revenue|\bplan\b|target|выручк\w*|\bплан\w*|доход\w*|commission\w*|комисси\w*",
    ),
    ("new_listings", r"new listings|new properties|нов\w+ (?:объект\w*|листинг\w*)"),
    ("withdrawn", r"withdrawn|снят\w*"),
    ("active_listings", r"active|on the market|активн\w*|в продаже"),
    (
        "closed_won",
        r"closed won|deals closed|closed deals|won deals|закрыт\w* сдел\w*|сделок закрыт\w*|"
        r"сделок|how many deals",
    ),
    ("appointments", r"appointments?|showings?|viewings?|meetings?|показ\w*|просмотр\w*|встреч\w*"),
    ("active_listings", r"\blistings\b|объектов\b"),  # "how many listings": those on sale
)
# Tempered (agent/offline/linear_re.py): "call call call …" is read in linear time.
_METRIC_PATTERNS = tuple((name, re.compile(temper(pattern))) for name, pattern in _METRICS)
_DEFAULT_METRIC = "forecast"

_THIS = r"(?:this|current|the current|этот|этом|этого|этой|эту|текущ\w*|за этот|в этом|с начала)"
_LAST = r"(?:last|previous|past|прошл\w*|предыдущ\w*|за прошлый|в прошлом)"
_MONTH_WORD = r"(?:month|месяц\w*)"
_QUARTER_WORD = r"(?:quarter|квартал\w*)"
_YEAR_WORD = r"(?:year|год\w*|году)"
_WEEK_WORD = r"(?:week|недел\w*)"
_BARE_MONTH = re.compile(r"\b((?!may\b)[a-zа-я]{3,})\b")  # "February revenue" ("may" is a verb)
_MONTH_NAME = re.compile(r"\b(?:in|for|during|в|за)\s+([^\W\d_]+)")


def _span(first: date, last: date) -> str:
    return f"{first.isoformat()}..{last.isoformat()}"


def _quarter(day: date) -> str:
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return _span(start, end - timedelta(days=1))


def period(lower: str, today: date) -> str | None:
    """The period a question names, in the report's notation (None: the default)."""
    first = today.replace(day=1)
    if re.search(rf"\b{_LAST}\s+{_MONTH_WORD}", lower):
        return (first - timedelta(days=1)).strftime("%Y-%m")
    if re.search(rf"\b{_THIS}\s+{_MONTH_WORD}|\bmonth to date\b|\bmtd\b", lower):
        return today.strftime("%Y-%m")
    if re.search(rf"\b{_LAST}\s+{_QUARTER_WORD}", lower):
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return _quarter(start - timedelta(days=1))
    numbered = re.search(r"\bq([1-4])\b|\b([1-4])(?:st|nd|rd|th|-?й)? (?:quarter|квартал)", lower)
    if numbered:
        number = int(numbered.group(1) or numbered.group(2))
        return _quarter(date(today.year, 3 * number - 2, 1))
    if re.search(r"\bквартал\w*|\bquarter\b", lower):
        return _quarter(today)
    if re.search(rf"\b{_LAST}\s+{_YEAR_WORD}", lower):
        return _span(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if re.search(rf"\b{_THIS}\s+{_YEAR_WORD}|\bytd\b|\byear to date\b|\bза год\b", lower):
        return _span(date(today.year, 1, 1), date(today.year, 12, 31))
    monday = today - timedelta(days=today.weekday())
    if re.search(rf"\b{_LAST}\s+{_WEEK_WORD}", lower):
        return _span(monday - timedelta(weeks=1), monday - timedelta(days=1))
    if re.search(rf"\b{_THIS}\s+{_WEEK_WORD}", lower):
        return _span(monday, monday + timedelta(days=6))
    if re.search(r"\b(?:today|сегодня)\b", lower):
        return _span(today, today)
    for match in [*_MONTH_NAME.finditer(lower), *_BARE_MONTH.finditer(lower)]:
        month = month_number(match.group(1))
        if month is not None:
            year = today.year if month <= today.month else today.year - 1
            return f"{year}-{month:02d}"
    return None


_BY_STAGE = re.compile(
    r"\b(?:by|per|each|every) stage|\bstages?\b|по этап\w*|по стади\w*|на (?:каждом )?этап\w*"
    r"|на стади\w*|в стади\w*"
    # "my deals", "мои сделки", "show my board": the broker's deals, where they stand
    r"|\b(?:my|our) (?:deals|pipeline|board|buyers|sellers)\b"
    r"|\b(?:мои|наши) (?:сделки|покупател\w*|продавц\w*)\b|\b(?:мою|нашу) (?:доску|воронку)\b"
)
_WHICH = re.compile(r"\b(?:how many|which|what|who|list|show|сколько|какие|кто|покажи)\b")


_AT_A_STAGE = re.compile(
    r"stage|этап\w*|стади\w*|\b(?:deals?|clients?|buyers?|sellers?|listings?) (?:are |is )?"
    r"(?:in|at)\b|\b(?:сделок|клиентов|покупателей|продавцов|объектов) (?:на|в)\b"
)


def _stage_asked(lower: str) -> str | None:
    """ "how many deals are in viewing?": the pipeline stage the question names."""
    if not _AT_A_STAGE.search(lower):
        return None
    stage = named_stage(lower)
    return stage if stage in STAGE_KEYS else None


_NO_PRICE_CUT = (
    "(The report counts all prices: for listings in a price range, ask for matches for a buyer.)",
    "(Отчёт считает все цены: объекты в нужном диапазоне покажет подбор для покупателя.)",
)


def pipeline_report(turn: Turn, segment: Segment) -> Outcome | list[Outcome]:
    lower = segment.lower(turn)
    stage = _stage_asked(lower) if _WHICH.search(lower) else None
    if stage is not None or _BY_STAGE.search(lower):
        metric = "deals_by_stage"
    else:
        metric = next(
            (name for name, pattern in _METRIC_PATTERNS if pattern.search(lower)), _DEFAULT_METRIC
        )
    args: dict[str, Any] = {"metric": metric}
    if stage is not None:
        args["stage"] = stage
    when = period(lower, turn.now.date())
    if when and metric != "deals_by_stage":  # where deals stand is a snapshot: now
        args["period"] = when
    for person in turn.slots.people(segment.span):
        if person.broker is not None and person.contact is None:
            args["broker"] = person.broker.name
            break
    places = [s.value for s in slots_in(turn, segment, "place")]
    if places:
        args["city"] = places[0].city
    if re.search(r"\bseller|listings side|продавц\w*|продавеческ\w*", lower):
        args["side"] = "seller"
    elif re.search(r"\bbuyer|покупател\w*", lower):
        args["side"] = "buyer"
    call = Call("pipeline_report", args)
    if slots_in(turn, segment, "money"):  # "under 500k": a cut the report cannot make
        return [call, Say(_NO_PRICE_CUT[turn.language == "ru"])]
    return call
