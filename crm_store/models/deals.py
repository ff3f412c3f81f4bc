"""The two pipelines: listings (seller side) and buyer requests (buyer side), and their history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_store.models.base import Base, Money, Percent, UTCDateTime


class Listing(Base):
    """A seller-side deal and the property it sells."""

    __tablename__ = "listings"
    __table_args__ = (
        Index("ix_listings_owner_stage", "owner", "stage"),
        Index("ix_listings_stage_city", "stage", "city"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(ForeignKey("brokers.id"))
    seller: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    stage: Mapped[str] = mapped_column(String(32), default="prospect")
    mandate: Mapped[str | None] = mapped_column(String(16))
    property_type: Mapped[str] = mapped_column(String(16), default="apartment")
    city: Mapped[str | None] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    price: Mapped[Decimal | None] = mapped_column(Money())
    bedrooms: Mapped[int | None]
    bathrooms: Mapped[int | None]
    area_m2: Mapped[float | None]
    features: Mapped[list[Any]] = mapped_column(default=list)
    description: Mapped[str | None] = mapped_column(Text)
    commission_pct: Mapped[Decimal | None] = mapped_column(Percent())
    listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_price: Mapped[Decimal | None] = mapped_column(Money())
    withdrawn_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BuyerRequest(Base):
    """A buyer-side deal: what one buyer is looking for and how far along they are."""

    __tablename__ = "buyer_requests"
    __table_args__ = (Index("ix_buyer_requests_owner_stage", "owner", "stage"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(ForeignKey("brokers.id"))
    buyer: Mapped[str] = mapped_column(ForeignKey("contacts.id"))
    stage: Mapped[str] = mapped_column(String(32), default="qualification")
    budget_min: Mapped[Decimal | None] = mapped_column(Money())
    budget_max: Mapped[Decimal | None] = mapped_column(Money())
    cities: Mapped[list[Any]] = mapped_column(default=list)
    districts: Mapped[list[Any]] = mapped_column(default=list)
    property_types: Mapped[list[Any]] = mapped_column(default=list)
    bedrooms_min: Mapped[int | None]
    must_haves: Mapped[list[Any]] = mapped_column(default=list)
    wishes: Mapped[str | None] = mapped_column(Text)
    timeline_months: Mapped[int | None]
    financing: Mapped[str] = mapped_column(String(16), default="unknown")
    nurturing: Mapped[bool] = mapped_column(default=False)
    lost_reason: Mapped[str | None] = mapped_column(String(32))
    expected_commission: Mapped[Decimal | None] = mapped_column(Money())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DealLink:
    """Columns that point at one deal of either side; `deal` is whichever is set."""

    listing_id: Mapped[str | None]
    buyer_request_id: Mapped[str | None]

    @property
    def deal(self) -> str | None:
        return self.listing_id or self.buyer_request_id


class StageChange(DealLink, Base):
    """One move of a deal between stages; history is appended, never rewritten."""

    __tablename__ = "stage_changes"
    __table_args__ = (
        CheckConstraint(
            "(listing_id IS NULL) <> (buyer_request_id IS NULL)", name="exactly_one_deal"
        ),
        Index("ix_stage_changes_listing", "listing_id"),
        Index("ix_stage_changes_buyer_request", "buyer_request_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    listing_id: Mapped[str | None] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    buyer_request_id: Mapped[str | None] = mapped_column(
        ForeignKey("buyer_requests.id", ondelete="CASCADE")
    )
    from_stage: Mapped[str | None] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str | None] = mapped_column(ForeignKey("brokers.id"))
    reason: Mapped[str | None] = mapped_column(Text)
