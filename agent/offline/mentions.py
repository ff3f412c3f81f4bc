"""People named in a broker's message: capitalised Latin names, Russian names in any case."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from agent.offline.date_words import month_number, weekday_number
from agent.offline.normalise import normalise
from crm_store import vocabulary
from crm_store.features import find_features, find_property_types
from crm_store.places import canonical_place


@dataclass(frozen=True)
class Mention:
    """A person's name as written (`text`, `span` into the message) and in nominative form."""

    span: tuple[int, int]
    text: str
    canonical: str


_TOKEN = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[а-яА-Я]")
_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "mister", "madam", "господин", "госпожа"})
_MAX_WORDS = 3  # first name, patronymic, surname


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that open brokers' sentences or name things, never people.
_NOT_NAMES = _words(
    "i i'm i'll i've i'd me my we our you your he him his she her they them their it its "
    "a an the this that these those there here what who whom whose when where which why how "
    "is are was were be been am do does did done have has had will would can could should "
    "shall may might must not no yes yeah ok okay please thanks thank hi hello hey dear "
    "call phone ring remind reminder schedule book set add create new make log note notes "
    "show find search list give send share email message text write tell ask move mark put "
    "update change edit delete remove cancel close reopen open withdraw reschedule postpone "
    "meet meeting viewing showing visit appointment follow followup follow-up task agenda "
    "today tomorrow tonight yesterday morning afternoon evening night week month year "
    "next last this and or but if then also just still only all any some every each "
    "client clients buyer buyers seller sellers lead leads deal deals contact contacts "
    "listing listings property properties budget price offer commission mortgage cash "
    "stage pipeline board forecast report nudge digest plan team manager broker agent "
    "curated list lists card match matches dashboard export import "
    "after before from to for with without about at on in of by up down out over "
    "telegram slack whatsapp viber zoom google crm eur euro usd sms nba kanban copilot "
    "mon tue wed thu fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec "
    "good great fine sure sorry wait let lets let's please done won lost"
)
# Orders that open a broker's sentence ("Register Maria…", "Confirm Anna's viewing"); elsewhere
# they may be names ("Wang Ping", "Li Ping").
_OPENING_VERBS = _words(
    "register record save enter assign reassign arrange confirm check remember ping draft "
    "prepare review compare suggest recommend plan get view"
)
_NOT_NAMES_RU = _words(
    "я мы ты вы он она они мне нам тебе вам его ее их кто что где когда как какой какая "
    "клиент клиентка клиенту клиента покупатель продавец сделка сделку встреча встречу "
    "показ просмотр звонок бюджет цена вилла квартира дом объект спасибо привет да нет "
    "сегодня завтра послезавтра утром вечером днем неделе месяц лид лиды лидов контакт"
)


@lru_cache(maxsize=1)
def _vocabulary_words() -> frozenset[str]:
    """The CRM's own words (stages, types, channels): a capitalised "Viewing" is no person."""
    words: set[str] = set()
    names = [name for names in vocabulary.STAGE_NAMES.values() for name in names.values()]
    for phrase in (
        *names,
        *vocabulary.SELLER_STAGES,
        *vocabulary.BUYER_STAGES,
        *vocabulary.PROPERTY_TYPES,
        *vocabulary.FEATURES,
        *vocabulary.SOURCES,
        *vocabulary.FOLLOW_UP_CHANNELS,
        *vocabulary.MANDATES,
        *vocabulary.FINANCING,
    ):
        words.update(re.split(r"[\s_/]+", phrase.lower()))
    return frozenset(words)


@lru_cache(maxsize=8192)
def _is_thing(lower: str) -> bool:
    """A weekday, month, place, feature or property type rather than a person."""
    return (
        weekday_number(lower) is not None
        or month_number(lower) is not None
        or canonical_place(lower) is not None
        or bool(find_features(lower))
        or bool(find_property_types(lower))
        or lower in _vocabulary_words()
    )


