"""Check a whole canonical JSON document before anything is written; turn it into table rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from crm_store import vocabulary as v
from crm_store.errors import InvalidInput
from crm_store.repositories.transfer import string_limits
from crm_store.transfer.fields import describe
from crm_store.transfer.schema import ENTITIES, NESTED, SCHEMAS, Record

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


@dataclass(order=True)
class Problem:
    """One thing wrong with the file, sortable into file order."""

    entity_index: int
    record_index: int
    text: str = field(compare=False)


@dataclass
class _Checked:
    """The records that passed their own schema, and every id the file declares."""

    records: dict[str, list[tuple[int, Record]]]
    ids: dict[str, set[str]]
    # Records that failed their schema: their references are still worth checking.
    rejected: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)


def validate_canonical(data: Any, *, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Table rows per entity ready to insert, or one InvalidInput listing what is wrong."""
    problems: list[Problem] = []
    checked = _check_records(data, problems)
    _check_across(checked, problems)
    _raw_reference_problems(checked, problems)
    if problems:
        raise _rejection(problems)
    return {
        entity: [_row(rec, checked.ids, now) for _, rec in recs]
        for entity, recs in checked.records.items()
    }


def _check_records(data: Any, problems: list[Problem]) -> _Checked:
    records: dict[str, list[tuple[int, Record]]] = {entity: [] for entity in ENTITIES}
    ids: dict[str, set[str]] = {entity: set() for entity in ENTITIES}
    rejected: dict[str, list[tuple[int, dict[str, Any]]]] = {entity: [] for entity in ENTITIES}
    if not isinstance(data, dict):
        problems.append(Problem(-1, -1, _whole_file_problem()))
        return _Checked(records, ids, rejected)
    for key in data:
        if key not in SCHEMAS:
            problems.append(Problem(-1, -1, f'unknown entity "{key}"; use {", ".join(ENTITIES)}'))
    for position, (entity, schema) in enumerate(SCHEMAS.items()):
        raw_records = data.get(entity, [])
        if not isinstance(raw_records, list):
            problems.append(Problem(position, -1, f"{entity} is not a list of records"))
            continue
        for index, raw in enumerate(raw_records):
            if not isinstance(raw, dict):
                problems.append(Problem(position, index, f"{entity}[{index}] is not an object"))
                continue
            if isinstance(raw.get("id"), str):
                ids[entity].add(raw["id"])
            try:
                record = schema.model_validate(_without_names(entity, schema, raw))
            except ValidationError as error:
                where = _where(entity, index, raw)
                problems.extend(
                    Problem(position, index, f"{where}: {_explain(entity, schema, e)}")
                    for e in error.errors()
                )
                rejected[entity].append((index, raw))
                continue
            records[entity].append((index, record))
    ids["deals"] = ids["listings"] | ids["buyer_requests"]
    return _Checked(records, ids, rejected)


def _without_names(entity: str, schema: type[Record], raw: dict[str, Any]) -> dict[str, Any]:
    """Drop the readable `<field>_name` siblings: optional, and never trusted on import."""
    ignored = {f"{ref}_name" for ref in schema.references}
    clean = {key: value for key, value in raw.items() if key not in ignored}
    for (owner, key), nested in NESTED.items():
        if owner == entity and isinstance(clean.get(key), list):
            drop = {f"{ref}_name" for ref in nested.references}
            clean[key] = [
                {k: x for k, x in item.items() if k not in drop} if isinstance(item, dict) else item
                for item in clean[key]
            ]
    return clean


def _check_across(checked: _Checked, problems: list[Problem]) -> None:
    """What no single record can tell: unique ids and keys, and references that resolve."""
    listing_ids = checked.ids["listings"]
    for position, entity in enumerate(ENTITIES):
        limits = string_limits(entity)
        seen: dict[str, int] = {}
        unique: dict[str, dict[Any, int]] = {}
        for index, record in checked.records[entity]:
            where = _where(entity, index, {"id": record.id})  # type: ignore[attr-defined]
            for text in _record_problems(entity, index, record, checked, seen, unique, limits):
                problems.append(Problem(position, index, f"{where}: {text}"))
            if entity == "buyer_requests" and record.id in listing_ids:  # type: ignore[attr-defined]
                problems.append(
                    Problem(
                        position,
                        index,
                        f"{where}: id is also a listing id; a deal id "
                        "must name exactly one listing or buyer request",
                    )
                )


def _raw_reference_problems(checked: _Checked, problems: list[Problem]) -> None:
    """Dangling references of records that failed their schema, so one pass shows both."""
    for position, (entity, schema) in enumerate(SCHEMAS.items()):
        for index, raw in checked.rejected.get(entity, []):
            for name, kind in schema.references.items():
                value = raw.get(name)
                if isinstance(value, str) and value not in checked.ids[kind]:
                    where = _where(entity, index, raw)
                    problems.append(
                        Problem(
                            position, index, f"{where}: {name} {describe(value)} {_dangling(kind)}"
                        )
                    )


