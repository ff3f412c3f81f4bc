"""Slots to arguments: wishes in the broker's words, channels, report periods and metrics."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from agent.offline.criteria import buyer_criteria
from agent.offline.frames import Segment, Turn, when_in
from agent.offline.frames_report import period, pipeline_report
from agent.offline.frames_tasks import channel
from agent.offline.lexicon import Lexicon
from agent.offline.slots import extract_slots
from crm_store.context import Actor

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Nicosia"))
LEXICON = Lexicon(contacts={"c-1": "Ivan Petrov"}, brokers={"b-2": "Dmitry Volkov"})


def _turn(text: str, role: str = "broker") -> tuple[Turn, Segment]:
    slots = extract_slots(text, now=NOW, lexicon=LEXICON)
    actor = Actor(broker_id="b-1", role=role)
    return Turn(slots, LEXICON, NOW, "en", actor), Segment((0, len(text)), "x", 0.0)


@pytest.mark.parametrize(
    ("text", "wishes"),
    [
        (
            "Ivan Petrov wants a 3-bed villa in Limassol up to 500k, close to the beach",
            "close to the beach",
        ),
        (
            "Ivan Petrov: flat in Paphos, big kitchen, walking distance to school",
            "big kitchen, walking distance to school",
        ),
        ("Иван Петров ищет квартиру в Лимассоле до 300 тысяч, большая кухня", "большая кухня"),
        ("Ivan Petrov wants a villa in Paphos up to 900k", None),
    ],
)
def test_wishes_are_what_the_slots_leave(text, wishes):
    turn, segment = _turn(text)
    assert buyer_criteria(turn, segment).get("wishes") == wishes


def test_criteria_carry_every_structured_slot():
    turn, segment = _turn(
        "Ivan Petrov wants a 3-bed villa with pool in Germasogeia, 700-800k, within 6 months, cash"
    )
    assert buyer_criteria(turn, segment) == {
        "budget_min": 700000,
        "budget_max": 800000,
        "cities": ["Limassol"],
        "districts": ["Germasogeia"],
        "property_types": ["villa"],
        "bedrooms_min": 3,
        "must_haves": ["pool"],
        "timeline_months": 6,
        "financing": "cash",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call ivan", "call"),
        ("text Olga", "message"),
        ("WhatsApp her", "message"),
        ("написать Ольге", "message"),
        ("email the contract", "email"),
        ("отправить на почту", "email"),
        ("set a meeting", "meeting"),
        ("встреча с Андреасом", "meeting"),
    ],
)
def test_channels(text, expected):
    assert channel(text.lower()) == expected


def test_a_day_and_a_time_said_apart_are_one_moment():
    turn, segment = _turn("в пятницу встреча с Иваном Петровым в 15:00")
    found = when_in(turn, segment)
    assert found is not None and found.value.at.strftime("%Y-%m-%dT%H:%M") == "2026-03-13T15:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("revenue this month", "2026-03"),
        ("в прошлом месяце", "2026-02"),
        ("this quarter", "2026-01-01..2026-03-31"),
        ("last quarter", "2025-10-01..2025-12-31"),
        ("за этот год", "2026-01-01..2026-12-31"),
        ("last week", "2026-03-02..2026-03-08"),
        ("на этой неделе", "2026-03-09..2026-03-15"),
        ("in February", "2026-02"),
        ("за март", "2026-03"),
        ("forecast", None),
    ],
)
def test_report_periods(text, expected):
    assert period(text.lower(), date(2026, 3, 10)) == expected


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("revenue vs plan", "revenue_vs_plan"),
        ("выручка против плана", "revenue_vs_plan"),
        ("what's the forecast", "forecast"),
        ("how many active listings", "active_listings"),
        ("missed follow-ups by broker", "missed_follow_ups"),
        ("конверсия показов в сделки", "meeting_to_deal_conversion"),
        ("listing to sale conversion", "listing_to_sale_conversion"),
        ("no-show rate", "no_show_rate"),
        ("average commission", "average_commission"),
        ("сколько показов", "appointments"),
        ("how many deals closed", "closed_won"),
    ],
)
def test_report_metrics(text, metric):
    turn, segment = _turn(text)
    assert pipeline_report(turn, segment).args["metric"] == metric  # type: ignore[union-attr]


def test_a_report_for_a_broker_and_a_city():
    turn, segment = _turn("how many deals did Dmitry close in Limassol this month", role="manager")
    assert pipeline_report(turn, segment).args == {  # type: ignore[union-attr]
        "metric": "closed_won",
        "period": "2026-03",
        "broker": "Dmitry Volkov",
        "city": "Limassol",
    }
