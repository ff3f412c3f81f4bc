"""When a message reports what happened rather than giving an order: the report is a note.

A broker's report ("Ivan called, wants to go up to 550k. Call him Friday", "созвонился с
Ольгой, бюджет поднимают до 700к") gives the copilot no order: what it implies (a budget, a
showing's feedback, the next call) is inferred, so the message is kept as a note and its facts
are proposed, never written directly (issue #10). An order to the copilot anywhere outside
quotes ("…, move it to wishes", "закрой запрос", "pls") keeps the message a command; quoted
words are the client's, never the broker's, and never count as orders.
"""

from __future__ import annotations

import re

from agent.offline.frames import Turn
from agent.offline.segment import REMINDER_ANYWHERE, clause_spans

# A quotation: the client's words (never orders to the copilot, never the broker's report).
_QUOTED = re.compile(
    r"(?<!\w)'[^'\n]{2,}'(?!\w)|\"[^\"\n]{2,}\"|«[^»\n]{2,}»|“[^”\n]{2,}”|‘[^’\n]{2,}’"
)
# Verbs that open an order to the copilot (a clause's first word). Calls, messages and
# meetings are not here: "call him Friday" inside a report is the broker's own next step.
_ORDER = re.compile(
    # (a line break opens from the start of its run of spaces, so a long run is scanned once)
    r"(?:^|[.;!?,:(]|(?<!\s)[^\S\n]*+\n|\s[-—–]+|\band\b|\bthen\b|\bpls\b|\bplease\b)\s*+"
    r"(?:pls\s+|please\s+|also\s+|now\s+)?"
    r"(?:add|set|change|update|move|push|book|schedule|remind|register|create|mark|tick|"
    r"cancel|reschedule|postpone|close|reopen|withdraw|reduce|lower|drop|raise|increase|put|"
    r"take|remove|delete|log|save|record|make|assign|reassign|list|find|show|give|tell|"
    r"note down|write down|keep|bump|switch|swap|replace|rename|fix|correct|undo|copy|"
    r"match|send me)\b",
    re.IGNORECASE,
)
# A deal action the broker announces for "us" ("we're moving to deal signing"), as in Russian
# "снимаем с продажи": a decision, so an order.
_WE_DECIDE = re.compile(
    r"\b(?:we(?:'re| are|'ll| will)|i(?:'m| am|'ll| will))\s+(?:now\s+)?(?:moving|closing|"
    r"withdrawing|putting|taking|marking|dropping|reducing|move|close|withdraw|put|mark|drop|"
    r"reduce)\b",
    re.IGNORECASE,
)
_POLITE = re.compile(r"\b(?:pls|plz|please|пожалуйста|плиз|плз)\b|->|→", re.IGNORECASE)
_QUESTION = re.compile(
    r"\?\s*$|^\W*(?:who|what|which|when|where|how|any|is there|are there|do i|do we|did|кто|что|"
    r"какие|какой|какая|когда|где|сколько|есть ли|покажи)\b",
    re.IGNORECASE,
)
# How brokers open or tell a report (English); Russian reports are told by a past-tense verb.
_TOLD = re.compile(
    r"\b(?:called|rang|phoned|texted|emailed|messaged|whatsapped|wrote|said|says|told|agreed|"
    r"agrees|asked|asks|spoke|talked|picked up|came back|came by|dropped by|met|showed|took|"
    r"viewed|visited|liked|loved|hated|didn't like|signed|sent over|forwarded|fwd|pasting|"
    r"copy of|notes? (?:from|on|re|about)|update on|fyi|voice memo|quick note|bumped into|"
    r"happy with|thinks|would take|would accept|ok to|fine with|changed (?:his|her|their) mind|"
    r"got an offer|off the phone|spoke (?:to|with)|"
    r"had an? (?:\w+ )?(?:call|chat|word|meeting|talk)|(?:first|second|quick|short) call with|"
    # a client's bid on a listing: told, never the client's budget
    r"(?:wants?|going|plans?) to (?:offer|bid)|made an offer|offered)\b",
    re.IGNORECASE,
)
# "Peter Walsh accepted…", "she agreed…", "they went…": a client's past, told by the broker.
_DID = re.compile(
    r"(?:@name|\b(?:he|she|they))\s+(?:just\s+|finally\s+|also\s+|already\s+)?(?:[a-z]{3,}ed|"
    r"went|came|said|told|took|saw|met|got|gave|made|paid|sent|left|bought|sold|found|spoke|"
    r"rang|wrote|thought|felt|brought|kept|chose|signed)\b",
    re.IGNORECASE,
)
_TOLD_RU = re.compile(
    r"\b(?:итоги|после (?:звонка|встречи|показа|разговора)|по звонку|переслан\w*|перешлю|"
    r"со слов|говорит|просит|просят|согласен|согласна|согласны)\b",
    re.IGNORECASE,
)
# A client's bid on a listing ("wants to offer 1.05m", "предложение 470к"): told, never the
# client's budget or search.
BID = re.compile(r"\b(?:offer\w*|bid\w*|оффер\w*|предлож\w*)\b")
_CYRILLIC_WORD = re.compile(r"[а-яё]+", re.IGNORECASE)
# "Ivan: sea view is a must now" — a client named, then what they said or did.
_NAME_OPENS = re.compile(r"^\W*@name\s*(?:[:\-—–]|\(|,)")


