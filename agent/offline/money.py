"""Amounts of money and buyers' budgets as brokers write them ("480k", "1,5 млн", "€850,000").

Rules: a number is money when it carries a currency (€, EUR, евро) or a multiplier (k, m, тыс,
млн, thousand, million), or when it is a price-sized number (≥ 10 000) right after a money
word ("budget", "price", "бюджет", "цена"). Phone numbers, years, times, percentages, areas and
counts of rooms never are. In a range the bare end borrows the other's multiplier
("500-600k", "от 400 до 550 тысяч"). A budget's single figure is its maximum; "around X"
means X ± 10 %.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Context, Decimal
from itertools import pairwise

import phonenumbers

from agent.offline.normalise import normalise
from agent.offline.numbers import NUMBER_WORDS, words_to_number


@dataclass(frozen=True)
class Money:
    """An amount (EUR unless `currency` says otherwise) and where it was written."""

    amount: Decimal
    span: tuple[int, int]
    text: str
    currency: str = "EUR"


@dataclass(frozen=True)
class Budget:
    """A budget's bounds (either may be open) and where it was written."""

    min: Decimal | None
    max: Decimal | None
    span: tuple[int, int]
    text: str


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    raw: Decimal
    multiplier: Decimal | None
    currency: str | None
    grouped: bool  # written with thousands separators ("850 000")

    @property
    def amount(self) -> Decimal:
        return _cents(_exact(self.raw).multiply(self.raw, self.multiplier or Decimal(1)))


def _exact(value: Decimal) -> Context:
    """A context wide enough to round `value` to cents without an error, however many digits
    it was typed with (a 40-digit "budget" is read, and refused later, never a crash)."""
    return Context(prec=max(28, value.adjusted() + 12), rounding=ROUND_HALF_UP)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), context=_exact(value))


_THOUSAND = Decimal(1000)
_MILLION = Decimal(1_000_000)
_MULTIPLIERS: tuple[tuple[str, Decimal], ...] = (
    (r"тысяч[аи]?|тыс\.?|тыщ[аи]?|тыщ|косар\w*|thousands?|grand|k|к", _THOUSAND),
    # "1.2м" (Cyrillic): a million only glued to a fraction — "5 м от моря" is metres
    (
        r"миллион(?:а|ов)?|млн\.?|millions?|mln|mio|m|(?<=[.,]\d)м(?![\w²])|(?<=[.,]\d\d)м(?![\w²])",
        _MILLION,
    ),
)
_CURRENCY_BEFORE = r"(?P<cur1>€|eur\b\.?|euro\b|\$|usd\b|£|gbp\b)"
_CURRENCY_AFTER = r"(?P<cur2>€|eur\b|euros?\b|евро\b|\$|usd\b|£|gbp\b)"
_DIGITS = r"\d{1,3}(?:[ ,.]\d{3})+(?![\d])(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_MULT = "|".join(f"(?:{pattern})" for pattern, _ in _MULTIPLIERS)
_AMOUNT = re.compile(
    # (?!(?<=\s\s)\s): not from inside a run of spaces, where the space before finds the same
    # amount — a long run is tried once, from its start (linear; issue #10)
    rf"(?<![\w.,])(?!(?<=\s\s)\s){_CURRENCY_BEFORE}?\s*"
    rf"(?:(?P<digits>{_DIGITS})|(?P<words>{NUMBER_WORDS})(?=\s*(?:{_MULT})))"
    rf"(?:\s?(?P<mult>{_MULT})(?![\w²]))?"
    rf"(?:\s*{_CURRENCY_AFTER})?"
)
# "a million", "миллион": the word alone is one of it.
_LONE_MULTIPLIER = re.compile(r"\b(?:a\s+)?(?:million|миллион)\b")
_MONEY_WORDS = re.compile(
    r"(?:budget|price[ds]?|cost[s]?|asking|offer(?:ed)?|sold for|paid|бюджет\w*|цен[аеуы]"
    r"|стоимост\w*|стоит|предлага\w*|предложени\w*|продал\w*|купил\w*|за)"
    # "the price of l-2 to 445000", "цену на квартиру до 305000": the figure the price is set to
    r"(?:\s++(?:[^\s\d]\S*+\s++){0,3}?(?:to|is|at|now|=|до|на))?\W{0,3}$"
)
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:%|percent|процент|m2|m²|м2|м²|sq|кв|bed|br\b|bath|room|спал|комнат|этаж|floor"
    r"|year|лет|год|month|мес|day|дн|week|недел|hour|час|min|минут|km|км)"
)
_ROOMS_AFTER = re.compile(r"\s*(?:квартир|кв\b|комн)")
_DISTANCE_AFTER = re.compile(r"\s*(?:from|to the|away|walk|от мор|до мор)")
_RANGE_LINK = re.compile(r"^\s*(?:-|to|до|and|и|or|или)\s*$")
_CURRENCIES = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "евро": "EUR"}
_CURRENCIES |= {"$": "USD", "usd": "USD", "£": "GBP", "gbp": "GBP"}


