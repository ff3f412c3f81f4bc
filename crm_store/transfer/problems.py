"""How a problem in an import file is told: which record, which field, what is expected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic_core import ErrorDetails

from crm_store.errors import InvalidInput
from crm_store.transfer.fields import describe
from crm_store.transfer.schema import ENTITIES, Record

MAX_SHOWN = 10

_TYPE_PROBLEMS = {
    "string_type": "is not a string",
    "int_type": "is not a whole number",
    "float_type": "is not a number",
    "bool_type": "is not true or false",
    "list_type": "is not a list",
    "dict_type": "is not an object",
    "model_type": "is not an object",
    "string_too_short": "is empty; give a value",
}

_KINDS = {
    "brokers": "a broker",
    "contacts": "a contact",
    "listings": "a listing",
    "buyer_requests": "a buyer request",
    "deals": "a listing or a buyer request",
}


@dataclass(order=True)
class Problem:
    """One thing wrong with the file; sorts into file order (entity, then record)."""

    entity_index: int
    record_index: int
    text: str = field(compare=False)


def where(entity: str, index: int, raw: dict[str, Any]) -> str:
    """`listings[3] (id "l-17")`: the record as a person finds it in the file."""
    record_id = raw.get("id")
    label = f'id "{record_id}"' if isinstance(record_id, str) else "no id"
    return f"{entity}[{index}] ({label})"


def dangling(path: str, value: Any, kind: str) -> str:
    return f"{path} {describe(value)} is not the id of {_KINDS[kind]} in this file"


def explain(schema: type[Record], nested: dict[str, type[Record]], error: ErrorDetails) -> str:
    """One pydantic error in the broker's words: the field, the value, what it should be."""
    loc = error["loc"]
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    path = path.lstrip(".")
    kind = error["type"]
    if kind == "missing":
        return f"{path} is missing; it is required"
    if kind == "extra_forbidden":
        inner = nested.get(str(loc[0])) if len(loc) > 1 else None
        allowed = ", ".join((inner or schema).model_fields)
        return f"{path} is not a known field; use {allowed}"
    shown = describe(error.get("input"))
    if kind == "value_error":
        return f"{path} {shown} {error['ctx']['error']}"
    if kind == "string_too_long":
        return f"{path} is longer than {error['ctx']['max_length']} characters"
    return f"{path} {shown} {_TYPE_PROBLEMS.get(kind, error['msg'].lower())}"


def whole_file_problem() -> str:
    return f"the file must hold one JSON object with a list per entity ({', '.join(ENTITIES)})"


def rejection(problems: list[Problem]) -> InvalidInput:
    """One error for the whole file: the first problems in file order, and how many in all."""
    problems.sort()
    lines = [f"- {problem.text}" for problem in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        lines.append(f"- …and {len(problems) - MAX_SHOWN} more")
    listed = "\n".join(lines)
    count = len(problems)
    return InvalidInput(
        f"The file was not imported and nothing was written: {count} "
        f"problem{'s' if count > 1 else ''} found.\n{listed}\nFix them and import the file again.",
        f"Файл не импортирован, ничего не записано. Найдено проблем: {count}.\n{listed}\n"
        "Исправьте их и повторите импорт.",
        problems=[problem.text for problem in problems[: MAX_SHOWN * 10]],
    )
