"""Listing descriptions composed from sentence banks, so no two adverts read like one template."""

from __future__ import annotations

import random

from crm_store.demo.properties import Property

TYPE_WORDS = {
    "apartment": ("apartment", "flat", "apartment"),
    "penthouse": ("penthouse", "top-floor penthouse"),
    "villa": ("villa", "detached villa", "family villa"),
    "house": ("house", "detached house", "family home"),
    "townhouse": ("townhouse", "link-detached townhouse"),
}
OPENERS = (
    "A bright {beds}-bedroom {type} in {district}, {city}, with {area} m² of covered living space.",
    "Spacious {beds}-bed {type} set in the heart of {district}.",
    "Located in sought-after {district}, this {type} offers {beds} bedrooms and {baths} bathrooms.",
    "Well-kept {beds}-bedroom {type} of {area} m² in {district}, a short drive from {landmark}.",
    "For sale: {beds}-bedroom {type} in {district} ({city}), {area} m² internal.",
    "We are delighted to offer this {beds}-bedroom {type} in {district}.",
    "Recently renovated {type} with {beds} bedrooms in a popular part of {district}.",
)
STUDIO_OPENERS = (
    "Compact studio apartment of {area} m² in {district}, ideal as a first home or rental.",
    "Modern studio in {district}, {city}, perfect for a young professional or as an investment.",
)
LAYOUT = (
    "The open-plan living and dining area leads onto a covered veranda.",
    "The kitchen is separate and fully fitted with quality appliances.",
    "The master bedroom has an en-suite shower room and a walk-in wardrobe.",
    "All bedrooms have built-in wardrobes.",
    "Floor-to-ceiling windows fill the living room with natural light.",
    "There is a guest WC next to the entrance hall.",
    "Marble floors run throughout, with double glazing and electric shutters.",
    "A small home office off the hallway makes working from home easy.",
    "The kitchen was replaced in 2023 with quartz worktops.",
    "Bedrooms are on the upper floor, away from the living space.",
)
FEATURE_SENTENCES: dict[str, tuple[str, ...]] = {
    "sea_view": (
        "Enjoy uninterrupted sea views from the living room and terrace.",
        "There are sea views from almost every room.",
        "The balcony looks straight out over the Mediterranean.",
    ),
    "mountain_view": (
        "The terrace faces the Troodos mountains.",
        "Lovely open mountain views from the bedrooms.",
    ),
    "beachfront": (
        "It sits on the first line, literally on the beach.",
        "A beachfront position: step out of the gate onto the sand.",
    ),
    "pool": (
        "Residents share a large communal swimming pool.",
        "The complex has a well-kept communal pool.",
    ),
    "private_pool": (
        "Outside there is a private pool with a sun deck.",
        "The private swimming pool is heated for year-round use.",
    ),
    "garden": (
        "A mature garden with olive and lemon trees surrounds the house.",
        "The landscaped garden has an automatic irrigation system.",
    ),
    "parking": ("Parking for two cars is provided.", "It comes with its own parking space."),
    "covered_parking": (
        "A covered parking space is included.",
        "There is covered parking in the basement.",
    ),
    "roof_garden": (
        "The private roof terrace is perfect for entertaining.",
        "A roof garden with an outdoor kitchen tops it off.",
    ),
    "jacuzzi": ("A jacuzzi sits on the terrace.", "The master suite has a jacuzzi bath."),
    "new_build": (
        "It is a new build, completed last year, with a 10-year structural warranty.",
        "Brand new, never lived in.",
    ),
    "furnished": ("It is sold fully furnished.", "Furniture is included in the price."),
    "air_conditioning": (
        "Air conditioning throughout.",
        "VRV air conditioning in every room keeps it cool in August.",
    ),
    "underfloor_heating": (
        "Underfloor heating keeps it warm in winter.",
        "Underfloor heating is installed on both floors.",
    ),
    "fireplace": (
        "A wood-burning fireplace sits in the lounge.",
        "Winter evenings by the fireplace are a highlight.",
    ),
    "storage": (
        "There is a storage room on the ground floor.",
        "A separate storeroom comes with the property.",
    ),
    "elevator": ("The building has a lift.", "A lift serves all floors."),
    "gym": ("Residents have access to a gym.", "The complex includes a fitness centre."),
    "pet_friendly": ("Pets welcome.", "The complex is pet friendly, dogs and cats are allowed."),
    "smart_home": ("A smart home system controls lights, blinds and climate.",),
    "solar_panels": (
        "Solar panels cut the electricity bill.",
        "A solar water heater supplies hot water most of the year.",
    ),
    "dishwasher": (
        "The kitchen comes with a dishwasher and a Bosch oven.",
        "Appliances include a dishwasher and fridge-freezer.",
    ),
    "washer": (
        "A laundry room with a washing machine is off the kitchen.",
        "The washing machine and dryer stay.",
    ),
    "balcony": (
        "A large balcony runs the width of the living room.",
        "The bedrooms open onto a balcony.",
    ),
    "bbq": ("There is a built-in BBQ area by the pool.", "The covered veranda has a barbecue."),
    "near_schools": (
        "It is close to schools, including an international school.",
        "Good schools are within walking distance.",
    ),
    "quiet": ("It sits in a quiet cul-de-sac.", "A peaceful street with very little traffic."),
}
# A plot or a shop has no living room to see the sea from.
LAND_SENTENCES: dict[str, tuple[str, ...]] = {
    "sea_view": ("The land enjoys open sea views.", "Sea views from the upper part of the site."),
    "mountain_view": ("Views towards the Troodos mountains.",),
    "beachfront": ("The site runs down to the beach.",),
}
FEATURE_LIST_LEAD = ("Features include {items}.", "Also: {items}.", "Extras: {items}.")
LIST_WORDS = {
    "air_conditioning": "air conditioning",
    "parking": "parking",
    "storage": "a storage room",
    "elevator": "a lift",
    "washer": "a washing machine",
    "dishwasher": "a dishwasher",
    "furnished": "furniture",
    "solar_panels": "solar panels",
    "balcony": "a balcony",
}
COASTAL_NEIGHBOURHOOD = (
    "Walking distance to the beach, cafés and supermarkets.",
    "The beach is a {minutes}-minute walk.",
)
NEIGHBOURHOOD = (
    "Shops, a pharmacy and a bakery are around the corner.",
    "Just {minutes} minutes to {landmark}.",
    "It is an easy drive to {landmark} and the motorway.",
    "The bus stop is a two-minute walk away.",
    "A quiet residential neighbourhood popular with families.",
    "Close to {landmark}.",
)
LANDMARKS = {
    "Limassol": ("the Limassol Marina", "My Mall", "the Molos promenade", "the Old Port"),
    "Paphos": ("the Paphos harbour", "Kings Avenue Mall", "the Tombs of the Kings"),
    "Larnaca": ("Finikoudes promenade", "Larnaca airport", "the Salt Lake"),
    "Nicosia": ("the University of Cyprus", "the Mall of Cyprus", "the Old City walls"),
    "Famagusta": ("Nissi Beach", "Fig Tree Bay", "Cape Greco"),
}
CLOSERS = (
    "Title deeds available.",
    "Viewing highly recommended.",
    "Ideal as a family home or a rental investment.",
    "Eligible for permanent residency.",
    "The owner is motivated; offers considered.",
    "Available immediately, call to arrange a viewing.",
    "Low common expenses.",
    "Separate title deed, no encumbrances.",
)
PLOT_LINES = (
    "Residential plot of {area} m² in {district} with a building density of {density}%.",
    "Building plot in {district}, {city}: {area} m² of land.",
    "A {area} m² plot on the edge of {district}, zoned residential.",
)
PLOT_DETAILS = (
    "Road access, with water and electricity at the boundary.",
    "Planning for a two-storey villa can be obtained.",
    "The land is gently sloping with no trees to clear.",
    "Suitable for a small development of townhouses.",
    "Individual title deed.",
)
COMMERCIAL_LINES = (
    "Ground-floor shop of {area} m² on a busy street in {district}.",
    "Office space of {area} m² in {district}, {city}, with a reception and meeting rooms.",
    "Commercial unit of {area} m² in {district}, suitable for retail or a showroom.",
)
COMMERCIAL_DETAILS = (
    "Large shop windows facing the main road.",
    "Currently let, with a tenant paying on time.",
    "Open-plan space that is easy to partition.",
    "Two WCs and a kitchenette.",
)
BEDS_WORDS = ("studio", "one", "two", "three", "four", "five", "six")


