"""Who and what a message names, resolved against the store as the acting broker (read only).

People: the broker's contacts (and the team's brokers) by name in either script and any case;
"Ольге Смирновой" arrives here as "Ольга Смирнова" and meets "Olga Smirnova" through the
latin key. Lower-case names ("call ivan tomorrow") are found by scanning for words of known
contacts' names. Listings: ids ("l-12") or address fragments ("Amathus").

The name index is cached per broker and rebuilt when their contacts' names change, so a turn
costs one light query (ids and names).
"""

from __future__ import annotations

import copy as copy_module
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

from agent.offline.listings import ListingIndex
from agent.offline.store_view import DealInfo, FollowUpInfo, StoreView
from crm_store.context import Actor
from crm_store.repositories import people
from crm_store.repositories.ids import NAMEABLE
from crm_store.services import permissions
from crm_store.services.contacts import RESOLVE_MARGIN, RESOLVE_MIN_SCORE
from crm_store.services.names import rank_keys, spelling_key
from tools.deps import Backend


@dataclass(frozen=True)
class Candidate:
    """A stored record a reference may mean, with how well the words fit (0-100)."""

    id: str
    name: str
    score: float


@dataclass(frozen=True)
class PersonRef:
    """A person named in the message: as written, in nominative, and who it may be."""

    span: tuple[int, int]
    text: str
    canonical: str
    contacts: tuple[Candidate, ...] = ()
    brokers: tuple[Candidate, ...] = ()

    @property
    def contact(self) -> Candidate | None:
        """The one contact meant, when the name decides it (as the tools would resolve it)."""
        return _decided(self.contacts)

    @property
    def ambiguous(self) -> bool:
        return bool(self.contacts) and self.contact is None

    @property
    def broker(self) -> Candidate | None:
        return _decided(self.brokers)

    @property
    def known(self) -> bool:
        return bool(self.contacts) or bool(self.brokers)

    def reference(self) -> str:
        """What to pass to a tool: the stored full name when decided, else the words written."""
        chosen = self.contact
        return chosen.name if chosen is not None else self.canonical


def _decided(candidates: tuple[Candidate, ...]) -> Candidate | None:
    if not candidates:
        return None
    exact = [c for c in candidates if c.score >= 100.0]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    if len(candidates) == 1 or candidates[0].score - candidates[1].score >= RESOLVE_MARGIN:
        return candidates[0]
    return None


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lower-case words that are never taken for a contact's name even when one is spelled so.
_COMMON = _words(
    "the and for with from call text send show find move add new note card list about she his "
    "her him they them this that what when where who why how can will would should want wants "
    "buy sell price budget view pool sea park parking mark may will rose grace hope joy faith "
    "bill sun rich young long white brown green black king hall lane wood field"
)


_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _normal_forms(word: str) -> tuple[str, ...]:
    """A Cyrillic word's dictionary forms ("Софии" → "софия", "Никоса" → "никос"): pymorphy
    knows foreign names as nouns or places, not always as names, so take every reading."""
    if not _CYRILLIC.search(word):
        return ()
    from crm_store.services.names import parses

    forms: list[str] = []
    for parse in parses(word.lower()):
        if parse.normal_form not in forms and parse.normal_form != word.lower():
            forms.append(parse.normal_form)
    return tuple(forms[:3])


@lru_cache(maxsize=8192)
def _word_keys(word: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(spelling_key(w) for w in (word, *_normal_forms(word))))


def _declined(name: str) -> list[str]:
    """Other readings of a Russian-declined name, word by word (at most a few)."""
    words = name.split()
    options = [(w, *_normal_forms(w)) for w in words]
    if all(len(o) == 1 for o in options):
        return []
    return [" ".join(combo) for combo in product(*options)][1:6]


