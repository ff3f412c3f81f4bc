"""Check a whole canonical JSON document before anything is written; turn it into table rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from pydantic import ValidationError

from crm_store import vocabulary as v
from crm_store.repositories.transfer import string_limits
from crm_store.transfer.fields import describe
from crm_store.transfer.problems import (
    Problem,
    dangling,
    explain,
    rejection,
    where,
    whole_file_problem,
)
from crm_store.transfer.schema import ENTITIES, NESTED, SCHEMAS, Record

# Values that must be unique across the file, not only ids (unique columns in the store).
_UNIQUE_KEYS = ("dedupe_key", "telegram_user_id", "slack_user_id")


@dataclass(frozen=True)
class _Shape:
    """What the checks need to know about one entity, worked out once."""

    entity: str
    position: int
    schema: type[Record]
    references: tuple[tuple[str, str], ...]
    nested: dict[str, type[Record]]
    ignored: frozenset[str]
    nested_ignored: frozenset[str]
    limits: tuple[tuple[str, int], ...]
    unique: tuple[str, ...]


@cache
def _shapes() -> tuple[_Shape, ...]:
    shapes = []
    for position, (entity, schema) in enumerate(SCHEMAS.items()):
        fields = set(schema.model_fields)
        nested = {key: model for (owner, key), model in NESTED.items() if owner == entity}
        column_limits = string_limits(entity)
        column_limits.setdefault("deal", column_limits.get("listing_id", 0))
        shapes.append(
            _Shape(
                entity=entity,
                position=position,
                schema=schema,
                references=tuple(schema.references.items()),
                nested=nested,
                ignored=frozenset(f"{ref}_name" for ref in schema.references),
                nested_ignored=frozenset(
                    f"{ref}_name" for model in nested.values() for ref in model.references
                ),
                limits=tuple((f, n) for f, n in column_limits.items() if f in fields and n),
                unique=tuple(key for key in _UNIQUE_KEYS if key in fields),
            )
        )
    return tuple(shapes)


def validate_canonical(data: Any, *, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Table rows per entity ready to insert, or one InvalidInput listing what is wrong."""
    problems: list[Problem] = []
    valid: dict[str, list[tuple[int, dict[str, Any]]]] = {entity: [] for entity in ENTITIES}
    rejected: dict[str, list[tuple[int, dict[str, Any]]]] = {entity: [] for entity in ENTITIES}
    ids: dict[str, set[str]] = {entity: set() for entity in ENTITIES}
    if not isinstance(data, dict):
        raise rejection([Problem(-1, -1, whole_file_problem())])
    for key in data:
        if key not in SCHEMAS:
            problems.append(Problem(-1, -1, f'unknown entity "{key}"; use {", ".join(ENTITIES)}'))
    for shape in _shapes():
        raw_records = data.get(shape.entity, [])
        if not isinstance(raw_records, list):
            problems.append(Problem(shape.position, -1, f"{shape.entity} is not a list"))
            continue
        for index, raw in enumerate(raw_records):
            _check_record(shape, index, raw, problems, valid, rejected, ids)
    ids["deals"] = ids["listings"] | ids["buyer_requests"]
    for shape in _shapes():
        _check_across(shape, valid[shape.entity], ids, problems)
        for index, raw in rejected[shape.entity]:
            # Its own schema failed, yet where it points can still be wrong: say so now.
            for text in _references(shape, raw, ids, nested=False):
                problems.append(
                    Problem(shape.position, index, f"{where(shape.entity, index, raw)}: {text}")
                )
    if problems:
        raise rejection(problems)
    return {
        entity: [_as_row(record, ids, now) for _, record in records]
        for entity, records in valid.items()
    }


def _check_record(
    shape: _Shape,
    index: int,
    raw: Any,
    problems: list[Problem],
    valid: dict[str, list[tuple[int, dict[str, Any]]]],
    rejected: dict[str, list[tuple[int, dict[str, Any]]]],
    ids: dict[str, set[str]],
) -> None:
    """One record against its own schema; every id the file declares is noted either way."""
    if not isinstance(raw, dict):
        problems.append(Problem(shape.position, index, f"{shape.entity}[{index}] is not an object"))
        return
    if isinstance(raw.get("id"), str):
        ids[shape.entity].add(raw["id"])
    try:
        record = shape.schema.model_validate(_without_names(shape, raw))
    except ValidationError as error:
        at = where(shape.entity, index, raw)
        problems.extend(
            Problem(shape.position, index, f"{at}: {explain(shape.schema, shape.nested, e)}")
            for e in error.errors()
        )
        rejected[shape.entity].append((index, raw))
        return
    valid[shape.entity].append((index, record.model_dump()))


