"""Record ids a message names ("card for villa-peyia", "move l-12 to sold").

Ids are opaque (SPEC §10): an import keeps the ids it is given, so an id may look like a
name ("ivan-petrov"), a date ("2026-03-12"), a place ("Limassol") or a price ("500k"). A word
(or up to three) that is the id of a record the broker can see is a `ref` slot, whatever it
looks like, and the slot knows which tables hold it (`kinds`: "listing", "contact", …) from the
store, never from the id's shape. A word written like the store's own ids ("l-99") is a ref
even when no visible record has it, with no kinds: the tool then says there is no such record.

An id is written whole: "villa-peyia" is one, the "villa" in it is not a property type. Where a
longer phrase holds an id as one of its words ("Ivan Petrov" with a listing "Ivan", "tomorrow
at 11" with a listing "11"), the phrase wins and the word is no id; an id the broker wrote as
it is wins over what the same words would otherwise read as ("card for Limassol").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from crm_store.repositories.base import ID_PREFIXES
from crm_store.repositories.ids import MAX_ID, NAMEABLE

_MAX_WORDS = 3
_TOKEN = re.compile(r"\S+")
_OPENING = "([{\"'«“‘„"
_CLOSING = ")]}\"'»”’.,;:!?…"
_POSSESSIVE = ("'s", "’s")
# The store's own shape for the records a broker names ("l-12", "c-3"), inside any text.
_OWN_PREFIXES = sorted({ID_PREFIXES[model] for model in NAMEABLE.values()}, key=len, reverse=True)
_OWN_SHAPE = re.compile(rf"(?<![\w-])(?:{'|'.join(_OWN_PREFIXES)})-\d+(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class IdMention:
    """An id written in the message: where, as written, as stored, and which tables hold it."""

    span: tuple[int, int]
    text: str
    id: str
    kinds: frozenset[str]

    @property
    def own_shape(self) -> bool:
        """Written like the store's own ids ("l-12"): never anything but an id."""
        return bool(_OWN_SHAPE.fullmatch(self.text))


class IdLookup(Protocol):
    def record_ids(self, refs: Iterable[str]) -> dict[str, dict[str, str]]: ...


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """A word without the punctuation around it ("(villa-peyia)," → "villa-peyia")."""
    while start < end and text[start] in _OPENING:
        start += 1
    while end > start and text[end - 1] in _CLOSING:
        end -= 1
    return start, end


def _candidates(text: str) -> dict[tuple[int, int], str]:
    """Every run of one to three words (bare, and without a possessive 's) → how it reads."""
    words = [_core(text, *m.span()) for m in _TOKEN.finditer(text)]
    words = [(a, b) for a, b in words if a < b]
    found: dict[tuple[int, int], str] = {}
    for i in range(len(words)):
        for j in range(i, min(i + _MAX_WORDS, len(words))):
            start, end = words[i][0], words[j][1]
            if end - start > MAX_ID * 2:
                break
            spans = [(start, end)]
            if text[start:end].endswith(_POSSESSIVE):
                spans.append((start, end - 2))
            for span in spans:
                written = " ".join(text[span[0] : span[1]].split())
                if written and len(written) <= MAX_ID and any(ch.isalnum() for ch in written):
                    found[span] = written
    for match in _OWN_SHAPE.finditer(text):  # "l-2/l-3", "l-2's"
        found.setdefault(match.span(), match.group())
    return found


def find_ids(text: str, lookup: IdLookup) -> list[IdMention]:
    """The ids written in `text`, longest first where they overlap, in order."""
    candidates = _candidates(text)
    known = lookup.record_ids(set(candidates.values())) if candidates else {}
    mentions: list[IdMention] = []
    for span, written in candidates.items():
        held = known.get(written.lower())
        if held:
            stored = held.get(_preferred(held, written), next(iter(held.values())))
            mentions.append(IdMention(span, text[span[0] : span[1]], stored, frozenset(held)))
        elif _OWN_SHAPE.fullmatch(written):
            mentions.append(IdMention(span, written, written.lower(), frozenset()))
    chosen: list[IdMention] = []
    for mention in sorted(mentions, key=lambda m: (m.span[0] - m.span[1], m.span[0])):
        if all(mention.span[1] <= c.span[0] or mention.span[0] >= c.span[1] for c in chosen):
            chosen.append(mention)
    # An id that is also a word, written twice ("card for card", "tell me about tell"): the
    # word comes first and the record after it, as the thing a command is about does.
    last = {m.id: m for m in sorted(chosen, key=lambda m: m.span) if not m.own_shape}
    kept = [m for m in chosen if m.own_shape or last[m.id] is m]
    return sorted(kept, key=lambda m: m.span)


def _preferred(held: dict[str, str], written: str) -> str:
    """Of the tables holding the id, one whose id is spelled as written (else any)."""
    return next((kind for kind, stored in held.items() if stored == written), next(iter(held)))


class Spanned(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def span(self) -> tuple[int, int]: ...


SlotT = TypeVar("SlotT", bound=Spanned)


def settle(
    text: str,
    items: Sequence[SlotT],
    same: Callable[[SlotT, SlotT], bool] = lambda ref, other: False,
    named_elsewhere: Callable[[SlotT], bool] = lambda ref: False,
) -> list[SlotT]:
    """Ids against the other slots over the same words: a longer phrase holding an id as one of
    its words wins (the id is dropped), unless its other words only lead in to the id ("about
    1" is no time in "tell me about 1"); a slot anywhere that means the same record wins too
    (`same`: the client's name, over his id "Andreas"), and so does the plain reading of words
    whose record the message names otherwise (`named_elsewhere`: "lower the Germasogeia
    apartment to 445k", the apartment's id being "445k", is a price); otherwise the id wins
    (the other slot is dropped)."""
    refs = [s for s in items if s.kind == "ref"]
    others = [s for s in items if s.kind != "ref"]

    def holds(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
        if not (outer[0] <= inner[0] and inner[1] <= outer[1] and outer != inner):
            return False
        around = f"{text[outer[0] : inner[0]]} {text[inner[1] : outer[1]]}".lower().split()
        return not all(word in _LEAD_INS for word in around)

    def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[0] < b[1] and b[0] < a[1]

    kept_refs = [
        r
        for r in refs
        if not any(
            same(r, o)
            or (holds(o.span, r.span) and o.kind not in _YIELDING)
            or (overlap(o.span, r.span) and named_elsewhere(r))
            for o in others
        )
    ]
    kept_others = [o for o in others if not any(overlap(o.span, r.span) for r in kept_refs)]
    kept = {id(s) for s in (*kept_refs, *kept_others)}
    return [s for s in items if id(s) in kept]


# A stage phrase is cut around the slots inside it ("сними l-1 с продажи"), never held whole.
_YIELDING = frozenset({"stage", "event"})
# Words that only introduce what is talked about: "about 1" around an id "1" is no time.
_LEAD_INS = frozenset(
    ["about", "regarding", "re", "of", "for", "on", "про", "о", "об", "по", "насчет", "насчёт"]
)
