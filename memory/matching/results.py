"""What matching returns: listing facts any broker may see, buyers only their brokers may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from memory.documents import ListingDoc
from memory.matching.reasons import Reason


@dataclass(frozen=True)
class ListingFacts:
    """The shareable facts of a listing (SPEC §1): never the seller or their contact data."""

    id: str
    owner: str
    owner_name: str
    property_type: str
    city: str
    district: str
    address: str
    price: float | None
    bedrooms: int | None
    bathrooms: int | None
    area_m2: float | None
    features: tuple[str, ...]

    @classmethod
    def of(cls, doc: ListingDoc, owner_name: str = "") -> ListingFacts:
        return cls(
            id=doc.id,
            owner=doc.owner,
            owner_name=owner_name,
            property_type=doc.property_type,
            city=doc.city,
            district=doc.district,
            address=doc.address,
            price=doc.price,
            bedrooms=doc.bedrooms,
            bathrooms=doc.bathrooms,
            area_m2=doc.area_m2,
            features=doc.features,
        )


@dataclass(frozen=True)
class ListingMatch:
    listing: ListingFacts
    score: float
    reasons: tuple[Reason, ...]

    def reason_texts(self, language: str = "en") -> list[str]:
        return [reason.text(language) for reason in self.reasons]


@dataclass(frozen=True)
class BuyerMatch:
    request_id: str
    buyer: str
    buyer_name: str
    owner: str
    score: float
    reasons: tuple[Reason, ...]

    def reason_texts(self, language: str = "en") -> list[str]:
        return [reason.text(language) for reason in self.reasons]


@dataclass(frozen=True)
class BuyerMatches:
    """Buyers for a listing: the actor's own (or, for a manager, the team's) in full; the
    colleagues' only as a number, since buyers are private to their broker."""

    listing_id: str
    matches: list[BuyerMatch] = field(default_factory=list)
    colleagues_count: int = 0


@dataclass(frozen=True)
class NewMatchNotices:
    """What an automatic listing → buyers run recorded."""

    listing_id: str
    trigger: str | None  # "activated", "price_drop" or None (nothing to announce)
    created: list[str] = field(default_factory=list)  # notification ids
    skipped_existing: int = 0
