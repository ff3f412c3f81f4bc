"""Deal tools: listings and buyer requests — create, update, move through the stages."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from pydantic import Field
from sqlalchemy import select

from crm_store.context import Ctx
from crm_store.errors import ConfirmationRequired, CopilotError, InvalidInput, NotFound
from crm_store.models import BuyerRequest, Contact, Listing
from crm_store.services import deals as deal_service
from crm_store.services import followups as follow_up_service
from crm_store.services import stages as stage_service
from crm_store.services.display import CRITERIA_LABELS, exit_reason_name
from crm_store.vocabulary import BUYER_EXIT, SELLER_EXIT, Side, is_terminal, stage_name
from tools import resolve
from tools.base import ToolArgs, run_tool
from tools.confirm import MoneyChange, checks_money, plausible_only, requires_confirmation
from tools.deps import ToolDeps
from tools.render import listing_line, money, request_line, say
from tools.schemas import BuyerCriteria, Number, PropertyFacts


class SaveListingArgs(PropertyFacts, ToolArgs):
    listing: str | None = Field(None, description="id/seller/address to update; empty = new")
    drop_features: list[str] | None = Field(
        None, description="update: features it no longer has (features given are added)"
    )
    seller: str | None = Field(None, description="for a new listing: seller's name or id")
    stage: str | None = Field(None, description="new listing's stage (default prospect)")


@tool("save_listing", args_schema=SaveListingArgs)
def save_listing(
    listing: str | None = None,
    seller: str | None = None,
    stage: str | None = None,
    drop_features: list[str] | None = None,
    deps: ToolDeps | None = None,
    **facts: Any,
) -> str:
    """Add a property for sale, or change a listing's price/facts."""

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        given = {k: v for k, v in facts.items() if v is not None}
        if listing:
            target = resolve.deal(ctx, listing, side=Side.SELLER)
            if not isinstance(target, Listing):  # a buyer's request's id given for the listing
                raise InvalidInput(
                    f"{listing} is a buyer's request, not a listing: name the listing or its "
                    "seller.",
                    f"{listing} — это заявка покупателя, а не объект: назовите объект или "
                    "продавца.",
                )
            old_price, old_stage = target.price, target.stage
            if not given and not drop_features:  # never "Updated" when nothing was read
                raise InvalidInput(
                    f"Nothing to change on {target.id} was understood: say the new price or "
                    "facts, e.g. 'price of l-2 to 445k'.",
                    f"Не понял, что изменить в {target.id}: назовите новую цену или параметры, "
                    "например «цена l-2 445к».",
                )
            if "features" in given or drop_features:
                given["features"] = _features_after(target, given.get("features"), drop_features)
            updated = deal_service.update_listing(ctx, listing_id=target.id, **given)
            _after_listing_change(deps, updated.id, old_price, old_stage)
            line = say(lang, "Updated: ", "Обновлено: ") + listing_line(updated, lang)
            if old_price is not None and updated.price != old_price:
                line += say(lang, f" (was {money(old_price)})", f" (было {money(old_price, lang)})")
            return line
        if not seller:
            raise InvalidInput(
                "Name the seller (a contact) for a new listing, or the listing to change.",
                "Укажите продавца (контакт) для нового объекта или объект, который меняем.",
            )
        client = resolve.contact(ctx, seller)
        created = deal_service.create_listing(
            ctx,
            seller_id=client.id,
            property_type=given.pop("property_type", None) or "apartment",
            stage=stage or "prospect",
            **given,
        )
        _after_listing_change(deps, created.id, None, None)
        return say(lang, "Listing created: ", "Объект создан: ") + listing_line(created, lang)

    asked = {"listing": listing, "seller": seller, "price": facts.get("price")}
    return run_tool(deps, plausible_only(deps, _listing_money, asked, work))


class SaveRequestArgs(BuyerCriteria, ToolArgs):
    buyer: str = Field(description="buyer's name or id (or request id)")