def describe(rng: random.Random, prop: Property) -> str:
    """An English advert: listed features in varied prose, some only-in-text specifics."""
    values = {
        "type": rng.choice(TYPE_WORDS.get(prop.property_type, ("property",))),
        "district": prop.district,
        "city": prop.city,
        "area": f"{prop.area_m2:.0f}",
        "beds": BEDS_WORDS[prop.bedrooms or 0] if rng.random() < 0.4 else str(prop.bedrooms),
        "baths": prop.bathrooms,
        "landmark": rng.choice(LANDMARKS[prop.city]),
        "minutes": rng.choice((3, 5, 7, 10, 15)),
        "density": rng.choice((40, 50, 60, 90)),
    }
    if prop.property_type == "plot":
        opener, details = rng.choice(PLOT_LINES), rng.sample(PLOT_DETAILS, 2)
    elif prop.property_type == "commercial":
        opener, details = rng.choice(COMMERCIAL_LINES), rng.sample(COMMERCIAL_DETAILS, 2)
    else:
        opener = rng.choice(STUDIO_OPENERS if prop.bedrooms == 0 else OPENERS)
        details = rng.sample(LAYOUT, rng.randrange(1, 4))
    body = [*details, *_feature_prose(rng, prop)]
    rng.shuffle(body)
    coastal = prop.city != "Nicosia" and rng.random() < 0.35
    sentences = [opener, *body, rng.choice(COASTAL_NEIGHBOURHOOD if coastal else NEIGHBOURHOOD)]
    if rng.random() < 0.8:
        sentences.append(rng.choice(CLOSERS))
    return " ".join(sentences).format(**values)


def _feature_prose(rng: random.Random, prop: Property) -> list[str]:
    """Each recorded feature is usually said in a sentence; some go into a short list instead."""
    sentences: list[str] = []
    listed: list[str] = []
    bank = FEATURE_SENTENCES
    if prop.property_type in ("plot", "commercial"):
        bank = {**FEATURE_SENTENCES, **LAND_SENTENCES}
    for feature in prop.features:
        if rng.random() < 0.12:  # adverts leave some recorded features unsaid
            continue
        if feature in LIST_WORDS and rng.random() < 0.5:
            listed.append(LIST_WORDS[feature])
        else:
            sentences.append(rng.choice(bank[feature]))
    # Specifics the listing form does not record are always in the text: the point of the text.
    sentences.extend(rng.choice(FEATURE_SENTENCES[feature]) for feature in prop.extras)
    if len(listed) == 1:
        sentences.append(rng.choice(FEATURE_SENTENCES[_key_of(listed[0])]))
    elif listed:
        items = ", ".join(listed[:-1]) + " and " + listed[-1]
        sentences.append(rng.choice(FEATURE_LIST_LEAD).format(items=items))
    return sentences


def _key_of(word: str) -> str:
    return next(key for key, value in LIST_WORDS.items() if value == word)
