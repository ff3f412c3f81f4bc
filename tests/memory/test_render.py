"""Listing lines in match replies name the street, so a broker can tell the flats apart."""

from __future__ import annotations

from memory.matching.results import ListingFacts
from memory.render import listing_line


def _facts(address: str) -> ListingFacts:
    return ListingFacts(
        id="l-10",
        owner="b-1",
        owner_name="Anna Georgiou",
        property_type="apartment",
        city="Limassol",
        district="Mesa Geitonia",
        address=address,
        price=385000.0,
        bedrooms=2,
        bathrooms=2,
        area_m2=98.0,
        features=("parking",),
    )


def test_a_listing_line_carries_its_address_in_either_language():
    facts = _facts("14 Vyronos St")
    assert listing_line(facts) == (
        "Apartment, 2 bedrooms, 14 Vyronos St, Mesa Geitonia, Limassol — €385,000 (l-10)"
    )
    assert "14 Vyronos St" in listing_line(facts, "ru")


def test_a_listing_without_an_address_reads_as_before():
    assert listing_line(_facts("")).startswith("Apartment, 2 bedrooms, Mesa Geitonia, Limassol")


def test_a_place_the_address_already_names_is_not_repeated():
    line = listing_line(_facts("Apt 101, Agiou Andreou 138, Mesa Geitonia"))
    assert line.startswith(
        "Apartment, 2 bedrooms, Apt 101, Agiou Andreou 138, Mesa Geitonia, Limassol"
    )
