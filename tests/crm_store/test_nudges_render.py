"""Nudge texts in English and Russian, rendered from the stored payload alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from crm_store.context import Ctx
from crm_store.services.nudges import PlannedNudge, due_nudges
from crm_store.services.nudges_render import action_label, nudge_actions, render_nudge
from tests.factories import (
    make_appointment,
    make_broker,
    make_buyer_request,
    make_contact,
    make_follow_up,
    make_listing,
)

NICOSIA = ZoneInfo("Asia/Nicosia")


@pytest.fixture
def planned(ctx: Ctx) -> dict[str, PlannedNudge]:
    """One nudge of every kind the engine records, on Monday 9 March 09:20 in Limassol."""
    ctx.clock.at = datetime(2026, 3, 9, 9, 20, tzinfo=NICOSIA).astimezone(UTC)  # type: ignore[attr-defined]
    anna = make_broker(ctx)
    make_broker(ctx, name="Sophia Christodoulou", role="manager")
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    request = make_buyer_request(ctx, owner=anna, buyer=ivan, stage="viewing",
                                 budget_max=Decimal("520000"))  # fmt: skip
    make_follow_up(ctx, owner=anna, contact=ivan, deal=request, purpose="send the shortlist",
                   due_at=datetime(2026, 3, 9, 9, 0, tzinfo=NICOSIA))  # fmt: skip
    olga = make_contact(ctx, owner=anna, full_name="Olga Smirnova")
    make_appointment(ctx, owner=anna, contact=olga, scheduled_at=ctx.now() + timedelta(minutes=25))
    make_listing(ctx, owner=anna, seller=olga, address="12 Seafront Road")
    found: dict[str, PlannedNudge] = {}
    for nudge in due_nudges(ctx):
        found.setdefault(nudge.kind, nudge)
    assert set(found) == {
        "daily_digest", "weekly_review", "due_soon", "missed", "gap", "stale_deal",
    }  # fmt: skip
    return found


def text(nudge: PlannedNudge, language: str) -> str:
    # Through JSON, as the payload comes back from the store.
    payload = json.loads(json.dumps(nudge.payload))
    return render_nudge(nudge.kind, payload, language=language, timezone="Asia/Nicosia")


def test_missed_reads_naturally_in_both_languages(planned: dict[str, PlannedNudge]):
    missed = planned["missed"]
    assert text(missed, "en").splitlines()[:2] == [
        "Missed follow-up: call Ivan Petrov (Solution/Viewing), due Mon 9 Mar 09:00 — send the "
        "shortlist. Do it today or reschedule.",
        "→ Next best action: Create Curated List, plan showings, generate PDF brochure "
        f"({round(missed.payload['nba']['p_now'] * 100)}% → "
        f"{round(missed.payload['nba']['p_after'] * 100)}%)",
    ]
    ru = text(missed, "ru")
    assert ru.startswith("Пропущено: звонок Ivan Petrov (Подбор и показы), срок пн 9 мар 09:00")
    assert "→ Следующий шаг: Составить подборку" in ru


def test_due_soon_of_an_appointment(planned: dict[str, PlannedNudge]):
    soon = planned["due_soon"]
    assert text(soon, "en").startswith("In 30 minutes — Mon 9 Mar 09:45: meeting with Olga")
    assert text(soon, "ru").startswith("Через 30 минут — пн 9 мар 09:45: встреча с Olga")


def test_gap_and_stale_carry_the_proposed_date(planned: dict[str, PlannedNudge]):
    gap, stale = planned["gap"], planned["stale_deal"]
    proposal = gap.payload["proposal"]
    assert text(gap, "en").splitlines()[1] == "Proposed: " + proposal["reason_en"]
    assert text(gap, "ru").splitlines()[1] == "Предлагаю: " + proposal["reason_ru"]
    assert text(gap, "en").startswith("No next follow-up: ")
    assert text(stale, "en").startswith("No activity for 14+ days: ")
    assert text(stale, "ru").startswith("Нет активности 14+ дней: ")


def test_digest_has_the_groups_in_order_and_the_gaps(planned: dict[str, PlannedNudge]):
    digest = planned["daily_digest"]
    en = text(digest, "en")
    assert en.startswith("Good morning, Anna! Your day — Mon 9 Mar")
    assert en.index("MISSED (1):") < en.index("Deals without a next follow-up")
    assert "• call Ivan Petrov (Mon 9 Mar 09:00) — send the shortlist" in en
    ru = text(digest, "ru")
    assert ru.startswith("Доброе утро, Anna! Ваш день — пн 9 мар")
    assert "ПРОПУЩЕНО (1):" in ru and "Сделки без следующего контакта" in ru


def test_weekly_review_in_both_languages(planned: dict[str, PlannedNudge]):
    weekly = planned["weekly_review"]
    en, ru = text(weekly, "en"), text(weekly, "ru")
    assert en.startswith("Weekly review — team main, week 2026-W11")
    assert "Revenue 2026-03" in en and "Weighted pipeline" in en and "Active listings" in en
    assert ru.startswith("Недельный обзор — команда main, неделя 2026-W11")
    assert "Выручка за 2026-03" in ru and "Взвешенный прогноз" in ru


def test_new_match_recorded_elsewhere_renders_with_an_open_card_action():
    payload = {
        "listing": "l-7", "buyer_request": "r-2", "buyer": "c-3", "buyer_name": "Мария",
        "score": 0.9, "price": "500000.00", "old_price": None, "trigger": "activated",
        "reasons": ["3 bedrooms"], "reasons_ru": ["3 спальни"],
    }  # fmt: skip
    en = render_nudge("new_match", payload, language="en", timezone="Asia/Nicosia")
    ru = render_nudge("new_match", payload, language="ru", timezone="Asia/Nicosia")
    assert en == "New match for Мария: l-7 (just listed at €500K, 90%)\n  • 3 bedrooms"
    assert ru == "Новое совпадение для Мария: l-7 (новый объект за €500K, 90%)\n  • 3 спальни"
    (action,) = nudge_actions("new_match", payload)
    assert action_label(action, "ru") == "Карточка"
    assert action["command"] == {"tool": "client_card", "args": {"client": "r-2"}}
