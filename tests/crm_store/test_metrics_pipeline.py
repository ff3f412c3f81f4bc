"""Open deals per stage: counts and value, the broker's own only, cut by stage, side, city."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm_store.errors import InvalidInput
from crm_store.services.metrics import metric
from tests.conftest import as_broker
from tests.factories import make_broker, make_buyer_request, make_contact, make_listing


@pytest.fixture
def pipeline(ctx):
    anna, boris = make_broker(ctx, name="Anna Georgiou"), make_broker(ctx, name="Boris Orlov")
    manager = make_broker(ctx, name="Maria Manager", role="manager")
    client = make_contact(ctx, owner=anna, full_name="Ivan Petrov")
    other = make_contact(ctx, owner=boris, full_name="Olga Smirnova")
    make_listing(ctx, owner=anna, seller=client, stage="active_listing", price=Decimal("400000"))
    make_listing(ctx, owner=anna, seller=client, stage="active_listing", price=Decimal("600000"))
    make_listing(ctx, owner=anna, seller=client, stage="withdrawn", price=Decimal("900000"))
    make_buyer_request(
        ctx, owner=anna, buyer=client, stage="viewing", budget_max=Decimal("500000"),
        cities=["Paphos"],
    )  # fmt: skip
    make_buyer_request(ctx, owner=boris, buyer=other, stage="viewing", cities=["Limassol"])
    ctx.session.commit()
    return anna, manager


def test_a_broker_sees_their_own_open_deals_per_stage_with_their_value(ctx, pipeline):
    anna, _ = pipeline
    found = metric(as_broker(ctx, anna), name="deals_by_stage")
    assert found.value == 3  # the withdrawn listing is closed; Boris's buyer is not Anna's
    assert "- Active Listing: 2, €1M" in found.en
    assert "- Solution/Viewing: 1, €500K" in found.en
    assert "Withdrawn" not in found.en


def test_one_stage_and_cuts_by_side_and_city(ctx, pipeline):
    anna, manager = pipeline
    team = as_broker(ctx, manager)
    assert metric(team, name="deals_by_stage", stage="viewing").en == (
        "Open deals at Solution/Viewing: 2."
    )
    assert metric(team, name="deals_by_stage", stage="viewing", city="Paphos").value == 1
    assert metric(as_broker(ctx, anna), name="deals_by_stage", side="seller").value == 2
    with pytest.raises(InvalidInput):
        metric(team, name="deals_by_stage", stage="teleported")
