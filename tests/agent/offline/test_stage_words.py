"""Stage names after "to"/"в", events that imply a stage, and exit reasons."""

from __future__ import annotations

import pytest

from agent.offline.stage_words import (
    CLOSE,
    EXIT,
    NEXT,
    SKIP,
    exit_reason,
    find_stage,
    resolve_exit,
    said_won,
)


@pytest.mark.parametrize(
    ("text", "stage", "explicit"),
    [
        ("move maria to viewing", "viewing", True),
        ("victoria thompson pulled her listing, sold privately", "withdrawn", False),
        ("the owner sold it himself", "withdrawn", False),
        ("оксана орлова снимаем с продажи, продала сама", "withdrawn", False),
        ("юрий федоров снял объект с продажи, передумал продавать", "withdrawn", False),
        ("l-5 sold for 450k", "sold", False),
        ("продали за 300к", "sold", False),
        ("move l-3 to the active listing stage", "active_listing", True),
        ("переведи марию на этап показов", "viewing", True),
        ("переведи софию в подписание", "signing", True),
        ("maria -> decision", "decision", True),
        ("olga signed the agreement", "agreement_signed", False),
        ("ольга подписала договор", "agreement_signed", False),
        ("the villa is live", "active_listing", False),
        ("it went on the market today", "active_listing", False),
        ("andreas's villa is sold for 830k", "sold", False),
        ("объект продан за 820 тысяч", "sold", False),
        ("withdraw l-1", "withdrawn", False),
        ("сними l-1 с продажи", "withdrawn", False),
        ("sofia bought elsewhere", EXIT, False),
        ("иван ушел к конкурентам", EXIT, False),
        ("we closed the deal, commission received", "closed_won", False),
        # "closed" alone says neither won nor lost; an exit said beside it decides
        ("сделка закрыта", CLOSE, False),
        ("close the deal with maria", CLOSE, False),
        ("закрой павла орлова", CLOSE, False),
        ("wrap up sofia's deal", CLOSE, False),
        ("ольга смирнова передумала, сделка закрыта", EXIT, False),
        ("петр купил у конкурентов, закрывай сделку", EXIT, False),
        ("she found something on her own, close her", EXIT, False),
        ("peter hall signed with another agency", EXIT, False),
        ("olga doesn't want to sell anymore", EXIT, False),
        ("закрывай её как потерянную", "closed_lost", True),
        ("mark ivan as lost", "closed_lost", True),
        ("skip sofia ahead", SKIP, True),
        ("move it", SKIP, True),
        ("двигай павла дальше", NEXT, True),
        ("снимай квартиру", "withdrawn", False),
    ],
)
def test_stage_in_text(text, stage, explicit):
    hit = find_stage(text)
    assert hit is not None
    assert (hit.stage, hit.explicit) == (stage, explicit)


@pytest.mark.parametrize(
    "text",
    [
        "call maria tomorrow",
        "she thinks it over",
        "what's on today",
        "book a showing friday",
        "wants a flat close to the beach",
        "квартира в закрытом комплексе",
        "ivan petrov - chances of closing?",
        "appointment with ivan friday 2pm to sign the agreement",
        "he will sign the contract next week",
    ],
)
def test_no_stage_in_ordinary_text(text):
    assert find_stage(text) is None


@pytest.mark.parametrize(
    ("text", "side", "reason"),
    [
        ("bought elsewhere", "buyer", "bought_elsewhere"),
        ("went with another agency", "buyer", "competitor"),
        ("can't afford it, budget", "buyer", "budget"),
        ("stopped answering", "buyer", "unresponsive"),
        ("changed his plans", "buyer", "changed_plans"),
        ("не отвечает", "buyer", "unresponsive"),
        ("sold it himself", "seller", "sold_independently"),
        ("продал сам", "seller", "sold_independently"),
        ("unhappy with our service", "seller", "unsatisfied_with_service"),
        ("собственник передумал", "seller", "changed_mind"),
        ("no particular reason", "seller", "other"),
        ("bought through a competitor", "buyer", "competitor"),
        ("купила через конкурентов", "buyer", "competitor"),
        ("купил через другое агентство", "buyer", "competitor"),
        ("found something on her own", "buyer", "bought_elsewhere"),
        ("нашёл квартиру сам", "buyer", "bought_elsewhere"),
        ("can't get a mortgage", "buyer", "budget"),
        ("не хватает денег", "buyer", "budget"),
        ("отказался от покупки", "buyer", "changed_plans"),
        ("не берёт трубку", "buyer", "unresponsive"),
        ("решила не продавать", "seller", "changed_mind"),
    ],
)
def test_exit_reasons(text, side, reason):
    assert exit_reason(text, side) == reason


def test_an_exit_is_the_exit_of_the_clients_side():
    assert resolve_exit(EXIT, "seller") == "withdrawn"
    assert resolve_exit(EXIT, "buyer") == "closed_lost"
    assert resolve_exit(EXIT, None) == "closed_lost"
    assert resolve_exit("viewing", "seller") == "viewing"


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("она купила у нас, комиссия 18 тысяч", True),
        ("commission received", True),
        ("закрывай как успешную", True),
        ("сделка закрыта", False),
        ("close the deal with maria", False),
        ("she bought a flat, close it", False),
    ],
)
def test_a_closed_deal_is_won_only_when_the_text_says_so(text, won):
    assert said_won(text) is won


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        # of several stage names, the one the move points at
        (
            "лебедев подписал договор на продажу квартиры в закаки, переводи сразу в "
            "agreement_signed",
            "agreement_signed",
        ),
        ("signed the agreement, move it to active listing", "active_listing"),
        ("move ivan to active_listing", "active_listing"),  # the ids as written
    ],
)
def test_the_stage_moved_to_is_the_one_the_move_names(text, stage):
    hit = find_stage(text)
    assert hit is not None and hit.stage == stage
