"""The stage-move frame: which deal, which stage (named, implied by an event, or "the next
one"), the exit reason, the final figure, and the reason a move back needs.

A final or destructive move is never guessed: "closed" without a word of how (won: a
commission, "купил у нас", "sold"; lost: an exit) asks which, and an exit whose reason the
broker did not give asks why."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.frames import (
    Ask,
    Call,
    Outcome,
    Segment,
    Turn,
    amount,
    ask,
    contact_or_ask,
    first_in,
)
from agent.offline.listing_mentions import listing_mentions
from agent.offline.slots import Slot
from agent.offline.stage_words import (
    CLOSE,
    EXIT,
    NEXT,
    SKIP,
    exit_reason,
    find_stage,
    resolve_exit,
    said_lost,
    said_won,
)
from agent.offline.store_view import DealInfo
from crm_store.vocabulary import BUYER_STAGES, SELLER_STAGES

_BECAUSE = re.compile(
    r"\b(?:because|since|reason|due to|as (?:he|she|they|the)|потому что|так как|причин\w*|"
    r"из-за)\b|:\s*\w"
)
_MOVE_VERB = re.compile(
    r"\b(?:mov\w*|put|set|push\w*|bring|close\w*|mark\w*|перевед\w*|перевест\w*|перевод\w*|"
    r"перемест\w*|двига\w*|двинь|верн\w*|закр\w*)\b",
    re.IGNORECASE,
)


_SAME_STEP = {"agreement_signed": "signing", "signing": "agreement_signed"}


def _order(side: str) -> tuple[str, ...]:
    return SELLER_STAGES if side == "seller" else BUYER_STAGES


def _the_deal(turn: Turn, segment: Segment, ref: str | None) -> DealInfo | None:
    """The client's one open deal (on the side a listing/request id names), if there is one."""
    person = segment.person
    if person is None or person.contact is None:
        return None
    deals = [d for d in turn.lexicon.deals_of(person.contact.id) if d.open]
    if ref is not None:
        deals = [d for d in deals if d.id == ref] or deals
    wanted = {s.value for s in turn.slots.of("type", segment.span)}
    if len(deals) > 1 and wanted:  # "George's penthouse": the one of that type
        deals = [d for d in deals if d.side == "seller" and d.property_type in wanted] or deals
    return deals[0] if len(deals) == 1 else None


def _side_of(kinds: frozenset[str]) -> str | None:
    """Which side a deal id is on, from the table that holds it (ids are opaque)."""
    if "listing" in kinds:
        return "seller"
    return "buyer" if "buyer_request" in kinds else None


def _why(turn: Turn, segment: Segment) -> str | None:
    """The broker's reason for a move back: after "because", or what they said before it."""
    text = segment.text(turn)
    lower = text.lower()
    because = _BECAUSE.search(lower)
    if because is not None:
        reason = text[because.end() :].strip(" :,.-—")
        return reason or None
    verb = _MOVE_VERB.search(text)
    before = text[: verb.start()].strip(" ,.-—") if verb is not None else ""
    if len(before.split()) < 3:  # "…mortgage got delayed - move her back": the clause before
        before = turn.slots.text[: segment.span[0]].strip(" ,.-—")
    if len(before.split()) >= 3:
        return before
    hit = first_in(turn, segment, "stage") or first_in(turn, segment, "event")
    if hit is not None:  # "move him back to research, he wants to rethink the area"
        after = turn.slots.text[hit.span[1] : segment.span[1]].strip(" ,.;:-—")
        if len(after.split()) >= 3:
            return after
    return None


def _keep_stage(question: Ask, hit: Slot | None, lower: str) -> Ask:
    """ "close it" → "which client?": the answer completes the move said, not a new one."""
    stage = hit.value.stage if hit is not None else None
    if stage == CLOSE:
        question.pending["close"] = True
    elif stage is not None and stage not in (NEXT, SKIP):
        exit_stage = stage == EXIT or stage in ("withdrawn", "closed_lost")
        if stage == EXIT:
            stage = resolve_exit(stage, None)
        question.pending["args"]["to_stage"] = stage
        if exit_stage:
            reason = exit_reason(lower, "seller" if stage == "withdrawn" else "buyer")
            if reason != "other":
                question.pending["args"]["reason"] = reason
    return question


