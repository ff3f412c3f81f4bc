"""Every slot in a message, found once with its span: dates, money, rooms, places, features,
property types, phones, e-mails, record ids, stages and people (resolved by the lexicon).

Spans index the message as typed, so a message can be cut into clauses and each clause keeps
the slots inside it; `masked` gives the text intent recognition reads ("call @name @date").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

import phonenumbers

from agent.offline.dates import Doubt, read_dates
from agent.offline.lexicon import Lexicon, PersonRef
from agent.offline.mentions import Mention, find_person_mentions, typed_new_names
from agent.offline.money import find_money
from agent.offline.normalise import normalise
from agent.offline.quantities import (
    match_bedrooms,
    match_count,
    match_percent,
    match_timeline_months,
)
from agent.offline.record_refs import find_ids, settle
from agent.offline.shifts import find_shifts
from agent.offline.stage_words import find_stage
from agent.offline.vocab_spans import features_and_types, places
from crm_store.services.phones import DEFAULT_REGION

# What each kind reads as in the masked text (None: the words stay as they are).
PLACEHOLDERS: dict[str, str | None] = {
    "phone": "@phone",
    "email": "@email",
    "ref": "@ref",
    "money": "@money",
    "when": "@date",
    "shift": "@shift",
    "person": "@name",
    "place": "@place",
    "type": "@type",
    "feature": "@feat",
    "beds": "@beds",
    "timeline": "@timeline",
    "percent": "@pct",
    "stage": "@stage",
    "event": "@event",
    "count": None,
}
_PRIORITY = {kind: rank for rank, kind in enumerate(PLACEHOLDERS)}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ADDRESS_RUN = re.compile(r"[\w.+@-]+")
_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that are never people: languages, nationalities, holidays.
_NOT_PEOPLE = _words(
    "russian english greek german french cypriot british ukrainian israeli chinese lebanese "
    "arabic hebrew polish easter christmas xmas пасха пасхи пасху рождество рождества "
    # Street words after a name are an address ("the villa on Tala Square").
    "square street st avenue ave road rd lane hill boulevard blvd "
    # Where leads come from ("a lead from Bazaraki - Tom Reed").
    "bazaraki rightmove idealista spitogatos zoopla facebook instagram tiktok linkedin google "
    "whatsapp viber telegram базараки инстаграм инстаграма фейсбук фейсбука"
)
# Capitalised verbs that open a sentence and the name finder may take for a first name.
_OPENING_VERBS = _words(
    "called rang phoned texted emailed messaged met spoke talked reached visited showed saw "
    "booked moved remind reminded schedule move book cancel postpone reschedule note card "
    "позвонил позвонила перезвонил перезвонила встретил встретила написал написала поговорил "
    "поговорила напомни позвони переведи перенеси отмени покажи запиши добавь as"
)


@dataclass(frozen=True)
class Slot:
    """One thing found in the message: its kind, where it is, the words and the value."""

    kind: str
    span: tuple[int, int]
    text: str
    value: Any
    # A ref's kinds of record ("listing", "contact", …): the tables that hold the id, looked up
    # (ids are opaque); empty when no visible record has it ("l-99").
    kinds: frozenset[str] = frozenset()


@dataclass
class Slots:
    """The slots of one message (sorted by position) and the message they index."""

    text: str
    items: list[Slot]
    # Dates and times said but not read, and why (asked, never guessed: agent.offline.dates).
    doubts: list[Doubt] = field(default_factory=list)

    def of(self, kind: str, span: tuple[int, int] | None = None) -> list[Slot]:
        """Slots of a kind, optionally only those starting inside `span`."""
        return [s for s in self.items if s.kind == kind and _inside(s, span)]

    def refs(self, *kinds: str, span: tuple[int, int] | None = None) -> list[Slot]:
        """Record ids that may be of one of `kinds` (an id no record has may be any)."""
        wanted = set(kinds)
        return [s for s in self.of("ref", span) if not s.kinds or s.kinds & wanted]

    def first(self, kind: str, span: tuple[int, int] | None = None) -> Slot | None:
        found = self.of(kind, span)
        return found[0] if found else None

    def people(self, span: tuple[int, int] | None = None) -> list[PersonRef]:
        return [s.value for s in self.of("person", span)]

    def masked(self, span: tuple[int, int] | None = None) -> str:
        """The lower-case text of `span` with slots replaced by their placeholders."""
        start, end = span or (0, len(self.text))
        pieces: list[str] = []
        position = start
        for slot in self._maskable(start, end):
            pieces.append(self.text[position : slot.span[0]])
            pieces.append(f" {PLACEHOLDERS[slot.kind]} ")
            position = slot.span[1]
        pieces.append(self.text[position:end])
        masked = " ".join(normalise("".join(pieces)).lower.split())
        return masked.replace(" 's ", "'s ").replace(" 's", "'s")

    def rest(self, span: tuple[int, int], *, keep: frozenset[str] = frozenset()) -> str:
        """The words of `span` that no slot took (the broker's own words), kinds in `keep` kept."""
        start, end = span
        pieces: list[str] = []
        position = start
        for slot in self._maskable(start, end, skip=keep):
            pieces.append(self.text[position : slot.span[0]])
            pieces.append(" ")
            position = slot.span[1]
        pieces.append(self.text[position:end])
        return " ".join("".join(pieces).split())

    def _maskable(self, start: int, end: int, skip: frozenset[str] = frozenset()) -> list[Slot]:
        chosen: list[Slot] = []
        candidates = [
            s
            for s in self.items
            if PLACEHOLDERS.get(s.kind)
            and s.kind not in skip
            and s.span[0] >= start
            and s.span[1] <= end
        ]
        for slot in sorted(candidates, key=lambda s: (_PRIORITY[s.kind], s.span)):
            if all(slot.span[1] <= c.span[0] or slot.span[0] >= c.span[1] for c in chosen):
                chosen.append(slot)
        return sorted(chosen, key=lambda s: s.span)


def _inside(slot: Slot, span: tuple[int, int] | None) -> bool:
    return span is None or span[0] <= slot.span[0] < span[1]


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and span[1] > a for a, b in taken)