@tool("save_buyer_request", args_schema=SaveRequestArgs)
def save_buyer_request(buyer: str, deps: ToolDeps | None = None, **criteria: Any) -> str:
    """Open or change a buyer's request (budget, places, type, bedrooms, wishes, timeline)."""

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        given = {k: v for k, v in criteria.items() if v is not None}
        try:
            existing = resolve.deal(ctx, buyer, side=Side.BUYER)
        except NotFound:
            existing = None
        if isinstance(existing, BuyerRequest):
            updated = deal_service.update_buyer_request(ctx, request_id=existing.id, **given)
            _after_request_change(deps, updated.id)
            client = ctx.session.get(Contact, updated.buyer)
            return say(lang, "Updated: ", "Обновлено: ") + request_line(updated, client, lang)
        client = resolve.contact(ctx, buyer)
        given = {k: v for k, v in given.items() if v != []}
        request = deal_service.create_buyer_request(ctx, buyer_id=client.id, **given)
        _after_request_change(deps, request.id)
        return say(lang, "Buyer request: ", "Заявка: ") + request_line(request, client, lang)

    asked = {"buyer": buyer, **criteria}
    return run_tool(deps, plausible_only(deps, _request_money, asked, work))


class MoveStageArgs(ToolArgs):
    deal: str = Field(description="deal id or client's name")
    to_stage: str
    reason: str | None = Field(None, description="required for withdrawn/closed_lost/back")
    final_amount: Number | None = Field(
        None, description="closing price (listing) or commission (buyer), EUR"
    )
    side: str | None = Field(None, description="seller|buyer when the client has both")


@tool("move_stage", args_schema=MoveStageArgs)
def move_stage(
    deal: str,
    to_stage: str,
    reason: str | None = None,
    final_amount: Any = None,
    side: str | None = None,
    deps: ToolDeps | None = None,
) -> str:
    """Move a deal to another pipeline stage."""

    def work(ctx: Ctx) -> str:
        target = _deal_for_move(ctx, deal, side, to_stage)
        old_price, old_stage = getattr(target, "price", None), target.stage
        rows = stage_service.move_stage(
            ctx,
            deal_id=target.id,
            to_stage=to_stage,
            reason=reason,
            confirm_skip=bool(deps and deps.confirmed),
            final_amount=final_amount,
        )
        if isinstance(target, Listing):
            _after_listing_change(deps, target.id, old_price, old_stage)
        else:
            _after_request_change(deps, target.id)
        cancelled = []
        if is_terminal(target.stage):
            cancelled = follow_up_service.cancel_for_closed_deal(ctx, target)
        lang = ctx.actor.language
        path = " → ".join(stage_name(r.to_stage, lang) for r in rows)
        who = _client_name(ctx, target)
        moved = f"{who}: {stage_name(old_stage, lang)} → {path}."
        if cancelled:
            ids = ", ".join(f.id for f in cancelled)
            moved += say(
                lang,
                f" Open follow-ups cancelled: {len(cancelled)} ({ids}).",
                f" Отменено открытых напоминаний: {len(cancelled)} ({ids}).",
            )
        return moved

    asked = {"deal": deal, "to_stage": to_stage, "side": side, "final_amount": final_amount}
    return run_tool(deps, plausible_only(deps, _move_money, asked, work))


def _deal_for_move(ctx: Ctx, ref: str, side: str | None, to_stage: str) -> Listing | BuyerRequest:
    wanted = Side(side) if side in ("seller", "buyer") else _side_of_stage(to_stage)
    return resolve.deal(ctx, ref, side=wanted, include_closed=True)


def _side_of_stage(stage: str) -> Side | None:
    key = stage.strip().lower().replace(" ", "_")
    for side in (Side.SELLER, Side.BUYER):
        try:
            stage_service.normalise_stage(side, key)
        except CopilotError:
            continue
        other = Side.BUYER if side is Side.SELLER else Side.SELLER
        try:
            stage_service.normalise_stage(other, key)
        except CopilotError:
            return side  # only this side has such a stage
        return None  # both sides have it (closed_won)
    return None


def _client_name(ctx: Ctx, deal: Listing | BuyerRequest) -> str:
    client_id = deal.seller if isinstance(deal, Listing) else deal.buyer
    client = ctx.session.get(Contact, client_id) if client_id else None
    return client.full_name if client else deal.id