@lru_cache(maxsize=8192)
def _russian_name_reading(lower: str) -> tuple[bool, bool, bool]:
    """(most likely a name, possibly a name, a known dictionary word) for a Cyrillic word."""
    from crm_store.services.names import parses  # the process's one analyzer

    readings = parses(lower)
    top = readings[0]
    likely = bool(_NAME_TAGS & top.tag.grammemes)
    possible = any(_NAME_TAGS & p.tag.grammemes for p in readings)
    return likely, possible, top.is_known


def _is_name_word(word: str, initial: bool) -> bool:
    lower = word.lower()
    if lower in _NOT_NAMES or lower in _NOT_NAMES_RU or lower in _TITLES or _is_thing(lower):
        return False
    if initial and lower in _OPENING_VERBS:
        return False
    capitalised = word[:1].isupper() and not (word.isupper() and len(word) > 1)
    if _CYRILLIC.search(word):
        likely, possible, known = _russian_name_reading(lower)
        if likely:
            return True
        # "Георгиу", "Вера" mid-sentence: capitalised and a name reading, or no dictionary word.
        return capitalised and not initial and (possible or not known)
    return capitalised


# First names that are also CRM words: a name when a capitalised surname follows ("new lead:
# Mark Evans"), except as a message's first word ("Mark Ivan's call as done").
_FIRST_NAMES = _words("mark will bill grace hope joy faith rose may june april august pat")

_VERB_AFTER_NAME = _words(
    "is was has had will would can could should did does and & or wants want needs said says "
    "asked told liked loved likes loves agreed accepted declined signed paid bought sold "
    "prefers thinks"
)


def _opens_with_name(text: str, tokens: list[re.Match[str]], index: int) -> bool:
    """A capitalised word opening a sentence is a name only when what follows fits a name:
    another capitalised word, a verb ("Maria called"), a possessive, a comma or the end."""
    token = tokens[index]
    if token.group().lower().endswith("'s"):
        return True
    rest = text[token.end() :].lstrip()
    if not rest or rest[0] in ",:;?!'":
        return True
    if index + 1 >= len(tokens):
        return False
    following = tokens[index + 1].group()
    if following[:1].isupper():
        return True
    lower = following.lower()
    return lower in _VERB_AFTER_NAME or lower.endswith("ed")


def _first_name(text: str, tokens: list[re.Match[str]], index: int) -> bool:
    """ "Mark" in "new lead: Mark Evans": a common word that is a first name before a surname."""
    word = tokens[index].group()
    if index == 0 or word.lower() not in _FIRST_NAMES or not word[:1].isupper():
        return False
    if index + 1 >= len(tokens) or text[tokens[index].end() : tokens[index + 1].start()].strip():
        return False
    following = tokens[index + 1].group()
    return following[:1].isupper() and _is_name_word(following, False)


def _surname_after_name(
    text: str, tokens: list[re.Match[str]], index: int, groups: list[list[tuple[int, int, str]]]
) -> bool:
    """ "Андрея Белого", "Льва Толстого": a capitalised Cyrillic word right after a name is
    its surname even when the dictionary reads it as an adjective."""
    word = tokens[index].group()
    if not groups or not word[:1].isupper() or not _CYRILLIC.search(word):
        return False
    lower = word.lower()
    if lower in _NOT_NAMES_RU or _is_thing(lower):
        return False
    if len(groups[-1]) != 1:  # "Ольга Смирнова Новая квартира": the name was already whole
        return False
    last_end = groups[-1][-1][1]
    adjacent = tokens[index - 1].end() == last_end
    return index > 0 and adjacent and not text[last_end : tokens[index].start()].strip()


# Who a new client is, not what they are called: "new client russian family, 3 bed".
_DESCRIPTIONS = _words(
    "british english russian ukrainian german french israeli lebanese chinese american italian "
    "dutch swedish polish cypriot greek local foreign family couple expat expats investor "
    "investors guy lady woman man men women people student retiree retirees developer company "
    "pensioner young old rich"
)


