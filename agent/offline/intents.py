"""Intent recognition: weighted cues plus similarity to exemplars, over a clause's masked text.

Score = Σ weights of the cues that match (each once: regexes over the masked clause, and
concept cues over its lemmas, agent/offline/concepts.py) + up to EXEMPLAR_WEIGHT for the
closest exemplar (Dice overlap of lemmatised words: Russian words through pymorphy3's normal
form, English ones without their -s/-ed/-ing). An intent whose anchors (the placeholders it needs)
are all absent is damped, and so is every intent when the clause is plainly about something
else (weather, flights, code). The best intent counts at THRESHOLD or above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from agent.offline.concepts import concept_present
from agent.offline.concepts import lemmas as concept_lemmas
from agent.offline.cue_sets import WRITE_INTENTS, IntentSpec
from agent.offline.cue_sets_read import READ_INTENTS
from agent.offline.cue_sets_stage import MOVE_STAGE
from agent.offline.cue_sets_tasks import TASK_INTENTS

THRESHOLD = 1.5
# Intents that win once their explicit cue is there, however much else the clause says.
_PREFERRED = {"register_contact": 3.0}
EXEMPLAR_WEIGHT = 1.2
_NO_ANCHOR = 0.35
_OFF_TOPIC_DAMP = 0.25

INTENTS: tuple[IntentSpec, ...] = (*TASK_INTENTS, *WRITE_INTENTS, MOVE_STAGE, *READ_INTENTS)
INTENT_NAMES: tuple[str, ...] = tuple(spec.name for spec in INTENTS)

OFF_TOPIC = re.compile(
    r"\b(?:weather|temperature|rain|restaurants?|pizza|food|eat|flights?|airline|train|bus|"
    r"movies?|cinema|theat(?:er|re)|concerts?|songs?|music|beats|recipes?|passwords?|username|"
    r"log ?in(?:to)?|api(?: key)?|virustotal|dns|ip|servers?|postgres\w*|database|python|code|"
    r"scripts?|geocod\w*|latitude|longitude|coordinates|domains?|whois|ssl|vpn|shoes|shirts?|"
    r"order #|prime ministers?|triangle|calculate|translate|jokes?|погод\w*|ресторан\w*|рейс\w*|"
    r"авиабилет\w*|фильм\w*|музык\w*|песн\w*|парол\w*|программ\w*|анекдот\w*)\b"
)

# A pronoun stands for a person named earlier ("call him tomorrow").
_PRONOUN = re.compile(r"\b(?:him|her|them|he|she|they|ему|ей|его|ее|ним|ней|нему|нее|он|она|они)\b")
_GREETING = re.compile(
    r"^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening|day)|привет\w*|здравствуй\w*|"
    r"добр\w+ (?:утро|день|вечер)|доброе утро|хай|салют)\b[\s!.,)]*(?:there|all|team|copilot|"
    r"бот)?[\s!.,)]*$"
)
_THANKS = re.compile(
    r"^(?:(?:thanks|thank you|thx|ty|cheers|great|perfect|nice|cool|ok thanks|спасибо|благодарю|"
    r"спс|отлично|супер|класс)\b[\w\s!.,)]{0,20})$"
)
_HELP = re.compile(
    r"^(?:help|\?|what can you do|how do i use (?:you|this)|what do you do|commands|помощь|"
    r"помоги|что ты умеешь|что ты можешь|как (?:тобой )?пользоваться|команды)\W*$"
)


_CYRILLIC_TEXT = re.compile("[а-яё]", re.IGNORECASE)


@dataclass(frozen=True)
class Scored:
    intent: str
    score: float


def lemmas(masked: str) -> frozenset[str]:
    return concept_lemmas(masked)


@lru_cache(maxsize=2)
def _exemplar_lemmas(russian: bool) -> dict[str, tuple[frozenset[str], ...]]:
    """Exemplar lemmas of one script: an English message is never compared with Russian
    exemplars, so it never pays for loading the Russian morphology (~0.2 s per process)."""
    return {
        spec.name: tuple(
            lemmas(e) for e in spec.exemplars if bool(_CYRILLIC_TEXT.search(e)) == russian
        )
        for spec in INTENTS
    }


def _similarity(words: frozenset[str], name: str, *, russian: bool) -> float:
    best = 0.0
    for exemplar in _exemplar_lemmas(russian)[name]:
        if words and exemplar:
            best = max(best, 2 * len(words & exemplar) / (len(words) + len(exemplar)))
    return best


def score_intents(
    masked: str,
    *,
    known_person: bool = False,
    implied_person: bool = False,
    off_topic: bool | None = None,
) -> list[Scored]:
    """Every intent's score for one clause, best first (ties in declaration order).

    `implied_person`: an earlier clause named someone this one may be about ("…, call again
    Monday"), which counts as the person anchor. `off_topic`: whether the whole message is
    about something else (by default: whether this clause is)."""
    evidence, pronoun, clause_off_topic = _evidence(masked)
    if off_topic is None:
        off_topic = clause_off_topic
    off_topic = off_topic and not known_person
    scored: list[Scored] = []
    for spec, (score, anchored) in zip(INTENTS, evidence, strict=True):
        if "@name" in spec.anchors and not anchored:
            anchored = implied_person or pronoun
        if spec.anchors and not anchored:
            score *= _NO_ANCHOR
        if off_topic:
            score *= _OFF_TOPIC_DAMP
        scored.append(Scored(spec.name, round(score, 3)))
    order = {name: i for i, name in enumerate(INTENT_NAMES)}
    return sorted(scored, key=lambda s: (-s.score, order[s.intent]))


@lru_cache(maxsize=256)
def _evidence(masked: str) -> tuple[tuple[tuple[float, bool], ...], bool, bool]:
    """What a clause's words alone say, per intent (its cue, concept and exemplar score, and
    whether it names an anchor), whether it has a pronoun, and whether it is off topic: a turn
    scores its message more than once (clauses, fallback), so the searches are made once."""
    words = lemmas(masked)
    russian = bool(_CYRILLIC_TEXT.search(masked))
    evidence: list[tuple[float, bool]] = []
    for spec in INTENTS:
        score = sum(weight for pattern, weight in spec.cues if pattern.search(masked))
        score += sum(
            weight
            for groups, weight in spec.concepts
            if all(concept_present(words, group) for group in groups)
        )
        similarity = _similarity(words, spec.name, russian=russian)
        score += EXEMPLAR_WEIGHT * max(0.0, (similarity - 0.35) / 0.65)
        evidence.append((score, any(anchor in masked for anchor in spec.anchors)))
    return tuple(evidence), bool(_PRONOUN.search(masked)), bool(OFF_TOPIC.search(masked))


def best_intent(
    masked: str,
    *,
    known_person: bool = False,
    implied_person: bool = False,
    off_topic: bool | None = None,
) -> Scored | None:
    """The clause's intent when it scores at THRESHOLD or above."""
    ranked = score_intents(
        masked, known_person=known_person, implied_person=implied_person, off_topic=off_topic
    )
    for scored in ranked:
        if scored.score >= _PREFERRED.get(scored.intent, float("inf")):
            return scored  # "new client …, wants …": a registration carrying a request
    return ranked[0] if ranked and ranked[0].score >= THRESHOLD else None


def small_talk(lower: str) -> str | None:
    """ "greeting", "thanks" or "help" when that is all the message says."""
    text = " ".join(lower.split())
    if _GREETING.match(text):
        return "greeting"
    if _THANKS.match(text):
        return "thanks"
    if _HELP.match(text):
        return "help"
    return None