def _phones(text: str) -> list[Slot]:
    found: list[Slot] = []
    for match in phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.append(Slot("phone", (match.start, match.end), match.raw_string, e164))
    # "+44 7700 900123": an international number the library deems unassigned is still the
    # number the broker typed (a new range, a test line); with its "+" it is no price.
    lenient = phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION, phonenumbers.Leniency.POSSIBLE)
    for match in lenient:
        taken = any(match.start < s.span[1] and match.end > s.span[0] for s in found)
        if not taken and match.raw_string.startswith("+"):
            e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            found.append(Slot("phone", (match.start, match.end), match.raw_string, e164))
    return found


def _without_opening_verb(text: str, mention: Mention) -> tuple[tuple[int, int], str, str]:
    """ "Called Elena Kuznetsova" → "Elena Kuznetsova": a leading verb is no part of a name."""
    first, _, rest = mention.text.partition(" ")
    if first.lower() not in _OPENING_VERBS:
        return mention.span, mention.text, mention.canonical
    start = mention.span[0] + len(mention.text) - len(rest)
    canonical = mention.canonical.partition(" ")[2] if rest else ""
    if rest and canonical and canonical.split()[0].lower() != rest.split()[0].lower():
        canonical = rest  # the nominative was computed with the verb; redo without it
        from crm_store.services.names import to_nominative

        canonical = " ".join(w[:1].upper() + w[1:] for w in to_nominative(rest).split())
    return (start, mention.span[1]), rest, canonical


# (from the start of a word only: each letter of a long word as a start was quadratic)
_WORD_BEFORE = re.compile(r"(?<![^\W\d_])([^\W\d_]+)\s+$")


def _known_exactly(lexicon: Lexicon, mention: Mention) -> bool:
    contact = lexicon.person(mention.span, mention.text, mention.canonical).contact
    return contact is not None and contact.name.lower() == mention.canonical.lower()