def _move_question(args: dict[str, Any], deps: ToolDeps) -> str | None:
    """Withdrawing, closing lost and skipping stages need the broker's explicit yes."""
    lang = deps.actor.language
    whose = ""
    try:
        with deps.backend.unit_of_work(deps.actor) as ctx:
            target = _deal_for_move(
                ctx, str(args.get("deal", "")), args.get("side"), str(args.get("to_stage", ""))
            )
            who = _client_name(ctx, target)
            whose = f"{who} ({target.id}): "
            stage = stage_service.normalise_stage(
                stage_service.side_of(target), str(args["to_stage"])
            )
            if stage in (SELLER_EXIT, BUYER_EXIT):
                # Name the deal: a client may both sell and buy, and the broker must see which.
                deal = f"{target.id}, {stage_name(target.stage, lang)}"
                why = exit_reason_name(args.get("reason"), lang)
                because = say(lang, f", reason: {why}", f", причина: {why}") if why else ""
                return say(
                    lang,
                    f"Move {who} ({deal}) to {stage_name(stage)}{because}?",
                    f"Перевести {who} ({deal}) в «{stage_name(stage, lang)}»{because}?",
                )
            stage_service.plan_move(
                target,
                to_stage=stage,
                reason=args.get("reason"),
                final_amount=args.get("final_amount"),
            )
    except ConfirmationRequired as needed:
        # whose deal: asked later, after another client's request, the question must say
        return whose + needed.message(lang)
    except CopilotError:
        return None  # the move itself will explain what is wrong
    return None


requires_confirmation(move_stage, _move_question)


def _seller_and_listings(ctx: Ctx, name: str) -> tuple[Contact, list[str]] | None:
    """The client named and the ids of the listings they sell with us (None: nobody known)."""
    try:
        client = resolve.contact(ctx, name)
    except CopilotError:
        return None  # the call itself will say who is unknown
    sold = select(Listing.id).where(Listing.seller == client.id).order_by(Listing.id)
    return client, list(ctx.session.execute(sold).scalars())


def _request_for_a_seller(args: dict[str, Any], deps: ToolDeps) -> str | None:
    """Opening a buyer request for a client who only sells with us is asked first: "Laura wants
    her flat down to 430k" is about her listing, not a purchase of her own."""
    with deps.backend.unit_of_work(deps.actor) as ctx:
        try:
            resolve.deal(ctx, str(args.get("buyer", "")), side=Side.BUYER)
            return None  # an open request: a change to it, not a new deal
        except CopilotError:
            pass
        found = _seller_and_listings(ctx, str(args.get("buyer", "")))
        if found is None or not found[1]:
            return None
        client, listings = found[0], ", ".join(found[1])
        return say(
            ctx.actor.language,
            f"{client.full_name} sells {listings} with us. Open a buyer request for them too?",
            f"{client.full_name} продаёт у нас {listings}. Открыть ещё и заявку на покупку?",
        )


requires_confirmation(save_buyer_request, _request_for_a_seller)


def _another_listing(args: dict[str, Any], deps: ToolDeps) -> str | None:
    """A new listing for a seller who already sells with us is asked first: "the price of
    Omirou 73 is now 1.25m" names their listing, it does not add one."""
    if args.get("listing") or not args.get("seller"):
        return None
    with deps.backend.unit_of_work(deps.actor) as ctx:
        found = _seller_and_listings(ctx, str(args["seller"]))
        if found is None or not found[1]:
            return None
        client, listings = found[0], ", ".join(found[1])
        return say(
            ctx.actor.language,
            f"{client.full_name} already sells {listings} with us. Add another listing for "
            "them? (To change one of those, name it.)",
            f"{client.full_name} уже продаёт у нас {listings}. Завести ещё один объект? "
            "(Чтобы изменить существующий, назовите его.)",
        )


requires_confirmation(save_listing, _another_listing)


# --- the amounts each call would record, for the money check (tools/confirm.py) -------------


def _listing_money(ctx: Ctx, args: dict[str, Any]) -> list[MoneyChange]:
    """save_listing: the price, against the listing's price on record when it is an update."""
    price = args.get("price")
    if price is None:
        return []
    if args.get("listing"):
        target = resolve.deal(ctx, str(args["listing"]), side=Side.SELLER)
        if not isinstance(target, Listing):
            return []
        return [
            MoneyChange(
                "price",
                "price",
                price,
                target.price,
                en=f"Set the price of {target.id} to {{new}}{{was}}?",
                ru=f"Поставить цену {target.id} {{new}}{{was}}?",
            )
        ]
    seller = str(args.get("seller") or "").strip()
    return [new_listing_price(seller, price)]


def new_listing_price(seller: str, price: Any) -> MoneyChange:
    whose_en = f" ({seller})" if seller else ""
    return MoneyChange(
        "price",
        "price",
        price,
        None,
        en=f"Set the price of the new listing{whose_en} to {{new}}?",
        ru=f"Поставить цену нового объекта{whose_en} {{new}}?",
    )


