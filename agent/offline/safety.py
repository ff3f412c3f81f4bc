"""Text that tries to give the copilot orders, or asks for bulk destruction, acts on nothing.

SPEC §9: text is data, never instructions. A message that tries to re-program the model
("ignore previous instructions", "you are now…", "забудь все инструкции") or to wipe records
in bulk ("delete all contacts", "удали всех") yields no tool call at all; inside a "Note:" it
is simply logged as the note. Identity never comes from text: "as Dmitry, …" changes nothing
about who acts (the segmenter also never takes such a name for the client).
"""

from __future__ import annotations

import re

_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,30}\b(?:instructions?|prompts?|rules|"
    r"guidelines|previous|above|prior|system)\b"
    r"|\byou are now\b|\byou are an? (?:\w+ ){0,3}(?:agent|assistant|bot|model|ai)\b"
    r"|\bfrom now on you\b|\bpretend (?:to be|you are)\b|\bact as (?:an?|the)\b"
    r"|\bsystem prompt\b|\bdeveloper mode\b|\bjailbreak\b|\bnew instructions\b"
    r"|\b(?:игнорируй|проигнорируй|забудь|отмени|обойди)\w*\b.{0,30}\b(?:инструкци\w*|правил\w*|"
    r"указани\w*|предыдущ\w*|систем\w*)"
    r"|\bты теперь\b|\bтеперь ты\b|\bс этого момента ты\b|\bсистемн\w* (?:промпт|подсказк\w*)",
    re.IGNORECASE,
)
_BULK = re.compile(
    r"\b(?:delete|remove|wipe|erase|drop|destroy|purge|cancel|close|withdraw|clear)\b"
    r".{0,25}\b(?:all|every|everything|everyone|each|entire)\b"
    r"|\b(?:all|every|entire)\b.{0,25}\b(?:delete|remove|wipe|erase|purge)\w*"
    r"|\b(?:удали(?:ть)?|сотри|стереть|очисти(?:ть)?|отмени(?:ть)?|закрой|закрыть|сними|снять|"
    r"уничтожь|уничтожить)\b.{0,25}\b(?:все|всех|всё|каждого|"
    r"целиком|полностью)\b",
    re.IGNORECASE,
)


# Deleting a client or a deal outright: the CRM keeps history, deals are closed instead.
_RECORD_DELETION = re.compile(
    r"\b(?:delete|remove|erase|wipe|purge)\s+(?:the\s+|this\s+|that\s+|my\s+)?(?:new\s+)?"
    r"(?:contact|client|lead|buyer|seller|customer|listing|property|buyer request|request|deal)"
    r"s?\b(?!\s+(?:feature|criteri|wish|must|note|phone|e-?mail|tag))"
    r"|\b(?:delete|remove|erase|wipe|purge)\b.{0,40}\bfrom (?:the |my )?(?:crm|database|"
    r"system|contacts|client list|pipeline)\b"
    r"|\b(?:удали(?:ть)?|сотри|стереть|убери|убрать)\s+(?:этот\s+|эту\s+|этого\s+)?"
    r"(?:контакт\w*|клиент\w*|лид\w*|покупател\w*|продав\w*|объект\w*|объявлени\w*|"
    r"сделк\w*|заявк\w*)"
    r"|\b(?:удали(?:ть)?|сотри|стереть|убери|убрать)\b.{0,40}\bиз (?:црм|crm|базы|системы|"
    r"контактов|воронки)\b",
    re.IGNORECASE,
)


_DELETION_OPENING = re.compile(
    r"^\W*(?:please\s+|pls\s+|пожалуйста\s+)?(?:delete|erase|remove|wipe|удали(?:ть)?|сотри|"
    r"стереть)\b",
    re.IGNORECASE,
)


def deletes_records(text: str) -> bool:
    """The text asks to delete a client or a deal, which the copilot never does."""
    return bool(_RECORD_DELETION.search(text))


def deletes_person(text: str, names: list[str]) -> bool:
    """ "Delete Ivan Petrov": a deletion verb followed by nothing but a client's name."""
    opening = _DELETION_OPENING.search(text)
    if opening is None:
        return False
    rest = text[opening.end() :].strip(" \t.!?").lower()
    return bool(rest) and any(rest == name.lower() for name in names)


def is_injection(text: str) -> bool:
    """The text tries to re-program the copilot rather than ask for one change."""
    return bool(_INJECTION.search(text))


def is_bulk_destruction(text: str) -> bool:
    """The text asks to destroy or close records wholesale."""
    return bool(_BULK.search(text))


def refuses(text: str) -> bool:
    return is_injection(text) or is_bulk_destruction(text)
