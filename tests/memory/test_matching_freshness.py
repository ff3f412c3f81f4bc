"""The matching snapshot follows the store: the audit trail at once, bulk writes later."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update

from crm_store.context import Ctx
from crm_store.models import Listing
from crm_store.repositories.base import record
from memory.matching import Matcher
from tests.factories import make_buyer_request, make_contact, make_listing
from tests.memory.conftest import Team
from tests.memory.fakes import FakeEmbedder


def _ids(matcher: Matcher, ctx: Ctx, request_id: str) -> list[str]:
    return sorted(m.listing.id for m in matcher.listings_for_buyer(ctx, request_id=request_id))


def test_an_audited_change_is_seen_at_once_and_a_silent_one_at_the_full_check(
    ctx: Ctx, team: Team, embedder: FakeEmbedder
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    cheap = make_listing(ctx, owner=team.anna, price=Decimal("400000"))
    dear = make_listing(ctx, owner=team.anna, price=Decimal("900000"))
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer, budget_max=Decimal("500000"))
    matcher = Matcher(embedder, check_seconds=0.0, full_check_seconds=3600.0)
    assert _ids(matcher, ctx, request.id) == [cheap.id]

    # A service lowers a price: the audit trail tells the snapshot.
    dear.price = Decimal("450000")
    dear.updated_at = ctx.now()
    record(ctx, action="update", entity="listings", entity_id=dear.id, changes={"price": "450000"})
    ctx.session.flush()
    assert _ids(matcher, ctx, request.id) == sorted([cheap.id, dear.id])

    # A bulk import adds a listing without an audit entry: seen after the full check.
    fresh = make_listing(ctx, owner=team.anna, price=Decimal("420000"))
    assert fresh.id not in _ids(matcher, ctx, request.id)
    matcher.snapshot.full_check_seconds = 0.0
    assert fresh.id in _ids(matcher, ctx, request.id)


def test_a_result_is_rechecked_against_the_store_even_when_the_snapshot_is_stale(
    ctx: Ctx, team: Team, embedder: FakeEmbedder
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    gone = make_listing(ctx, owner=team.anna)
    kept = make_listing(ctx, owner=team.anna)
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer)
    matcher = Matcher(embedder, check_seconds=3600.0, full_check_seconds=3600.0)
    assert _ids(matcher, ctx, request.id) == sorted([gone.id, kept.id])

    # Sold by another process, unnoticed by the snapshot: never offered all the same.
    ctx.session.execute(
        update(Listing).where(Listing.id == gone.id).values(stage="sold", updated_at=ctx.now())
    )
    assert _ids(matcher, ctx, request.id) == [kept.id]
    assert gone.id not in matcher.snapshot.listings.row_of  # and the snapshot was corrected