@dataclass
class Lexicon:
    """The acting broker's people (contacts and team brokers) and a way to find listings."""

    contacts: dict[str, str]  # id -> full name as stored
    brokers: dict[str, str] = field(default_factory=dict)
    view: StoreView | None = None  # this turn's read-only store (listings, deals, showings)
    _keys: dict[str, str] = field(init=False, repr=False)
    _broker_keys: dict[str, str] = field(init=False, repr=False)
    _words: dict[str, set[str]] = field(init=False, repr=False)
    _contact_ids: dict[str, list[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._contact_ids = {}
        for cid in self.contacts:
            self._contact_ids.setdefault(cid.lower(), []).append(cid)
        self._keys = {cid: spelling_key(name) for cid, name in self.contacts.items()}
        self._broker_keys = {bid: spelling_key(name) for bid, name in self.brokers.items()}
        self._words = {}
        for cid, key in self._keys.items():
            for word in key.split():
                if len(word) >= 3:  # common words only count with a possessive (known_names)
                    self._words.setdefault(word, set()).add(cid)

    def person(self, span: tuple[int, int], text: str, canonical: str) -> PersonRef:
        """A name as found in the message, with the contacts and brokers it may mean."""
        contacts: tuple[Candidate, ...] = ()
        brokers: tuple[Candidate, ...] = ()
        for variant in (canonical, *_declined(canonical)):
            key = spelling_key(variant)
            contacts = self._rank(key, self._keys, self.contacts)
            brokers = self._rank(key, self._broker_keys, self.brokers)
            if contacts or brokers:
                break
        return PersonRef(span, text, canonical, contacts, brokers)

    def _rank(self, key: str, keys: dict[str, str], names: dict[str, str]) -> tuple[Candidate, ...]:
        ranked = rank_keys(key, keys, limit=6, cutoff=RESOLVE_MIN_SCORE)
        return tuple(Candidate(cid, names[cid], score) for cid, score in ranked)

    def _word_ids(self, word: str) -> set[str]:
        """The contacts whose name has this word (in any of its spellings or forms)."""
        for key in _word_keys(word):
            ids = self._words.get(key)
            if ids:
                return ids
        return set()

    def _neighbours_ids(self, text: str, words: list[re.Match[str]], index: int) -> set[str]:
        """The contacts named by the words right before and after words[index] (no
        punctuation between)."""
        ids: set[str] = set()
        if index > 0 and not text[words[index - 1].end() : words[index].start()].strip():
            ids |= self._word_ids(words[index - 1].group())
        if (
            index + 1 < len(words)
            and not text[words[index].end() : words[index + 1].start()].strip()
        ):
            ids |= self._word_ids(words[index + 1].group())
        return ids

    def known_names(self, text: str, taken: Iterable[tuple[int, int]]) -> list[PersonRef]:
        """Words of known contacts' names that the name finder left (lower case "call ivan
        petrov", or a sentence-opening "Maria didn't…"), outside `taken`."""
        blocked = list(taken)
        found: list[PersonRef] = []
        run: list[tuple[int, int]] = []

        def close() -> None:
            if run:
                start, end = run[0][0], run[-1][1]
                surface = text[start:end]
                canonical = " ".join(w[:1].upper() + w[1:] for w in surface.split())
                found.append(self.person((start, end), surface, canonical))
                run.clear()

        matches = list(_WORD.finditer(text))
        for index, match in enumerate(matches):
            word, start, end = match.group(), match.start(), match.end()
            possessive = word.lower().endswith(("'s", "’s"))
            if possessive:  # "ivan's search": Ivan; the name ends before the "'s"
                word, end = word[:-2], end - 2
            inside = any(start < b and end > a for a, b in blocked)
            ids: set[str] | None = None
            if not inside and word.isalpha():
                ids = self._word_ids(word)
                # "mark's meeting", "mark evans called", "michael brown again": a common word
                # is a client's name with a possessive or beside the rest of that name
                if ids and word.lower() in _COMMON and not possessive:
                    ids = ids & self._neighbours_ids(text, matches, index)
            adjacent = bool(run) and text[run[-1][1] : start].strip() == ""
            if ids and (not run or adjacent) and len(run) < 3:
                run.append((start, end))
                if possessive:
                    close()
                continue
            close()
            if ids:
                run.append((start, end))
                if possessive:
                    close()
        close()
        return found

    def record_ids(self, refs: Iterable[str]) -> dict[str, dict[str, str]]:
        """Which of `refs` are ids of records the broker can see: lower-case ref → {kind: id as
        stored}. Ids are opaque, so this is a lookup: the contacts are in the name index, the
        rest is asked of this turn's store."""
        wanted = {ref.strip() for ref in refs if ref.strip()}
        found: dict[str, dict[str, str]] = {}
        if self.view is not None:
            others = [kind for kind in NAMEABLE if kind != "contact"]
            found = {k: dict(v) for k, v in self.view.record_ids(wanted, others).items()}
        for ref in wanted:
            stored = self._contact_ids.get(ref.lower())
            if stored:
                exact = ref if ref in stored else stored[0]
                found.setdefault(ref.lower(), {})["contact"] = exact
        return found

    def client_of(self, held: dict[str, str]) -> str | None:
        """The name of the client a record is of (`held`: kind → id, as record_ids gives it):
        a contact themselves, a deal's seller or buyer, a follow-up's or a meeting's client."""
        if "contact" in held:
            return self.contacts.get(held["contact"])
        if self.view is None:
            return None
        contact_id = self.view.client_of(held)
        return self.contacts.get(contact_id) if contact_id is not None else None

    def rebound(self, view: StoreView | None) -> Lexicon:
        """The same name index, reading listings and deals through this turn's store."""
        copy = copy_module.copy(self)
        copy.view = view
        return copy

    def listing_index(self) -> ListingIndex:
        return self.view.listings() if self.view is not None else ListingIndex([])

    def deals_of(self, contact_id: str) -> list[DealInfo]:
        return self.view.deals_of(contact_id) if self.view is not None else []

    def sides_of(self, contact_id: str) -> set[str]:
        """Which sides the contact's open deals are on ("seller", "buyer")."""
        return {deal.side for deal in self.deals_of(contact_id) if deal.open}

    def shown_to(self, contact_id: str) -> list[str]:
        return self.view.shown_to(contact_id) if self.view is not None else []

    def open_follow_ups(self, contact_id: str) -> list[FollowUpInfo]:
        return self.view.open_follow_ups(contact_id) if self.view is not None else []

    def scheduled_appointments(self, contact_id: str) -> list[FollowUpInfo]:
        return self.view.scheduled_appointments(contact_id) if self.view is not None else []


_CACHE: dict[tuple[str | None, str, str], tuple[int, Lexicon]] = {}
_LOCK = threading.Lock()


def load_lexicon(backend: Backend, actor: Actor) -> Lexicon:
    """The actor's lexicon; the name index is rebuilt only when their people changed."""
    with backend.unit_of_work(actor) as ctx:
        owners = permissions.visible_owner_ids(ctx)
        rows = people.contact_names(ctx.session, owners)
        brokers = {b.id: b.name for b in people.list_brokers(ctx.session, team=actor.team)}
    stamp = hash((tuple(rows), tuple(sorted(brokers.items()))))
    cache_key = (actor.broker_id, actor.role, actor.team)
    view = StoreView(backend, actor)
    with _LOCK:
        cached = _CACHE.get(cache_key)
    if cached is not None and cached[0] == stamp:
        return cached[1].rebound(view)
    lexicon = Lexicon(contacts=dict(rows), brokers=brokers, view=view)
    with _LOCK:
        _CACHE[cache_key] = (stamp, lexicon)
    return lexicon
