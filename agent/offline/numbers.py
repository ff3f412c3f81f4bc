"""Numbers as brokers write them: digits with either decimal mark, or words in English/Russian."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Every form a slot parser meets ("двух" in "в течение двух месяцев", "трёх" is already "трех").
_WORD_VALUES: dict[str, Decimal] = {
    **{
        word: Decimal(value)
        for value, words in {
            1: "one a an один одна одну одно одного одной",
            2: "two couple пара пару два две двух",
            3: "three few три трех несколько",
            4: "four четыре четырех",
            5: "five пять пяти",
            6: "six шесть шести",
            7: "seven семь семи",
            8: "eight восемь восьми",
            9: "nine девять девяти",
            10: "ten десять десяти",
            11: "eleven одиннадцать",
            12: "twelve двенадцать",
            15: "fifteen пятнадцать",
            20: "twenty двадцать",
            30: "thirty тридцать",
            40: "forty сорок",
            50: "fifty пятьдесят",
            60: "sixty шестьдесят",
            70: "seventy семьдесят",
            80: "eighty восемьдесят",
            90: "ninety девяносто",
            100: "сто",
            200: "двести",
            300: "триста",
            400: "четыреста",
            500: "пятьсот",
            600: "шестьсот",
            700: "семьсот",
            800: "восемьсот",
            900: "девятьсот",
        }.items()
        for word in words.split()
    },
    "half": Decimal("0.5"),
    "полтора": Decimal("1.5"),
    "полторы": Decimal("1.5"),
    "полутора": Decimal("1.5"),
}
_HUNDRED = frozenset({"hundred"})
_FILLERS = frozenset({"and", "of", "и"})

# "a couple of", "a few": the article belongs to the number word after it.
_ARTICLE_PHRASE = re.compile(r"\ba\s+(couple|few)(\s+of)?\b|\b(half)\s+an?\b")

_word_alternation = "|".join(
    sorted((re.escape(w) for w in (*_WORD_VALUES, *_HUNDRED)), key=len, reverse=True)
)
# A run of number words ("two hundred and fifty", "пятьсот пятьдесят"), for other patterns: at
# most MAX_NUMBER_WORDS of them, so a pattern with two numbers stays linear on a long run of
# them ("a-a-a-…" took seconds; issue #10) — no number is said in more words.
MAX_NUMBER_WORDS = 8
NUMBER_WORDS = (
    rf"(?:(?:{_word_alternation})"
    rf"(?:(?:\s+|-)(?:and\s+|и\s+)?(?:{_word_alternation})){{0,{MAX_NUMBER_WORDS - 1}}})"
)
# Digits (with a decimal comma or point) or number words.
NUMBER = rf"(?:\d+(?:[.,]\d+)?|{NUMBER_WORDS})"


def words_to_number(phrase: str) -> Decimal | None:
    """The value of a run of number words ("two hundred fifty" → 250, "полтора" → 1.5)."""
    phrase = _ARTICLE_PHRASE.sub(
        lambda m: m.group(1) or m.group(3), phrase.lower().replace("ё", "е")
    )
    total = Decimal(0)
    seen = False
    for word in re.split(r"[\s-]+", phrase.strip()):
        if not word or word in _FILLERS:
            continue
        if word in _HUNDRED:
            total = (total or Decimal(1)) * 100
        elif word in _WORD_VALUES:
            total += _WORD_VALUES[word]
        else:
            return None
        seen = True
    return total if seen else None


def to_number(token: str) -> Decimal | None:
    """Digits ("1,5", "2.25", "3") or number words, as a Decimal; None when neither."""
    token = token.strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", token):
        try:
            return Decimal(token.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            return None
    return words_to_number(token)