def _parse_digits(digits: str, has_multiplier: bool) -> Decimal:
    compact = digits.replace(" ", "")
    if not has_multiplier:
        grouped = re.fullmatch(r"(\d{1,3}(?:([,.])\d{3})(?:\2\d{3})*)(?:[.,](\d{1,2}))?", compact)
        if grouped:  # "1,200,000", "1.250.000", "850,000.50"
            integer, cents = re.sub(r"[,.]", "", grouped.group(1)), grouped.group(3)
            return Decimal(f"{integer}.{cents}" if cents else integer)
    # With a multiplier ("1,5 млн", "1.2m") the one separator is a decimal mark.
    head, _, tail = compact.replace(",", ".").rpartition(".")
    return Decimal(f"{head.replace('.', '')}.{tail}" if head else tail)


def _multiplier(word: str | None) -> Decimal | None:
    if not word:
        return None
    if word == "м":  # matched only glued to a fraction ("1.2м")
        return _MILLION
    return next(value for pattern, value in _MULTIPLIERS if re.fullmatch(pattern, word))


def _phone_spans(text: str) -> list[tuple[int, int]]:
    if not re.search(r"\d[\d\s\-()]{6,}\d", text):
        return []  # too few digits for a phone: skip the (slower) matcher
    return [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, "CY")]


# A Cyrillic "м" is millions only said as money ("бюджет до 1.2м", "за 1,5м"), else metres
_MONEY_BEFORE = re.compile(
    r"(?:бюджет\w*|цен\w*|стоимост\w*|за|до|от|price|budget|up to|max|макс\w*|потолок|"
    r"около|примерно|€)\s*$"
)


def _candidates(lower: str) -> list[_Amount]:
    found: list[_Amount] = []
    for m in _AMOUNT.finditer(lower):
        digits, words, mult_word = m.group("digits", "words", "mult")
        multiplier = _multiplier(mult_word)
        number_end = m.end("digits" if digits else "words")
        if mult_word == "m" and (
            " " in lower[number_end : m.start("mult")] or _DISTANCE_AFTER.match(lower, m.end())
        ):
            multiplier = None  # "50 m from the beach" is a distance
        if mult_word == "м" and (
            _DISTANCE_AFTER.match(lower, m.end())
            or not _MONEY_BEFORE.search(lower, max(0, m.start() - 24), m.start())
        ):
            multiplier = None  # "не дальше 1,5м от моря", "потолки 2.7м": metres
        if mult_word == "к" and _ROOMS_AFTER.match(lower, m.end()):
            multiplier = None  # "3к квартира" counts rooms
        raw = _parse_digits(digits, multiplier is not None) if digits else words_to_number(words)
        if raw is None:
            continue
        if multiplier == _MILLION and mult_word == "m" and raw >= 100:
            multiplier = None
        cur = m.group("cur1") or m.group("cur2")
        currency = _CURRENCIES.get(cur.rstrip(".").strip()) if cur else None
        end = m.end() if (multiplier or currency or not mult_word) else m.start("mult")
        start = m.start() if m.group("cur1") else m.start("digits" if digits else "words")
        grouped = bool(digits and re.search(r"\d[ ,.]\d{3}(?!\d)", digits) and not multiplier)
        found.append(_Amount(start, end, raw, multiplier, currency, grouped))
    for m in _LONE_MULTIPLIER.finditer(lower):
        if not any(a.start <= m.start() < a.end for a in found):
            found.append(_Amount(m.start(), m.end(), Decimal(1), _MILLION, None, False))
    return sorted(found, key=lambda a: a.start)


