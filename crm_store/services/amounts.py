"""Amounts of money a broker gives: read exactly, refused when they can never be right, and
doubted (to be confirmed) when they are possible but unlikely (issue #10 §3, §6).

Refused outright: junk, a negative figure, and anything above ABSURD_AMOUNT — no price, budget
or commission we record comes near a billion euros, and the columns hold at most 10^12. Doubted:
a price or budget outside €1,000–€100,000,000, a commission outside €100–€10,000,000 (1–10% of
a plausible price), and a change of 5× or more, up or down, against the value on record — the
usual slip of a zero, "32,000" for "320,000", and nearer ones ("19 тыс" for a €185,000 flat, a
trial: 9.7× went through at 10×; no price or budget moves fivefold in one conversation).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from crm_store.errors import InvalidInput

CENTS = Decimal("0.01")
# Above this nothing is a price, budget or commission: refused, never asked.
ABSURD_AMOUNT = Decimal(1_000_000_000)
# A figure of 10^13 or more fits no column (Numeric(14, 2)): refused before any arithmetic.
_MAX_EXPONENT = 12
# Longer figures are read back by their length ("a 40-digit number"), not digit by digit.
_DIGITS_SHOWN = 15

Kind = Literal["price", "budget", "commission"]
PLAUSIBLE: dict[Kind, tuple[Decimal, Decimal]] = {
    "price": (Decimal(1_000), Decimal(100_000_000)),
    "budget": (Decimal(1_000), Decimal(100_000_000)),
    # 1–10% of a price in the range above, with room for a small plot's or a referral's fee.
    "commission": (Decimal(100), Decimal(10_000_000)),
}
# A new value this many times the old one (or the old this many times the new) is asked about.
JUMP_FACTOR = Decimal(5)


def shown(value: Any, language: str = "en") -> str:
    """A figure as a broker reads it ("€2,000,000,000"), or by its length ("a 40-digit
    number") when it is too long to read back."""
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("€", ""))
    except (InvalidOperation, ValueError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    if amount.adjusted() >= _DIGITS_SHOWN:
        size = amount.adjusted() + 1
        return f"{size}-значное число" if language == "ru" else f"a {size}-digit number"
    text = f"{amount:,.2f}" if amount % 1 else f"{amount:,.0f}"
    if language == "ru":
        text = text.replace(",", " ").replace(".", ",")
    return f"€{text}"


def parse_money(
    value: Any, *, field: str, ceiling: Decimal | None = ABSURD_AMOUNT
) -> Decimal | None:
    """EUR as an exact Decimal with two places; None stays None; negative, junk or absurd
    (above `ceiling`, or too long for any column) is refused with a message, never a crash."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{field} must be an amount in EUR.", f"{field}: нужна сумма в евро.")
    try:
        text = str(value).replace("€", "").replace(",", "").replace(" ", "").replace("\u00a0", "")
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            f"{field} must be an amount in EUR, e.g. 450000; got '{value}'.",
            f"{field}: нужна сумма в евро, например 450000; получено «{value}».",
            field=field,
        ) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(
            f"{field} must be a positive amount in EUR; got '{value}'.",
            f"{field}: сумма в евро должна быть положительной; получено «{value}».",
            field=field,
        )
    too_long = amount.adjusted() > _MAX_EXPONENT
    if too_long or (ceiling is not None and amount > ceiling):
        limit_en = f" (the most accepted is {shown(ceiling)})" if ceiling is not None else ""
        limit_ru = f" (не больше {shown(ceiling, 'ru')})" if ceiling is not None else ""
        raise InvalidInput(
            f"{field}: {shown(value)} is far too large to be right{limit_en}; check the figure.",
            f"{field}: {shown(value, 'ru')} — слишком большая сумма{limit_ru}; проверьте цифры.",
            field=field,
        )
    return amount.quantize(CENTS)


@dataclass(frozen=True)
class Doubt:
    """Why an allowed amount is unlikely: outside the plausible range, or a jump of 5×+."""

    new: Decimal
    old: Decimal | None
    low: Decimal | None = None  # set when below the plausible range
    high: Decimal | None = None  # set when above it
    factor: Decimal | None = None  # the jump against the old value (≥ JUMP_FACTOR)
    up: bool = False


def doubt(kind: Kind, new: Any, old: Decimal | None, *, field: str = "amount") -> Doubt | None:
    """The reason to ask before recording `new` where `old` stands, or None. An amount that
    parse_money refuses is no doubt: the write itself explains what is wrong."""
    try:
        amount = parse_money(new, field=field)
    except InvalidInput:
        return None
    if amount is None:
        return None
    if kind == "budget" and field == "budget_min" and amount == 0:
        return None  # "from €0" is no lower bound at all
    least, most = PLAUSIBLE[kind]
    low = least if amount < least else None
    high = most if amount > most else None
    factor: Decimal | None = None
    up = False
    if old is not None and old > 0 and amount > 0 and amount != old:
        up = amount > old
        ratio = amount / old if up else old / amount
        factor = ratio if ratio >= JUMP_FACTOR else None
    if low is None and high is None and factor is None:
        return None
    return Doubt(new=amount, old=old, low=low, high=high, factor=factor, up=up)