def _whole_known_name(text: str, mention: Mention, lexicon: Lexicon) -> Mention:
    """A name the finder cut short ("Evans" of "Mark Evans", its first word read as a verb)
    grows back to the client's full name when the word before completes it exactly."""
    before = _WORD_BEFORE.search(text[: mention.span[0]])
    if before is None:
        return mention
    grown = Mention((before.start(1), mention.span[1]), f"{before.group(1)} {mention.text}", "")
    grown = Mention(grown.span, grown.text, f"{before.group(1).title()} {mention.canonical}")
    return grown if _known_exactly(lexicon, grown) else mention


def _with_yo(canonical: str, surface: str) -> str:
    """Give back the ё the broker typed ("Пётр", not "Петр"): names are stored as given."""
    if "ё" not in surface.lower():
        return canonical
    words, typed = canonical.split(), surface.split()
    if len(words) != len(typed):
        return canonical
    out: list[str] = []
    for word, original in zip(words, typed, strict=True):
        letters = list(word)
        for i, ch in enumerate(original[: len(word)]):
            if ch in "ёЁ" and letters[i] in "еЕ":
                letters[i] = "Ё" if letters[i] == "Е" else "ё"
        out.append("".join(letters))
    return " ".join(out)


def _same_record(ref: Slot, other: Slot) -> bool:
    """A name that decides the very client the id is of ("Andreas", id "Andreas"; "card for
    Andreas Constantinou", id "card"): the name is kept, the id is not needed."""
    if other.kind != "person" or "contact" not in ref.kinds:
        return False
    chosen = other.value.contact
    return chosen is not None and chosen.id == ref.value


def _named_elsewhere(ref: Slot, items: list[Slot], lexicon: Lexicon) -> bool:
    """Whether the message names the ref's record in other words too: the client by name, a
    listing by its seller's name or by its place and type ("the Germasogeia apartment")."""
    apart = [s for s in items if s.span[1] <= ref.span[0] or s.span[0] >= ref.span[1]]
    people = {c.id for s in apart if s.kind == "person" for c in s.value.contacts}
    if "contact" in ref.kinds and ref.value in people:
        return True
    if "listing" not in ref.kinds:
        return False
    listing = lexicon.listing_index().by_id(str(ref.value))
    if listing is None:
        return False
    if listing.seller in people:
        return True
    places = {s.value.name for s in apart if s.kind == "place"}
    types = {s.value for s in apart if s.kind == "type"}
    placed = bool(places & {listing.district, listing.city})
    return placed and (not types or listing.property_type in types)


def _emails(text: str) -> Iterator[tuple[int, int]]:
    """Where `_EMAIL.finditer(text)` finds addresses, in linear time: the regex alone tries every
    letter of a long word as a start (8,000 letters took 0.3 s; issue #10). Within a run of
    address characters every start before the next "@" reaches that "@" and so succeeds or fails
    with the first one; after a failure the search goes on past the "@"."""
    for run in _ADDRESS_RUN.finditer(text):
        start, end = run.span()
        at = text.find("@", start, end)
        while at != -1:
            domain = _DOMAIN.match(text, at, end)
            if at > start and domain is not None:
                yield start, domain.end()
                start = domain.end()
            else:
                start = at + 1
            at = text.find("@", start, end)


def _joined_names(text: str, items: list[Slot], lexicon: Lexicon) -> list[Slot]:
    """Two names side by side that share a client are one name: lower-case "денис романов"
    was read as "Денис" (four Denises) and "Романов" (four Romanovs), so the copilot asked
    which Denis of a client named in full."""
    people = sorted((s for s in items if s.kind == "person"), key=lambda s: s.span[0])
    for first, second in pairwise(people):
        if first not in items or text[first.span[1] : second.span[0]].strip():
            continue
        shared = {c.id for c in first.value.contacts} & {c.id for c in second.value.contacts}
        if not shared:
            continue
        span = (first.span[0], second.span[1])
        surface = text[span[0] : span[1]]
        canonical = " ".join(w[:1].upper() + w[1:] for w in surface.split())
        joined = lexicon.person(span, surface, canonical)
        if joined.contact is None or joined.contact.id not in shared:
            continue
        items = [i for i in items if i is not first and i is not second]
        items.append(Slot("person", span, surface, joined))
    return items


