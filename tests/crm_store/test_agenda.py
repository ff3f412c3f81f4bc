"""The daily standup lists everything once, in SPEC §4 order, with a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from crm_store.context import SYSTEM, Ctx
from crm_store.errors import Forbidden
from crm_store.models import Contact, Listing
from crm_store.services.agenda import agenda
from crm_store.services.followups import gaps, missed_follow_ups
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


def local(day: int, hour: int, minute: int = 0, *, tz: ZoneInfo = NICOSIA) -> datetime:
    """March 2026; the clock stands at Tuesday the 10th, 09:00 in Limassol."""
    return datetime(2026, 3, day, hour, minute, tzinfo=tz)


@pytest.fixture
def anna(ctx):
    return make_broker(ctx, name="Anna Georgiou")


@pytest.fixture
def boris(ctx):
    return make_broker(ctx, name="Boris Ivanov")


class Day:
    """Builds one broker's crafted day; every client has a unique name that the test reads."""

    def __init__(self, ctx, owner):
        self.ctx, self.owner = ctx, owner

    def client(self, name, *, hours_ago=24 * 30, **kw):
        created = self.ctx.now() - timedelta(hours=hours_ago)
        return make_contact(self.ctx, owner=self.owner, full_name=name, created_at=created, **kw)

    def listing(self, name, stage, price, **kw):
        seller = self.client(name, **kw)
        return make_listing(self.ctx, owner=self.owner, seller=seller, stage=stage, price=price)

    def request(self, name, stage, budget, **kw):
        buyer = self.client(name, **kw)
        return make_buyer_request(
            self.ctx, owner=self.owner, buyer=buyer, stage=stage, budget_max=budget
        )

    def follow_up(self, due, *, deal=None, name=None, **kw):
        """A follow-up with the deal's client, or with a new client called `name`."""
        if deal is not None:
            client_id = deal.seller if isinstance(deal, Listing) else deal.buyer
            contact = self.ctx.session.get(Contact, client_id)
        else:
            contact = self.client(name)
        return make_follow_up(
            self.ctx, owner=self.owner, contact=contact, deal=deal, due_at=due, **kw
        )


def names(items) -> list[tuple[str, str]]:
    return [(item.group, item.contact.full_name) for item in items]


