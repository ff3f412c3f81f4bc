"""The store keeps money exact, time in UTC, ids readable, and a deal link on exactly one side."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from crm_store.models import Listing, StageChange
from crm_store.repositories.base import next_id, reset_counters
from tests.factories import make_broker, make_contact, make_listing


def test_money_round_trips_exactly(ctx):
    broker = make_broker(ctx)
    listing = make_listing(ctx, owner=broker, price=Decimal("1234567.89"))
    ctx.session.commit()
    ctx.session.expire_all()
    assert ctx.session.get(Listing, listing.id).price == Decimal("1234567.89")


def test_datetimes_come_back_aware_in_utc(ctx):
    broker = make_broker(ctx)
    listing = make_listing(ctx, owner=broker, listed_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC))
    ctx.session.commit()
    ctx.session.expire_all()
    listed = ctx.session.get(Listing, listing.id).listed_at
    assert listed == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert listed.tzinfo is not None


def test_naive_datetime_is_refused(ctx):
    broker = make_broker(ctx)
    with pytest.raises(Exception, match="naive datetime"):
        make_listing(ctx, owner=broker, listed_at=datetime(2026, 3, 1, 10, 0))


def test_ids_are_readable_and_skip_imported_numbers(ctx):
    broker = make_broker(ctx)
    make_contact(ctx, owner=broker, id="c-7")
    reset_counters(ctx.session)
    assert make_contact(ctx, owner=broker, full_name="Next One").id == "c-8"
    assert next_id(ctx.session, Listing) == "l-1"


def test_stage_change_points_at_exactly_one_deal(ctx):
    broker = make_broker(ctx)
    ctx.session.add(
        StageChange(id="sc-x", to_stage="contacted", at=datetime.now(UTC), by=broker.id)
    )
    with pytest.raises(IntegrityError):
        ctx.session.flush()
