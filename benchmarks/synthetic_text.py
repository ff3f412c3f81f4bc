"""The words of the generated brokerage: how listings state each quality, how buyers wish for
it (in other words), and neutral filler sentences that state none."""

from __future__ import annotations

from typing import NamedTuple


class Quality(NamedTuple):
    feature: str | None  # the vocabulary key, when the quality has one
    phrasings: list[str]  # how listings state it
    wishes: list[str]  # how English-speaking buyers ask for it
    wishes_ru: list[str]  # how Russian-speaking buyers ask for it


QUALITIES: dict[str, Quality] = {
    "sea_view": Quality("sea_view", [
        "Wide views over the Mediterranean from every room.",
        "The balcony looks out over the bay.",
        "Panoramic sea views from the living room.",
    ], ["sea view", "I want to see the sea from my balcony", "a view of the water"],
        ["вид на море"]),
    "pool": Quality("pool", [
        "Residents share a large swimming pool.",
        "A private pool with sun loungers.",
        "There is a heated pool in the complex.",
    ], ["a pool", "somewhere to swim every morning", "a swimming pool for the kids"], ["бассейн"]),
    "fireplace": Quality("fireplace", [
        "A wood-burning fireplace warms the lounge in winter.",
        "The sitting room has an open hearth with a stone surround.",
        "Cosy fireplace in the living room.",
    ], ["a fireplace", "cosy evenings by an open fire", "a fireplace for the winter"], ["камин"]),
    "beach_walk": Quality(None, [
        "The sandy beach is a five-minute stroll away.",
        "Walk to the seafront in minutes.",
        "Only 300 metres from the beach.",
    ], ["walking distance to the beach", "be able to walk to the sea", "close to the beach"], []),
    "quiet": Quality("quiet", [
        "Set on a peaceful cul-de-sac with little traffic.",
        "A tranquil neighbourhood, far from the noise of the city.",
        "The street is very quiet at night.",
    ], ["a quiet area", "no traffic noise please", "a calm neighbourhood"], ["тихий район"]),
    "near_schools": Quality("near_schools", [
        "Several schools are within walking distance.",
        "Close to the international school.",
        "A kindergarten and a primary school are around the corner.",
    ], ["near schools", "good schools nearby for our children", "walk the kids to school"],
        ["рядом со школой"]),
    "home_office": Quality(None, [
        "A separate study makes an ideal home office.",
        "The fourth room is set up as an office with built-in shelves.",
        "There is a workspace with a built-in desk.",
    ], ["a home office", "a room to work from home", "space for a study"], []),
    "modern_kitchen": Quality(None, [
        "The kitchen was fully renovated last year.",
        "Brand new kitchen with quartz worktops and an island.",
        "Modern designer kitchen with integrated appliances.",
    ], ["a modern kitchen", "a renovated kitchen", "a nice new kitchen, I love cooking"], []),
    "garden": Quality("garden", [
        "A mature garden with citrus trees surrounds the house.",
        "Private landscaped garden with a lawn.",
        "Flower beds and fruit trees at the back.",
    ], ["a garden", "green outdoor space with trees", "a lawn for the dog"], ["сад"]),
    "parking": Quality("parking", [
        "Covered parking for two cars.",
        "A private garage is included.",
        "Dedicated parking space in the basement.",
    ], ["parking", "somewhere to park two cars", "a garage"], ["парковка"]),
    "mountain_view": Quality("mountain_view", [
        "Views of the Troodos mountains from the terrace.",
        "Hills and mountains fill the horizon.",
        "Mountain views from the bedrooms.",
    ], ["mountain views", "a view of the hills"], ["вид на горы"]),
    "natural_light": Quality(None, [
        "Large windows fill every room with daylight.",
        "South-facing and sunny all day long.",
        "Floor-to-ceiling glazing makes it very bright.",
    ], ["lots of natural light", "a bright and sunny home"], []),
}  # fmt: skip

# Neutral sentences (none states a quality); one variant per group in a description.
FILLERS: list[list[str]] = [
    ["The property is sold with title deeds."],
    ["Viewings by appointment with our office."],
    ["The master bedroom has an en-suite bathroom."],
    ["Shops and cafes are a short drive away."],
    ["The building is well maintained by a management company."],
    ["Tiled floors throughout."],
    ["The price includes VAT."],
    ["Ideal as a family home or an investment."],
    ["Communal areas are cleaned weekly."],
    ["Built-in wardrobes in all bedrooms."],
    ["The complex has a lift and entry phone."],
    ["Low communal fees."],
    ["Solar water heater on the roof."],
    ["Double glazing keeps the rooms comfortable."],
    ["The guest toilet is next to the entrance."],
    ["A storage room is included."],
    ["The property is offered unfurnished."],
    ["Easy access to the highway."],
    [f"Completed in {year}." for year in (1998, 2006, 2012, 2018, 2023)],
    [f"The internal area is {m} square metres." for m in (65, 90, 120, 180, 250)],
]