def build_day(ctx, anna, boris) -> None:
    day = Day(ctx, anna)
    k = Decimal(1000)
    # 1 missed: oldest first, a tie on time broken by the higher value.
    day.follow_up(local(8, 15), name="Missed Sunday")
    day.follow_up(local(9, 10), deal=day.listing("Missed Low", "contacted", 300 * k))
    day.follow_up(local(9, 10), deal=day.request("Missed High", "viewing", 500 * k))
    hot_but_missed = day.listing("Missed Hot", "active_listing", 1200 * k)
    day.follow_up(local(9, 12), deal=hot_but_missed)
    day.follow_up(local(13, 10), deal=hot_but_missed)  # its later one stays hidden
    day.follow_up(local(7, 10), name="Done Long Ago", status="done")
    day.follow_up(local(7, 10), name="Cancelled Long Ago", status="cancelled")
    # 2 due today (from now to local midnight).
    day.follow_up(local(10, 11), deal=day.listing("Today Low", "contacted", 200 * k))
    day.follow_up(local(10, 11), deal=day.listing("Today High", "agreement_signed", 900 * k))
    day.follow_up(local(10, 9), name="Today Right Now")
    new_lead_due_today = day.client("Today New Lead", hours_ago=2)
    make_follow_up(ctx, owner=anna, contact=new_lead_due_today, due_at=local(10, 23, 30))
    # 3 hot potentials: nothing scheduled first, then by next follow-up, then value.
    no_follow_up = day.request("Hot Nothing Scheduled", "decision", 600 * k)
    day.follow_up(local(11, 10), deal=no_follow_up, status="done")  # done does not count
    day.follow_up(local(11, 10), deal=day.request("Hot Due Tomorrow", "signing", 700 * k))
    soon = day.listing("Hot Thursday", "sold", 100 * k)
    day.follow_up(local(14, 10), deal=soon)
    day.follow_up(local(12, 10), deal=soon)
    day.follow_up(local(13, 10), deal=day.listing("Hot Friday High", "active_listing", 800 * k))
    day.follow_up(local(13, 10), deal=day.listing("Hot Friday Low", "commission_payment", 400 * k))
    day.listing("Won Already", "closed_won", 999 * k)
    day.request("Lost Already", "closed_lost", 999 * k)
    # 4 due tomorrow (Wednesday, up to its last minute).
    day.follow_up(local(11, 9, 30), deal=day.listing("Tomorrow Low", "contacted", 100 * k))
    day.follow_up(local(11, 9, 30), deal=day.request("Tomorrow High", "demand_research", 400 * k))
    day.follow_up(local(11, 18), name="Tomorrow Evening")
    day.follow_up(local(11, 23, 59), name="Tomorrow Last Minute")
    day.follow_up(local(12, 0, 0), name="Thursday Midnight")
    # 5 new leads: the last 48 h, nobody has spoken to them yet; longest waiting first.
    day.client("Lead 30h", hours_ago=30)
    lead_10h = day.client("Lead 10h", hours_ago=10)
    make_buyer_request(ctx, owner=anna, buyer=lead_10h, budget_max=300 * k)
    tie_low = day.client("Lead 5h Low", hours_ago=5)
    make_buyer_request(ctx, owner=anna, buyer=tie_low, budget_max=100 * k)
    tie_high = day.client("Lead 5h High", hours_ago=5)
    make_listing(ctx, owner=anna, seller=tie_high, stage="prospect", price=1000 * k)
    cancelled_meeting = day.client("Lead Cancelled Meeting", hours_ago=4)
    make_appointment(
        ctx, owner=anna, contact=cancelled_meeting, scheduled_at=local(11, 12), status="cancelled"
    )
    later = day.client("Lead With Friday Call", hours_ago=1)
    make_follow_up(ctx, owner=anna, contact=later, due_at=local(13, 12))
    day.client("Lead 50h", hours_ago=50)
    noted = day.client("Lead With Note", hours_ago=5)
    make_note(ctx, author=anna, contact=noted, text="called, wants a villa")
    called = day.client("Lead Already Called", hours_ago=3)
    make_follow_up(ctx, owner=anna, contact=called, due_at=local(10, 8), status="done")
    met = day.client("Lead With Meeting", hours_ago=3)
    make_appointment(ctx, owner=anna, contact=met, scheduled_at=local(12, 12))
    # Boris's day never shows on Anna's.
    theirs = Day(ctx, boris)
    theirs.follow_up(local(9, 10), name="Boris Missed")
    theirs.listing("Boris Hot", "active_listing", 5000 * k)
    theirs.client("Boris Lead", hours_ago=1)


EXPECTED = [
    ("missed", "Missed Sunday"),
    ("missed", "Missed High"),
    ("missed", "Missed Low"),
    ("missed", "Missed Hot"),
    ("due_today", "Today Right Now"),
    ("due_today", "Today High"),
    ("due_today", "Today Low"),
    ("due_today", "Today New Lead"),
    ("hot", "Hot Nothing Scheduled"),
    ("hot", "Hot Due Tomorrow"),
    ("hot", "Hot Thursday"),
    ("hot", "Hot Friday High"),
    ("hot", "Hot Friday Low"),
    ("due_tomorrow", "Tomorrow High"),
    ("due_tomorrow", "Tomorrow Low"),
    ("due_tomorrow", "Tomorrow Evening"),
    ("due_tomorrow", "Tomorrow Last Minute"),
    ("new_lead", "Lead 30h"),
    ("new_lead", "Lead 10h"),
    ("new_lead", "Lead 5h High"),
    ("new_lead", "Lead 5h Low"),
    ("new_lead", "Lead Cancelled Meeting"),
    ("new_lead", "Lead With Friday Call"),
]


def test_the_standup_order_on_a_crafted_day(ctx, anna, boris):
    build_day(ctx, anna, boris)
    items = agenda(as_broker(ctx, anna))
    assert names(items) == EXPECTED
    by_name = {item.contact.full_name: item for item in items}
    assert by_name["Missed High"].value == Decimal("500000.00")
    assert by_name["Hot Nothing Scheduled"].follow_up is None
    assert by_name["Hot Nothing Scheduled"].due_at is None
    assert by_name["Hot Thursday"].due_at == local(12, 10)  # its next follow-up, not the later
    assert by_name["Hot Due Tomorrow"].follow_up.due_at == local(11, 10)
    assert by_name["Lead 10h"].deal is not None and by_name["Lead 10h"].value == Decimal("300000")
    assert by_name["Lead With Friday Call"].due_at == local(13, 12)
    assert (
        "Missed" in by_name["Missed Low"].label and "Mon 9 Mar 10:00" in by_name["Missed Low"].label
    )


