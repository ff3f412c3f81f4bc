"""Dump the whole store as canonical JSON (SPEC §10): §2 keys, readable names, stable bytes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from crm_store.repositories.transfer import read_rows
from crm_store.transfer.schema import ENTITIES, NESTED, SCHEMAS, Record

_CENT = Decimal("0.01")
_DIGITS = re.compile(r"(\d+)")


def natural_key(record_id: str) -> tuple[tuple[str | int, ...], str]:
    """Sort ids by prefix then number, so "c-2" comes before "c-10"."""
    parts = _DIGITS.split(record_id)
    # split() with a group alternates text, number, text…: equal positions always hold one type.
    chunks = tuple(int(part) if index % 2 else part for index, part in enumerate(parts))
    return chunks, record_id


def export_store(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every record of every entity, ordered by id, with a `<field>_name` beside each reference."""
    rows = {entity: read_rows(session, entity) for entity in ENTITIES}
    names = _Names(rows)
    exported: dict[str, list[dict[str, Any]]] = {}
    for entity, schema in SCHEMAS.items():
        ordered = sorted(rows[entity], key=lambda row: natural_key(row["id"]))
        exported[entity] = [_record(entity, schema, row, names) for row in ordered]
    return exported


def dump_canonical(data: dict[str, Any]) -> str:
    """Stable text: entities in §2 order, two-space indent, UTF-8 as is, a final newline."""
    ordered = {entity: data.get(entity, []) for entity in ENTITIES}
    ordered.update({key: data[key] for key in sorted(data) if key not in ordered})
    return json.dumps(ordered, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def listing_label(row: dict[str, Any]) -> str:
    """How a broker names a listing: its address, else "Villa, Peyia"."""
    if row.get("address"):
        return str(row["address"])
    kind = str(row.get("property_type") or "property").replace("_", " ").capitalize()
    place = row.get("district") or row.get("city")
    return f"{kind}, {place}" if place else kind


class _Names:
    """Readable names of everything a record can point at."""

    def __init__(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        contacts = {row["id"]: row["full_name"] for row in rows["contacts"]}
        listings = {row["id"]: listing_label(row) for row in rows["listings"]}
        buyer_requests = {row["id"]: contacts.get(row["buyer"]) for row in rows["buyer_requests"]}
        self._by_kind: dict[str, dict[str, str | None]] = {
            "brokers": {row["id"]: row["name"] for row in rows["brokers"]},
            "contacts": dict(contacts),
            "listings": dict(listings),
            "buyer_requests": buyer_requests,
            "deals": {**buyer_requests, **listings},
        }

    def of(self, kind: str, record_id: str | None) -> str | None:
        if record_id is None:
            return None
        return self._by_kind[kind].get(record_id)


def _record(
    entity: str, schema: type[Record], row: dict[str, Any], names: _Names
) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for field in schema.model_fields:
        value: Any = _deal_of(row) if field == "deal" else row[field]
        nested = NESTED.get((entity, field))
        if nested is not None:
            record[field] = [_item(nested, item, names) for item in value or []]
        else:
            record[field] = _plain(value)
        kind = schema.references.get(field)
        if kind is not None:
            record[f"{field}_name"] = names.of(kind, value)
    return record


def _deal_of(row: dict[str, Any]) -> str | None:
    return row["listing_id"] or row["buyer_request_id"]


def _item(schema: type[Record], item: dict[str, Any], names: _Names) -> dict[str, Any]:
    """One feedback entry or curated-list entry, in the contract's key order."""
    record: dict[str, Any] = {}
    for field, info in schema.model_fields.items():
        value = item.get(field, info.get_default(call_default_factory=True))
        record[field] = _plain(value)
        kind = schema.references.get(field)
        if kind is not None:
            record[f"{field}_name"] = names.of(kind, value)
    return record


def _plain(value: Any) -> Any:
    """Datetimes as ISO-8601 in UTC with "+00:00", money as a string with 2 decimals."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return f"{value.quantize(_CENT):f}"
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, Decimal)):
        return _plain(value)
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")