def _without_names(shape: _Shape, raw: dict[str, Any]) -> dict[str, Any]:
    """Drop the readable `<field>_name` siblings: optional, and never trusted on import."""
    clean = (
        raw
        if shape.ignored.isdisjoint(raw)
        else {key: value for key, value in raw.items() if key not in shape.ignored}
    )
    for key in shape.nested:
        items = clean.get(key)
        if isinstance(items, list) and any(
            isinstance(item, dict) and not shape.nested_ignored.isdisjoint(item) for item in items
        ):
            clean = dict(clean)
            clean[key] = [
                {k: x for k, x in item.items() if k not in shape.nested_ignored}
                if isinstance(item, dict)
                else item
                for item in items
            ]
    return clean


def _check_across(
    shape: _Shape,
    records: list[tuple[int, dict[str, Any]]],
    ids: dict[str, set[str]],
    problems: list[Problem],
) -> None:
    """What no single record can tell: unique ids and keys, and references that resolve."""
    seen: dict[str, int] = {}
    unique: dict[str, dict[Any, int]] = {key: {} for key in shape.unique}
    for index, record in records:
        texts = list(_record_problems(shape, index, record, ids, seen, unique))
        if texts:
            at = where(shape.entity, index, record)
            problems.extend(Problem(shape.position, index, f"{at}: {text}") for text in texts)


def _record_problems(
    shape: _Shape,
    index: int,
    record: dict[str, Any],
    ids: dict[str, set[str]],
    seen: dict[str, int],
    unique: dict[str, dict[Any, int]],
) -> Iterator[str]:
    record_id: str = record["id"]
    if record_id in seen:
        first = f"{shape.entity}[{seen[record_id]}]"
        yield f'id "{record_id}" is already used by {first}; ids are unique'
    else:
        seen[record_id] = index
    if shape.entity == "buyer_requests" and record_id in ids["listings"]:
        yield "id is also a listing id; a deal id must name exactly one listing or buyer request"
    for key, earlier in unique.items():
        value = record[key]
        if value is None:
            continue
        if value in earlier:
            yield f"{key} {describe(value)} is already used by {shape.entity}[{earlier[value]}]"
        else:
            earlier[value] = index
    for name, limit in shape.limits:
        value = record[name]
        if isinstance(value, str) and len(value) > limit:
            yield f"{name} is {len(value)} characters long; at most {limit} fit"
    yield from _references(shape, record, ids, nested=True)
    if shape.entity == "stage_changes":
        yield from _stage_problems(record, ids)


def _references(
    shape: _Shape, record: dict[str, Any], ids: dict[str, set[str]], *, nested: bool
) -> Iterator[str]:
    for name, kind in shape.references:
        value = record.get(name)
        if isinstance(value, str) and value not in ids[kind]:
            yield dangling(name, value, kind)
    if not nested:
        return
    if shape.entity == "appointments":
        for j, listing in enumerate(record["listings"]):
            if listing not in ids["listings"]:
                yield dangling(f"listings[{j}]", listing, "listings")
    for key, model in shape.nested.items():
        for j, item in enumerate(record[key]):
            for name, kind in model.references.items():
                if item[name] not in ids[kind]:
                    yield dangling(f"{key}[{j}].{name}", item[name], kind)


def _stage_problems(record: dict[str, Any], ids: dict[str, set[str]]) -> Iterator[str]:
    """A move's stages belong to the side of the deal it moved."""
    deal = record["deal"]
    if deal in ids["listings"]:
        stages, side = v.ALL_SELLER_STAGES, "a seller stage (the deal is a listing)"
    elif deal in ids["buyer_requests"]:
        stages, side = v.ALL_BUYER_STAGES, "a buyer stage (the deal is a buyer request)"
    else:
        return  # already reported as a dangling deal
    for name in ("from_stage", "to_stage"):
        value = record[name]
        if value is not None and value not in stages:
            yield f"{name} {describe(value)} is not {side}; use one of {', '.join(stages)}"


def _as_row(record: dict[str, Any], ids: dict[str, set[str]], now: datetime) -> dict[str, Any]:
    """A validated record as table columns, with the contract's defaults filled in."""
    if "deal" in record:
        deal = record.pop("deal")
        in_listings = deal is not None and deal in ids["listings"]
        record["listing_id"] = deal if in_listings else None
        record["buyer_request_id"] = deal if deal is not None and not in_listings else None
    if record.get("created_at", now) is None:
        record["created_at"] = now
    if "updated_at" in record and record["updated_at"] is None:
        record["updated_at"] = record["created_at"]
    if "expires_at" in record and record["expires_at"] is None:
        record["expires_at"] = record["created_at"]  # a proposal with no expiry has lapsed
    if "nurturing" in record and record["nurturing"] is None:
        record["nurturing"] = (record["timeline_months"] or 0) > 12
    return record
