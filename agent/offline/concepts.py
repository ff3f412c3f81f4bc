"""Word families that intents share, matched on lemmas so inflection and word order are free.

A regex cue reads one phrasing ("which listings fit @name"); a concept cue reads what the
clause talks about: `("listing", "fit", "@name")` fires on "which listings fit Ivan?", "any
property that would suit Ivan", "какие объекты подходят Ивану?", "Ивану что-нибудь
подойдёт?" alike. Russian words are lemmatised with pymorphy3 ("подойдёт" → "подойти"), and a
verb in the past tense also reads as `lemma#past` ("набрал" → "набрать#past"), so a report of a
call done is told from an order to make one. English words lose -s/-ed/-ing.
"""

from __future__ import annotations

import re
from functools import lru_cache

_EN_SUFFIX = re.compile(r"(?:'s|ies|ing|ed|es|s)$")
_CYRILLIC = re.compile(r"[а-яё]")
_TOKEN = re.compile(r"@?[^\W_]+(?:'[^\W_]+)?")
PAST = "#past"


@lru_cache(maxsize=16384)
def word_forms(word: str) -> tuple[str, ...]:
    """A word's lemma, and for a Russian past-tense verb also the lemma marked #past."""
    if word.startswith("@"):
        return (word,)
    if _CYRILLIC.search(word):
        from crm_store.services.names import parses

        parse = parses(word)[0]
        lemma = str(parse.normal_form).replace("ё", "е")
        if parse.tag.POS == "VERB" and parse.tag.tense == "past":
            return (lemma, lemma + PAST)
        return (lemma,)
    if "'" in word:  # "who'd", "nikos's": the word before the clitic as well
        head = word.split("'", 1)[0]
        return (word, *word_forms(head))
    if len(word) > 4:
        return (_EN_SUFFIX.sub("", word),)
    return (word,)


def lemmas(text: str) -> frozenset[str]:
    """Every lemma of a lower-case (masked) text, placeholders kept as they are."""
    forms: set[str] = set()
    for token in _TOKEN.findall(text):
        forms.update(word_forms(token))
    return frozenset(forms)


def _family(words: str) -> frozenset[str]:
    """A family written as plain words in any form; each is taken by its lemma."""
    found: set[str] = set()
    for word in words.split():
        if word.startswith("@") or word.endswith(PAST):
            found.add(word)
        else:
            found.update(form for form in word_forms(word) if not form.endswith(PAST))
    return frozenset(found)


_FAMILIES: dict[str, str] = {
    # What a buyer is shown.
    "listing": "listing listings property properties option options home homes place places "
    "flat flats apartment apartments villa villas house houses penthouse something anything "
    "stock inventory @type объект объекты вариант варианты квартира квартиры дом дома вилла "
    "виллы пентхаус недвижимость",
    # Fitting a request.
    "fit": "fit fits suit suits suitable match matches matching подходить подходит подойти "
    "подойдёт подходящий годится годиться",
    # Offering a listing to someone.
    "offer": "show offer pitch propose suggest see view visit показать предложить посоветовать "
    "посмотреть",
    # Wanting a listing.
    "interest": "interested interest keen заинтересоваться заинтересовать интересовать "
    "интересный захотеть",
    # Someone, among the broker's buyers.
    "who": "who whom anyone anybody someone somebody buyer buyers client clients taker takers "
    "кто кому кого покупатель покупатели клиент клиенты",
    # Asking why or how a listing fits.
    "why": "why how explain почему чем объяснить объясни зачем",
    # A contact that happened: a call, a message, a talk (Russian: verbs in the past tense).
    "contacted": "called rang phoned spoke talked texted emailed messaged chatted reached "
    "позвонить#past набрать#past дозвониться#past созвониться#past поговорить#past "
    "переговорить#past написать#past связаться#past пообщаться#past обсудить#past "
    "отзвониться#past перезвонить#past ответить#past звонить#past набирать#past",
    # A brochure to hand over.
    "pdf": "pdf пдф brochure брошюра презентация",
}


@lru_cache(maxsize=2)
def families(russian: bool = False) -> dict[str, frozenset[str]]:
    """The families' words of one script: English messages never load Russian morphology."""
    return {
        name: _family(" ".join(w for w in words.split() if bool(_CYRILLIC.search(w)) == russian))
        for name, words in _FAMILIES.items()
    }


def _russian(words: frozenset[str]) -> bool:
    return any(_CYRILLIC.search(word) for word in words)


def concept_present(words: frozenset[str], group: str) -> bool:
    """A group is a family name, a placeholder ("@name") or a single lemma ("=lemma")."""
    if group.startswith("@"):
        return group in words
    if group.startswith("="):
        return bool(set(word_forms(group[1:])) & words)
    if families(False)[group] & words:
        return True
    return _russian(words) and bool(families(True)[group] & words)