def test_each_follow_up_and_deal_appears_once(ctx, anna, boris):
    build_day(ctx, anna, boris)
    items = agenda(as_broker(ctx, anna))
    follow_ups = [item.follow_up.id for item in items if item.follow_up is not None]
    deals = [item.deal.id for item in items if item.deal is not None]
    assert len(follow_ups) == len(set(follow_ups))
    assert len(deals) == len(set(deals))


def test_a_manager_sees_the_team_and_a_broker_only_themselves(ctx, anna, boris):
    build_day(ctx, anna, boris)
    manager = as_broker(ctx, make_broker(ctx, name="Maria Manager", role="manager"))
    team = names(agenda(manager))
    assert ("missed", "Boris Missed") in team and ("hot", "Boris Hot") in team
    assert team.index(("hot", "Boris Hot")) < team.index(("hot", "Hot Nothing Scheduled"))
    assert names(agenda(manager, owner_ids=[anna.id])) == EXPECTED
    with pytest.raises(Forbidden):
        agenda(as_broker(ctx, anna), owner_ids=[boris.id])


def test_another_day_shifts_today_and_tomorrow(ctx, anna, boris):
    build_day(ctx, anna, boris)
    items = agenda(as_broker(ctx, anna), day=date(2026, 3, 11))
    groups = {item.contact.full_name: item.group for item in items}
    assert groups["Tomorrow Evening"] == "due_today"
    assert groups["Thursday Midnight"] == "due_tomorrow"
    assert groups["Missed Sunday"] == "missed"
    assert "Today Low" not in groups  # due Tuesday: neither missed yet nor on Wednesday


def test_today_ends_at_the_brokers_own_midnight(ctx, clock):
    dubai = make_broker(ctx, name="Omar Haddad", timezone="Asia/Dubai")
    limassol = make_broker(ctx, name="Anna Georgiou")
    late = datetime(2026, 3, 10, 21, 30, tzinfo=UTC)  # 23:30 in Limassol, 01:30 Wed in Dubai
    for broker in (dubai, limassol):
        client = make_contact(ctx, owner=broker, full_name=f"Client of {broker.name}")
        make_follow_up(ctx, owner=broker, contact=client, due_at=late)
    system = Ctx(session=ctx.session, actor=SYSTEM, clock=clock)
    assert [i.group for i in agenda(as_broker(ctx, dubai))] == ["due_tomorrow"]
    assert [i.group for i in agenda(system, owner_ids=[dubai.id])] == ["due_tomorrow"]
    assert [i.group for i in agenda(as_broker(ctx, limassol))] == ["due_today"]
    assert agenda(as_broker(ctx, dubai))[0].label.startswith("Tomorrow 01:30: call")


def test_labels_follow_the_brokers_language(ctx):
    russian = make_broker(ctx, name="Ольга Смирнова", language="ru")
    client = make_contact(ctx, owner=russian, full_name="Иван Петров")
    make_follow_up(ctx, owner=russian, contact=client, due_at=local(9, 10))
    [item] = agenda(as_broker(ctx, russian))
    assert item.label.startswith("Пропущено") and "пн 9 мар 10:00" in item.label


def _statements(ctx, run) -> int:
    count = 0

    def counter(*_args):
        nonlocal count
        count += 1

    engine = ctx.session.get_bind()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


@pytest.mark.parametrize("run", [agenda, gaps, missed_follow_ups])
def test_queries_do_not_grow_with_the_number_of_deals(ctx, anna, run):
    actx = as_broker(ctx, anna)

    def load(n: int) -> None:
        for i in range(n):
            client = make_contact(ctx, owner=anna, full_name=f"Client {n}-{i}")
            hot = make_listing(ctx, owner=anna, seller=client, stage="active_listing")
            make_buyer_request(ctx, owner=anna, buyer=client, stage="decision")
            make_follow_up(ctx, owner=anna, contact=client, deal=hot, due_at=local(9, 10))
            make_follow_up(ctx, owner=anna, contact=client, deal=hot, due_at=local(11, 10))
            make_contact(ctx, owner=anna, full_name=f"Lead {n}-{i}", created_at=ctx.now())
        ctx.session.flush()
        ctx.session.expire_all()  # nothing served from the identity map

    load(3)
    few = _statements(ctx, lambda: run(actx))
    load(30)
    many = _statements(ctx, lambda: run(actx))
    assert many == few
