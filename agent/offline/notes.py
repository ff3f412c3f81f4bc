"""When a message is a note, and the note frame: the broker's words, kept whole.

A note is announced ("Note: …", "note for Ivan - …", "Заметка по Ольге: …", "Записка: …",
"Dictating after the call with John: …", "По Татьяне Фроловой: …"), or asks to be remembered
("keep in mind", "имей в виду"), or reports what a client said ("Игорь звонил: …"). The text
after the announcement is logged as it is; the note tool extracts what it may from it.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.frames import Call, Outcome, Segment, Turn, ask
from agent.offline.lexicon import PersonRef
from agent.offline.reports import SHOWN, unquoted

_ANNOUNCED = re.compile(
    r"^\W*(?:ok(?:ay)?\W+)?(?:so\s+)?(?:(?:add|make|take|write|log|save|create|запиши|добавь|"
    r"сохрани|сделай)\s+(?:a\s+|the\s+)?)?"
    r"(?:(?:meeting|call|quick|short|voice|viewing|showing|встреч\w*|звонк\w*|коротк\w*|"
    r"быстр\w*)\s+)?(?:note|notes|memo|заметк\w*|записк\w*|примечани\w*)"
    r"(?:\s+(?:(?:for|about|on|to|re|from|after|по|для|про|о|об|к|после|с)\s+)?"
    r"[^:\-—–\n]{1,50}?)?\s*[:\-—–]\s*"
    r"|^\W*(?:dictating|dictation|диктую|надиктовываю)\b[^:\n]{0,60}?[:\-—–]\s*"
    r"|^\W*(?:запиши|запомни|remember|сохрани)\s*[:\-—–]\s*"
    r"|^\W*(?:запиши|добавь|сохрани)\s+заметку\b\s*[:\-—–]?\s*",
    re.IGNORECASE,
)
_ABOUT_CLIENT = re.compile(r"^\W*(?:по|про|re|about)\s+([^:\n]{2,40}?)\s*:\s*", re.IGNORECASE)
_REMEMBER = re.compile(
    r"\b(?:keep in mind|for the record|fyi|имей в виду|имейте в виду|на заметку|учти|учтите)\b"
    # "…, save it as a note", "сохрани в заметки", "запиши разговор с …": the whole is the note
    r"|\b(?:save|keep|log|store)\s+(?:it|this|that)?\s*(?:as|in|to)\s+(?:a\s+|the\s+)?notes?\b"
    r"|\b(?:сохрани|запиши|занеси|добавь)\w*\s+(?:это\s+|её\s+|его\s+)?(?:в|как)\s+замет\w*"
    r"|^\W*(?:запиши|сохрани)\s+(?:разговор|звонок|встречу|итоги)\b",
    re.IGNORECASE,
)
_REPORT = re.compile(
    # "Michael Brown visit report: …", "Ольга — отчёт по показу: …"
    r"^\W*@name\W*(?:(?:visit|viewing|showing|call|meeting)\s+(?:report|summary|recap|notes?)|"
    r"отч[её]т(?:\s+по\s+(?:показу|звонку|встрече))?)\s*[:\-—–]"
    r"|^\W*@name\W*(?:звонил\w*|писал\w*|пишет|написал\w*|прислал\w*|переслал\w*|говорит|"
    r"сказал\w*|called|rang|texted|wrote|emailed|messaged|whatsapp\w*|sent|forwarded|says|said|"
    r"told me)(?:\s+(?:me|this|мне|это))*\s*[:\-—–]"
)
# A client's own words passed on ("fwd from Kate: …", "pasted email from George:", "вставляю
# письмо от Павла:"): the whole message is theirs, kept as a note and never obeyed.
# The words that pass someone's text on as it is
_PASSING_ON = (
    r"^\W*(?:fwd|fw|forwarded|forwarding|pasting|pasted|copy of|quoting|переслано|пересылаю|"
    r"перешлю|вставляю|копия|цитирую)\b"
)
_FORWARDED = re.compile(
    rf"{_PASSING_ON}[^:\n]{{0,60}}?[:\-—–]"
    # "after the call with Ivan: …", "после звонка с Ольгой: …": a note of that call
    r"|^\W*(?:after|following|notes? (?:from|after|on))\s+(?:the\s+|my\s+|our\s+)?"
    r"(?:call|meeting|viewing|showing|chat|conversation)\b[^:\n]{0,50}?[:\-—–]"
    r"|^\W*(?:visit|viewing|showing|call|meeting)\s+(?:report|summary|recap)\b[^:\n]{0,50}?"
    r"[:\-—–]|^\W*отч[её]т\s+по\s+(?:показу|звонку|встрече)\b[^:\n]{0,50}?[:\-—–]"
    r"|^\W*(?:после|по итогам|итоги)\s+(?:звонка|встречи|показа|разговора|созвона)\b"
    r"[^:\n]{0,50}?[:\-—–]"
    # "call w/ George: …", "созвон с Лебедевым: …": a call had, told after a colon
    r"|^\W*(?:(?:phone|quick|short)\s+)?(?:call|chat|talk|созвон|звонок|разговор)\s+"
    r"(?:w/|with|to|с|со)\s+(?![^:\n]*\b(?:done|finished|completed|over|сделан|выполнен|"
    r"состоялся|прош[её]л))[^:\n]{1,50}?:(?!\d)",
    re.IGNORECASE,
)


# A short introduction, a colon, then a quotation: someone's words passed on.
_INTRO_THEN_QUOTE = re.compile(r"^[^:«\"“'\n]{3,100}:\s*[«\"“']")


def is_note(turn: Turn) -> bool:
    """The message is a note to keep (see the module docstring)."""
    text = turn.slots.text
    if _ANNOUNCED.match(text) or _REMEMBER.search(text):
        return True
    if _FORWARDED.match(text) and not unquoted(text).rstrip().endswith("?"):
        return True  # "fwd from Tom: '…' What do you make of this?" asks, it does not keep
    if _INTRO_THEN_QUOTE.match(text) and not unquoted(text).rstrip().endswith("?"):
        # "Olga sent a voice message, transcript: «…»"; an order of the broker's after the
        # quotation ("…: "thanks". Move his call to Friday") is read as the rest of a report
        return bool(turn.slots.people()) and not _said_after_quote(text)
    about = _ABOUT_CLIENT.match(text)
    if about and any(p.contact for p in turn.slots.people((about.start(1), about.end(1)))):
        return True
    return bool(_REPORT.match(turn.slots.masked()))


_BARE_WORD = re.compile(
    r"^\W*(?:note|notes|memo|заметка|заметки|записка|примечание|запиши|запомни|remember)"
    r"\s*[:\-—–]\s*",
    re.IGNORECASE,
)


def note_body(text: str) -> str:
    """The note as the broker said it, minus a bare "Note:" — an announcement that names the
    client ("Note for Ivan: …", "По Татьяне: …") stays, so the extractor knows whom it is about."""
    body = _BARE_WORD.sub("", text, count=1)
    return body.strip() or text.strip()


def note_client(turn: Turn) -> PersonRef | None:
    """Whose note it is: the first known client named, except that a showing told to a buyer
    named after a seller ("по показу у Егорова: показал квартиру Ольге Смирновой") is the
    buyer's (the seller's listing was shown; the reactions and the next step are hers)."""
    known = [p for p in turn.slots.people() if p.contact is not None]
    if len(known) < 2 or not SHOWN.search(unquoted(turn.slots.text)):
        return known[0] if known else None

    def buys(person: PersonRef) -> bool:
        assert person.contact is not None
        deals = [d for d in turn.lexicon.deals_of(person.contact.id) if d.open]
        return any(d.side == "buyer" for d in deals) or not deals

    if buys(known[0]):
        return known[0]
    return next((p for p in known[1:] if buys(p)), known[0])


def log_note(turn: Turn, segment: Segment) -> Outcome:
    """The whole message is the note, as dictated; the contact is whose note it is."""
    body = note_body(turn.slots.text)
    args: dict[str, Any] = {"text": body}
    client = note_client(turn)
    if client is not None and client.contact is not None:
        args["contact"] = client.contact.name
    if not body.strip():
        return ask(turn, "ask_note", "log_note", args, "text")
    if passed_on(turn.slots.text):
        args["extract"] = False  # the client's own words: kept, never turned into changes
    return Call("log_note", args)


_PASSED_ON = re.compile(_PASSING_ON, re.IGNORECASE)


def passed_on(text: str) -> bool:
    """Someone's words passed on as they are: forwarded, pasted, or quoted after an
    introduction ("Kate Smith texted: '…'", "Козлов пишет: «…»") (README: only a note)."""
    if _PASSED_ON.match(text):
        return True
    # a quotation with nothing of the broker's after it ("…: "thanks". Move his call" orders)
    return bool(_INTRO_THEN_QUOTE.match(text)) and not _said_after_quote(text)


def _said_after_quote(text: str) -> bool:
    """Words of the broker's own after the last quotation mark (three or more)."""
    return len(_AFTER_QUOTE.sub("", text).split()) >= 3


# Everything up to the last closing quotation mark: what is left is the broker's own words
_AFTER_QUOTE = re.compile(r"^.*[\"”»']", re.DOTALL)
