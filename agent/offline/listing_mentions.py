"""Listing mentions in a clause, piece by piece, resolved against the visible listings.

A piece (cut at commas, colons, "and", "но"…) mentions a listing when it has a listing's id
(an id the store holds for a listing, or one written like its ids that no record has), address
words (capitalised words no other slot took: "Amathus Hill", "Посейдонос"), a place, a unit
("apt 5") or a seller ("George's penthouse"). Type words narrow the search. When the broker
talks about a showing, the showing's listings are searched first ("the flat in Kato Paphos").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from agent.offline.frames import Turn
from agent.offline.lexicon import PersonRef
from agent.offline.listings import ListingInfo, unit_of

_PIECE_CUT = re.compile(r"[,;:]|\s[-—–]\s|\s(?:and|but|plus|или|и|а|но|or)\s", re.IGNORECASE)
_WORD = re.compile(r"(?<![\w-])[A-ZА-ЯЁ][\w'’-]{2,}")
_MAX_CHOICES = 5


@dataclass
class ListingMention:
    """A listing named in a piece: the fitting listings, and words a tool can resolve."""

    span: tuple[int, int]
    phrase: str
    candidates: list[ListingInfo] = field(default_factory=list)
    exact_id: str | None = None  # a listing's id the broker wrote ("l-12", "villa-peyia")

    @property
    def resolved(self) -> str | None:
        if self.exact_id:
            return self.exact_id
        return self.candidates[0].id if len(self.candidates) == 1 else None

    def reference(self) -> str:
        """What to pass to a tool: the id when one listing fits, else the words."""
        return self.resolved or self.phrase

    @property
    def choices(self) -> list[ListingInfo]:
        """Several listings fit, few enough to ask which one."""
        many = len(self.candidates) > 1 and not self.exact_id
        return self.candidates[:_MAX_CHOICES] if many else []


def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A clause cut where one listing's words end and another's may begin."""
    cuts = [start]
    cuts += [m.start() + start for m in _PIECE_CUT.finditer(text[start:end])]
    cuts.append(end)
    return [(a, b) for a, b in pairwise(cuts) if text[a:b].strip()]


def _address_words(turn: Turn, piece: tuple[int, int]) -> list[str]:
    """Capitalised words no slot explains (names of people who are contacts excepted)."""
    covered = [
        s.span
        for s in turn.slots.items
        if s.kind not in ("person", "count") or _is_contact(s.value)
    ]
    words: list[str] = []
    for match in _WORD.finditer(turn.slots.text, piece[0], piece[1]):
        if any(a <= match.start() < b for a, b in covered):
            continue
        before = turn.slots.text[: match.start()].rstrip()
        if not before or before[-1] in ".!?\n":
            continue  # a sentence's first word is no address
        word = match.group()
        words.append(word[:-2] if word.endswith(("'s", "’s")) else word)
    return words


_LEAD_WORD = re.compile(r"([^\W\d_][\w'’-]{2,})\s+$")
_NOT_ADDRESS = frozenset(
    {
        *("the", "a", "an", "my", "our", "his", "her", "their", "this", "that", "for", "at"),
        *("in", "on", "of", "to", "with", "new", "old", "nice", "big", "small", "same", "other"),
        *("на", "в", "во", "для", "про", "этот", "эта", "эту", "его", "её", "ее", "их", "наш"),
        *("наша", "нашу", "мой", "моя", "мою"),
    }
)


def _words_before_type(turn: Turn, piece: tuple[int, int]) -> list[str]:
    """Lower-case words that describe a listing right before its type ("the amathus hill
    villa", "potamos penthouse"): tried as address words when no capitalised word is there."""
    covered = [s.span for s in turn.slots.items if s.kind != "type"]
    words: list[str] = []
    for slot in turn.slots.of("type", piece):
        end = slot.span[0]
        for _ in range(3):
            match = _LEAD_WORD.search(turn.slots.text, piece[0], end)
            if match is None or match.group(1).lower() in _NOT_ADDRESS:
                break
            if any(a <= match.start(1) < b for a, b in covered):
                break
            words.insert(0, match.group(1))
            end = match.start(1)
    return words


_AFTER_TYPE = re.compile(
    r"\s+(?:on|in|at|by|на|в|во|у)\s+(?:the\s+)?((?:[^\W\d_][\w'’-]*\s*){1,3})", re.IGNORECASE
)


