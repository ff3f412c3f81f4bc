"""The nudge engine (SPEC §7): each kind fires at the right broker-local time, once per key,
with its NBA and well-formed one-tap actions."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from crm_store.context import Ctx
from crm_store.models import Broker, Notification
from crm_store.services.agenda import agenda
from crm_store.services.followups import propose_next_follow_up, schedule_follow_up
from crm_store.services.nba import next_best_action
from crm_store.services.nudges import PlannedNudge, due_nudges, preferred_channel, record_nudges
from crm_store.services.nudges_actions import nba_payload
from crm_store.services.probability import deal_probability
from crm_store.services.workhours import add_working_days
from tests.conftest import as_broker
from tests.factories import (
    make_appointment,
    make_broker,
    make_buyer_request,
    make_contact,
    make_follow_up,
    make_listing,
    make_note,
)

NICOSIA = ZoneInfo("Asia/Nicosia")
TOOLS = {
    "complete_follow_up", "reschedule_follow_up", "schedule_follow_up", "client_card",
    "record_appointment", "agenda",
}  # fmt: skip


def set_clock(ctx: Ctx, when: datetime) -> None:
    ctx.clock.at = when.astimezone(UTC)  # type: ignore[attr-defined]


def due(ctx: Ctx, kind: str | None = None) -> dict[str, PlannedNudge]:
    return {n.dedupe_key: n for n in due_nudges(ctx) if kind is None or n.kind == kind}


def record_all(ctx: Ctx) -> list[str]:
    return [nid for nid, _ in record_nudges(ctx, nudges=due_nudges(ctx))]


def local(day: int, hour: int, minute: int = 0, tz: ZoneInfo = NICOSIA) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=tz)


# --- daily digest ----------------------------------------------------------------------------


def test_digest_is_due_from_0830_local_on_working_days_and_recorded_once(ctx: Ctx):
    anna = make_broker(ctx)
    set_clock(ctx, local(10, 8, 29))
    assert due(ctx, "daily_digest") == {}
    set_clock(ctx, local(10, 8, 30))
    assert set(due(ctx, "daily_digest")) == {f"digest:{anna.id}:2026-03-10"}
    record_all(ctx)
    assert due(ctx, "daily_digest") == {}
    set_clock(ctx, local(10, 17, 0))
    assert due(ctx, "daily_digest") == {}  # still the same day: nothing new
    set_clock(ctx, local(10, 19, 0))
    assert due(ctx) == {}  # after hours
    set_clock(ctx, local(8, 10, 0))
    assert due(ctx, "daily_digest") == {}  # Sunday
    set_clock(ctx, local(14, 8, 30))
    assert set(due(ctx, "daily_digest")) == {f"digest:{anna.id}:2026-03-14"}  # Saturday


def test_a_broker_in_another_timezone_gets_the_digest_at_their_own_0830(ctx: Ctx):
    anna = make_broker(ctx)
    tokyo = make_broker(ctx, name="Kenji Sato", timezone="Asia/Tokyo")
    new_york = make_broker(ctx, name="Dmitry Volkov", timezone="America/New_York", language="ru")
    set_clock(ctx, local(10, 8, 30, ZoneInfo("Asia/Tokyo")))  # Monday 23:30 UTC
    assert set(due(ctx, "daily_digest")) == {f"digest:{tokyo.id}:2026-03-10"}
    set_clock(ctx, local(10, 9, 0))  # Limassol morning, Tokyo 16:00, New York 03:00
    assert set(due(ctx, "daily_digest")) == {
        f"digest:{anna.id}:2026-03-10",
        f"digest:{tokyo.id}:2026-03-10",
    }
    set_clock(ctx, local(10, 8, 30, ZoneInfo("America/New_York")))  # Limassol 14:30
    keys = set(due(ctx, "daily_digest"))
    assert f"digest:{new_york.id}:2026-03-10" in keys
    assert f"digest:{tokyo.id}:2026-03-10" not in keys  # Tokyo is at 21:30 by now


def _crafted_day(ctx: Ctx, anna: Broker) -> None:
    """A day across all five agenda groups, with ties on due time broken by value."""
    now = ctx.now()
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    maria = make_contact(ctx, owner=anna, full_name="Maria Ivanova")
    olga = make_contact(ctx, owner=anna, full_name="Olga Smirnova")
    cheap = make_buyer_request(ctx, owner=anna, buyer=ivan, stage="viewing",
                               budget_max=Decimal("300000"))  # fmt: skip
    rich = make_buyer_request(ctx, owner=anna, buyer=maria, stage="decision",
                              budget_max=Decimal("900000"))  # fmt: skip
    listing = make_listing(ctx, owner=anna, seller=olga, stage="active_listing")
    make_follow_up(ctx, owner=anna, contact=ivan, deal=cheap, due_at=now - timedelta(days=1))
    make_follow_up(ctx, owner=anna, contact=maria, deal=rich, due_at=now - timedelta(days=1))
    make_follow_up(ctx, owner=anna, contact=olga, deal=listing, due_at=now + timedelta(hours=3))
    make_follow_up(ctx, owner=anna, contact=ivan, deal=cheap, due_at=now + timedelta(days=1))
    make_contact(ctx, owner=anna, full_name="New Lead", created_at=now - timedelta(hours=5))
    hot_buyer = make_contact(ctx, owner=anna, full_name="Hot Buyer")
    hot = make_buyer_request(ctx, owner=anna, buyer=hot_buyer, stage="signing")
    make_follow_up(ctx, owner=anna, contact=hot_buyer, deal=hot, due_at=now + timedelta(days=3))


def test_digest_lists_the_agenda_in_its_exact_order_with_nba_lines(ctx: Ctx):
    anna = make_broker(ctx)
    _crafted_day(ctx, anna)
    digest = next(iter(due(ctx, "daily_digest").values())).payload
    standup = agenda(as_broker(ctx, anna))
    assert [(i["group"], i["follow_up"], i["deal"], i["contact"]) for i in digest["items"]] == [
        (
            item.group,
            item.follow_up.id if item.follow_up else None,
            item.deal.id if item.deal else None,
            item.contact.id if item.contact else None,
        )
        for item in standup
    ]
    groups = [i["group"] for i in digest["items"]]
    assert groups == sorted(groups, key=["missed", "due_today", "hot", "due_tomorrow",
                                         "new_lead"].index)  # fmt: skip
    assert {"missed", "due_today", "hot", "due_tomorrow", "new_lead"} <= set(groups)
    first = digest["items"][0]
    assert first["contact_name"] == "Maria Ivanova"  # same due time: the bigger deal first
    assert first["nba"]["deal"] == first["deal"]
    assert first["nba"]["p_after"] >= first["nba"]["p_now"]
    assert digest["counts"]["missed"] == 2 and digest["total"] == len(standup)


def test_digest_lists_the_deals_without_a_next_follow_up_with_proposed_dates(ctx: Ctx):
    anna = make_broker(ctx)
    buyer = make_contact(ctx, owner=anna)
    request = make_buyer_request(ctx, owner=anna, buyer=buyer, stage="demand_research")
    digest = next(iter(due(ctx, "daily_digest").values())).payload
    assert [g["deal"] for g in digest["gaps"]] == [request.id]
    proposal = propose_next_follow_up(as_broker(ctx, anna), deal=request,
                                      probability=deal_probability(ctx, request).value)  # fmt: skip
    assert digest["gaps"][0]["proposal"]["due_at"] == proposal.due_at.isoformat()
    assert digest["gaps_total"] == 1


def test_a_managers_digest_holds_the_teams_items(ctx: Ctx):
    anna = make_broker(ctx)
    boss = make_broker(ctx, name="Sophia Christodoulou", role="manager")
    ivan = make_contact(ctx, owner=anna)
    make_follow_up(ctx, owner=anna, contact=ivan, due_at=ctx.now() - timedelta(hours=2))
    digests = {n.broker: n.payload for n in due(ctx, "daily_digest").values()}
    assert [i["contact_name"] for i in digests[boss.id]["items"]] == ["Ivan Petrov"]
    assert [i["contact_name"] for i in digests[anna.id]["items"]] == ["Ivan Petrov"]
    other = make_broker(ctx, name="Other Team", team="paphos")
    make_follow_up(ctx, owner=other, contact=make_contact(ctx, owner=other, full_name="Far Away"),
                   due_at=ctx.now() - timedelta(hours=2))  # fmt: skip
    digests = {n.broker: n.payload for n in due(ctx, "daily_digest").values()}
    assert [i["contact_name"] for i in digests[boss.id]["items"]] == ["Ivan Petrov"]


# --- due soon, missed ------------------------------------------------------------------------


def test_due_soon_fires_exactly_30_minutes_before_and_once(ctx: Ctx):
    anna = make_broker(ctx)
    ivan = make_contact(ctx, owner=anna)
    follow_up = make_follow_up(ctx, owner=anna, contact=ivan, due_at=local(10, 11, 0))
    set_clock(ctx, local(10, 10, 29))
    assert due(ctx, "due_soon") == {}
    set_clock(ctx, local(10, 10, 30))
    key = f"due:{follow_up.id}:2026-03-10T09:00Z"
    assert set(due(ctx, "due_soon")) == {key}
    record_all(ctx)
    set_clock(ctx, local(10, 10, 50))
    assert due(ctx, "due_soon") == {}
    follow_up.due_at = local(10, 12, 0)  # rescheduled: a new reminder for the new time
    ctx.session.flush()
    set_clock(ctx, local(10, 11, 30))
    assert set(due(ctx, "due_soon")) == {f"due:{follow_up.id}:2026-03-10T10:00Z"}


def test_due_soon_keeps_the_time_the_broker_chose_even_out_of_hours(ctx: Ctx):
    anna = make_broker(ctx)
    make_follow_up(ctx, owner=anna, contact=make_contact(ctx, owner=anna), due_at=local(8, 20, 0))
    set_clock(ctx, local(8, 19, 45))  # Sunday evening
    assert len(due(ctx, "due_soon")) == 1
    assert due(ctx, "missed") == {} and due(ctx, "daily_digest") == {}


def test_due_soon_for_an_appointment_carries_the_full_nba(ctx: Ctx):
    anna = make_broker(ctx)
    ivan = make_contact(ctx, owner=anna)
    request = make_buyer_request(ctx, owner=anna, buyer=ivan, stage="viewing")
    listing = make_listing(ctx, owner=anna)
    showing = make_appointment(ctx, owner=anna, contact=ivan, deal=request,
                               scheduled_at=local(10, 9, 20), listings=[listing.id])  # fmt: skip
    nudge = due(ctx, "due_soon")[f"due:{showing.id}:2026-03-10T07:20Z"]
    assert nudge.payload["about"] == "appointment"
    assert nudge.payload["listings"] == [listing.id]
    expected = next_best_action(as_broker(ctx, anna), request,
                                probability=deal_probability(ctx, request))  # fmt: skip
    assert nudge.payload["nba"] == nba_payload(expected)
    assert [a["id"] for a in nudge.payload["actions"]] == ["done", "no_show", "open_card"]


def test_missed_fires_once_when_a_follow_up_becomes_overdue(ctx: Ctx):
    anna = make_broker(ctx)
    ivan = make_contact(ctx, owner=anna)
    request = make_buyer_request(ctx, owner=anna, buyer=ivan, stage="viewing")
    follow_up = make_follow_up(ctx, owner=anna, contact=ivan, deal=request, due_at=local(10, 10))
    set_clock(ctx, local(10, 9, 59))
    assert due(ctx, "missed") == {}
    set_clock(ctx, local(10, 10, 1))
    nudge = due(ctx, "missed")[f"missed:{follow_up.id}"]
    assert nudge.payload["nba"]["deal"] == request.id
    assert nudge.payload["nba"]["action_en"].startswith("Create Curated List")
    record_all(ctx)
    set_clock(ctx, local(11, 10, 0))
    assert due(ctx, "missed") == {}


def test_missed_waits_for_the_brokers_morning_and_old_ones_stay_in_the_digest(ctx: Ctx):
    anna = make_broker(ctx)
    ivan = make_contact(ctx, owner=anna)
    evening = make_follow_up(ctx, owner=anna, contact=ivan, due_at=local(10, 20, 0))
    ancient = make_follow_up(ctx, owner=anna, contact=ivan, due_at=local(1, 10, 0))
    set_clock(ctx, local(10, 21, 0))
    assert due(ctx, "missed") == {}
    set_clock(ctx, local(11, 8, 30))
    assert set(due(ctx, "missed")) == {f"missed:{evening.id}"}  # ancient: beyond the look-back
    digest = next(iter(due(ctx, "daily_digest").values())).payload
    assert ancient.id in {i["follow_up"] for i in digest["items"]}


def test_a_follow_up_naming_no_deal_takes_the_clients_deal_for_its_nba(ctx: Ctx):
    anna = make_broker(ctx)
    ivan = make_contact(ctx, owner=anna)
    request = make_buyer_request(ctx, owner=anna, buyer=ivan, stage="decision")
    follow_up = make_follow_up(ctx, owner=anna, contact=ivan, due_at=ctx.now() - timedelta(hours=1))
    nudge = due(ctx, "missed")[f"missed:{follow_up.id}"]
    assert nudge.payload["deal"] == request.id and nudge.payload["nba"]["deal"] == request.id


# --- gaps and stale deals ----------------------------------------------------------------------


def test_gap_once_a_day_with_a_proposal_that_the_schedule_action_creates(ctx: Ctx):
    anna = make_broker(ctx)
    ivan = make_contact(ctx, owner=anna)
    request = make_buyer_request(ctx, owner=anna, buyer=ivan, stage="viewing")
    nudge = due(ctx, "gap")[f"gap:{request.id}:2026-03-10"]
    probability = deal_probability(ctx, request).value
    proposal = propose_next_follow_up(as_broker(ctx, anna), deal=request, probability=probability)
    assert nudge.payload["proposal"]["due_at"] == proposal.due_at.isoformat()
    schedule = next(a for a in nudge.payload["actions"] if a["id"] == "schedule")
    assert schedule["command"] == {
        "tool": "schedule_follow_up",
        "args": {"contact": ivan.id, "deal": request.id, "channel": "call",
                 "due_at": proposal.due_at.astimezone(NICOSIA).strftime("%Y-%m-%dT%H:%M")},
    }  # fmt: skip
    record_all(ctx)
    set_clock(ctx, local(10, 15, 0))
    assert due(ctx, "gap") == {}
    set_clock(ctx, local(11, 9, 0))
    assert set(due(ctx, "gap")) == {f"gap:{request.id}:2026-03-11"}  # still a gap: again today
    args = schedule["command"]["args"]
    schedule_follow_up(
        as_broker(ctx, anna), contact_id=args["contact"], deal_id=args["deal"],
        due_at=datetime.fromisoformat(args["due_at"]).replace(tzinfo=NICOSIA),
    )  # fmt: skip
    assert due(ctx, "gap") == {}


def test_stale_deal_once_per_iso_week_and_activity_clears_it(ctx: Ctx):
    anna = make_broker(ctx)
    seller = make_contact(ctx, owner=anna, full_name="Olga Smirnova")
    quiet = make_listing(ctx, owner=anna, seller=seller)
    busy = make_listing(ctx, owner=anna, seller=make_contact(ctx, owner=anna, full_name="Busy"))
    make_note(ctx, author=anna, text="Called, all fine", listing_id=busy.id,
              created_at=ctx.now() - timedelta(days=3))  # fmt: skip
    young = make_listing(ctx, owner=anna, created_at=ctx.now() - timedelta(days=5))
    keys = set(due(ctx, "stale_deal"))
    assert keys == {f"stale:{quiet.id}:2026-W11"}
    assert young.id not in str(keys) and busy.id not in str(keys)
    nudge = due(ctx, "stale_deal")[f"stale:{quiet.id}:2026-W11"]
    assert nudge.payload["contact_name"] == "Olga Smirnova" and nudge.payload["idle_days"] == 14
    assert "STALE" not in nudge.payload["nba"]["action_en"]
    assert any(a["id"] == "schedule" for a in nudge.payload["actions"])
    record_all(ctx)
    set_clock(ctx, local(14, 10, 0))
    assert due(ctx, "stale_deal") == {}
    set_clock(ctx, local(16, 10, 0))
    assert set(due(ctx, "stale_deal")) == {f"stale:{quiet.id}:2026-W12"}


# --- weekly review -----------------------------------------------------------------------------


def test_weekly_review_on_monday_from_0900_to_managers_only(ctx: Ctx):
    make_broker(ctx)
    boss = make_broker(ctx, name="Sophia Christodoulou", role="manager")
    set_clock(ctx, local(9, 8, 59))
    assert due(ctx, "weekly_review") == {}
    set_clock(ctx, local(9, 9, 0))
    weekly = due(ctx, "weekly_review")
    assert list(weekly) == ["weekly:main:2026-W11"]
    review = weekly["weekly:main:2026-W11"]
    assert review.broker == boss.id
    assert review.payload["revenue"]["period"] == "2026-03"
    assert review.payload["forecast"]["en"].startswith("Weighted pipeline")
    assert review.payload["last_week"] == "2026-03-02..2026-03-08"
    assert {m["name"] for m in review.payload["metrics"]} >= {"active_listings", "appointments"}
    record_all(ctx)
    set_clock(ctx, local(9, 12, 0))
    assert due(ctx, "weekly_review") == {}
    set_clock(ctx, local(10, 9, 0))
    assert due(ctx, "weekly_review") == {}


def test_a_second_manager_of_the_team_gets_an_own_copy(ctx: Ctx):
    first = make_broker(ctx, name="Sophia Christodoulou", role="manager")
    second = make_broker(ctx, name="Nikos Georgiou", role="manager")
    set_clock(ctx, local(9, 9, 0))
    weekly = {n.broker: key for key, n in due(ctx, "weekly_review").items()}
    assert weekly == {
        first.id: "weekly:main:2026-W11",
        second.id: f"weekly:main:2026-W11:{second.id}",
    }


# --- everything a nudge carries ----------------------------------------------------------------


def test_inactive_brokers_get_no_nudges(ctx: Ctx):
    gone = make_broker(ctx)
    gone.active = False
    make_buyer_request(ctx, owner=gone, buyer=make_contact(ctx, owner=gone))
    assert due(ctx) == {}


def test_every_action_is_a_well_formed_tool_command(ctx: Ctx):
    anna = make_broker(ctx)
    _crafted_day(ctx, anna)
    ivan = make_contact(ctx, owner=anna, full_name="Ivan Two")
    make_follow_up(ctx, owner=anna, contact=ivan, due_at=ctx.now() + timedelta(minutes=20))
    planned = due_nudges(ctx)
    assert {"daily_digest", "due_soon", "missed", "gap", "stale_deal"} <= {n.kind for n in planned}
    for nudge in planned:
        assert nudge.payload["actions"], nudge.kind
        for action in nudge.payload["actions"]:
            assert set(action) >= {"id", "label_en", "label_ru", "command"}
            assert action["label_en"] and action["label_ru"] != action["label_en"]
            assert action["command"]["tool"] in TOOLS
            assert all(isinstance(v, str) for v in action["command"]["args"].values())
            if action["id"] == "reschedule":
                assert action["needs"] == ["due_at"]
    missed = next(n for n in planned if n.kind == "missed")
    ids = [a["id"] for a in missed.payload["actions"]]
    assert ids == ["done", "snooze_1d", "reschedule", "open_card"]
    snooze = missed.payload["actions"][1]["command"]["args"]
    due_at = datetime.fromisoformat(missed.payload["due_at"])
    today_same_time = datetime.combine(ctx.now().astimezone(NICOSIA).date(),
                                       due_at.astimezone(NICOSIA).time(), NICOSIA)  # fmt: skip
    expected = add_working_days(today_same_time, 1, tz="Asia/Nicosia")
    assert snooze == {"follow_up": missed.payload["follow_up"],
                      "due_at": expected.strftime("%Y-%m-%dT%H:%M")}  # fmt: skip


def test_recording_skips_keys_taken_and_keeps_the_preferred_channel(ctx: Ctx):
    anna = make_broker(ctx, telegram_user_id=42)
    dmitry = make_broker(ctx, name="Dmitry Volkov", slack_user_id="U1")
    elena = make_broker(ctx, name="Elena Sokolova")
    channels = [preferred_channel(b) for b in (anna, dmitry, elena)]
    assert channels == ["telegram", "slack", "terminal"]
    planned = due_nudges(ctx)
    first = record_nudges(ctx, nudges=planned)
    assert len(first) == len(planned) == 3
    assert record_nudges(ctx, nudges=planned) == []  # the same keys again: nothing
    rows = ctx.session.execute(select(Notification).order_by(Notification.id)).scalars().all()
    assert Counter(r.status for r in rows) == {"pending": 3}
    assert {r.broker: r.channel for r in rows} == {
        anna.id: "telegram",
        dmitry.id: "slack",
        elena.id: "terminal",
    }