# A showing told with the client's reaction: feedback on the showing (SPEC), never a change to
# the listing's facts or the buyer's request ("too small, no garden" is not a criterion).
SHOWN = re.compile(
    r"\b(?:showed|shown|showing|viewing|viewed|came (?:to see|back to see|round)|saw|seen|visited|"
    r"(?:first|second|third|another) visit|visit to|"
    r"looked at|took (?:\S+ ){1,5}?(?:to|round|around)\b|second look|walk-?through|"
    r"показал\w*|показывал\w*|посмотрел\w*|смотрел\w*|смотрели|были на|просмотр\w*|показ\w*|"
    r"возил\w*|свозил\w*|съездил\w*|ездил\w*)\b",
    re.IGNORECASE,
)
_REACTED = re.compile(
    r"\b(?:liked|loved|likes|loves|hated|adored|didn'?t like|not keen|not for (?:them|him|her)|"
    r"too (?:small|dark|noisy|far|old|cramped|expensive|much)|a hit|thinks|says|said|worried|"
    r"tiny|понрав\w*|не понрав\w*|зашл\w*|в восторге|говорит|сказал\w*|считает|мало|"
    r"маленьк\w*|шумно|дорого\w*)\b",
    re.IGNORECASE,
)


def reacts(text: str) -> bool:
    """A showing is told together with how the client took it."""
    own = unquoted(text)
    return bool(SHOWN.search(own)) and bool(_REACTED.search(own))


# A question ("what's the asking on …?", "is Ivan still at 500k?") is no order, unless it is a
# polite one ("can you move Ivan to viewing?", "could you…", "можешь…").
_ASKS = re.compile(
    r"\?\s*$|^\W*(?:what|whats|what's|which|who|whose|when|where|how|is|are|does|do|did|has|"
    r"have|кто|что|какой|какая|какие|когда|где|сколько|есть ли|ли)\b",
    re.IGNORECASE,
)
_POLITE_ORDER = re.compile(
    r"^\W*(?:(?:can|could|would|will) you|pls|please|plz|можешь|можете|могли бы|пожалуйста|"
    r"не мог\w* бы)\b",
    re.IGNORECASE,
)


def asks(text: str) -> bool:
    """The clause asks something rather than orders it (see _ASKS)."""
    own = unquoted(text).strip()
    return bool(_ASKS.search(own)) and not _POLITE_ORDER.search(own)


def quoted_share(text: str, span: tuple[int, int]) -> float:
    """How much of `span` lies inside quotation marks (the client's words)."""
    start, end = span
    if end <= start:
        return 0.0
    inside = sum(max(0, min(end, m.end()) - max(start, m.start())) for m in _QUOTED.finditer(text))
    return inside / (end - start)


