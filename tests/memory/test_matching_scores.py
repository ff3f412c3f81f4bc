"""Scoring and reasons: wishes found in features and sentences; both directions agree."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np

from crm_store.context import Ctx
from crm_store.models import Listing
from memory.documents import buyer_doc, listing_doc
from memory.matching import Matcher
from memory.matching.criteria import passes
from memory.matching.evidence import score_pair
from tests.factories import make_buyer_request, make_contact, make_listing
from tests.memory.conftest import Team


def test_wished_features_and_described_qualities_rank_first_with_reasons(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    plain = make_listing(ctx, owner=team.anna, description="Third floor flat next to a busy road.")
    best = make_listing(
        ctx,
        owner=team.anna,
        bedrooms=3,
        price=Decimal("520000"),
        features=["sea_view", "parking"],
        description=(
            "Spacious family home. It sits on a quiet street, close to schools and shops. "
            "Covered parking for two cars."
        ),
    )
    request = make_buyer_request(
        ctx,
        owner=team.anna,
        buyer=buyer,
        budget_max=Decimal("550000"),
        bedrooms_min=2,
        wishes="sea view, quiet area near schools",
    )

    matches = matcher.listings_for_buyer(ctx, request_id=request.id)

    assert [m.listing.id for m in matches] == [best.id, plain.id]
    reasons = matches[0].reason_texts()
    assert reasons[:2] == ["€520k within budget", "3 bedrooms"]
    assert "sea view requested and present" in reasons
    assert "described as quiet, near schools" in reasons
    assert matches[0].score > matches[1].score + 0.2


def test_russian_wishes_match_through_the_feature_vocabulary(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    buyer = make_contact(ctx, owner=team.boris, full_name="Ольга Смирнова")
    fireplace = make_listing(
        ctx, owner=team.anna, features=["sea_view"], description="Living room with a fireplace."
    )
    make_listing(ctx, owner=team.anna, features=["garden"], description="Open-plan kitchen.")
    request = make_buyer_request(
        ctx, owner=team.boris, buyer=buyer, wishes="вид на море и камин обязательно"
    )

    matches = matcher.listings_for_buyer(ctx, request_id=request.id)

    assert matches[0].listing.id == fireplace.id
    assert "вид на море — как просили" in matches[0].reason_texts("ru")
    assert "в описании: камин" in matches[0].reason_texts("ru")


def test_a_wished_district_counts_as_evidence(ctx: Ctx, team: Team, matcher: Matcher) -> None:
    buyer = make_contact(ctx, owner=team.anna)
    make_listing(ctx, owner=team.anna, district="Zakaki")
    wished = make_listing(ctx, owner=team.anna, district="Germasogeia")
    request = make_buyer_request(ctx, owner=team.anna, buyer=buyer, wishes="ideally Гермасойя")
    matches = matcher.listings_for_buyer(ctx, request_id=request.id)
    assert matches[0].listing.id == wished.id
    assert "in Germasogeia, as wished" in matches[0].reason_texts()


WISHES = [
    "sea view",
    "quiet street near schools",
    "a fireplace and a garden",
    "walk to the beach",
    "modern kitchen, covered parking",
    "",
]
SENTENCES = [
    "Modern kitchen with an island.",
    "A short walk to the beach.",
    "Quiet street close to schools.",
    "Fireplace in the lounge.",
    "Covered parking and storage.",
    "Large garden with fruit trees.",
    "Busy road nearby.",
]


def test_vector_scores_equal_pair_scores_and_both_directions_agree(
    ctx: Ctx, team: Team, matcher: Matcher
) -> None:
    rng = random.Random(7)
    places = [("Limassol", "Germasogeia"), ("Limassol", "Zakaki"), ("Paphos", "Peyia")]
    for _ in range(40):
        city, district = rng.choice(places)
        make_listing(
            ctx,
            owner=rng.choice([team.anna, team.boris]),
            city=city,
            district=district,
            property_type=rng.choice(["apartment", "villa"]),
            bedrooms=rng.randint(1, 5),
            price=Decimal(rng.randrange(200_000, 900_000, 10_000)),
            features=rng.sample(["sea_view", "pool", "garden", "parking"], rng.randint(0, 2)),
            description=" ".join(rng.sample(SENTENCES, 3)),
        )
    contact = make_contact(ctx, owner=team.anna)
    requests = [
        make_buyer_request(
            ctx,
            owner=rng.choice([team.anna, team.boris]),
            buyer=contact,
            cities=rng.choice([["Limassol"], ["Paphos"], []]),
            bedrooms_min=rng.choice([None, 2, 3]),
            budget_max=rng.choice([None, Decimal("500000"), Decimal("750000")]),
            wishes=rng.choice(WISHES),
        )
        for _ in range(15)
    ]

    forward: dict[tuple[str, str], float] = {}
    for request in requests:
        for match in matcher.listings_for_buyer(ctx, request_id=request.id, limit=100):
            forward[(request.id, match.listing.id)] = match.score
    backward: dict[tuple[str, str], float] = {}
    for listing_id in matcher.snapshot.listings.row_of:
        for m in matcher.buyers_for_listing(ctx, listing_id=listing_id, limit=100).matches:
            backward[(m.request_id, listing_id)] = m.score

    assert forward.keys() == backward.keys() and len(forward) > 50
    assert all(abs(forward[k] - backward[k]) < 1e-3 for k in forward)

    # The vectorised scores used for ranking equal the pair scores that are returned.
    table = matcher.snapshot.listings
    for request in requests:
        buyer = buyer_doc(request)
        rows = table.candidates(buyer, None, matcher.config)
        vec = table.score(buyer, matcher.wish_query(buyer), rows, matcher.config)
        for row, score in zip(rows, vec, strict=True):
            listing = listing_doc(ctx.session.get(Listing, table.row_ids[row]))
            assert passes(buyer, listing)
            pair, _ = score_pair(
                buyer,
                listing,
                matcher.clause_vectors(buyer),
                matcher.passage_vectors(listing),
                matcher.config,
                matcher.idf,
            )
            assert np.isclose(pair, score, atol=1e-4)
