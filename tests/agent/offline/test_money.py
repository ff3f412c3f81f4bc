"""Money and budgets as brokers write them, and the numbers that are not money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agent.offline.money import find_money, parse_budget

M = Decimal


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("480k", [M(480_000)]),
        ("480 K", [M(480_000)]),
        ("1.2m", [M(1_200_000)]),
        ("бюджет до 1.5м", [M(1_500_000)]),  # a Cyrillic "м" glued to a fraction
        ("до 1,25м, наличные", [M(1_250_000)]),
        ("€1.2M", [M(1_200_000)]),
        ("€850,000", [M(850_000)]),
        ("850 000 €", [M(850_000)]),
        ("850\u00a0000\u00a0€", [M(850_000)]),
        ("EUR 1,200,000", [M(1_200_000)]),
        ("price 1.250.000 €", [M(1_250_000)]),
        ("700 тысяч", [M(700_000)]),
        ("700 тыс", [M(700_000)]),
        ("до 600 тыщ", [M(600_000)]),
        ("about 300 grand", [M(300_000)]),
        ("300к", [M(300_000)]),
        ("1,5 млн", [M(1_500_000)]),
        ("полтора миллиона", [M(1_500_000)]),
        ("два миллиона", [M(2_000_000)]),
        ("пятьсот тысяч евро", [M(500_000)]),
        ("half a million", [M(500_000)]),
        ("a million", [M(1_000_000)]),
        ("500-600k", [M(500_000), M(600_000)]),
        ("1-1.5m", [M(1_000_000), M(1_500_000)]),
        ("from 400 to 550k", [M(400_000), M(550_000)]),
        ("от 400 до 550 тысяч", [M(400_000), M(550_000)]),
        ("budget 850000", [M(850_000)]),
        ("цена 450 000", [M(450_000)]),
        ("Ivan Petrov +357 99 123456, budget 500-600k, 3 bedrooms", [M(500_000), M(600_000)]),
        ("call me on 99 123 456, budget 500k", [M(500_000)]),
    ],
)
def test_amounts_are_found(text: str, amounts: list[Decimal]) -> None:
    assert [m.amount for m in find_money(text)] == amounts


@pytest.mark.parametrize(
    "text",
    [
        "call +357 99 123456",
        "his number is 99123456",
        "budget meeting, call 99 123 456",
        "they move in 2027",
        "3 bedrooms, 2 bathrooms",
        "tomorrow at 16:30",
        "в 14.30",
        "commission 3%",
        "2.5% commission",
        "120 m2 apartment",
        "50m from the beach",
        "villa 300m from the sea",
        "в 5 м от моря",
        "не дальше 1,5м от моря",
        "потолки 2.7м",
        "1.5 м до пляжа",
        "ему 45 лет",
        "top 5 options",
        "25.03",
        "two meetings a km away",
        "3к квартира в Лимассоле",
        "",
    ],
)
def test_numbers_that_are_not_money(text: str) -> None:
    assert find_money(text) == []


def test_a_foreign_currency_is_kept_apart() -> None:
    (money,) = find_money("$500k")
    assert (money.amount, money.currency) == (M(500_000), "USD")
    assert parse_budget("$500k") is None


def test_spans_point_at_the_amount_as_typed() -> None:
    text = "Budget  up to €1.2M 🙂 cash"
    (money,) = find_money(text)
    assert money.text == "€1.2M"
    assert text[money.span[0] : money.span[1]] == "€1.2M"


@pytest.mark.parametrize(
    ("text", "low", "high", "said"),
    [
        ("budget 500-600k", M(500_000), M(600_000), "500-600k"),
        ("from 400 to 550k", M(400_000), M(550_000), "from 400 to 550k"),
        ("бюджет от 400 до 550 тысяч евро", M(400_000), M(550_000), "от 400 до 550 тысяч евро"),
        ("between 400 and 500 thousand", M(400_000), M(500_000), "between 400 and 500 thousand"),
        ("до 600 тысяч", None, M(600_000), "до 600 тысяч"),
        ("up to 1.2m", None, M(1_200_000), "up to 1.2m"),
        ("не дороже 1,5 млн", None, M(1_500_000), "не дороже 1,5 млн"),
        ("500k max", None, M(500_000), "500k max"),
        ("at least 300k", M(300_000), None, "at least 300k"),
        ("от 300к", M(300_000), None, "от 300к"),
        ("around 500k", M(450_000), M(550_000), "around 500k"),
        ("примерно 1 млн", M(900_000), M(1_100_000), "примерно 1 млн"),
        ("budget €850,000", None, M(850_000), "€850,000"),
        ("полтора миллиона", None, M(1_500_000), "полтора миллиона"),
    ],
)
def test_budget_bounds(text: str, low: Decimal | None, high: Decimal | None, said: str) -> None:
    budget = parse_budget(text)
    assert budget is not None
    assert (budget.min, budget.max) == (low, high)
    assert budget.text == said
    assert text[budget.span[0] : budget.span[1]] == said


@pytest.mark.parametrize("text", ["3 bedrooms in Paphos", "call +357 99 123456", "в 2027 году"])
def test_no_budget_without_money(text: str) -> None:
    assert parse_budget(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "liked it but the price is too high, wants to offer 380k",
        "made an offer of 420k on l-5",
        "предложит 380 тысяч за квартиру",
    ],
)
def test_an_offer_on_a_property_is_no_budget(text: str) -> None:
    assert parse_budget(text) is None


def test_a_budget_said_beside_an_offer_is_still_the_budget() -> None:
    budget = parse_budget("up to 450k, will offer 400k")
    assert budget is not None and budget.max == M(450_000)


def test_of_several_amounts_the_budget_is_the_one_said_as_a_bound():
    budget = parse_budget("mortgage approved for 250k, plus 60k of his own, so up to 310k now")
    assert budget is not None and (budget.min, budget.max) == (None, Decimal("310000"))
    assert parse_budget("ипотеку одобрили на 250к, плюс своих 60, итого готов до 310 тыс")
    assert parse_budget("mortgage 250k, savings 60k") is None  # not guessed
    ranged = parse_budget("between 450k and 500k")
    assert ranged is not None and (ranged.min, ranged.max) == (Decimal("450000"), Decimal("500000"))


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        # a bank's loan is a part of the money, never the budget
        (
            "bank approved his mortgage up to 300k, rest in cash, so 470k is his max now",
            (None, 470),
        ),
        ("mortgage came through at 380k, with savings 520k is the max now, not 550", (None, 520)),
        ("ипотеку одобрили на 250к, остальное своими, общий бюджет прежний 300", (None, 300)),
        # the value replaced ("not 260", "а не 320") is the old one
        ("so her ceiling is 240 now not 260", (None, 240)),
        ("бюджет теперь 350, а не 320", (None, 350)),
        # a budget in thousands, as brokers count it
        ("бюджет может дотянуть до 320", (None, 320)),
        ("budget stays 220-260 as before", (220, 260)),
        ("бюджет поднимает до полутора миллионов", (None, 1500)),
        ("around 800k is his limit", (None, 800)),
    ],
)
def test_the_budget_is_the_amount_said_as_the_budget(text, bounds):
    budget = parse_budget(text)
    assert budget is not None
    thousands = tuple(None if v is None else int(v / 1000) for v in (budget.min, budget.max))
    assert thousands == bounds


@pytest.mark.parametrize(
    "text",
    [
        "loan up to 400k",  # only a loan: the budget is not said
        "hellenic bank approved 240k",
        "max 300 m from the sea",  # metres
        "she has 2 kids, bedrooms 3",
    ],
)
def test_no_budget_where_none_is_said(text):
    assert parse_budget(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # a review of the bare-thousands rule: a distance or a fee is no budget
        "wants a top floor flat, max 300 from the beach",
        "хочет квартиру максимум 500 от моря",
        "communal fees max 150 a month",
    ],
)
def test_a_distance_or_a_fee_after_max_is_no_budget(text):
    assert parse_budget(text) is None


def test_a_russian_range_from_to_keeps_both_ends():
    budget = parse_budget("бюджет с 300 до 450 тыс")
    assert budget is not None and (budget.min, budget.max) == (Decimal("300000"), Decimal("450000"))
