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
    r"|\bты теперь\b|\bтеперь ты\b|\bс этого момента ты\b|\bсистемн\w* (?:промпт|подсказк\w*)"
    # a role or markup tag written into the text ("</note>", "SYSTEM:", "[INST]", "### SYSTEM"):
    # a chat message is never the system speaking
    r"|</?(?:note|system|assistant|user|instructions?|inst|sys|admin)>|\[/?(?:inst|sys|system)\]"
    r"|<<\s*sys\s*>>|#{2,}\s*system\b|(?:^|\n)\W*(?:system|assistant|система|систем\w*)\s*:",
    re.IGNORECASE,
)
_BULK = re.compile(
    r"\b(?:delete|remove|wipe|erase|drop|destroy|purge|cancel|close|withdraw|clear)\b"
    r".{0,25}\b(?:all|every|everything|everyone|each|entire)\b"
    r"|\b(?:all|every|entire)\b.{0,25}\b(?:delete|remove|wipe|erase|purge)\w*"
    r"|\b(?:удали(?:ть|те)?|сотри(?:те)?|стереть|очисти(?:ть|те)?|отмени(?:ть|те)?|закрой(?:те)?|"
    r"закрыть|сними(?:те)?|снять|уничтожь(?:те)?|уничтожить)\b.{0,25}\b(?:все|всех|всё|каждого|"
    r"целиком|полностью)\b",
    re.IGNORECASE,
)


# Deleting a client or a deal outright ("delete contact Ivan Petrov", "удали клиента Ивана"):
# the CRM keeps history, deals are closed instead. Only a whole message that is just that
# order counts; "remove client Ivan's follow-up" is about a reminder, not the client.
_RECORD_DELETION = re.compile(
    r"^\W*(?:please\s+|pls\s+|пожалуйста\s+)?"
    r"(?:(?:delete|remove|erase|wipe|purge)\s+(?:the\s+|this\s+|that\s+|my\s+)?(?:new\s+)?"
    r"(?:contact|client|lead|buyer|seller|customer|listing|property|buyer request|request|deal)s?"
    r"|(?:удали(?:ть)?|сотри|стереть|убери|убрать)\s+(?:этот\s+|эту\s+|этого\s+)?"
    r"(?:контакт\w*|клиент\w*|лид\w*|покупател\w*|продав\w*|объект\w*|объявлени\w*|сделк\w*|"
    r"заявк\w*))"
    r"(?P<rest>[^,.;!?]{0,60})[.!]?\s*$"
    r"|^\W*(?:please\s+)?(?:delete|remove|erase|wipe|purge|удали(?:ть)?|сотри|убери)\s+"
    r"(?P<who>[^,.;!?]{1,40}?)\s+(?:from|из)\s+(?:the\s+|my\s+)?(?:crm|database|system|"
    r"contacts|client list|pipeline|црм|базы|системы|контактов|воронки)\W*$",
    re.IGNORECASE,
)
# What the order is really about when it names one of these: a reminder, a showing, a list.
_NOT_THE_RECORD = re.compile(
    r"follow[ -]?up|reminder|call|task|showing|viewing|shortlist|list|note|phone|e-?mail|"
    r"feature|criteri|wish|must|tag|напоминани|звон|задач|показ|подборк|список|заметк|телефон|"
    r"почт|пожелани",
    re.IGNORECASE,
)


def deletes_records(text: str) -> bool:
    """The text asks to delete a client or a deal, which the copilot never does."""
    found = _RECORD_DELETION.search(text)
    if found is None:
        return False
    about = found.group("rest") or found.group("who") or ""
    return not _NOT_THE_RECORD.search(about)


_DELETION_OPENING = re.compile(
    r"^\W*(?:please\s+|pls\s+|пожалуйста\s+)?(?:delete|erase|remove|wipe|удали(?:ть)?|сотри|"
    r"стереть)\b",
    re.IGNORECASE,
)


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
