"""How each intent is recognised: weighted cues and a few exemplars, English and Russian.

Cues and exemplars read the masked text of a clause: lower case, with slots replaced by
placeholders (@name, @date, @money, @place, @type, @feat, @beds, @phone, @email, @ref, @stage,
@timeline, @pct), so "Remind me to call Ivan Petrov on Friday at 11" reads
"remind me to call @name @date". Anchors: placeholders of which the intent needs one; without
any the intent's score is damped (a "find" with nobody to find is not a contact search).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.offline.linear_re import temper


@dataclass(frozen=True)
class IntentSpec:
    name: str
    cues: tuple[tuple[re.Pattern[str], float], ...]
    exemplars: tuple[str, ...]
    anchors: tuple[str, ...] = ()
    # Lemma cues (agent/offline/concepts.py): every group present → the weight.
    concepts: tuple[tuple[tuple[str, ...], float], ...] = ()


def spec(
    name: str,
    cues: list[tuple[str, float]],
    exemplars: list[str],
    anchors: tuple[str, ...] = (),
    concepts: list[tuple[tuple[str, ...], float]] | None = None,
) -> IntentSpec:
    # tempered: a clause repeating a cue's first words is read in linear time (linear_re.py)
    compiled = tuple((re.compile(temper(pattern)), weight) for pattern, weight in cues)
    return IntentSpec(name, compiled, tuple(exemplars), anchors, tuple(concepts or ()))


CONTACT = r"(?:client|contact|lead|buyer|seller|customer|owner)"
CONTACT_RU = r"(?:клиент\w*|контакт\w*|лид\w*|покупател\w*|продав\w*|собственни\w*)"
CONTACT_ACC_RU = (
    r"(?:клиента|клиентку|контакт|лида|покупателя|покупательницу|продавца|собственника)\b"
)
PERSON = ("@name", "@phone", "@email", "@ref")

WRITE_INTENTS: tuple[IntentSpec, ...] = (
    spec(
        "register_contact",
        [
            (rf"\bnew {CONTACT}\b", 3.5),
            (rf"\b(?:add|register|create|save|enter)\b(?: a| the)?(?: new)? {CONTACT}\b", 3.5),
            (r"\bregister\b", 1.2),
            (r"\bregister\b.*\bas (?:a |the )?(?:buyer|seller|client|lead|contact)\b", 3.5),
            (r"^(?:(?:please|pls) )?(?:add|save|register)\b(?: please)? @name\b", 1.2),
            (rf"\bнов(?:ый|ая|ого|ую|ой) {CONTACT_RU}", 3.5),
            (
                rf"\b(?:добав|занес|завед|запиш|зарегистрир|созда)\w* (?:нов\w+ )?{CONTACT_ACC_RU}",
                3.5,
            ),
            (r"\bзарегистрир\w*", 1.2),
            (r"^(?:добавь|заведи|запиши|внеси)\b @name", 1.2),
            (r"@name\W+@phone", 0.6),
            (r"\b(?:got|have|met) a new\b", 1.0),
            (r"\bgot (?:a |an )?(?:new )?(?:lead|client|buyer|seller|walk-in)\b", 3.0),
        ],
        [
            "new client @name @phone",
            "add a new contact @name , @phone",
            "register @name , buyer , @phone",
            "new lead @name wants a @type in @place",
            "новый клиент @name @phone",
            "добавь клиента @name , телефон @phone",
            "заведи новый контакт @name",
        ],
        anchors=("@name",),
    ),
    spec(
        "update_contact",
        [
            (r"\b(?:add|save|put)\b.{0,30}\b(?:phone|number|mobile|email|e-mail)\b", 2.2),
            (r"\b(?:phone|number|mobile|email|e-mail)\b (?:is|now|changed)\b", 1.4),
            (r"\b(?:new|another|second|other) (?:phone|number|mobile|email|e-mail)\b", 1.4),
            (
                r"\b(?:new|another|second|other) (?:phone|number|mobile|email|"
                r"e-mail)\b.*(?:@phone|@email)",
                1.4,
            ),
            (r"\b(?:rename|correct|fix|change|update|spell)\w*\b.*(?<!@)\bname\b", 2.2),
            (r"\b(?:prefers|speaks|talks) (?:in )?(?:russian|english)\b", 2.2),
            (r"\btag\w*\b", 1.2),
            (
                r"\b(?:добав|запиш|сохрани)\w*\b.{0,30}\b(?:телефон|номер|почт\w*|e-?mail|имейл|"
                r"мейл)",
                2.2,
            ),
            (r"\bнов\w* (?:телефон|номер|почт\w*|e-?mail|имейл)", 1.4),
            (r"\bнов\w* (?:телефон|номер|почт\w*|e-?mail|имейл)\b.*(?:@phone|@email)", 1.4),
            (r"\b(?:исправ|поменя|измен|обнов)\w* (?:имя|фамили\w*|написание)", 2.2),
            (r"\bпереименуй\w*", 2.2),
            (
                r"@name.*(?:phone|number|mobile|email|e-mail|почт\w*|телефон|номер|имейл)\W{0,3}"
                r"(?:is\W+)?(?:@phone|@email)|(?:phone|number|mobile|email|e-mail|почт\w*|телефон"
                r"|номер|имейл)\W{0,3}@name\W{0,3}(?:@phone|@email)",
                2.2,
            ),
            (
                r"(?:говорит|предпочитает|общается) (?:только )?(?:по-русски|по-английски|на "
                r"(?:русском|английском))",
                1.8,
            ),
        ],
        [
            "add phone @phone to @name",
            "@name new number @phone",
            "@name email is @email",
            "correct the name of @name to @name",
            "добавь @name телефон @phone",
            "новый номер @name @phone",
            "исправь имя @name на @name",
        ],
        anchors=PERSON,
    ),
    spec(
        "save_listing",
        [
            (r"\bnew listing\b", 2.4),
            (
                # "l-3 4 bathrooms", "add garden to l-3", "площадь l-3 250 м2": a listing's facts
                r"@ref\b.*(?:@beds|@feat|@type|\bbath\w*|\bванн\w*|санузл\w*|\bm2\b|м2|\bsq\w*|"
                r"\barea\b|площад\w*|furnish\w*|мебел\w*)"
                r"|(?:@feat|\bbath\w*|\bванн\w*|\barea\b|площад\w*)\b.*@ref",
                2.6,
            ),
            (
                # (no "new " among the words between: a "new" there is a start of its own, so
                # "new new new …" is read once, not from each "new"; the same cues match)
                r"\b(?:add|create|new|register|take)\b (?:a |the )*+(?:listing|property|"
                r"object)\b",
                2.2,
            ),
            (
                r"\b(?:is selling|'s selling|sells|to sell|selling (?:a|an|his|her|their|the))\b",
                1.8,
            ),
            (
                r"\b(?:wants?|would like|plans?|decided|хоч\w*|решил\w*|"
                r"планиру\w*) (?:to )?(?:sell|продать)\b",
                1.6,
            ),
            (
                r"\b(?:price|asking)\b.*\b(?:drop\w*|reduc\w*|lower\w*|cut|down|now|changed?|"
                r"increas\w*|rais\w*|up)\b",
                1.8,
            ),
            (
                r"\b(?:drop|reduc|lower|cut|rais|increas|chang|updat|set)\w* "
                r"(?:the |his |her |their )?(?:asking )?price",
                2.2,
            ),
            (r"\bprice (?:drop|reduction|cut|change)\b", 2.2),
            (r"\b(?:now|reduced to|dropped to|down to) (?:at |for )?@money", 1.4),
            (r"\bпрода(?:ет|ют|ть|ем|ешь|жа|вать|ём)\b", 1.8),
            (r"\b(?:нов\w*|добав\w*|заведи|создай) (?:объект\w*|листинг\w*)", 2.4),
            (
                r"\b(?:снизил\w*|снизить|снижен\w*|снижаем|снизь|уменьш\w*|поднял\w*|поднять|"
                r"подними|повыс\w*|"
                r"измен\w*|обнов\w*) (?:им |ему |ей )?цен\w*",
                2.2,
            ),
            (r"\bцен\w* (?:снижен\w*|снизил\w*|упала|теперь|нов\w*)", 2.2),
            (r"\bподешевел\w*|\bподорожал\w*", 2.2),
            (
                r"\b(?:reduc|lower|drop|cut|снизи|снизить|снижа|уступ)\w*\b.*\b(?:to|до) @money",
                1.8,
            ),
            (r"\b(?:готов\w*|agreed|согласил\w*) (?:to )?(?:снизить|reduce|lower|drop)", 1.2),
            (r"\bнов\w* цен\w*", 1.8),
            (  # "Olga wants 430k for her flat": the asking price of what she sells
                r"\b(?:wants?|asks?|asking|хоч\w*|прос\w*)\b.{0,15}@money\s+(?:for|за)\s+(?:(?:her|his|"
                r"their|the|its|свою|свой|его|её|ее|их)\s+)?@type",
                2.6,
            ),
            (  # "doesn't want to sell anymore" ends a listing; it changes none of its facts
                r"\b(?:doesn't|does not|don't|no longer|won't|not)\b.{0,15}\bsell"
                r"|\bне (?:хоч\w*|будет|будут|стал\w*) прода|\bрешил\w* не прода"
                r"|\bпередумал\w* прода|\bchanged (?:his|her|their) mind",
                -2.5,
            ),
            (r"\bтеперь (?:за |стоит )?@money", 1.4),
            (r"@ref\b.*@money", 0.8),
        ],
        [
            "@name is selling a @type in @place for @money",
            "new listing @beds @type @place @money seller @name",
            "@ref price drop to @money",
            "reduce the price of @ref to @money",
            "@name продает @type в @place за @money",
            "снизили цену на @ref до @money",
            "новый объект @type @place @money продавец @name",
        ],
        anchors=("@name", "@ref", "@money", "@type"),
    ),
    spec(
        "save_buyer_request",
        [
            (r"\b(?:stopped|перестал\w*)\b", -1.0),
            (r"\bmust[- ]have\b.*@feat|@feat\b.*\b(?:is )?a must\b|\bобязательн\w*.*@feat", 2.4),
            # "вид на море уже не обязателен", "pool is no longer needed": a must-have taken back
            (r"@feat\W+(?:(?:уже|больше|теперь)\s+)?не\s+(?:обязател\w*|нуж\w*)", 2.4),
            (
                r"@feat\W+(?:is\s+|are\s+)?(?:no longer|not)\s+(?:a\s+)?(?:must|needed|required)",
                2.4,
            ),
            (r"\b(?:only|just)\b.*@feat\b.*\bmatters?\b", 2.4),
            # "Ivan: 3 bed, Limassol, 450-500k, sea view": a list of criteria is a request.
            (
                r"^(?!.*@(?:event|stage))(?!.*\b(?:sell\w*|прода\w*)\b)"
                r"(?=(?:.*?@(?:beds|type|place|money|feat|timeline)\b){3})",
                1.2,
            ),
            (
                # "Sofia: max 600k, sea view a must": a client's name, then criteria
                r"^(?:(?:для|у|for) )?@name(?!.*\b(?:sell\w*|прода\w*|объект\w*|listing)\b)"
                r"(?!.*@(?:event|stage))(?=(?:.*?@(?:beds|type|place|money|feat|timeline)\b){2})",
                0.7,
            ),
            (
                r"\b(?:also|too|тоже|еще|и)\b.{0,25}(?:@place|@type)|(?:@place|@type).{0,10}"
                r"\b(?:too|also|тоже)\b",
                0.8,
            ),
            (r"\b(?:a must|must[- ]have|обязательн\w*)\b", 0.6),
            (r"\b(?:commission|комисси)\w*", -1.0),  # money that is a fee, not a budget
            (r"\b(?:offer\w*|bid|оффер\w*|предложени\w*)\b", -1.5),  # a bid, not a budget
            (  # "wants 430k for her flat": an asking price
                r"@money\s+(?:for|за)\s+(?:(?:her|his|their|the|its|свою|свой|его|её|ее|их)\s+)?@type",
                -1.5,
            ),
            (
                # (each ".*" between two words tempered by hand, as linear_re.temper does at the
                # top level: it stops at the next first word, so the cue stays linear)
                r"^(?!.*@(?:event|stage))(?:.*\b(?:хоч\w*|ищ\w*|нуж\w*|wants?|needs?|looking for)"
                r"\b(?:(?!\b(?:хоч\w*|ищ\w*|нуж\w*|wants?|needs?|looking for)\b).)*"
                r"@(?:beds|type|place|money|feat|timeline)|.*@(?:beds|type|place|money|feat|"
                r"timeline)(?:(?!@(?:beds|type|place|money|feat|timeline)).)*"
                r"\b(?:нуж\w*|wants?|needs?)\b)",
                0.5,
            ),
            (
                r"\b(?:decided to (?:buy|look)|now (?:wants|prefers|looks)|prefers|instead of|"
                r"вместо|теперь хоч\w*|no longer needs?|doesn't need|больше не нуж\w*)\b",
                1.0,
            ),
            (
                r"\b(?:wants?(?! to sell)|looking for|looks for|is looking|searching for|needs?|"
                r"interested in|open to|considering|would consider|looking (?:in|at|around)|"
                r"after a|would like)\b",
                1.1,
            ),
            (r"\bbudget\b", 1.3),
            # "add paphos to ivan's search", "убери Лимассол из заявки": an edit of the search
            (
                r"\b(?:add|include|remove|drop|exclude|take (?:off|out)|добав\w*|убер\w*|убра\w*|"
                r"исключ\w*)\b.{0,40}\b(?:search\w*|request|criteria|requirements|areas?|"
                r"wish ?list|must[- ]haves?|wishes|поиск\w*|заявк\w*|критери\w*|обязательн\w*|"
                r"пожелани\w*)",
                2.4,
            ),
            # "Сидорову добавь Ларнаку", "add paphos for ivan": a criterion added for a client
            (
                r"(?:@name\W+(?:\w+\W+)?\b(?:добав\w*|add)\b|\b(?:добав\w*|add)\W+@name\b)"
                r"\W+(?:\w+\W+)?@(?:place|type|feat|beds)"
                r"|\b(?:add|добав\w*)\W+@(?:place|type|feat)\W+(?:for|to|для)\W+@name",
                2.0,
            ),
            (
                r"\b(?:looks?|looking|смотр\w*)\s+(?:(?:also|и|тоже|также|now|теперь)\s+)?(?:in|at|в)?\s*@place",
                0.8,
            ),
            (r"\b(?:buy|buying|purchase)\b", 0.7),
            (
                r"\b(?:update|change|increase|raise|lower|extend)\w*\b.*\b(?:budget|criteria|"
                r"request|search)\b",
                1.6,
            ),
            (
                r"\b(?:хоч\w*(?! продать)|хотел\w*(?! продать)|ищ(?:ет|ут|у)|нужн\w*|нужен|"
                r"интересу\w*|подыскива\w*|рассматрива\w*|присматрива\w*)\b",
                1.1,
            ),
            (r"\bбюджет\w*", 1.3),
            (r"\b(?:купить|покупк\w*|купит)\b", 0.7),
            (r"\bзаявк\w*", 1.2),
            (r"@beds", 0.3),
            (r"@type", 0.3),
            (r"@place", 0.3),
            (r"@feat", 0.3),
            (r"@timeline", 0.3),
            (r"(?:up to|under|max|до|не дороже|within|от|from|between) @money", 0.6),
            (r"\b(?:cash|mortgage|ипотек\w*|наличн\w*)\b", 0.5),
            (r"\b(?:cash|mortgage) buyer\b|\bпокупа\w* (?:за наличные|в ипотеку)\b", 1.6),
            (
                r"\b(?:готов\w*|ready to (?:pay|spend|go)|can (?:pay|spend|go up)|upped|raised|"
                r"increased|вырос\w*|увеличил\w*|поднял\w*)\b.*@money",
                1.2,
            ),
        ],
        [
            "@name wants a @beds @type in @place up to @money",
            "@name is looking for a @type with @feat budget @money",
            "@name budget now @money",
            "@name хочет @type в @place до @money",
            "@name ищет @beds в @place , бюджет @money",
            "бюджет @name увеличился до @money",
        ],
        anchors=("@name", "@ref"),
    ),
)
