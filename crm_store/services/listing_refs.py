"""Which listing a broker means by an id or an address fragment ("the villa in Peyia")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from crm_store.context import Ctx
from crm_store.errors import Ambiguous, Forbidden, NotFound
from crm_store.features import find_property_types
from crm_store.models import Listing
from crm_store.places import find_places
from crm_store.repositories import appointments as repo
from crm_store.repositories import ids
from crm_store.services.permissions import can_see_listing_facts, team_broker_ids, visible_owner_ids

# Words that say nothing about which listing is meant.
_FILLER = {
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "of",
    "with",
    "near",
    "by",
    "and",
    "one",
    "flat",
    "property",
    "listing",
    "house",
    "villa",
    "apartment",
    "penthouse",
    "townhouse",
    "plot",
    "street",
    "str",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
}
_MIN_WORD = 3


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("ё", "е"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def listing_label(listing: Listing, language: str = "en") -> str:
    """How a broker recognises a listing: "Villa, 12 Seaview St, Peyia (l-7)"."""
    kind = listing.property_type.capitalize()
    where = listing.address or ", ".join(p for p in (listing.district, listing.city) if p)
    return f"{kind}, {where} ({listing.id})" if where else f"{kind} ({listing.id})"


def _words(ref: str, consumed: Sequence[str]) -> list[str]:
    """The address words of a reference: not fillers, not place or type words already used."""
    skip = {_fold(word) for name in consumed for word in name.split()}
    words = re.findall(r"[\w'-]+", _fold(ref))
    return [w for w in words if len(w) >= _MIN_WORD and w not in _FILLER and w not in skip]


def _matches(listing: Listing, words: list[str], places: list[str], types: list[str]) -> bool:
    address = _fold(listing.address or "")
    if any(word not in address for word in words):
        return False
    if places and listing.city not in places and listing.district not in places:
        return False
    return not types or listing.property_type in types


def _pick(ref: str, found: list[Listing]) -> Listing:
    if len(found) == 1:
        return found[0]
    labels = [(listing.id, listing_label(listing)) for listing in found[:5]]
    shown = "; ".join(label for _, label in labels)
    raise Ambiguous(
        f"'{ref}' fits several listings: {shown}. Ask which one (or use its id).",
        f"Под «{ref}» подходят несколько объектов: {shown}. Уточните, какой (или укажите номер).",
        candidates=labels,
    )


def resolve_listing(ctx: Ctx, *, ref: str, among: Sequence[str] = ()) -> Listing:
    """The one listing the actor may see that `ref` names: its id (whatever its shape), or an
    address fragment with optional place and property type. Listings in `among` (e.g. the ones
    of the showing being discussed) are tried first. Unknown → NotFound; several → Ambiguous."""
    text = (ref or "").strip()
    listing = ids.find(ctx.session, Listing, text)  # ids are opaque: looked up, not parsed
    if listing is not None:
        if not can_see_listing_facts(ctx, listing):
            raise Forbidden(
                f"Listing {text} is a colleague's and not on the market.",
                f"Объект {text} принадлежит коллеге и не в продаже.",
            )
        return listing
    if ids.generated_shape(text):  # "l-99": written as an id, and no listing has it
        raise NotFound(f"There is no listing {text}.", f"Объекта {text} нет.")
    places = list(dict.fromkeys(place.name for place in find_places(text)))
    types = find_property_types(text)
    words = _words(text, places)
    if not (words or places or types):
        raise NotFound(
            f"'{ref}' does not name a listing; give its id or part of its address.",
            f"«{ref}» не называет объект; укажите номер или часть адреса.",
        )
    if among:
        shown = [
            listing
            for listing in repo.listings_by_ids(ctx.session, among).values()
            if can_see_listing_facts(ctx, listing)
        ]
        nearby = [listing for listing in shown if _matches(listing, words, places, types)]
        if not nearby and words and (places or types):
            nearby = [listing for listing in shown if _matches(listing, [], places, types)]
        if nearby:
            return _pick(text, sorted(nearby, key=lambda listing: listing.id))
    owners = visible_owner_ids(ctx)
    team = None if owners is None else team_broker_ids(ctx)
    found = repo.visible_listings_like(
        ctx.session,
        owner_ids=owners,
        team_ids=team,
        words=words,
        places=places,
        property_types=types,
    )
    if not found and words and (places or types):
        # The leftover words may be a spelling the address does not use ("Пейе" for Peyia).
        found = repo.visible_listings_like(
            ctx.session, owner_ids=owners, team_ids=team, places=places, property_types=types
        )
    if not found:
        raise NotFound(
            f"No listing you can see matches '{ref}'. Check the address, or give the id.",
            f"Нет доступного вам объекта по запросу «{ref}». Проверьте адрес или укажите номер.",
        )
    return _pick(text, found)