def _link_ranges(amounts: list[_Amount], lower: str) -> list[_Amount]:
    """The bare end of a range takes the other end's multiplier and currency."""
    linked = list(amounts)
    for i in range(len(linked) - 1):
        a, b = linked[i], linked[i + 1]
        if not _RANGE_LINK.match(lower[a.end : b.start]):
            continue
        for bare, full, j in ((a, b, i), (b, a, i + 1)):
            plausible = bare.raw * 20 >= full.raw and bare.raw <= full.raw * 20
            if bare.multiplier is None and full.multiplier and not bare.grouped and plausible:
                linked[j] = replace(bare, multiplier=full.multiplier)
        a, b = linked[i], linked[i + 1]
        if a.currency != b.currency and (a.currency is None or b.currency is None):
            currency = a.currency or b.currency
            linked[i], linked[i + 1] = replace(a, currency=currency), replace(b, currency=currency)
    return linked


def _is_money(a: _Amount, lower: str, phones: list[tuple[int, int]]) -> bool:
    if a.multiplier is not None or a.currency is not None:
        return True
    if any(a.start < end and a.end > start for start, end in phones):
        return False
    if _NOT_MONEY_AFTER.match(lower, a.end) or (1900 <= a.raw <= 2100 and not a.grouped):
        return False
    if a.grouped and a.raw >= 10_000:  # "340 000", "1,150,000": thousands grouped are a price
        return True
    return a.raw >= 10_000 and bool(_MONEY_WORDS.search(lower[max(0, a.start - 30) : a.start]))


def _found(text: str) -> tuple[list[_Amount], str]:
    norm = normalise(text)
    lower = norm.lower
    phones = _phone_spans(norm.text)
    amounts = _link_ranges(_candidates(lower), lower)
    return [a for a in amounts if _is_money(a, lower, phones)], lower


_BARE_FIGURE = re.compile(  # possessive spaces: a long run of them is no cubic backtracking
    r"\s*+(?:€\s*+)?(\d{1,3}(?:[ .,]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*+(?:(?:eur|euro|€)\s*+)?"
)


def bare_figure(text: str) -> Decimal | None:
    """A message that is only a figure ("12 500", "12.500", "17500 eur"): a separator before
    three digits groups thousands, one or two digits after the last are cents."""
    plain = _BARE_FIGURE.fullmatch(text.lower())
    if plain is None:
        return None
    whole = re.sub(r"[ .,]", "", plain.group(1))
    return Decimal(f"{whole}.{plain.group(2)}" if plain.group(2) else whole)


def find_money(text: str) -> list[Money]:
    """Every amount of money in `text`, in order; spans index `text` as given."""
    norm = normalise(text)
    amounts, _ = _found(text)
    money: list[Money] = []
    for a in amounts:
        start, end = norm.to_original(a.start, a.end)
        money.append(Money(a.amount, (start, end), text[start:end], a.currency or "EUR"))
    return money


_MAX_BEFORE = re.compile(
    r"(?:up\s*to|upto|max(?:imum)?|under|below|less\s+than|no\s+more\s+than|not\s+more\s+than"
    r"|within|до|не\s+более|не\s+дороже|не\s+выше|максимум|макс\.?|меньше|ниже|в\s+пределах)"
    r"\W{0,3}$"
)
_MIN_BEFORE = re.compile(
    r"(?:at\s+least|from|min(?:imum)?|over|above|more\s+than|starting\s+(?:at|from)|от"
    r"|не\s+менее|не\s+меньше|не\s+дешевле|минимум|больше|свыше|выше)\W{0,3}$"
)
_RANGE_BEFORE = re.compile(r"(?:between|from|от|между|в\s+диапазоне)\W{0,3}$")
_ABOUT_BEFORE = re.compile(
    r"(?:around|about|approximately|approx\.?|roughly|circa|~|около|примерно|порядка"
    r"|в\s+районе|где-то)\s*$"
)
_MAX_AFTER = re.compile(
    r"^\s*(?:(?:is|are)\s+(?:(?:the|his|her|their|our)\s+)?)?(?:max(?:imum)?|tops|top|limit|"
    r"ceiling|at\s+most|максимум|max)\b"
)


