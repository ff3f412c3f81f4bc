"""Load a canonical JSON file into a fresh store: all of it or, on any problem, nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.repositories.base import record, reset_counters
from crm_store.repositories.transfer import insert_rows, nonempty_counts
from crm_store.transfer.schema import ENTITIES
from crm_store.transfer.validate import validate_canonical


def read_canonical(path: Path) -> dict[str, Any]:
    """Parse the file, or raise InvalidInput saying why it cannot be read as canonical JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(
            f"There is no file at {path}. Check the path and try again.",
            f"Файла {path} нет. Проверьте путь и попробуйте снова.",
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{path} is not UTF-8 text. Save it as UTF-8 JSON and try again.",
            f"{path} — не текст в UTF-8. Сохраните его как JSON в UTF-8 и попробуйте снова.",
        ) from None
    except OSError as error:
        raise InvalidInput(
            f"Cannot read {path}: {error.strerror or error}. Check the path and permissions.",
            f"Не удаётся прочитать {path}: {error.strerror or error}. Проверьте путь и права.",
        ) from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as error:
        where = (
            f" (line {error.lineno}, column {error.colno}: {error.msg})"
            if isinstance(error, json.JSONDecodeError)
            else f" ({error})"
        )
        raise InvalidInput(
            f"{path} is not valid JSON{where}. Fix it and import again.",
            f"{path} — некорректный JSON{where}. Исправьте и повторите импорт.",
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{path} must hold one JSON object with a list per entity "
            f"({', '.join(ENTITIES)}); it holds a {type(data).__name__}.",
            f"{path} должен содержать один JSON-объект со списком для каждой сущности "
            f"({', '.join(ENTITIES)}).",
        )
    return data


def import_store(ctx: Ctx, data: dict[str, Any]) -> dict[str, int]:
    """Insert every record of a canonical document into an empty store; counts per entity."""
    existing = nonempty_counts(ctx.session)
    if existing:
        held = ", ".join(f"{n} {entity}" for entity, n in existing.items())
        raise InvalidInput(
            f"The store already holds data ({held}); an import never merges into it. "
            "Import into a fresh store: point COPILOT_DATABASE_URL at a new, empty database "
            "(or a new SQLite file) and run the import again.",
            f"В хранилище уже есть данные ({held}); импорт никогда их не объединяет. "
            "Импортируйте в новое хранилище: укажите в COPILOT_DATABASE_URL новую пустую "
            "базу (или новый файл SQLite) и повторите импорт.",
        )
    rows = validate_canonical(data, now=ctx.now())
    for entity in ENTITIES:
        insert_rows(ctx.session, entity, rows[entity])
    reset_counters(ctx.session)
    counts = {entity: len(rows[entity]) for entity in ENTITIES}
    record(ctx, action="import", entity="store", entity_id="canonical_json", changes=counts)
    return counts


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