def _words_after_type(turn: Turn, piece: tuple[int, int]) -> list[str]:
    """Words naming where the listing is, right after its type ("вилла на amathus hill",
    "the flat on poseidonos"): tried as address words too."""
    covered = [s.span for s in turn.slots.items if s.kind != "type"]
    for slot in turn.slots.of("type", piece):
        after = _AFTER_TYPE.match(turn.slots.text, slot.span[1], piece[1])
        if after is None:
            continue
        words = []
        for word in re.finditer(r"[^\W\d_][\w'’-]*", after.group(1)):
            start = after.start(1) + word.start()
            if any(a <= start < b for a, b in covered) or word.group().lower() in _NOT_ADDRESS:
                break
            words.append(word.group())
        if words:
            return words
    return []


def _person_like(turn: Turn, piece: tuple[int, int]) -> set[str]:
    """Words that a name finder took for someone (a broker, a stranger): maybe an address."""
    return {p.text for p in turn.slots.people(piece) if not p.contacts}


def _is_contact(value: object) -> bool:
    return isinstance(value, PersonRef) and bool(value.contacts)


def _sellers(turn: Turn, piece: tuple[int, int], client: PersonRef | None) -> list[str]:
    sellers: list[str] = []
    for person in turn.slots.people(piece):
        chosen = person.contact
        if chosen is None or (client is not None and person is client):
            continue
        if "seller" in turn.lexicon.sides_of(chosen.id) or any(
            d.side == "seller" for d in turn.lexicon.deals_of(chosen.id)
        ):
            sellers.append(chosen.id)
    return sellers


# "Vyronos 41", "41 Vyronos": a street and its number
_STREET_NUMBER = re.compile(r"\b[^\W\d_]{4,}\s+\d{1,3}[a-z]?\b|\b\d{1,3}[a-z]?\s+[^\W\d_]{4,}")


def listing_mentions(
    turn: Turn,
    span: tuple[int, int],
    *,
    client: PersonRef | None = None,
    among: list[str] | None = None,
) -> list[ListingMention]:
    """The listings a clause names, in order (see the module docstring)."""
    text = turn.slots.text
    found: list[ListingMention] = []
    for piece in pieces(text, *span):
        ids = [str(s.value) for s in turn.slots.refs("listing", span=piece)]
        if ids:
            found.extend(ListingMention(piece, i, exact_id=i) for i in ids)
            continue
        words = _address_words(turn, piece)
        types = [s.value for s in turn.slots.of("type", piece)]
        places = [s.value.name for s in turn.slots.of("place", piece)]
        if not words and not places:  # "the amathus hill villa", "вилла на amathus hill"
            index = turn.lexicon.listing_index()
            for guess in (_words_before_type(turn, piece), _words_after_type(turn, piece)):
                if guess and index.find(words=guess, types=types):
                    words = guess
                    break
        sellers = _sellers(turn, piece, client)
        unit = unit_of(text[piece[0] : piece[1]])
        index = turn.lexicon.listing_index()
        if not (words or places or sellers or unit or (types and among)):
            # "the georgiou a apartment": a type, and a word of one listing's street
            said = text[piece[0] : piece[1]]
            named = index.named_in(said, [x.id for x in index.listings])
            if (types or _STREET_NUMBER.search(said)) and len(named) == 1:
                found.append(ListingMention(piece, named[0], [index.by_id(named[0])]))  # type: ignore[list-item]
            continue
        candidates = index.find(words=words, types=types, places=places, sellers=sellers, unit=unit)
        loose = _person_like(turn, piece)
        strict = [w for w in words if w not in loose]
        if not candidates and strict != words and (strict or places or sellers or unit):
            # "Chris's villa on Amathus Hill": Chris is a colleague, not an address word.
            candidates = index.find(
                words=strict, types=types, places=places, sellers=sellers, unit=unit
            )
        if among:
            shown = [c for c in candidates if c.id in among]
            if not shown and not words and not sellers:
                every = index.find(types=types, places=places)
                shown = [c for c in every if c.id in among]
            candidates = shown or candidates
        if len(candidates) > 1:  # "georgiou a apartment in germasogeia": the street decides
            named = index.named_in(text[piece[0] : piece[1]], [c.id for c in candidates])
            candidates = [c for c in candidates if c.id in named] if len(named) == 1 else candidates
        phrase = " ".join([*(words or []), *types, *places]).strip() or text[piece[0] : piece[1]]
        found.append(ListingMention(piece, phrase, candidates))
    return found


def listing_refs(
    turn: Turn,
    span: tuple[int, int],
    *,
    client: PersonRef | None = None,
    among: list[str] | None = None,
) -> list[str]:
    """What to pass for each listing a clause names (ids where one fits), without repeats."""
    refs: list[str] = []
    for mention in listing_mentions(turn, span, client=client, among=among):
        if mention.reference() not in refs:
            refs.append(mention.reference())
    return refs