def move_stage(turn: Turn, segment: Segment) -> Outcome | list[Outcome]:
    lower = segment.lower(turn)
    hit = first_in(turn, segment, "stage") or first_in(turn, segment, "event")
    args: dict[str, Any] = {}
    named = next(iter(turn.slots.refs("listing", "buyer_request", span=segment.span)), None)
    ref = str(named.value) if named is not None else None
    ref_side = _side_of(named.kinds) if named is not None else None
    client = segment.person.contact if segment.person is not None else None
    if ref is not None and client is not None:
        own = {deal.id for deal in turn.lexicon.deals_of(client.id)}
        if ref not in own:  # "Peter made an offer on l-5": l-5 is what he bid on, not his deal
            ref = ref_side = None
    if ref is None and client is not None:
        # "laura called, she sold the agias fylaxeos flat herself": of her listings, that one
        own = {deal.id for deal in turn.lexicon.deals_of(client.id) if deal.open}
        said = {m.resolved for m in listing_mentions(turn, segment.span, client=segment.person)}
        if len(own) > 1 and len(said & own) == 1:
            ref, ref_side = str((said & own).pop()), "seller"
    if ref is None and (segment.person is None or not segment.person.known):
        # "the Potamos penthouse is sold": no client named, but a listing is
        mentions = listing_mentions(turn, segment.span, client=None)
        ref = next((m.resolved for m in mentions if m.resolved), None)
        ref_side = "seller" if ref is not None else None
    if ref is not None:
        args["deal"] = ref
    else:
        question = contact_or_ask(turn, segment, "move_stage", args, "deal")
        if question is not None:
            return _keep_stage(question, hit, lower)
    if hit is None or hit.value.stage == SKIP:
        return ask(turn, "ask_stage", "move_stage", args, "to_stage")
    deal = _the_deal(turn, segment, ref)
    stage = hit.value.stage
    if stage == CLOSE:
        if not said_won(lower):
            question = ask(turn, "ask_won_or_lost", "move_stage", args, "to_stage")
            question.pending["close"] = True
            question.pending["side"] = deal.side if deal is not None else None
            return question
        stage = "closed_won"
    if deal is not None and stage in _SAME_STEP and stage not in _order(deal.side):
        stage = _SAME_STEP[stage]  # a buyer "signed the agreement": the deal-signing stage
    person = segment.person
    client = person.contact if person is not None else None
    others = sum(d.open for d in turn.lexicon.deals_of(client.id)) if client is not None else 0
    if deal is not None and ref is None and others > 1:
        args["deal"] = deal.id  # the client has other deals: name this one
    if stage == NEXT:
        order = _order(deal.side) if deal is not None else ()
        if deal is None or deal.stage not in order or deal.stage == order[-1]:
            return ask(turn, "ask_stage", "move_stage", args, "to_stage")
        stage = order[order.index(deal.stage) + 1]
        args["deal"] = deal.id
    side = deal.side if deal is not None else ref_side
    if stage == EXIT or stage in ("withdrawn", "closed_lost"):
        if stage == EXIT:
            stage = resolve_exit(stage, side)
        exit_side = "seller" if stage == "withdrawn" else "buyer"
        reason = exit_reason(lower, exit_side)
        if reason == "other":
            why = _why(turn, segment)
            if why is None:  # the reason is required and not a thing to guess
                key = "ask_withdrawn_reason" if exit_side == "seller" else "ask_lost_reason"
                return ask(turn, key, "move_stage", {**args, "to_stage": stage}, "reason")
            reason = f"other: {why}"
        args["reason"] = reason
    elif deal is not None and stage in _order(deal.side) and deal.stage in _order(deal.side):
        order = _order(deal.side)
        if order.index(stage) < order.index(deal.stage):  # back a stage: say why
            why = _why(turn, segment)
            if why is None:
                return ask(
                    turn, "ask_back_reason", "move_stage", {**args, "to_stage": stage}, "reason"
                )
            args["reason"] = why
    args["to_stage"] = stage
    if stage in ("sold", "closed_won"):
        money = first_in(turn, segment, "money")
        if money is not None:
            args["final_amount"] = amount(money.value)
    if side and stage == "closed_won":
        args["side"] = side
    move = Call("move_stage", {"deal": args.pop("deal"), "to_stage": args.pop("to_stage"), **args})
    mandate = _MANDATE.search(lower)
    if stage == "agreement_signed" and mandate is not None:
        # "signed the exclusive agreement": the mandate is recorded with the move, not lost
        kind = "open" if mandate.group(1) else "exclusive"
        listing = deal.id if deal is not None else move.args["deal"]
        return [move, Call("save_listing", {"listing": listing, "mandate": kind})]
    price = first_in(turn, segment, "money")
    if stage == "active_listing" and price is not None:
        # "put the peyia villa on the market at 835,000": listed at that price
        listing = deal.id if deal is not None else move.args["deal"]
        return [move, Call("save_listing", {"listing": listing, "price": amount(price.value)})]
    return move


_MANDATE = re.compile(
    r"\b(?:(non[- ]exclusive|open (?:mandate|agreement)|неэксклюзив\w*)|exclusive|эксклюзив\w*)\b"
)


def stage_answer(pending: dict[str, Any], turn: Turn) -> bool:
    """Fill a pending move's stage from the broker's answer ("signing", "lost, bought
    elsewhere", "won, commission 12k"); False when the answer names none."""
    args: dict[str, Any] = pending["args"]
    lower = turn.slots.text.lower().replace("ё", "е")
    hit = turn.slots.first("stage") or turn.slots.first("event")
    found = hit.value if hit is not None else find_stage(f"to {lower}")  # a bare "signing"
    stage = found.stage if found is not None else None
    side = pending.get("side")
    if pending.get("close") and said_lost(lower):
        stage = EXIT
    if stage in (EXIT, "withdrawn", "closed_lost"):
        stage = resolve_exit(EXIT, side) if stage == EXIT else stage
        reason = exit_reason(lower, "seller" if stage == "withdrawn" else "buyer")
        if reason != "other":
            args["reason"] = reason
    elif pending.get("close"):
        if stage == "closed_won" or said_won(lower):
            stage = "closed_won"
            money = turn.slots.first("money")
            if money is not None:
                args["final_amount"] = amount(money.value)
            if side:
                args["side"] = side
        else:
            return False
    if stage is None or stage in (CLOSE, SKIP, NEXT):
        return False
    args["to_stage"] = resolve_exit(stage, side) if stage == EXIT else stage
    return True
