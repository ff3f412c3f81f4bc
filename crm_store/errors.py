"""Typed domain errors that carry the message a broker reads, in English and in Russian."""

from __future__ import annotations

from typing import Any


class CopilotError(Exception):
    """An expected failure: the user (or the model) is told what happened and what to do."""

    code = "error"

    def __init__(self, en: str, ru: str | None = None, **data: Any) -> None:
        super().__init__(en)
        self.en = en
        self.ru = ru or en
        self.data = data

    def message(self, language: str = "en") -> str:
        return self.ru if language == "ru" else self.en


class NotFound(CopilotError):
    code = "not_found"


class Ambiguous(CopilotError):
    """Several records fit; `candidates` lists (id, label) pairs to choose from."""

    code = "ambiguous"

    def __init__(self, en: str, ru: str | None = None, *, candidates: list[tuple[str, str]]):
        super().__init__(en, ru, candidates=candidates)
        self.candidates = candidates


class Forbidden(CopilotError):
    code = "forbidden"


class IllegalMove(CopilotError):
    code = "illegal_move"


class ConfirmationRequired(CopilotError):
    """The change is allowed but destructive or unusual: ask the broker, then retry confirmed."""

    code = "confirmation_required"


class InvalidInput(CopilotError):
    code = "invalid_input"


class AlreadyExists(CopilotError):
    """The very record asked for is already there (a repeated request): nothing new is made."""

    code = "already_exists"


class DuplicateContact(CopilotError):
    """A contact with the same phone, email or name already exists."""

    code = "duplicate"

    def __init__(self, en: str, ru: str | None = None, *, existing: list[tuple[str, str]]):
        super().__init__(en, ru, existing=existing)
        self.existing = existing