def _record_problems(
    entity: str,
    index: int,
    record: Record,
    checked: _Checked,
    seen: dict[str, int],
    unique: dict[str, dict[Any, int]],
    limits: dict[str, int],
) -> Iterator[str]:
    record_id: str = record.id  # type: ignore[attr-defined]
    if record_id in seen:
        yield f'id "{record_id}" is already used by {entity}[{seen[record_id]}]; ids are unique'
    else:
        seen[record_id] = index
    for key in ("dedupe_key", "telegram_user_id", "slack_user_id"):
        value = getattr(record, key, None)
        if value is None:
            continue
        earlier = unique.setdefault(key, {})
        if value in earlier:
            yield f"{key} {describe(value)} is already used by {entity}[{earlier[value]}]"
        else:
            earlier[value] = index
    for name, value in record:
        limit = limits.get("listing_id" if name == "deal" else name)
        if isinstance(value, str) and limit and len(value) > limit:
            yield f"{name} is {len(value)} characters long; at most {limit} fit"
    yield from _reference_problems(entity, record, checked.ids)
    if entity == "stage_changes":
        yield from _stage_problems(record, checked.ids)


def _reference_problems(entity: str, record: Record, ids: dict[str, set[str]]) -> Iterator[str]:
    for name, kind in record.references.items():
        value = getattr(record, name)
        if value is not None and value not in ids[kind]:
            yield f"{name} {describe(value)} {_dangling(kind)}"
    if entity == "appointments":
        for j, listing in enumerate(record.listings):  # type: ignore[attr-defined]
            if listing not in ids["listings"]:
                yield f"listings[{j}] {describe(listing)} {_dangling('listings')}"
    for (owner, key), _nested in NESTED.items():
        if owner != entity:
            continue
        for j, item in enumerate(getattr(record, key)):
            for name, kind in item.references.items():
                value = getattr(item, name)
                if value not in ids[kind]:
                    yield f"{key}[{j}].{name} {describe(value)} {_dangling(kind)}"


def _stage_problems(record: Record, ids: dict[str, set[str]]) -> Iterator[str]:
    deal = record.deal  # type: ignore[attr-defined]
    if deal in ids["listings"]:
        stages, side = v.ALL_SELLER_STAGES, "a seller stage (the deal is a listing)"
    elif deal in ids["buyer_requests"]:
        stages, side = v.ALL_BUYER_STAGES, "a buyer stage (the deal is a buyer request)"
    else:
        return  # already reported as a dangling deal
    for name in ("from_stage", "to_stage"):
        value = getattr(record, name)
        if value is not None and value not in stages:
            yield f"{name} {describe(value)} is not {side}; use one of {', '.join(stages)}"


def _dangling(kind: str) -> str:
    what = {
        "brokers": "a broker",
        "contacts": "a contact",
        "listings": "a listing",
        "buyer_requests": "a buyer request",
        "deals": "a listing or a buyer request",
    }[kind]
    return f"is not the id of {what} in this file"


def _where(entity: str, index: int, raw: dict[str, Any]) -> str:
    record_id = raw.get("id")
    label = f'id "{record_id}"' if isinstance(record_id, str) else "no id"
    return f"{entity}[{index}] ({label})"


def _explain(entity: str, schema: type[Record], error: ErrorDetails) -> str:
    loc = error["loc"]
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    path = path.lstrip(".")
    kind = error["type"]
    if kind == "missing":
        return f"{path} is missing; it is required"
    if kind == "extra_forbidden":
        nested = NESTED.get((entity, str(loc[0]))) if len(loc) > 1 else None
        allowed = ", ".join((nested or schema).model_fields)
        return f"{path} is not a known field; use {allowed}"
    shown = describe(error.get("input"))
    if kind == "value_error":
        return f"{path} {shown} {error['ctx']['error']}"
    if kind == "string_too_long":
        return f"{path} is longer than {error['ctx']['max_length']} characters"
    return f"{path} {shown} {_TYPE_PROBLEMS.get(kind, error['msg'].lower())}"


def _rejection(problems: list[Problem]) -> InvalidInput:
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
        problems=[problem.text for problem in problems],
    )


def _whole_file_problem() -> str:
    return f"the file must hold one JSON object with a list per entity ({', '.join(ENTITIES)})"


def _row(record: Record, ids: dict[str, set[str]], now: datetime) -> dict[str, Any]:
    """A validated record as table columns, with the contract's defaults filled in."""
    row = record.model_dump()
    if "deal" in row:
        deal = row.pop("deal")
        in_listings = deal is not None and deal in ids["listings"]
        row["listing_id"] = deal if in_listings else None
        row["buyer_request_id"] = deal if deal is not None and not in_listings else None
    if "created_at" in row and row["created_at"] is None:
        row["created_at"] = now
    if "updated_at" in row and row["updated_at"] is None:
        row["updated_at"] = row["created_at"]
    if "nurturing" in row and row["nurturing"] is None:
        row["nurturing"] = (row["timeline_months"] or 0) > 12
    return row
