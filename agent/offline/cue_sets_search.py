"""Cues of a plain listing search, with nobody named: "3 bed apartments in limassol under
500k?", "any villas in Paphos on the books?", "какие квартиры есть в Ларнаке до 300к"."""

from __future__ import annotations

from agent.offline.cue_sets import IntentSpec, spec

# nobody named, and something to search by besides the type (or a question mark)
_NO_NAME = r"^(?!.*@name)(?=.*(?:@place|@beds|@money|@feat|\?\s*$))"
_ASKS = (
    r"(?:any|what|which|show(?: me)?|list|find|search(?: for)?|got|have we got|do we have|"
    r"is there|are there|есть|какие|какая|какой|покажи|найди|поищи|что есть|что у нас)"
)
_UNDER = r"(?:under|below|up to|max|less than|до|не дороже|дешевле|меньше)"

ASKING_ABOUT = (
    r"(?:tell me about|what(?:'s| is|s) the (?:asking(?: price)?|price) (?:on|of|for)|"
    r"how much is|details (?:of|on|for)|info on|расскажи (?:про|о|об)|сколько стоит|"
    r"какая цена (?:на|у))"
)

SEARCH_INTENTS: tuple[IntentSpec, ...] = (
    spec(
        "listing_facts",
        [(rf"^(?!.*@name)\W*{ASKING_ABOUT}\b.*(?:@type|@ref)", 2.6)],
        [
            "tell me about the amathus hill villa",
            "whats the asking on the potamos penthouse",
            "сколько стоит вилла в пейе",
        ],
        anchors=("@type", "@ref"),
    ),
    spec(
        "find_listings",
        [
            (rf"{_NO_NAME}.*\b{_ASKS}\b.*@type", 1.6),
            # "anything in paphos with sea view under 300k?", "какие трёшки в лимасоле до 500к"
            (
                rf"{_NO_NAME}\W*(?:anything|something|что-нибудь|что-то|{_ASKS})\b"
                r"(?=.*(?:@place|@beds|@feat))(?=.*(?:@money|@place|@feat|@beds)\W.*(?:@money|@place|"
                r"@feat|@beds|\?))",
                2.0,
            ),
            (rf"{_NO_NAME}.*@type.*@place", 0.9),
            (rf"{_NO_NAME}.*@type.*\b{_UNDER}\s+@money", 1.0),
            (rf"{_NO_NAME}.*(?:@beds\s*)?@type.*\?\s*$", 0.9),
            (
                rf"{_NO_NAME}.*\b(?:on the books|on the market|for sale|available|listed|"
                r"в продаже|на продаже|в базе|на рынке)\b",
                0.8,
            ),
        ],
        [
            "3 bed apartments in limassol under 500k",
            "any villas in paphos on the books",
            "show me penthouses in germasogeia",
            "какие квартиры есть в ларнаке до 300к",
            "есть виллы в пафосе",
        ],
        anchors=("@type", "@place", "@beds"),
    ),
)