def extract_slots(text: str, *, now: datetime, lexicon: Lexicon) -> Slots:
    """All slots of `text`; `now` is the broker-local time dates are resolved against."""
    items: list[Slot] = _phones(text)
    items += [
        Slot("email", (start, end), text[start:end], text[start:end].lower())
        for start, end in _emails(text)
    ]
    ids = find_ids(text, lexicon)
    items += [Slot("ref", m.span, m.text, m.id, m.kinds) for m in ids if m.own_shape]
    # Ids of any other look ("villa-peyia", "Ivan") meet the other slots at the end (settle).
    worded = [Slot("ref", m.span, m.text, m.id, m.kinds) for m in ids if not m.own_shape]
    items += [
        Slot("money", m.span, m.text, m.amount) for m in find_money(text) if m.currency == "EUR"
    ]
    items += [Slot("shift", shift.span, shift.text, shift.delta) for shift in find_shifts(text)]
    taken = [s.span for s in items]
    whens, doubts = read_dates(text, now=now)
    for when in whens:
        start, end = when.span
        while end > start and text[end - 1] in ".,;":  # "в четверг." ends before the full stop
            end -= 1
        if not _overlaps((start, end), taken):
            items.append(Slot("when", (start, end), text[start:end], when))
    for kind, finder in (
        ("beds", match_bedrooms),
        ("timeline", match_timeline_months),
        ("percent", match_percent),
        ("count", match_count),
    ):
        quantity = finder(text)
        if quantity is not None:
            items.append(Slot(kind, quantity.span, quantity.text, quantity))
    items += [Slot(*found) for found in places(text)]
    items += [Slot(*found) for found in features_and_types(text)]
    things = [s.span for s in items if s.kind in ("place", "type", "feature", "email", "ref")]
    for found in find_person_mentions(text):
        mention = _whole_known_name(text, found, lexicon)
        span, surface, canonical = _without_opening_verb(text, mention)
        if span != mention.span and _known_exactly(lexicon, mention):
            # "Mark Evans came…": a client whose first name is also a verb keeps it
            span, surface, canonical = mention.span, mention.text, mention.canonical
        canonical = _with_yo(canonical, surface)
        if surface.lower() in _NOT_PEOPLE:
            continue
        if surface and not _overlaps(span, things):
            person = lexicon.person(span, surface, canonical)
            items.append(Slot("person", span, surface, person))
    people = [s.span for s in items if s.kind == "person"]
    for mention in typed_new_names(text):
        if not _overlaps(mention.span, people) and not _overlaps(mention.span, things):
            person = lexicon.person(mention.span, mention.text, mention.canonical)
            items.append(Slot("person", mention.span, mention.text, person))
    taken = [s.span for s in items]
    for person in lexicon.known_names(text, taken):
        items.append(Slot("person", person.span, person.text, person))
    items = _joined_names(text, items, lexicon)
    items += worded
    norm = normalise(text)
    stage = find_stage(norm.lower)
    if stage is not None:
        a, b = norm.to_original(*stage.span)
        for slot in items:  # "сними l-1 с продажи": the listing stays a slot of its own
            if a <= slot.span[0] and slot.span[1] < b:
                a = max(a, slot.span[1])
            elif a < slot.span[0] and slot.span[1] == b:  # "снимай квартиру": the flat too
                b = slot.span[0]
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        items.append(Slot("stage" if stage.explicit else "event", (a, b), text[a:b], stage))
    items = settle(text, items, _same_record, lambda ref: _named_elsewhere(ref, items, lexicon))
    items.sort(key=lambda s: (s.span[0], -s.span[1]))
    return Slots(text, items, doubts)
