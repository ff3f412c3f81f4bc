"""Argument shapes shared by several tools: a buyer's criteria and a property's facts."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema


def _as_given(value: Any) -> Any:
    """A figure passes as the model wrote it, every digit of a long one kept: the service reads
    it and says, in the broker's language, what is wrong with it (a 40-digit budget, "-5")."""
    if isinstance(value, int | float | str | Decimal):  # a bool too: the service refuses it
        return value
    raise ValueError("give a number, e.g. 450000")


# A number argument (money, an area, a percentage): shown to the model as a JSON number.
Number = Annotated[Any, PlainValidator(_as_given), WithJsonSchema({"type": "number"})]


class BuyerCriteria(BaseModel):
    """What a buyer wants. Omit what the broker did not say."""

    model_config = ConfigDict(extra="forbid")

    budget_min: Number | None = None
    budget_max: Number | None = None
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
    price: Number | None = None
    bedrooms: int | None = None
    bathrooms: int | None = None
    area_m2: Number | None = None
    features: list[str] | None = None
    description: str | None = None
    mandate: str | None = Field(None, description="exclusive|open")
    commission_pct: Number | None = None

    def given(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)
