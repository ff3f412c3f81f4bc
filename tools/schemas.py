"""Argument shapes shared by several tools: a buyer's criteria and a property's facts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class BuyerCriteria(BaseModel):
    """What a buyer wants. Omit what the broker did not say."""

    model_config = ConfigDict(extra="forbid")

    budget_min: float | None = None
    budget_max: float | None = None
    cities: list[str] | None = None
    districts: list[str] | None = None
    property_types: list[str] | None = Field(
        None, description="apartment|villa|house|townhouse|penthouse|plot|commercial"
    )
    bedrooms_min: int | None = None
    must_haves: list[str] | None = Field(None, description="features: sea_view, pool, garden, …")
    wishes: str | None = None
    timeline_months: int | None = None
    financing: str | None = Field(None, description="cash|mortgage|unknown")

    def given(self) -> dict[str, Any]:
        """Only the fields the model actually filled."""
        return self.model_dump(exclude_unset=True)


class PropertyFacts(BaseModel):
    """A property for sale. Omit what the broker did not say."""

    model_config = ConfigDict(extra="forbid")

    property_type: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    price: float | None = None
    bedrooms: int | None = None
    bathrooms: int | None = None
    area_m2: float | None = None
    features: list[str] | None = None
    description: str | None = None
    mandate: str | None = Field(None, description="exclusive|open")
    commission_pct: float | None = None

    def given(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)