def _round(value: Decimal) -> Decimal:
    return _cents(value.quantize(Decimal(1), context=_exact(value)))


_OFFER_BEFORE = re.compile(
    r"\b(?:offer(?:s|ed|ing)?|bid(?:s|ding)?|предлож\w*|оффер\w*)"
    r"(?:\s+(?:of|about|around|them|him|her|us|около|примерно|за))?\s*[€]?\s*$"
)


def _bounded(amount: _Amount, lower: str) -> bool:
    before = lower[max(0, amount.start - 25) : amount.start]
    return bool(
        _ABOUT_BEFORE.search(before)
        or _MIN_BEFORE.search(before)
        or _MAX_BEFORE.search(before)
        or _MAX_AFTER.match(lower[amount.end :])
    )


def _the_budget(amounts: list[_Amount], lower: str) -> _Amount | None:
    """The amount that is the budget: the only one, else the last one said as a bound ("the
    mortgage is 250k, plus 60 of his own, so up to 310k"); several and none a bound is not
    guessed."""
    if len(amounts) == 1:
        return amounts[0]
    bounded = [a for a in amounts if _bounded(a, lower)]
    return bounded[-1] if bounded else None


# What an amount is, read from the words before it in its own clause: a bank's loan ("the
# mortgage came through at 380k", "ипотеку одобрили на 250к") or the value being replaced
# ("not 550", "instead of 260", "а не 320") is never the budget.
_LOAN_BEFORE = re.compile(
    r"\b(?:mortgage|loan|pre-?approv\w*|approv\w*|bank|ипотек\w*|кредит\w*|одобр\w*|банк\w*)"
    r"\b[^.;!?]{0,40}$"
)
_PART_BEFORE = re.compile(
    r"\b(?:savings|deposit|plus|own|своих|накоплен\w*|сбережен\w*|плюс|депозит\w*)\b\W{0,3}$"
)
_PART_AFTER = re.compile(r"\s*(?:of\s+(?:his|her|their|our)\s+own|own\b|своих|собственных)")
# The words that say an amount is the budget ("max 300", "бюджет может дотянуть до 320")
_BUDGET_WORDS = (
    r"budget|max(?:imum)?|ceiling|limit|top|afford|can do|stretch\w*|бюджет\w*|потол\w*|"
    r"лимит\w*|максимум|дотян\w*"
)
_BUDGET_WORD = re.compile(rf"\b(?:{_BUDGET_WORDS}|общ\w+)\b")
_REPLACED_BEFORE = re.compile(
    r"\b(?:not|instead\s+of|rather\s+than|(?:it\s+)?was|down\s+from|up\s+from|"
    r"не|вместо|а\s+не|был\w*|было)\s*€?\s*$"
)
# "бюджет до 650", "ceiling is 240 now not 260": brokers count a budget in thousands
_BARE_THOUSANDS = re.compile(r"(?<![\w.,])([1-9]\d{2})(?![\w%]|[.,]\d|\s*(?:m2|м2|sq|кв))")
_BUDGET_BEFORE = re.compile(rf"\b(?:{_BUDGET_WORDS})\b[^.;!?\d]{{0,25}}$")
_BARE_RANGE_END = re.compile(r"\s*(?:-|–|to|до)\s*([1-9]\d{2})(?![\w%]|[.,]\d)")
# "max 300 from the beach", "максимум 500 от моря", "150 a month": a distance or a fee
_DISTANCE_UNIT = re.compile(
    r"\s*(?:m\b|м\b|meters?|metres?|метр|from\b|to\s+the\b|off\b|away\b|walk|от\b|до\s+мор|"
    r"a\s+month|per\b|/|в\s+месяц|в\s+мес|monthly|ежемес)"
)


