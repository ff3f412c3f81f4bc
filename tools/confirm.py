"""Which tool calls need the broker's explicit yes first (SPEC §9), and the question to ask.

A tool may carry several checks: its own (withdrawing, skipping stages) and the money check
every tool with an amount argument shares — an implausible price, budget or commission (outside
its usual range, or 10× the value on record, up or down) is read back with the old value before
anything is written (issue #10 §3). The tools also refuse such an amount when it reaches them
unconfirmed, so no path writes it silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from langchain_core.tools import BaseTool

from crm_store.context import Ctx
from crm_store.errors import ConfirmationRequired, CopilotError
from crm_store.services.amounts import Doubt, Kind, doubt, shown
from tools.base import FAILED, dry_run
from tools.deps import ToolDeps

# A check reads the call's arguments (and may read the store) and returns the question, or None.
ConfirmationCheck = Callable[[dict[str, Any], ToolDeps], "str | None"]


def _checks(tool: BaseTool) -> tuple[ConfirmationCheck, ...]:
    found = (tool.metadata or {}).get("confirm")
    if found is None:
        return ()
    return tuple(found) if isinstance(found, tuple | list) else (found,)


def requires_confirmation(tool: BaseTool, check: ConfirmationCheck) -> BaseTool:
    """Add `check` to the questions asked before `tool` runs."""
    tool.metadata = {**(tool.metadata or {}), "confirm": (*_checks(tool), check)}
    return tool


def confirmation_question(tool: BaseTool, args: dict[str, Any], deps: ToolDeps) -> str | None:
    """Every question the tool's checks ask about this call, or None when it may run now."""
    questions = [q for check in _checks(tool) if (q := check(args, deps))]
    return "\n".join(questions) if questions else None


# --- money ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyChange:
    """An amount a call would record, where it goes and what stands there now.

    `en`/`ru` ask about it with {new} and {was} in place: "Set the price of l-6 to {new}{was}?"
    """

    kind: Kind
    field: str
    new: Any
    old: Decimal | None
    en: str
    ru: str
    was_en: str = "was"
    was_ru: str = "было"


# What a money check reads from a call: the amounts it would record (may read the store).
MoneyReader = Callable[[Ctx, dict[str, Any]], Sequence[MoneyChange]]

_NOUNS = {
    "price": ("a price", "цены"),
    "budget": ("a budget", "бюджета"),
    "commission": ("a commission", "комиссии"),
}


def _times(factor: Decimal) -> str:
    return f"{factor:,.0f}" if factor < 1000 else f"{factor:,.0f}".replace(",", " ")


def _why(kind: Kind, found: Doubt, language: str) -> str:
    noun_en, noun_ru = _NOUNS[kind]
    reasons_en: list[str] = []
    reasons_ru: list[str] = []
    if found.factor is not None:
        times = _times(found.factor)
        reasons_en.append(f"{times}× {'higher' if found.up else 'lower'}")
        reasons_ru.append(f"в {times} раз {'больше' if found.up else 'меньше'}")
    if found.low is not None:
        reasons_en.append(f"below {shown(found.low)}, unusually low for {noun_en}")
        reasons_ru.append(f"меньше {shown(found.low, 'ru')} — необычно мало для {noun_ru}")
    if found.high is not None:
        reasons_en.append(f"above {shown(found.high)}, unusually high for {noun_en}")
        reasons_ru.append(f"больше {shown(found.high, 'ru')} — необычно много для {noun_ru}")
    if language == "ru":
        return f"Это {', и '.join(reasons_ru)}."
    return f"That is {', and '.join(reasons_en)}."


def _ask(change: MoneyChange, found: Doubt, language: str) -> str:
    if language == "ru":
        was = f" ({change.was_ru} {shown(found.old, 'ru')})" if found.old is not None else ""
        text = change.ru.replace("{new}", shown(found.new, "ru")).replace("{was}", was)
    else:
        was = f" ({change.was_en} {shown(found.old)})" if found.old is not None else ""
        text = change.en.replace("{new}", shown(found.new)).replace("{was}", was)
    return f"{text} {_why(change.kind, found, language)}"


def money_doubts(changes: Sequence[MoneyChange], language: str) -> str | None:
    """The read-back of every implausible amount among `changes`, or None when all are usual.
    An amount the write will refuse (negative, absurd, junk) is not asked about."""
    asked = [
        _ask(change, found, language)
        for change in changes
        if (found := doubt(change.kind, change.new, change.old, field=change.field)) is not None
    ]
    return "\n".join(asked) if asked else None


def plausible_only(
    deps: ToolDeps | None, reader: MoneyReader, args: dict[str, Any], work: Callable[[Ctx], str]
) -> Callable[[Ctx], str]:
    """`work` that refuses an implausible amount the broker has not confirmed, whatever path
    the call came by. The write's own refusals come first; this one rolls the write back."""

    def guarded(ctx: Ctx) -> str:
        if deps is None or deps.confirmed:
            return work(ctx)
        try:
            changes = list(reader(ctx, args))  # the values on record, before the write
        except CopilotError:
            changes = []  # the write itself says what is wrong
        result = work(ctx)
        en = money_doubts(changes, "en")
        if en is not None:
            raise ConfirmationRequired(en, money_doubts(changes, "ru"))
        return result

    return guarded


def checks_money(tool: BaseTool, reader: MoneyReader) -> BaseTool:
    """Ask before `tool` records an implausible amount that `reader` finds in its call — only
    when the call would succeed once confirmed: one that fails anyway (a budget's bottom above
    its new top) says why at once instead of asking first."""

    def check(args: dict[str, Any], deps: ToolDeps) -> str | None:
        try:
            with deps.backend.unit_of_work(deps.actor) as ctx:
                question = money_doubts(reader(ctx, args), deps.actor.language)
        except CopilotError:
            return None  # the call itself will explain what is wrong
        except (TypeError, ValueError, AttributeError):
            return None  # malformed arguments: the tool's schema will say so
        if question is None or _fails_anyway(tool, args, deps):
            return None
        return question

    return requires_confirmation(tool, check)


def _fails_anyway(tool: BaseTool, args: dict[str, Any], deps: ToolDeps) -> bool:
    """Whether the call, confirmed, would still be refused (tried in a rolled-back run)."""

    def attempt(ctx: Ctx) -> str:
        confirmed = ToolDeps(backend=deps.backend, actor=deps.actor, confirmed=True, shared=ctx)
        try:
            return str(tool.invoke({**args, "deps": confirmed}))
        except Exception:  # malformed arguments: the schema's message comes when it runs
            return FAILED

    return dry_run(deps, attempt).startswith(FAILED)
