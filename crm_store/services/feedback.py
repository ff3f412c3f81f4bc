"""Showing feedback: a client's reaction to each listing, in whatever words it was given."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crm_store.errors import InvalidInput
from crm_store.vocabulary import REACTIONS

# What brokers (and extractors) say for a reaction, folded onto the vocabulary.
_REACTION_WORDS = {
    "like": "liked",
    "loved": "liked",
    "love": "liked",
    "понравилось": "liked",
    "понравился": "liked",
    "понравилась": "liked",
    "dislike": "disliked",
    "не понравилось": "disliked",
    "не понравился": "disliked",
    "не понравилась": "disliked",
    "ok": "neutral",
    "so-so": "neutral",
    "нейтрально": "neutral",
    "так себе": "neutral",
}


def _reaction(value: Any) -> str:
    key = str(value or "").strip().lower()
    key = _REACTION_WORDS.get(key, key)
    if key not in REACTIONS:
        raise InvalidInput(
            f"'{value}' is not a reaction; use {', '.join(REACTIONS)}.",
            f"«{value}» — не реакция; используйте {', '.join(REACTIONS)}.",
        )
    return key


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def feedback_items(feedback: Iterable[Any]) -> list[dict[str, Any]]:
    """Validated {listing, reaction, text} dicts; a later item on the same listing wins."""
    items: dict[str, dict[str, Any]] = {}
    for item in feedback:
        listing = str(_field(item, "listing") or "").strip()
        if not listing:
            raise InvalidInput(
                "Each feedback item names the listing it is about.",
                "В каждом отзыве укажите объект, к которому он относится.",
            )
        text = str(_field(item, "text") or "").strip() or None
        items[listing] = {
            "listing": listing,
            "reaction": _reaction(_field(item, "reaction")),
            "text": text,
        }
    return list(items.values())


def merge_feedback(current: list[Any], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per listing: the same item twice is kept once, a new reaction replaces the old."""
    merged: dict[str, dict[str, Any]] = {}
    for item in current:
        if isinstance(item, dict) and item.get("listing"):
            merged[str(item["listing"])] = dict(item)
    for item in new:
        old = merged.get(item["listing"], {})
        merged[item["listing"]] = {**item, "text": item["text"] or old.get("text")}
    return list(merged.values())