def unquoted(text: str) -> str:
    """The broker's own words: quotations blanked out, positions kept."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


# Broker shorthand for a move: "oroklini townhouse to agreement signed", "ольгу → показы"
_TO_STAGE = re.compile(r"(?:\bto(?:\s+the)?|->|→|=>)\s*$")


def gives_order(turn: Turn, span: tuple[int, int] | None = None) -> bool:
    """The broker tells the copilot to do something (outside quotes; names masked, so "Mark
    Evans" is a client, not "mark")."""
    own = unquoted(_names_masked(turn, span))
    if _POLITE.search(own) or _ORDER.search(own) or _WE_DECIDE.search(own):
        return True
    if REMINDER_ANYWHERE.search(own) or _moves_to_a_stage(turn, span):
        return True
    return any(_russian_order(word) for word in _CYRILLIC_WORD.findall(own.lower()))


def _moves_to_a_stage(turn: Turn, span: tuple[int, int] | None) -> bool:
    """A stage named right after "to"/"→" ("… to agreement signed"): a move ordered."""
    text = turn.slots.text
    for slot in turn.slots.of("stage", span or (0, len(text))):
        if _TO_STAGE.search(text[max(0, slot.span[0] - 8) : slot.span[0]].lower()):
            return True
    return False


def _names_masked(turn: Turn, span: tuple[int, int] | None) -> str:
    """The words of `span` with the people named replaced by "@name" (every other word kept:
    "withdraw" is an order here, even though it also names a stage)."""
    start, end = span or (0, len(turn.slots.text))
    pieces: list[str] = []
    position = start
    for slot in turn.slots.of("person"):
        a, b = slot.span
        if a < position or b > end or a < start:
            continue
        pieces += [turn.slots.text[position:a], "@name"]
        position = b
    pieces.append(turn.slots.text[position:end])
    return "".join(pieces)


def tells(turn: Turn) -> bool:
    """The message tells what a client said or did (about a client the broker has): it is
    kept as a note, and what its told clauses imply is proposed (see the module docstring)."""
    text = turn.slots.text
    if _QUESTION.search(text.strip()):
        return False
    if not any(p.contact is not None for p in turn.slots.people()):
        return False
    own = unquoted(text)
    if _TOLD.search(own) or _TOLD_RU.search(own) or _tells_about(turn):
        return True
    if _DID.search(unquoted(_names_masked(turn, None))):
        return True
    return any(russian_past(word) for word in _CYRILLIC_WORD.findall(own.lower()))


_PLAIN_WORD = re.compile(r"(?<![@\w])[^\W\d_]{3,}")
# "Ivan: sea view is a must now, his wife insists" is told; "Ivan: 3 bed, 500k" is data.
TOLD_WORDS = 7
MORE_WORDS = 12  # beside an order, this much told is worth a note of its own


def says_more(turn: Turn) -> bool:
    """The clauses that order nothing say enough to keep ("she's in Moscow 20–27 March, any
    signing before the 19th. Remind me to call her on the 18th"), beyond a reason given for an
    order ("Olga agreed to 410k, update the listing")."""
    told = [span for span in clause_spans(turn.slots.text) if not gives_order(turn, span)]
    return sum(len(_PLAIN_WORD.findall(turn.slots.masked(span))) for span in told) >= MORE_WORDS


def _tells_about(turn: Turn) -> bool:
    """ "Name: …" followed by sentences in the broker's own words, not a list of criteria."""
    masked = turn.slots.masked()
    return bool(_NAME_OPENS.match(masked)) and len(_PLAIN_WORD.findall(masked)) >= TOLD_WORDS


def _parse(word: str) -> object:
    from crm_store.services.names import parses

    return parses(word)[0]


# Deal actions a broker announces as a decision ("снимаем с продажи", "закрываем").
_DECIDED = frozenset(
    [
        "снять",
        "снимать",
        "закрыть",
        "закрывать",
        "выставить",
        "выставлять",
        "перевести",
        "переводить",
        "двигать",
        "поставить",
        "ставить",
        "отменить",
        "отменять",
        "перенести",
        "переносить",
        "вернуть",
        "возвращать",
    ]
)


def _russian_order(word: str) -> bool:
    """An imperative ("переведи", "закрывай", "добавь") or a deal action announced for "us"
    ("снимаем с продажи"); "давай" alone is agreement."""
    if len(word) < 4 or word in ("давай", "давайте", "смотри", "слушай"):
        return False
    parse = _parse(word)
    tag = getattr(parse, "tag", None)
    if tag is None or tag.POS != "VERB":
        return False
    if tag.mood == "impr":
        return True
    lemma = str(getattr(parse, "normal_form", ""))
    return lemma in _DECIDED and tag.person == "1per" and tag.number == "plur"


def russian_past(word: str) -> bool:
    """A past-tense verb ("позвонил", "согласилась"): the broker tells what happened."""
    tag = getattr(_parse(word), "tag", None)
    return tag is not None and tag.POS == "VERB" and tag.tense == "past"


def russian_plan(word: str) -> bool:
    """A verb of something still to do: an infinitive ("поздравить"), an imperative, or the
    first person of the future or present ("наберу", "звоню")."""
    tag = getattr(_parse(word), "tag", None)
    if tag is None:
        return False
    if tag.POS == "INFN" or (tag.POS == "VERB" and tag.mood == "impr"):
        return True
    return bool(tag.POS == "VERB" and tag.person == "1per" and tag.tense in ("futr", "pres"))


def russian_tense(word: str) -> str | None:
    """The tense of a Russian verb ("вернётся": futr), None for any other word."""
    tag = getattr(_parse(word), "tag", None)
    return str(tag.tense) if tag is not None and tag.POS == "VERB" and tag.tense else None
