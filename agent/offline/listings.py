"""Listings a broker names in passing: "l-12", "the Tala villa", "квартира на Посейдонос",
"George's penthouse", "the Poseidonos flat (apt 5)".

A mention is a piece of a clause with a listing id, or with address words, a place, a property
type or a seller. It is resolved against the listings the broker may see (their own at any
stage, the team's active ones), matching address words by their latin key so Cyrillic and
declined spellings meet Latin addresses ("Вироноса" → Vyronos). One fit → its id; otherwise
the words go to the tool as written (in Latin letters), which resolves them again or asks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from crm_store.services.names import spelling_key

_UNIT = re.compile(r"\b(?:apt|apartment|unit|flat|кв\.?|квартира)\s*(\d+[a-z]?)\b", re.IGNORECASE)
# Address words that do not tell listings apart.
_GENERIC = frozenset(
    {"st", "str", "street", "ave", "avenue", "rd", "road", "lane", "hill", "sq", "square"}
    | {"apt", "unit", "no", "the", "and", "ул", "улица", "проспект"}
)
_MIN_PREFIX = 5


@dataclass(frozen=True)
class ListingInfo:
    """What the model needs to tell listings apart (read once per turn, when needed)."""

    id: str
    address: str
    district: str | None
    city: str | None
    property_type: str
    seller: str | None
    stage: str
    price: Decimal | None = None  # the asking price: "down by 20k" is counted from it

    def label(self) -> str:
        where = self.address or ", ".join(p for p in (self.district, self.city) if p)
        return f"{self.id} {self.property_type}, {where}"


def _tokens(text: str) -> list[str]:
    return [t for t in spelling_key(text).split() if t not in _GENERIC]


def _word_fits(word: str, tokens: list[str]) -> bool:
    """A word of the broker's fits an address word: equal, or one begins the other (case
    endings and spelling variants: "vironosa" / "vironos"), at least five letters shared."""
    for token in tokens:
        if word == token:
            return True
        shorter, longer = sorted((word, token), key=len)
        if len(shorter) >= _MIN_PREFIX and longer.startswith(shorter):
            return True
    return False


_CLOSE = 0.8  # among a few known listings, "амафунтос" (amafuntos) is Amathountos


def _sounds_like(word: str, tokens: list[str]) -> bool:
    """A long word spelt another way (Greek θ as Russian ф): only to tell apart listings
    already in question, never to find one."""
    return len(word) >= 7 and any(
        SequenceMatcher(None, word, token).ratio() >= _CLOSE for token in tokens if len(token) >= 7
    )


@dataclass
class ListingIndex:
    """The visible listings, searched by words, type, place and seller."""

    listings: list[ListingInfo]

    def by_id(self, listing_id: str) -> ListingInfo | None:
        return next((listing for listing in self.listings if listing.id == listing_id), None)

    def named_in(self, text: str, among: list[str]) -> list[str]:
        """Which of the listings `among` the text names by a word of its address ("vyronos
        felt dark", "на Вироноса"), in lower case or any script; the ids, in `among`'s order."""
        words = [w for w in spelling_key(text).split() if len(w) >= 3 and w not in _GENERIC]
        named: list[str] = []
        for listing_id in among:
            listing = self.by_id(listing_id)
            if listing is None:
                continue
            # the street and building, not the district or city every listing there shares
            parts = [p.strip() for p in listing.address.split(",")]
            while len(parts) > 1 and parts[-1] in (listing.district, listing.city):
                parts.pop()
            tokens = [t for t in _tokens(", ".join(parts)) if len(t) >= 3]
            if any(_word_fits(word, tokens) or _sounds_like(word, tokens) for word in words):
                named.append(listing_id)
        return named

    def find(
        self,
        *,
        words: list[str] = (),  # type: ignore[assignment]
        types: list[str] = (),  # type: ignore[assignment]
        places: list[str] = (),  # type: ignore[assignment]
        sellers: list[str] = (),  # type: ignore[assignment]
        unit: str | None = None,
    ) -> list[ListingInfo]:
        keys = [k for w in words for k in _tokens(w)]
        found: list[ListingInfo] = []
        fits: list[int] = []
        for listing in self.listings:
            tokens = _tokens(listing.address)
            fit = sum(_word_fits(k, tokens) for k in keys)
            if keys and not fit:
                continue
            if types and listing.property_type not in types:
                continue
            if places and listing.district not in places and listing.city not in places:
                continue
            if sellers and listing.seller not in sellers:
                continue
            if unit and not re.search(
                rf"\b(?:apt|unit|penthouse)\s*{re.escape(unit)}\b", listing.address, re.IGNORECASE
            ):
                continue
            found.append(listing)
            fits.append(fit)
        if keys and found:  # a stray word ("в Пейе") may fit no address: best fits win
            best = max(fits)
            found = [listing for listing, fit in zip(found, fits, strict=True) if fit == best]
        return found


def unit_of(text: str) -> str | None:
    """ "(apt 5)" → "5": the flat number that tells apart units of one building."""
    found = _UNIT.search(text)
    return found.group(1) if found else None


ListingLoader = Callable[[], ListingIndex]
