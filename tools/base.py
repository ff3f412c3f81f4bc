"""How every tool runs: one unit of work as the injected broker, expected failures as advice."""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from langchain_core.tools import InjectedToolArg
from pydantic import BaseModel, ConfigDict

from crm_store.context import Ctx
from crm_store.errors import Ambiguous, CopilotError, InvalidInput
from tools.deps import ToolDeps

log = logging.getLogger(__name__)

# Prefix of a tool result that reports a failure; the models read it as "nothing was changed".
FAILED = "NOT DONE"
# The records an "ambiguous" failure offered, by its words: ids are opaque, so the answer that
# asks "which one?" cannot pick them out of the text (recent ones only; same process and turn).
_CHOICES: OrderedDict[str, list[tuple[str, str]]] = OrderedDict()
_CHOICES_KEPT = 256
_CHOICES_LOCK = threading.Lock()


def _failure(error: CopilotError, language: str) -> str:
    """A failure as the models read it; the choices of an ambiguous one are remembered."""
    advice = error.message(language)
    if isinstance(error, Ambiguous):
        with _CHOICES_LOCK:
            _CHOICES[advice.strip()] = list(error.candidates)
            _CHOICES.move_to_end(advice.strip())
            while len(_CHOICES) > _CHOICES_KEPT:
                _CHOICES.popitem(last=False)
    return f"{FAILED} ({error.code}): {advice}"


def choices_offered(advice: str) -> list[tuple[str, str]]:
    """The (id, label) pairs an ambiguous failure with these words offered (empty: unknown)."""
    with _CHOICES_LOCK:
        return list(_CHOICES.get(advice.strip(), []))


class ToolArgs(BaseModel):
    """Base of every tool's arguments; `deps` is injected by the graph and hidden from the model."""

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    deps: Annotated[Any, InjectedToolArg] = None


def run_tool(deps: ToolDeps | None, work: Callable[[Ctx], str]) -> str:
    """Run `work` in one transaction as the acting broker; turn failures into advice."""
    if deps is None:
        raise RuntimeError("tool called without injected dependencies")
    language = deps.actor.language
    if deps.shared is not None:
        shared = Ctx(session=deps.shared.session, actor=deps.actor, clock=deps.shared.clock)
        try:
            return work(shared)
        except CopilotError as error:  # the proposal's transaction is rolled back whole
            return _failure(error, language)
    try:
        with deps.backend.unit_of_work(deps.actor) as ctx:
            result = work(ctx)
    except CopilotError as error:
        return _failure(error, language)
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("tool failed unexpectedly, ref %s", ref)
        if language == "ru":
            return f"{FAILED} (error): непредвиденная ошибка, ничего не изменено (ref {ref})."
        return f"{FAILED} (error): an unexpected error; nothing was changed (ref {ref})."
    for hook in deps.after_commit:
        try:
            hook()
        except Exception:  # the change is committed; a failed follow-on must not undo the answer
            log.exception("after-commit hook failed")
    deps.after_commit.clear()
    return result


class _DryRun(Exception):
    """Raised inside a unit of work to roll it back once the work has shown what it would do."""


def dry_run(deps: ToolDeps, work: Callable[[Ctx], str]) -> str:
    """What `work` would answer, with every change it makes rolled back: the read-back of a
    proposal is the change itself, worked out by the same code that will apply it."""
    outcome: list[str] = []
    try:
        with deps.backend.unit_of_work(deps.actor) as ctx:
            outcome.append(work(ctx))
            raise _DryRun
    except _DryRun:
        pass
    except CopilotError as error:
        return _failure(error, deps.actor.language)
    return outcome[0] if outcome else ""


MOVE_HELP = (
    "the new time: an ISO date-time (2026-03-17T11:00, broker-local), a date alone "
    "(2026-03-17: the same time on that day), a time alone (15:00: the same day) or a signed "
    "ISO-8601 duration from the current time (+PT1H an hour later, -P2D two days earlier)"
)
_SHIFT = re.compile(r"([+-])P(?:(\d{1,4})W)?(?:(\d{1,4})D)?(?:T(?:(\d{1,4})H)?(?:(\d{1,5})M)?)?")


def shift_text(delta: timedelta) -> str:
    """A move by `delta` as MOVE_HELP spells it ("+PT1H30M", "-P2D")."""
    sign = "-" if delta < timedelta(0) else "+"
    minutes = abs(int(delta.total_seconds())) // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return f"{sign}P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")


def _shifted(text: str, current: datetime) -> datetime | None:
    said = _SHIFT.fullmatch(text)
    if said is None or not any(said.groups()[1:]):
        return None
    weeks, days, hours, minutes = (int(part or 0) for part in said.groups()[1:])
    delta = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)
    return current - delta if said.group(1) == "-" else current + delta


def parse_move(value: str, current: datetime, *, tz: str, field: str = "when") -> datetime:
    """Where a record moves: a date alone keeps its time ("Friday, same time"), a time alone
    keeps its day ("move tomorrow's call to 3pm"), else the full date-time (MOVE_HELP)."""
    text = value.strip()
    local = current.astimezone(ZoneInfo(tz))
    shifted = _shifted(text.upper(), local)
    if shifted is not None:  # counted on the broker's clock: "+P1D" keeps 10:00 across DST
        return shifted
    if re.fullmatch(r"\d{1,2}:\d{2}", text):
        hour, minute = (int(part) for part in text.split(":"))
        if hour > 23 or minute > 59:
            raise InvalidInput(
                f"{field}: {text} is not a time of day.", f"{field}: {text} — такого времени нет."
            )
        return local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = parse_local_datetime(text, tz=tz, field=field)
        return day.replace(hour=local.hour, minute=local.minute)
    return parse_local_datetime(text, tz=tz, field=field)


def parse_local_datetime(value: str, *, tz: str, field: str = "when") -> datetime:
    """An ISO-8601 time from the model; without an offset it is the broker's local time."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise InvalidInput(
            f"{field} must be an ISO-8601 date-time such as 2026-03-17T11:00 (broker-local), "
            f"not {value!r}.",
            f"{field}: нужна дата и время в формате ISO-8601, например 2026-03-17T11:00.",
        ) from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(tz))
    return parsed
