"""A task's expectations checked against what happened, each miss explained in a sentence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from evals.compare import Either, expected_text, fold, holds, same, shown
from evals.tasks import DbCheck, Expect, ToolCallCheck

Export = dict[str, list[dict[str, Any]]]
MAX_LISTED = 5  # records named in one failure; the rest are counted


@dataclass(frozen=True)
class Outcome:
    """What a conversation left behind: the store before and after, the replies, the calls."""

    before: Export
    after: Export
    replies: Sequence[str]
    tool_calls: Sequence[dict[str, Any]]  # {"name", "args"} in the order the model made them
    tz: ZoneInfo  # the acting broker's timezone


def check_expectations(expect: Expect, outcome: Outcome) -> list[str]:
    """Every expectation that does not hold, in words; empty when the task succeeded."""
    failures: list[str] = []
    for check in expect.db:
        failures += check_db(check, outcome.after.get(check.entity, []), outcome.tz)
    for entity in expect.unchanged:
        changes = describe_changes(outcome.before.get(entity, []), outcome.after.get(entity, []))
        if changes:
            failures.append(f"{entity} changed, expected unchanged: {changes}")
    if expect.no_writes:
        failures += check_no_writes(outcome.before, outcome.after)
    failures += check_replies(expect.reply_contains, expect.reply_excludes, outcome.replies)
    if expect.tool_calls is not None:
        failures += check_tool_calls(expect.tool_calls, outcome.tool_calls, outcome.tz)
    return failures


def field_value(record: dict[str, Any], path: str) -> Any:
    """The value at a dotted path. A reference reads as Either(id, name), so a task may name
    either; through a list of objects ("items.listing") it is the list of their values."""
    head, _, rest = path.partition(".")
    if not rest:
        value = record.get(head)
        name_key = f"{head}_name"
        if name_key in record and not isinstance(value, list):
            return Either((value, record[name_key]))
        return value
    inner = record.get(head)
    if isinstance(inner, list):
        return [field_value(item, rest) for item in inner if isinstance(item, dict)]
    if isinstance(inner, dict):
        return field_value(inner, rest)
    return None


def check_db(check: DbCheck, records: list[dict[str, Any]], tz: ZoneInfo) -> list[str]:
    label = _label(check)
    matching = [record for record in records if _matches(record, check.where, tz)]
    failures: list[str] = []
    found = len(matching)
    if check.count is not None and found != check.count:
        detail = f" ({_ids(matching)})" if found > check.count else _near_misses(check, records, tz)
        failures.append(f"{label}: {_records(found)}, expected {check.count}{detail}")
    elif check.count is None and not matching:
        detail = _near_misses(check, records, tz)
        failures.append(f"{label}: 0 records, expected at least 1{detail}")
    problems: list[str] = []
    for record in matching:
        problems += _record_problems(check, record, tz)
    if len(problems) > MAX_LISTED:
        problems = [*problems[:MAX_LISTED], f"and {len(problems) - MAX_LISTED} more mismatches"]
    failures += [f"{label}: {problem}" for problem in problems]
    return failures


def _label(check: DbCheck) -> str:
    if not check.where:
        return check.entity
    conditions = ", ".join(f"{key}={expected_text(value)}" for key, value in check.where.items())
    return f"{check.entity} where {conditions}"


def _matches(record: dict[str, Any], where: dict[str, Any], tz: ZoneInfo) -> bool:
    return all(_meets(wanted, field_value(record, path), tz) for path, wanted in where.items())


def _meets(wanted: Any, value: Any, tz: ZoneInfo) -> bool:
    """A `where` condition: one value against a list field picks records whose list holds it
    ("appointments where feedback.reaction=liked"); a list against a list compares as a set."""
    if isinstance(value, list) and not isinstance(wanted, list):
        return holds(value, wanted, tz)
    return same(wanted, value, tz)


def _record_problems(check: DbCheck, record: dict[str, Any], tz: ZoneInfo) -> list[str]:
    rid = record.get("id")
    problems: list[str] = []
    for path, wanted in check.equals.items():
        value = field_value(record, path)
        if not same(wanted, value, tz):
            got = shown(value, tz, like=wanted)
            problems.append(f"{rid} has {path} {got}, expected {expected_text(wanted)}")
    for path, wanted in check.contains.items():
        value = field_value(record, path)
        missing = [item for item in _as_list(wanted) if not _has(value, item, tz)]
        if missing:
            got = shown(value, tz)
            problems.append(f"{rid} has {path} {got}, lacking {expected_text(missing)}")
    for path, unwanted in check.excludes.items():
        value = field_value(record, path)
        present = [item for item in _as_list(unwanted) if _has(value, item, tz)]
        if present:
            got = shown(value, tz)
            problems.append(f"{rid} has {path} {got}, which must not hold {expected_text(present)}")
    return problems


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _has(value: Any, wanted: Any, tz: ZoneInfo) -> bool:
    """A list holds an equal element; a text holds the words (case-insensitive)."""
    if isinstance(value, list):
        return holds(value, wanted, tz)
    if isinstance(value, Either):
        return any(_has(spelling, wanted, tz) for spelling in value)
    if isinstance(value, str) and isinstance(wanted, str):
        return fold(wanted) in fold(value)
    return False


def _near_misses(check: DbCheck, records: list[dict[str, Any]], tz: ZoneInfo) -> str:
    """Records that miss only one `where` condition: usually the reason a count is off."""
    total = f"{check.entity} holds {_records(len(records))}"
    if len(check.where) < 2:
        return f" ({total})"
    hints: list[str] = []
    for record in records:
        missed = [
            (path, value)
            for path, value in check.where.items()
            if not _meets(value, field_value(record, path), tz)
        ]
        if len(missed) == 1:
            path, wanted = missed[0]
            got = shown(field_value(record, path), tz, like=wanted)
            hints.append(f"{record.get('id')} has {path} {got}")
    if not hints:
        return f" ({total})"
    return f" ({total}; closest: {', '.join(hints[:3])})"


def _records(count: int) -> str:
    return f"{count} record" if count == 1 else f"{count} records"


def _ids(records: Iterable[dict[str, Any]]) -> str:
    return _listed([str(record.get("id")) for record in records])


def _listed(items: list[str]) -> str:
    if len(items) <= MAX_LISTED:
        return ", ".join(items)
    return ", ".join(items[:MAX_LISTED]) + f" and {len(items) - MAX_LISTED} more"


def _own_data(value: Any) -> Any:
    """A record without the readable `<field>_name` siblings: renaming a contact does not
    change the follow-ups that point at it."""
    if isinstance(value, list):
        return [_own_data(item) for item in value]
    if isinstance(value, dict):
        return {
            key: _own_data(item)
            for key, item in value.items()
            if not (key.endswith("_name") and key.removesuffix("_name") in value)
        }
    return value


def describe_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> str:
    """ "f-12 added; c-3 modified (phones); l-2 removed", or "" when nothing changed."""
    old = {str(record.get("id")): _own_data(record) for record in before}
    new = {str(record.get("id")): _own_data(record) for record in after}
    changes = [f"{rid} added" for rid in new if rid not in old]
    for rid, record in new.items():
        if rid in old and old[rid] != record:
            fields = [k for k in {**old[rid], **record} if old[rid].get(k) != record.get(k)]
            changes.append(f"{rid} modified ({', '.join(fields)})")
    changes += [f"{rid} removed" for rid in old if rid not in new]
    if len(changes) > MAX_LISTED:
        changes = [*changes[:MAX_LISTED], f"{len(changes) - MAX_LISTED} more changes"]
    return "; ".join(changes)


def check_no_writes(before: Export, after: Export) -> list[str]:
    changed = []
    for entity in {**before, **after}:
        if entity == "proposals":  # a pending, declined or expired question is no CRM write
            continue
        changes = describe_changes(before.get(entity, []), after.get(entity, []))
        if changes:
            changed.append(f"{entity}: {changes}")
    if not changed:
        return []
    return ["expected no writes, but the store changed: " + " | ".join(changed)]


def check_replies(
    contains: Sequence[str], excludes: Sequence[str], replies: Sequence[str]
) -> list[str]:
    failures: list[str] = []
    folded = [fold(reply) for reply in replies]
    for wanted in contains:
        if not any(fold(wanted) in reply for reply in folded):
            failures.append(f'no reply contains "{wanted}" (replies: {_excerpt(replies)})')
    for unwanted in excludes:
        for reply, text in zip(folded, replies, strict=True):
            if fold(unwanted) in reply:
                failures.append(f'a reply contains "{unwanted}", which must not appear: "{text}"')
                break
    return failures


def _excerpt(replies: Sequence[str], limit: int = 300) -> str:
    if not replies:
        return "none"
    text = " | ".join(" ".join(reply.split()) for reply in replies)
    return f'"{text[:limit]}…"' if len(text) > limit else f'"{text}"'


def call_matches(expected: ToolCallCheck, actual: dict[str, Any], tz: ZoneInfo) -> bool:
    """Same tool, and every argument the task gives matches (an omitted argument is null)."""
    if fold(expected.name) != fold(str(actual.get("name", ""))):
        return False
    args = actual.get("args") or {}
    return all(same(value, args.get(key), tz) for key, value in expected.args.items())


def match_calls(
    expected: Sequence[ToolCallCheck], actual: Sequence[dict[str, Any]], tz: ZoneInfo
) -> dict[int, int]:
    """Pair each expected call with a distinct actual call (a maximum matching, so two expected
    calls of one tool are never both satisfied by one actual call): expected index → actual."""
    fits = [[j for j, call in enumerate(actual) if call_matches(e, call, tz)] for e in expected]
    owner: dict[int, int] = {}

    def assign(i: int, tried: set[int]) -> bool:
        for j in fits[i]:
            if j not in tried:
                tried.add(j)
                if j not in owner or assign(owner[j], tried):
                    owner[j] = i
                    return True
        return False

    for i in range(len(expected)):
        assign(i, set())
    return {i: j for j, i in owner.items()}


def call_text(name: str, args: dict[str, Any]) -> str:
    return f"{name}(" + ", ".join(f"{k}={expected_text(v)}" for k, v in args.items()) + ")"


def check_tool_calls(
    expected: Sequence[ToolCallCheck], actual: Sequence[dict[str, Any]], tz: ZoneInfo
) -> list[str]:
    paired = match_calls(expected, actual, tz)
    made = _listed([call_text(c.get("name", "?"), c.get("args") or {}) for c in actual]) or "none"
    return [
        f"expected call {call_text(call.name, call.args)} was not made; calls made: {made}"
        for index, call in enumerate(expected)
        if index not in paired
    ]
