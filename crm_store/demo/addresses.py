"""Addresses as Cypriot listings write them: building and flat, street and number, district."""

from __future__ import annotations

import random

# Street names as Cypriot addresses write them (street first, then the number).
SHARED_STREETS = (
    "Archiepiskopou Makariou III",
    "Agiou Georgiou",
    "Eleftherias",
    "Dimokratias",
    "Grigori Afxentiou",
    "Evagorou",
    "Agiou Nikolaou",
    "Kyprou",
)
STREETS = {
    "Limassol": (
        "Amathountos",
        "Georgiou Griva Digeni",
        "Anexartisias",
        "28is Oktovriou",
        "Agias Fylaxeos",
        "Spyrou Kyprianou",
        "Olympion",
        "Gladstonos",
        "Agiou Andreou",
        "Omirou",
        "Vasileos Pavlou",
        "Iliados",
        "Achilleos",
        "Christaki Kranou",
    ),
    "Paphos": (
        "Tombs of the Kings",
        "Poseidonos",
        "Apostolou Pavlou",
        "Kennedy",
        "Neophytou Nicolaide",
        "Ellados",
        "Agias Kyriakis",
        "Chloraka Avenue",
        "Coral Bay Avenue",
        "Peyias",
    ),
    "Larnaca": (
        "Artemidos",
        "Athinon",
        "Piale Pasia",
        "Agiou Lazarou",
        "Ermou",
        "Gregori Afxentiou",
        "Faneromenis",
        "Oroklini Avenue",
        "Kitiou Kyprianou",
    ),
    "Nicosia": (
        "Athalassas",
        "Stasinou",
        "Kyriakou Matsi",
        "Makedonias",
        "Nikou Pattichi",
        "Strovolou",
        "Lemesou",
        "Akropoleos",
        "Kennedy",
        "Aglantzias",
    ),
    "Famagusta": (
        "Nissi Avenue",
        "Kryou Nerou",
        "Protara-Kavo Gkreko",
        "Agias Mavris",
        "1st April",
        "Makarios Avenue",
        "Paralimniou",
        "Agias Triados",
    ),
}
BUILDINGS = (
    "Sea Breeze Residence",
    "Olive Grove Court",
    "Aphrodite Heights",
    "Marina Gardens",
    "Blue Horizon",
    "Azure Tower",
    "Lemon Tree House",
    "Cypress Court",
    "Palm Bay Residences",
    "Zenon Gardens",
    "Kyrenia Court",
    "Ariadne Residence",
    "Orion Heights",
    "Pelagos Suites",
)


def address_for(rng: random.Random, kind: str, city: str, district: str) -> str:
    streets = STREETS[city] if rng.random() < 0.8 else SHARED_STREETS
    street = rng.choice(streets)
    number = rng.randrange(1, 240)
    if kind in ("apartment", "penthouse"):
        floor = rng.randrange(1, 6) if kind == "apartment" else rng.randrange(5, 12)
        unit = f"{floor}0{rng.randrange(1, 5)}"
        return f"{rng.choice(BUILDINGS)}, Apt {unit}, {street} {number}, {district}"
    if kind == "plot":
        return f"Plot {rng.randrange(100, 999)}/{rng.randrange(1, 60)}, off {street}, {district}"
    if kind == "commercial":
        return f"{street} {number}, Shop {rng.randrange(1, 9)}, {district}"
    return f"{street} {number}, {district}"
