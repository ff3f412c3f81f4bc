"""Stage moves follow SPEC §3 exactly: every legal move works, every illegal one changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from crm_store.errors import ConfirmationRequired, Forbidden, IllegalMove, InvalidInput, NotFound
from crm_store.models import AuditEntry, Listing, StageChange
from crm_store.services.stages import get_deal, legal_moves, move_stage, plan_move, side_of
from crm_store.vocabulary import ALL_BUYER_STAGES, ALL_SELLER_STAGES, Side
from tests.conftest import as_broker
from tests.factories import make_broker, make_buyer_request, make_contact, make_listing

# The full table of SPEC §3, written out by hand: from → {to: kind}. Anything absent is illegal.
# fwd: one forward; skip: needs confirmation; back: one back, needs a reason;
# exit: withdrawn/closed_lost with a listed reason; reopen: reactivation.
SELLER_MOVES: dict[str, dict[str, str]] = {
    "prospect": {
        "contacted": "fwd", "agreement_signed": "skip", "active_listing": "skip", "sold": "skip",
        "commission_payment": "skip", "closed_won": "skip", "withdrawn": "exit",
    },
    "contacted": {
        "agreement_signed": "fwd", "active_listing": "skip", "sold": "skip",
        "commission_payment": "skip", "closed_won": "skip", "prospect": "back", "withdrawn": "exit",
    },
    "agreement_signed": {
        "active_listing": "fwd", "sold": "skip", "commission_payment": "skip",
        "closed_won": "skip", "contacted": "back", "withdrawn": "exit",
    },
    "active_listing": {
        "sold": "fwd", "commission_payment": "skip", "closed_won": "skip",
        "agreement_signed": "back", "withdrawn": "exit",
    },
    "sold": {"commission_payment": "fwd", "closed_won": "skip", "active_listing": "back"},
    "commission_payment": {"closed_won": "fwd", "sold": "back"},
    "closed_won": {},
    "withdrawn": {"contacted": "reopen", "active_listing": "reopen"},
}  # fmt: skip
BUYER_MOVES: dict[str, dict[str, str]] = {
    "qualification": {
        "demand_research": "fwd", "viewing": "skip", "decision": "skip", "signing": "skip",
        "payment": "skip", "closed_won": "skip", "closed_lost": "exit",
    },
    "demand_research": {
        "viewing": "fwd", "decision": "skip", "signing": "skip", "payment": "skip",
        "closed_won": "skip", "qualification": "back", "closed_lost": "exit",
    },
    "viewing": {
        "decision": "fwd", "signing": "skip", "payment": "skip", "closed_won": "skip",
        "demand_research": "back", "closed_lost": "exit",
    },
    "decision": {
        "signing": "fwd", "payment": "skip", "closed_won": "skip", "viewing": "back",
        "closed_lost": "exit",
    },
    "signing": {"payment": "fwd", "closed_won": "skip", "decision": "back", "closed_lost": "exit"},
    "payment": {"closed_won": "fwd", "signing": "back", "closed_lost": "exit"},
    "closed_won": {},
    "closed_lost": {"qualification": "reopen"},
}  # fmt: skip
ORDER = {
    Side.SELLER: list(ALL_SELLER_STAGES[:-1]),
    Side.BUYER: list(ALL_BUYER_STAGES[:-1]),
}

CELLS = [
    (side, src, dst)
    for side, table, stages in (
        (Side.SELLER, SELLER_MOVES, ALL_SELLER_STAGES),
        (Side.BUYER, BUYER_MOVES, ALL_BUYER_STAGES),
    )
    for src in stages
    for dst in stages
]


def _kind(side: Side, src: str, dst: str) -> str | None:
    table = SELLER_MOVES if side is Side.SELLER else BUYER_MOVES
    return table[src].get(dst)


# Legal moves that need something from the broker: a confirmation, a reason or a final figure.
NEEDY_CELLS = [
    (side, src, dst)
    for side, src, dst in CELLS
    if _kind(side, src, dst) in ("skip", "back", "exit")
    or (_kind(side, src, dst) is not None and dst == "closed_won")
]


@pytest.fixture
def anna(ctx):
    return make_broker(ctx, name="Anna Georgiou")


@pytest.fixture
def actx(ctx, anna):
    return as_broker(ctx, anna, message="move it")


def _deal(ctx, owner, side: Side, stage: str):
    client = make_contact(ctx, owner=owner, full_name="Ivan Petrov")
    if side is Side.SELLER:
        return make_listing(ctx, owner=owner, seller=client, stage=stage, listed_at=None)
    return make_buyer_request(
        ctx, owner=owner, buyer=client, stage=stage, budget_max=Decimal("500000")
    )


def _history(ctx, deal) -> list[StageChange]:
    column = StageChange.listing_id if isinstance(deal, Listing) else StageChange.buyer_request_id
    query = select(StageChange).where(column == deal.id).order_by(StageChange.id)
    return list(ctx.session.execute(query).scalars())


def _args(kind: str, side: Side, dst: str) -> dict:
    """What the broker must supply for a legal move of this kind."""
    args: dict = {}
    if kind == "skip":
        args["confirm_skip"] = True
    if kind == "back":
        args["reason"] = "the client asked to wait"
    if kind == "exit":
        args["reason"] = "other" if side is Side.SELLER else "budget"
    if dst == "closed_won":
        args["final_amount"] = Decimal("440000")
    return args


def _assert_unchanged(ctx, deal, stage, updated_at):
    ctx.session.expire_all()
    fresh = ctx.session.get(type(deal), deal.id)
    assert fresh.stage == stage
    assert fresh.updated_at == updated_at
    assert _history(ctx, fresh) == []


@pytest.mark.parametrize(("side", "src", "dst"), CELLS, ids=lambda v: str(v))
def test_every_cell_of_the_transition_table(actx, anna, side, src, dst):
    deal = _deal(actx, anna, side, src)
    before = deal.updated_at
    kind = _kind(side, src, dst)
    if kind is None:
        expected = InvalidInput if src == dst else IllegalMove
        with pytest.raises(expected):
            move_stage(actx, deal_id=deal.id, to_stage=dst, reason="other", confirm_skip=True)
        _assert_unchanged(actx, deal, src, before)
        return
    rows = move_stage(actx, deal_id=deal.id, to_stage=dst, **_args(kind, side, dst))
    assert deal.stage == dst
    assert deal.updated_at == actx.now()
    assert [row.to_stage for row in _history(actx, deal)] == [row.to_stage for row in rows]
    order = ORDER[side]
    expected_path = order[order.index(src) + 1 : order.index(dst) + 1] if kind == "skip" else [dst]
    assert [row.to_stage for row in rows] == expected_path
    assert rows[0].from_stage == src
    assert all(row.by == anna.id and row.at == actx.now() for row in rows)


@pytest.mark.parametrize(("side", "src", "dst"), NEEDY_CELLS, ids=lambda v: str(v))
def test_a_legal_move_missing_what_it_needs_changes_nothing(actx, anna, side, src, dst):
    kind = _kind(side, src, dst) or ""
    needs = {"skip": ConfirmationRequired, "back": InvalidInput, "exit": InvalidInput}
    deal = _deal(actx, anna, side, src)
    before = deal.updated_at
    args = _args(kind, side, dst)
    # Drop the first thing the move needs: the final figure, else the reason or confirmation.
    if "final_amount" in args:
        args.pop("final_amount")
        expected: type[Exception] = InvalidInput
    else:
        args.pop("confirm_skip", None)
        args.pop("reason", None)
        expected = needs[kind]
    with pytest.raises(expected):
        move_stage(actx, deal_id=deal.id, to_stage=dst, **args)
    _assert_unchanged(actx, deal, src, before)


@pytest.mark.parametrize(
    ("side", "src"),
    [(Side.SELLER, s) for s in ALL_SELLER_STAGES] + [(Side.BUYER, s) for s in ALL_BUYER_STAGES],
)
def test_legal_moves_lists_exactly_the_table(ctx, anna, side, src):
    deal = _deal(ctx, anna, side, src)
    table = SELLER_MOVES if side is Side.SELLER else BUYER_MOVES
    assert set(legal_moves(deal)) == set(table[src])
    order = ORDER[side]
    if src in order[:-1]:
        assert legal_moves(deal)[0] == order[order.index(src) + 1]  # the natural next step first


def test_a_confirmed_skip_records_every_skipped_stage(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "prospect")
    rows = move_stage(
        actx, deal_id=listing.id, to_stage="active_listing", confirm_skip=True, reason="signed fast"
    )
    assert [(r.from_stage, r.to_stage) for r in rows] == [
        ("prospect", "contacted"),
        ("contacted", "agreement_signed"),
        ("agreement_signed", "active_listing"),
    ]
    assert rows[0].reason == rows[1].reason == "skipped (confirmed): signed fast"
    assert rows[2].reason == "signed fast"
    assert listing.listed_at == actx.now()


def test_an_unconfirmed_skip_names_the_skipped_stages_and_asks_to_confirm(actx, anna):
    request = _deal(actx, anna, Side.BUYER, "qualification")
    with pytest.raises(ConfirmationRequired) as raised:
        move_stage(actx, deal_id=request.id, to_stage="decision")
    error = raised.value
    assert "Demand Research" in error.en and "Solution/Viewing" in error.en
    assert "Confirm" in error.en
    assert "Изучение потребностей" in error.ru and "Подтвердите" in error.ru
    assert error.data["skipped"] == ["demand_research", "viewing"]
    assert request.stage == "qualification"


def test_plan_move_is_pure_and_returns_the_path(ctx, anna):
    listing = _deal(ctx, anna, Side.SELLER, "contacted")
    path = plan_move(listing, to_stage="sold", confirm_skip=True)
    assert path == ["agreement_signed", "active_listing", "sold"]
    assert listing.stage == "contacted"
    assert plan_move(listing, to_stage="agreement_signed") == ["agreement_signed"]


def test_moving_back_records_the_reason(actx, anna):
    request = _deal(actx, anna, Side.BUYER, "viewing")
    rows = move_stage(
        actx, deal_id=request.id, to_stage="demand_research", reason="wants a bigger garden"
    )
    assert rows[0].reason == "wants a bigger garden"
    assert request.stage == "demand_research"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_moving_back_without_a_reason_is_refused(actx, anna, reason):
    request = _deal(actx, anna, Side.BUYER, "viewing")
    with pytest.raises(InvalidInput, match="needs a reason"):
        move_stage(actx, deal_id=request.id, to_stage="demand_research", reason=reason)


def test_moving_back_two_stages_says_one_at_a_time(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "active_listing")
    with pytest.raises(IllegalMove) as raised:
        move_stage(actx, deal_id=listing.id, to_stage="contacted", reason="deal fell apart")
    assert "one stage at a time" in raised.value.en
    assert "по одному" in raised.value.ru


def test_withdrawing_needs_a_listed_reason(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "active_listing")
    with pytest.raises(InvalidInput) as raised:
        move_stage(actx, deal_id=listing.id, to_stage="withdrawn", reason="bored")
    assert "sold_independently" in raised.value.en
    assert listing.stage == "active_listing"
    rows = move_stage(actx, deal_id=listing.id, to_stage="withdrawn", reason="Sold independently")
    assert listing.withdrawn_reason == "sold_independently"
    assert rows[0].reason == "Sold independently"


def test_an_other_reason_keeps_its_details(actx, anna):
    request = _deal(actx, anna, Side.BUYER, "viewing")
    rows = move_stage(actx, deal_id=request.id, to_stage="closed_lost", reason="other: left Cyprus")
    assert request.lost_reason == "other"
    assert rows[0].reason == "other: left Cyprus"


def test_a_sold_listing_cannot_be_withdrawn(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "sold")
    with pytest.raises(IllegalMove, match="move it back one stage"):
        move_stage(actx, deal_id=listing.id, to_stage="withdrawn", reason="changed_mind")


def test_losing_and_reopening_a_buyer_request(actx, anna):
    request = _deal(actx, anna, Side.BUYER, "decision")
    move_stage(actx, deal_id=request.id, to_stage="closed_lost", reason="bought_elsewhere")
    assert request.lost_reason == "bought_elsewhere"
    with pytest.raises(IllegalMove, match="reactivation to Qualification"):
        move_stage(actx, deal_id=request.id, to_stage="decision", reason="back")
    move_stage(actx, deal_id=request.id, to_stage="qualification")
    assert request.stage == "qualification"
    assert request.lost_reason is None  # open again; the reason stays in the history
    assert [r.reason for r in _history(actx, request)] == ["bought_elsewhere", None]


def test_reactivating_a_withdrawn_listing_keeps_its_first_listing_date(actx, anna, clock):
    listing = _deal(actx, anna, Side.SELLER, "agreement_signed")
    move_stage(actx, deal_id=listing.id, to_stage="active_listing")
    first_listed = listing.listed_at
    move_stage(actx, deal_id=listing.id, to_stage="withdrawn", reason="changed_mind")
    clock.advance(days=10)
    move_stage(actx, deal_id=listing.id, to_stage="active_listing", reason="seller is back")
    assert listing.stage == "active_listing"
    assert listing.withdrawn_reason is None
    assert listing.listed_at == first_listed


def test_closing_a_listing_won_records_the_final_price(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "commission_payment")
    move_stage(actx, deal_id=listing.id, to_stage="closed_won", final_amount="432,500")
    assert listing.closed_price == Decimal("432500.00")


def test_a_price_given_at_sold_is_enough_to_close_won(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "active_listing")
    move_stage(actx, deal_id=listing.id, to_stage="sold", final_amount=Decimal("430000"))
    move_stage(actx, deal_id=listing.id, to_stage="commission_payment")
    move_stage(actx, deal_id=listing.id, to_stage="closed_won")
    assert listing.closed_price == Decimal("430000.00")


def test_a_sale_that_falls_through_drops_its_price(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "active_listing")
    move_stage(actx, deal_id=listing.id, to_stage="sold", final_amount=Decimal("430000"))
    move_stage(actx, deal_id=listing.id, to_stage="active_listing", reason="buyer's loan refused")
    assert listing.closed_price is None


def test_closing_a_buyer_request_won_needs_the_commission_confirmed(actx, anna):
    request = _deal(actx, anna, Side.BUYER, "payment")
    request.expected_commission = Decimal("12500")
    with pytest.raises(InvalidInput) as raised:
        move_stage(actx, deal_id=request.id, to_stage="closed_won")
    assert "12,500.00" in raised.value.en and "final_amount" in raised.value.en
    move_stage(actx, deal_id=request.id, to_stage="closed_won", final_amount="11800")
    assert request.expected_commission == Decimal("11800.00")
    assert request.stage == "closed_won"


def test_a_final_amount_on_an_ordinary_move_is_refused(actx, anna):
    request = _deal(actx, anna, Side.BUYER, "viewing")
    with pytest.raises(InvalidInput, match="only when"):
        move_stage(actx, deal_id=request.id, to_stage="decision", final_amount=1000)
    assert request.stage == "viewing"


@pytest.mark.parametrize("amount", ["-5", "a lot", True])
def test_a_nonsense_final_amount_is_refused(actx, anna, amount):
    listing = _deal(actx, anna, Side.SELLER, "commission_payment")
    with pytest.raises(InvalidInput):
        move_stage(actx, deal_id=listing.id, to_stage="closed_won", final_amount=amount)
    assert listing.stage == "commission_payment"


def test_unknown_stage_lists_the_valid_ones_of_that_side(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "contacted")
    with pytest.raises(InvalidInput) as raised:
        move_stage(actx, deal_id=listing.id, to_stage="negotiation")
    assert "Agreement Signed (agreement_signed)" in raised.value.en
    assert "Qualification" not in raised.value.en
    assert "Договор подписан" in raised.value.ru
    with pytest.raises(InvalidInput, match="other pipeline"):
        move_stage(actx, deal_id=listing.id, to_stage="viewing")


def test_display_names_in_both_languages_are_understood(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "contacted")
    move_stage(actx, deal_id=listing.id, to_stage="Agreement Signed")
    move_stage(actx, deal_id=listing.id, to_stage="Активный объект")
    assert listing.stage == "active_listing"


def test_same_stage_is_refused_with_advice(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "contacted")
    with pytest.raises(InvalidInput, match="already at Contacted"):
        move_stage(actx, deal_id=listing.id, to_stage="contacted")


def test_another_brokers_deal_cannot_be_moved(actx, ctx, anna):
    boris = make_broker(ctx, name="Boris Ivanov")
    listing = _deal(ctx, boris, Side.SELLER, "prospect")
    with pytest.raises(Forbidden):
        move_stage(actx, deal_id=listing.id, to_stage="contacted")
    assert listing.stage == "prospect"
    assert _history(ctx, listing) == []


def test_a_manager_may_move_a_team_members_deal(ctx, anna):
    manager = make_broker(ctx, name="Maria Manager", role="manager")
    listing = _deal(ctx, anna, Side.SELLER, "prospect")
    rows = move_stage(as_broker(ctx, manager), deal_id=listing.id, to_stage="contacted")
    assert rows[0].by == manager.id


def test_get_deal_finds_both_sides_and_reports_missing_ones(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "prospect")
    request = _deal(actx, anna, Side.BUYER, "viewing")
    assert get_deal(actx, deal_id=listing.id) is listing
    assert get_deal(actx, deal_id=request.id) is request
    assert side_of(listing) is Side.SELLER and side_of(request) is Side.BUYER
    with pytest.raises(NotFound, match="find the deal"):
        get_deal(actx, deal_id="l-999")


def test_a_move_is_audited_with_channel_and_message(actx, anna):
    listing = _deal(actx, anna, Side.SELLER, "prospect")
    move_stage(actx, deal_id=listing.id, to_stage="contacted")
    actx.session.flush()
    entry = actx.session.execute(
        select(AuditEntry).where(AuditEntry.entity_id == listing.id)
    ).scalar_one()
    assert entry.action == "move_stage"
    assert entry.broker == anna.id and entry.channel == "test" and entry.message == "move it"
    assert entry.changes["stage"] == ["prospect", "contacted"]


def test_entering_active_listing_sets_listed_at_once(actx, anna, clock):
    listing = _deal(actx, anna, Side.SELLER, "agreement_signed")
    move_stage(actx, deal_id=listing.id, to_stage="active_listing")
    listed = listing.listed_at
    assert listed == actx.now()
    clock.advance(days=3)
    move_stage(actx, deal_id=listing.id, to_stage="sold")
    move_stage(actx, deal_id=listing.id, to_stage="active_listing", reason="sale fell through")
    assert listing.listed_at == listed
    assert listed != actx.now()