def _request_money(ctx: Ctx, args: dict[str, Any]) -> list[MoneyChange]:
    """save_buyer_request: the budget's ends, against those on record when it is an update."""
    if args.get("budget_min") is None and args.get("budget_max") is None:
        return []
    try:
        existing = resolve.deal(ctx, str(args.get("buyer") or ""), side=Side.BUYER)
    except NotFound:
        existing = None
    if not isinstance(existing, BuyerRequest):
        return new_request_budget(str(args.get("buyer") or "").strip(), args)
    who = f"{existing.id} ({_client_name(ctx, existing)})"
    changes: list[MoneyChange] = []
    for key in ("budget_min", "budget_max"):
        if args.get(key) is None:
            continue
        label_en, label_ru = CRITERIA_LABELS[key]
        changes.append(
            MoneyChange(
                "budget",
                key,
                args[key],
                getattr(existing, key),
                en=f"{who}: set {label_en} {{new}}{{was}}?",
                ru=f"{who}: {label_ru} {{new}}{{was}}?",
            )
        )
    return changes


def new_request_budget(buyer: str, criteria: dict[str, Any]) -> list[MoneyChange]:
    """A new buyer request's budget ends (no value on record to compare with)."""
    changes: list[MoneyChange] = []
    for key, en, ru in (
        ("budget_min", "from", "от"),
        ("budget_max", "up to", "до"),
    ):
        if criteria.get(key) is None:
            continue
        changes.append(
            MoneyChange(
                "budget",
                key,
                criteria[key],
                None,
                en=f"Open {buyer}'s buyer request with a budget {en} {{new}}?",
                ru=f"Открыть заявку ({buyer}) с бюджетом {ru} {{new}}?",
            )
        )
    return changes


def _final_money(target: Listing | BuyerRequest, amount: Any) -> list[MoneyChange]:
    """move_stage: the sale price against the listing's price (or the sale price already on
    record), the commission against the one expected."""
    if amount is None:
        return []
    if isinstance(target, Listing):
        on_record = target.closed_price if target.closed_price is not None else target.price
        sold = target.closed_price is not None
        return [
            MoneyChange(
                "price",
                "final_amount",
                amount,
                on_record,
                en=f"Record the sale price of {target.id} as {{new}}{{was}}?",
                ru=f"Записать цену продажи {target.id} {{new}}{{was}}?",
                was_en="was" if sold else "asking price",
                was_ru="было" if sold else "цена в объявлении",
            )
        ]
    return [
        MoneyChange(
            "commission",
            "final_amount",
            amount,
            target.expected_commission,
            en=f"Record the commission of {target.id} as {{new}}{{was}}?",
            ru=f"Записать комиссию по {target.id} {{new}}{{was}}?",
            was_en="expected",
            was_ru="ожидалось",
        )
    ]


def _move_money(ctx: Ctx, args: dict[str, Any]) -> list[MoneyChange]:
    if args.get("final_amount") is None:
        return []
    target = _deal_for_move(
        ctx, str(args.get("deal", "")), args.get("side"), str(args.get("to_stage", ""))
    )
    return _final_money(target, args["final_amount"])


checks_money(save_listing, _listing_money)
checks_money(save_buyer_request, _request_money)
checks_money(move_stage, _move_money)


def _features_after(listing: Listing, added: Any, dropped: Any) -> list[str]:
    """An update adds the features named and takes off only those said to be gone: a broker
    saying "it has a pool now" never loses the sea view on record."""
    from crm_store.services.deal_fields import feature_keys

    gone = feature_keys(dropped or [])
    kept = [f for f in listing.features or [] if f not in gone]
    return kept + [f for f in feature_keys(added or []) if f not in kept and f not in gone]


def _after_listing_change(
    deps: ToolDeps | None, listing_id: str, old_price: Any, old_stage: str | None
) -> None:
    """Once committed: re-index the listing and look for buyers if it became active/cheaper."""
    if deps is None:
        return
    hook = getattr(deps.backend, "listing_changed", None)
    if hook is not None:
        deps.after_commit.append(lambda: hook(deps.actor, listing_id, old_price, old_stage))


def _after_request_change(deps: ToolDeps | None, request_id: str) -> None:
    if deps is None:
        return
    hook = getattr(deps.backend, "request_changed", None)
    if hook is not None:
        deps.after_commit.append(lambda: hook(deps.actor, request_id))


TOOLS = [save_listing, save_buyer_request, move_stage]
