"""Which language a broker wrote in: English or Russian, whatever names and places it holds."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from agent.offline.normalise import normalise
from crm_store.places import canonical_place

Language = Literal["en", "ru"]

_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[а-яА-Я]")
_LATIN = re.compile(r"[a-zA-Z]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that only a Russian sentence has: one of them decides even among English words.
_RU_FUNCTION_WORDS = _words(
    "в во на с со к ко по за из от до у о об при для про без над под через и а но или что "
    "как когда где куда который это этот эта эти мне меня мой моя мои наш его ее их он она "
    "они мы вы ты я не ни да нет уже еще ещё тоже также очень пожалуйста спасибо надо "
    "нужно можно завтра сегодня послезавтра вчера утром вечером днем ночью "
)
_EN_FUNCTION_WORDS = _words(
    "the a an to of in on at for with from by and or but is are was were be been will "
    "would can could should me my our his her their it this that these those please "
    "tomorrow today next call remind show find add move schedule meet set "
)
_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})


@lru_cache(maxsize=4096)
def _russian_word(word: str) -> tuple[bool, bool]:
    """(is a verb, is most likely a person's name) for a lower-case Cyrillic word."""
    from crm_store.services.names import parses  # the process's one analyzer

    readings = parses(word)
    top = readings[0]
    is_verb = top.tag.POS in ("VERB", "INFN") and top.is_known
    return is_verb, bool(_NAME_TAGS & top.tag.grammemes)


@lru_cache(maxsize=4096)
def _is_place(word: str) -> bool:
    return canonical_place(word) is not None


def detect_language(text: str, default: Language = "en") -> Language:
    """ "ru" when the message reads as Russian, "en" when English, `default` when undecided.

    Names of people and places don't count (a Russian client's name in an English sentence),
    and a Russian verb or function word makes a mixed message Russian.
    """
    norm = normalise(text).text
    words = list(_WORD.finditer(norm))
    cyrillic = latin = 0
    for index, match in enumerate(words):
        word = match.group()
        lower = word.lower()
        gap = norm[words[index - 1].end() : match.start()] if index else ""
        initial = index == 0 or any(ch in ".!?" for ch in gap)
        capitalised = word[:1].isupper()
        if _CYRILLIC.search(word):
            if lower in _RU_FUNCTION_WORDS:
                return "ru"
            if _is_place(lower):
                continue
            is_verb, is_name = _russian_word(lower)
            if is_verb:
                return "ru"
            if is_name or (capitalised and not initial):
                continue
            cyrillic += len(word)
        elif _LATIN.search(word):
            if lower in _EN_FUNCTION_WORDS:
                latin += len(word)
                continue
            following = words[index + 1].group() if index + 1 < len(words) else ""
            # "Andreas Georgiou ...": a capitalised pair opening a sentence is a name too.
            name_pair = capitalised and following[:1].isupper() and bool(_LATIN.search(following))
            if (capitalised and (not initial or name_pair)) or _is_place(lower):
                continue
            latin += len(word)
    if cyrillic == latin:
        return default
    return "ru" if cyrillic > latin else "en"