def leading_name(words: list[str]) -> list[str]:
    """The words of a name typed in lower case after "new lead": "john smith wants…" gives
    ["john", "smith"] — up to the first word that is no part of a name."""
    name: list[str] = []
    for word in words[:_MAX_WORDS]:
        lower = word.lower()
        if not name and lower in _FIRST_NAMES and len(words) == 2:
            # "new client mark jenkins, …": a first name, not the order "mark" ("new buyer
            # may rent first" names nobody)
            name.append(word)
            continue
        if (
            lower in _NOT_NAMES
            or lower in _NOT_NAMES_RU
            or lower in _TITLES
            or lower in _VERB_AFTER_NAME
            or lower in _DESCRIPTIONS
            or _is_thing(lower)
            or lower.endswith(("ing", "ed"))
        ):
            break
        name.append(word)
    return name


_NEW_PERSON = re.compile(
    r"\bnew (?:client|contact|lead|buyer|seller|customer|owner)\s*[:\-]?\s*"
    r"(?P<words>[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){1,2})"
    # a name typed in lower case is trusted only where a name would end: before a phone, an
    # e-mail, a comma or dash, or the end ("new buyer british expat wants…" names nobody)
    r"(?=\s*(?:[+\d(]|[\w.+-]+@|[,;:–—-]|$))",
    re.IGNORECASE,
)


def typed_new_names(text: str) -> list[Mention]:
    """ "new lead john smith …": a name typed in lower case right after "new lead"."""
    found: list[Mention] = []
    for match in _NEW_PERSON.finditer(text):
        words = leading_name(match.group("words").split())
        if len(words) < 2:
            continue
        start = match.start("words")
        end = start + len(" ".join(words))
        if text[start:end].split() != words:  # the words were not single-spaced
            continue
        found.append(Mention((start, end), text[start:end], _title(" ".join(words))))
    return found


def _default_nominative() -> Callable[[str], str]:
    try:
        from crm_store.services.names import to_nominative
    except ImportError:  # pragma: no cover - names.py ships with the store
        return lambda name: name
    return to_nominative


def _title(name: str) -> str:
    return " ".join("-".join(p[:1].upper() + p[1:] for p in w.split("-")) for w in name.split())


def find_person_mentions(
    text: str, *, nominative: Callable[[str], str] | None = None
) -> list[Mention]:
    """Names of people in `text`, in order; `canonical` is the nominative, capitalised."""
    to_nominative = nominative or _default_nominative()
    norm = normalise(text)
    tokens = list(_TOKEN.finditer(norm.text))
    groups: list[list[tuple[int, int, str]]] = []
    for index, match in enumerate(tokens):
        word = match.group()
        start, end = match.span()
        if word.lower().endswith("'s"):  # "Ivan's budget"
            word, end = word[:-2], end - 2
        gap = norm.text[tokens[index - 1].end() : match.start()].strip() if index else ""
        initial = index == 0 or (bool(gap) and gap[-1] in ".!?:;\"'(")
        previous = tokens[index - 1].group().lower().rstrip(".") if index else ""
        if previous in _TITLES:
            initial = False  # "Mr Georgiou": the word after a title is a name
        if (
            not _is_name_word(word, initial)
            and not _first_name(norm.text, tokens, index)
            and not _surname_after_name(norm.text, tokens, index, groups)
        ):
            continue
        if (
            initial
            and not _CYRILLIC.search(word)
            and not _opens_with_name(norm.text, tokens, index)
        ):
            continue
        current = groups[-1] if groups else None
        joined = (
            current is not None
            and norm.text[current[-1][1] : start].strip() == ""
            and bool(_CYRILLIC.search(current[-1][2])) == bool(_CYRILLIC.search(word))
            and len(current) < _MAX_WORDS
            and not tokens[index - 1].group().lower().endswith("'s")
        )
        if joined and current is not None:
            current.append((start, end, word))
        else:
            groups.append([(start, end, word)])
    mentions: list[Mention] = []
    for group in groups:
        start, end = group[0][0], group[-1][1]
        surface = " ".join(word for _, _, word in group)
        if _is_thing(surface.lower()):  # "Agios Tychonas" is a place, not a person
            continue
        canonical = to_nominative(surface) if _CYRILLIC.search(surface) else surface
        a, b = norm.to_original(start, end)
        mentions.append(Mention((a, b), text[a:b], _title(canonical)))
    return mentions
