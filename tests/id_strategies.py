"""Hypothesis strategies for ids an import may bring (SPEC §10: ids are opaque strings).

Ids that look like anything a broker also says: names ("Ivan", "maria-ivanova"), dates
("2026-03-12", "tomorrow"), places ("Limassol"), money ("500k", "1.2m"), stages ("sold"),
numbers ("1001"), other systems' keys ("CRM-00017", "villa-peyia") and plain made-up words. An
id begins and ends with a letter or digit (a broker cannot type the spaces or the full stop
around a word as part of it) and holds single spaces at most.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Quick, reproducible runs: the same examples every time, nothing written to .hypothesis/.
_FAST = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def examples(count: int) -> settings:
    """Settings for a property checked on `count` reproducible examples."""
    return settings(_FAST, max_examples=count)


NAMES = ("Ivan", "ivan", "maria-ivanova", "Andreas", "Petrov", "Olga", "George", "Chris")
DATES = ("2026-03-12", "tomorrow", "Friday", "12.03", "today", "March", "2026", "next-week")
PLACES = ("Limassol", "Peyia", "Germasogeia", "Paphos", "Лимассол", "Larnaca", "Potamos")
MONEY = ("500k", "1.2m", "445k", "400000", "€450k", "850")
STAGES = ("sold", "prospect", "active_listing", "closed_won", "withdrawn", "viewing", "decision")
NUMBERS = ("1", "12", "1001", "0", "42", "7")
KEYS = ("villa-peyia", "apt-germasogeia-12", "CRM-00017", "req-ivan-2026", "fu-call-ivan", "X1")
LOOKALIKES = NAMES + DATES + PLACES + MONEY + STAGES + NUMBERS + KEYS

_MADE_UP = st.from_regex(
    re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,14}[A-Za-z0-9])?(?: [A-Za-z0-9]{1,8})?"),
    fullmatch=True,
)
_CYRILLIC = st.from_regex(re.compile(r"[а-я]{2,8}(?:-[0-9]{1,3})?"), fullmatch=True)


def ids() -> st.SearchStrategy[str]:
    """One id: a look-alike of something a broker says, or a made-up key."""
    return st.one_of(st.sampled_from(LOOKALIKES), _MADE_UP, _CYRILLIC)