def _role(amount: _Amount, lower: str, clause_start: int) -> str:
    before = lower[max(clause_start, amount.start - 60) : amount.start]
    if _OFFER_BEFORE.search(before[-25:]):
        return "offer"  # "wants to offer 380k", "предложит 380 тысяч": a bid on one home
    if _REPLACED_BEFORE.search(before[-20:]):
        return "replaced"
    if _MAX_AFTER.match(lower[amount.end : amount.end + 40]):
        return "budget"  # "with savings 520k is the max": said as the top
    if _PART_BEFORE.search(before[-30:]) or _PART_AFTER.match(lower, amount.end):
        return "part"  # "plus 60k of his own", "savings 60k": a part of the sum, not the sum
    loan = _LOAN_BEFORE.search(before)
    if loan and not _BUDGET_WORD.search(before[loan.end() :]):
        return "loan"
    return "budget"


def _clause_start(lower: str, at: int) -> int:
    return max(lower.rfind(mark, 0, at) for mark in ".;!?,—") + 1


def _bare_thousands(amounts: list[_Amount], lower: str) -> list[_Amount]:
    """Bare three-digit figures said as a budget ("бюджет до 650", "now not 260")."""
    taken = [(a.start, a.end) for a in amounts]
    found = list(amounts)
    for m in _BARE_THOUSANDS.finditer(lower):
        if any(start < m.end() and m.start() < end for start, end in taken):
            continue
        if _NOT_MONEY_AFTER.match(lower, m.end()) or _DISTANCE_UNIT.match(lower, m.end()):
            continue
        if _BUDGET_BEFORE.search(lower[max(0, m.start() - 40) : m.start()]):
            found.append(_Amount(m.start(), m.end(), Decimal(m.group(1)), _THOUSAND, None, False))
            other = _BARE_RANGE_END.match(lower, m.end())  # "budget stays 220-260"
            if other:
                a, b = other.span(1)
                found.append(_Amount(a, b, Decimal(other.group(1)), _THOUSAND, None, False))
    return sorted(found, key=lambda a: a.start)


def parse_budget(text: str) -> Budget | None:
    """A buyer's budget: a range, an upper or lower bound, or "around X" (± 10 %). A loan, a
    bid or the value being replaced is never it."""
    amounts, lower = _found(text)
    amounts = _bare_thousands([a for a in amounts if a.currency in (None, "EUR")], lower)
    amounts = [a for a in amounts if _role(a, lower, _clause_start(lower, a.start)) == "budget"]
    if not amounts:
        return None
    norm = normalise(text)
    lo: Decimal | None
    hi: Decimal | None
    for first, second in pairwise(amounts):
        if _RANGE_LINK.match(lower[first.end : second.start]):
            start = first.start
            qualifier = _RANGE_BEFORE.search(lower[max(0, start - 20) : start])
            start -= len(qualifier.group(0)) if qualifier else 0
            lo, hi = sorted((first.amount, second.amount))
            a, b = norm.to_original(start, second.end)
            return Budget(lo, hi, (a, b), text[a:b])
    amount = _the_budget(amounts, lower)
    if amount is None:
        return None
    before = lower[max(0, amount.start - 25) : amount.start]
    start, end = amount.start, amount.end
    lo, hi = None, amount.amount
    if match := _MAX_AFTER.match(lower[end:]):  # "around 800k is his limit": the top
        end += match.end()
    elif match := _ABOUT_BEFORE.search(before):
        lo, hi = _round(amount.amount * Decimal("0.9")), _round(amount.amount * Decimal("1.1"))
        start -= len(match.group(0))
    elif match := _MIN_BEFORE.search(before):
        lo, hi = amount.amount, None
        start -= len(match.group(0))
    elif match := _MAX_BEFORE.search(before):
        start -= len(match.group(0))
    a, b = norm.to_original(start, end)
    return Budget(lo, hi, (a, b), text[a:b])
