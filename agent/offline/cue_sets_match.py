"""Cues and exemplars of matching questions: listings for a buyer, a curated list, buyers for
a listing, why a listing fits."""

from __future__ import annotations

from agent.offline.cue_sets import PERSON, IntentSpec, spec

_LISTINGS = r"(?:listings?|properties|property|options|homes?|places?|something|anything|@type)"
_LISTINGS_RU = r"(?:вариант\w*|объект\w*|квартир\w*|дом\w*|вилл\w*|что-нибудь|что-то|@type)"

MATCH_INTENTS: tuple[IntentSpec, ...] = (
    spec(
        "match_listings",
        [
            (r"\bwhat (?:have we got|do we have|is there|can we offer) for @name", 2.6),
            (r"\bчто (?:есть|у нас есть|можем предложить) для @name", 2.6),
            (rf"\b(?:match(?:es|ing)?|options|{_LISTINGS})\b.*\bfor @name", 2.0),
            (rf"\b(?:find|search|look for|pick|suggest)\b.*\b{_LISTINGS}\b.*\bfor @name", 2.2),
            (r"\bwhat (?:can|could|should|to) (?:i )?(?:show|offer) @name", 2.6),
            (r"\bwhat (?:would|could|might|will|does|do) (?:work|suit|fit)\b.*@name", 2.4),
            (r"\bwhat (?:can|could|should|do|shall) (?:i|we) (?:show|offer)\b", 2.2),
            (
                r"\b(?:anything|something|what)\b.{0,20}\b(?:pitch|offer|show|suggest|propose)\b"
                r".{0,10}@name",
                2.4,
            ),
            (
                r"^(?!.*\b(?:brochure|pdf|list|selection)\b).*\b(?:best|top)\b.{0,12}\bfor @name",
                2.4,
            ),
            (r"\bчто (?:(?:ему|ей|им) )?(?:можно |стоит )?(?:показать|предложить)\b", 2.2),
            (r"^@name\W+(?:any )?(?:options|matches|listings|варианты|объекты)\W*$", 2.4),
            (r"\b(?:matches|matching listings) for\b", 2.4),
            (r"\b(?:подбер\w*|подобрать|подбор)\b", 1.6),
            (rf"\b(?:найди|найти|поищи)\b.*\b{_LISTINGS_RU}.*(?:для|@name)", 2.2),
            (rf"\b{_LISTINGS_RU}\b.*\bдля @name", 1.4),
            (r"\bчто (?:можно )?(?:показать|предложить) @name", 2.6),
            (r"\bчто подходит @name", 2.4),
            (r"\bчто (?:у нас |у меня )?есть (?:для|под)\b", 2.6),
            (
                r"\b(?:what(?:'s| is)?|anything|something)\b.{0,25}\b(?:out there|available|"
                r"on the market|@event|in stock|for sale|on offer)\b",
                1.6,
            ),
            (r"\b(?:anything|something|what)\b.{0,30}\bfor @name\b", 1.2),
            (
                r"\b(?:find|get|pick)\b @name\b (?:something|anything|a place|a home|options|"
                r"a flat|a villa|@type)",
                2.6,
            ),
        ],
        [
            "find listings for @name",
            "what can i show @name",
            "matches for @name",
            "which properties suit @name",
            "подбери варианты для @name",
            "что показать @name",
            "какие объекты подходят @name",
        ],
        anchors=PERSON,
        concepts=[(("fit", "@name"), 1.6), (("listing", "fit"), 0.6), (("@ref",), -1.2)],
    ),
    spec(
        "curated_list",
        [
            (r"\bcurated\b", 3.0),
            (r"\bshort-?list\b", 2.6),
            (
                r"\b(?:prepare|make|build|send|create|put together) (?:a |the )?(?:list|"
                r"selection)\b",
                1.8,
            ),
            (r"\bselection\b", 1.2),
            (r"\bподборк\w*", 3.0),
            (r"\bшорт-?лист\w*", 2.6),
            (r"\bсписок (?:объектов|вариантов)", 2.0),
        ],
        [
            "curated list for @name",
            "make a shortlist for @name",
            "подборка для @name",
            "сделай подборку @name",
        ],
        anchors=PERSON,
        concepts=[(("pdf", "@name"), 2.0)],
    ),
    spec(
        "match_buyers",
        [
            (r"\bwho(?:'d| would)? be interested in\b", 2.6),
            (r"\bкому из (?:покупател\w*|клиент\w*)\b", 2.6),
            (r"\bкому (?:показать|предложить)\b", 2.6),
            (r"\bwho (?:would|might|could|will) (?:buy|want|like|take)\b", 2.6),
            (r"\b(?:matching )?buyers (?:for|of)\b", 2.6),
            (r"\b(?:any|which) (?:buyers|clients)\b.*\b(?:for|fit|match)\b", 2.4),
            (
                r"\b(?:покупател\w*|клиент\w*) (?:для|на|под)\b.*(?:@ref|объект|вилл|квартир|"
                r"@type|дом)",
                2.6,
            ),
            (
                r"\bкому (?:(?:можно|стоит|лучше|бы) )?(?:подойд\w*|подходит|предложить|"
                r"показать)\b",
                2.6,
            ),
            (r"\bкто (?:купит|захочет|заинтересуется|подойдет)\b", 2.6),
            (r"\bкто\b.{0,12}\b(?:купить|взять|захотеть)\b", 2.4),
            (
                r"\b(?:buyers?|clients?|anyone|who|покупател\w*|клиент\w*)\b.{0,25}\b(?:would|will|"
                r"might|could)\s+(?:go for|buy|want|like|take|love)",
                2.6,
            ),
            (
                r"\b(?:для|на|под|for)\s+@ref\b.{0,25}\b(?:кого-нибудь|кто-нибудь|кого-то|anyone|"
                r"someone|покупател\w*|buyers?)",
                2.4,
            ),
            (
                r"\b(?:есть|any|are there)\b.{0,12}\b(?:покупател\w*|buyers|takers|клиент\w*)\b"
                r"|\b(?:покупател\w*|buyers)\b.{0,12}\b(?:есть|any)\b",
                2.4,
            ),
            (
                r"\b(?:anyone|anybody|someone|somebody|кого-нибудь|кто-нибудь|кого-то|кто-то)\b"
                r".{0,20}\b(?:for|на|под|для)\b",
                2.0,
            ),
        ],
        [
            "buyers for @ref",
            "who would buy @ref",
            "who is interested in @ref",
            "кому подойдет @ref",
            "покупатели для @ref",
            "кто из клиентов заинтересуется @ref",
        ],
        anchors=("@ref", "@name", "@type", "@place"),
        concepts=[(("who", "fit"), 1.8), (("who", "interest"), 1.8), (("who", "offer"), 1.8)],
    ),
    spec(
        "explain_match",
        [
            (
                r"\bwhy\b.*\b(?:match\w*|fit\w*|suit\w*|recommend\w*|good for|right for|"
                r"on the list)",
                2.6,
            ),
            (r"\bexplain\b.*\b(?:match|fit|score)", 2.6),
            (r"\bпочему\b.*\b(?:подход\w*|подойд\w*|совпад\w*|предлож\w*|в подборк\w*)", 2.6),
            (r"\bобъясни\w*\b.*\b(?:подбор|совпаден\w*|оценк\w*|почему)", 2.6),
        ],
        [
            "why does @ref match @name",
            "почему @ref подходит @name",
        ],
        anchors=("@ref", "@name"),
        concepts=[(("why", "@ref", "@name"), 2.4)],
    ),
)
