"""A buyer's criteria and a property's facts from a clause's slots; the rest is their wishes.

Wishes keep the broker's own words: what remains of the description once names, dates, money,
rooms, places, types, features and the "wants / ищет / budget" words are taken out, split at
commas and kept where a piece still says something ("close to the beach", "большая кухня").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agent.offline.frames import Segment, Turn, amount, first_in, slots_in
from agent.offline.money import parse_budget
from agent.offline.slots import Slot
from crm_store.places import canonical_place
from crm_store.services.display import features_text

_CASH = re.compile(r"\b(?:cash|наличн\w*|кэш\w*|наличк\w*)\b")
_MORTGAGE = re.compile(r"\b(?:mortgage|loan|ипотек\w*|кредит\w*)\b")
# "no mortgage", "ипотеку брать не будут", "без ипотеки": a mortgage ruled out
_NO_MORTGAGE = re.compile(
    r"\b(?:no|without|not (?:taking|getting|needing) a|don'?t need a|won'?t (?:take|need) a)\s+"
    r"(?:mortgage|loan)\b|\bбез\s+(?:ипотек\w*|кредит\w*)|\b(?:ипотек\w*|кредит\w*)\s+"
    r"(?:\w+\s+)?не\s+(?:нуж\w*|будут|буд\w*|бер\w*|план\w*)|\bне\s+(?:нуж\w*|будут брать|берут)"
    r"\s+(?:ипотек\w*|кредит\w*)"
)


_NO_CASH = re.compile(r"\b(?:not|no|isn'?t)\s+(?:in\s+|a\s+)?cash\b|\bне\s+(?:наличн\w*|кэш\w*)")


def financing_said(lower: str) -> str | None:
    """How the buyer pays, as said: cash; a mortgage unless it is ruled out ("ипотеку брать не
    будут, платят кэшем" is cash); None when nothing is said."""
    if _CASH.search(lower) and not _NO_CASH.search(lower):
        return "cash"
    if _MORTGAGE.search(lower) and not _NO_MORTGAGE.search(lower):
        return "mortgage"
    return None


# Not from inside a run of digits (the digit before finds the same), so a long run is linear;
# after "m2" a number may start at once ("5 m23 m2").
_BATHS = re.compile(r"(?<!\d)(\d+)\s*(?:bath(?:room)?s?|ванн\w*|санузл\w*|с/у)", re.IGNORECASE)
_AREA = re.compile(
    r"(?:(?<!\d)|(?<=[mм]2))"
    r"(\d+(?:[.,]\d+)?)\s*(?:m2|m²|sq\.?\s?m|sqm|square met(?:er|re)s?|кв\.?\s?м\w*|м2|м²|метр\w*)",
    re.IGNORECASE,
)
_EXCLUSIVE = re.compile(r"\b(?:exclusive|эксклюзив\w*)\b")
_OPEN_MANDATE = re.compile(
    r"\b(?:open mandate|non-exclusive|открыт\w* мандат\w*|не эксклюзив\w*)\b"
)
_ADDRESS = re.compile(
    r"\b\d+[a-z]?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*\s+(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|"
    r"Lane|Boulevard|Blvd\.?)(?![\w])"
    r"|\b(?:ул\.|улица|пр\.|проспект)\s+[А-ЯA-Z][\w'-]+(?:\s*,?\s*\d+[а-я]?)?"
)

_CUE_WORDS = re.compile(
    r"\b(?:wants?|is looking for|looking for|looks for|searching for|search for|needs?|"
    r"interested in|would like|prefers?|budget(?: is| of)?|up to|max(?:imum)?|under|about|"
    r"around|from|between|and|or|with|in|at|for|on|of|to|a|an|the|is|are|he|she|they|"
    r"client|buyer|wife|husband|family|хоч\w*|ищ(?:ет|ут|у)|нужн\w*|интересу\w*|бюджет\w*|"
    r"до|от|около|примерно|в|во|на|с|со|и|или|а|для|по|он|она|они|клиент\w*|покупател\w*|"
    r"рассматрива\w*|присматрива\w*|подыскива\w*|new|нов\w*|contact|контакт|also|ещё|еще|тоже|"
    r"very|очень|some|какой-нибудь|cash|mortgage|наличн\w*|ипотек\w*|wishes|пожелания|"
    r"request|заявк\w*|update|обнови\w*|change|измени\w*|now|теперь|it|it's|его|ее|её|им|ей|"
    r"his|her|their|wife|husband|жена|муж|ему|its|that|this|это|этот|эта|register\w*|add|"
    r"save|please|as|be|пожалуйста|добав\w*|запиши|готов\w*|смотреть|посмотреть|тоже|also|"
    r"too|также|еще|ещё|decided|buy|buying|instead|rather|than|no|longer|not|не|больше|must|"
    r"have|has|need|needed|required|обязател\w*|уже|only|just|только|лишь|"
    # the search itself and the edits made to it: the order, never the home wished for
    r"search\w*|areas?|criteria|requirements|drop|remove|exclude|include|from|ok|okay|fine|up|"
    r"поиск\w*|критери\w*|убер\w*|убра\w*|исключ\w*|включ\w*|из|там|тут)\b",
    re.IGNORECASE,
)
_JUNK = re.compile(r"^[\W\d_]*$")
_BEDS_RANGE = re.compile(r"\b(\d)\s*[-–]\s*\d\s*(?:-?\s*)(?:bed|bd|br|спал|комн)", re.IGNORECASE)
_NOT_THERE = re.compile(
    r"(?:instead of|rather than|not in|not|вместо|не в|не"
    r"|no longer (?:wants?|needs?|considers?|looks? (?:at|in)|likes?)?(?: in)?"
    r"|(?:больше|уже) не (?:рассматрива\w*|хоч\w*|ищ\w*|нуж\w*)?(?: в)?)\s*$"
)
_ONLY = re.compile(r"\b(?:only|just|только|лишь)\b", re.IGNORECASE)
_NO_LONGER = re.compile(
    r"\b(?:no longer|doesn't need|does not need|don't need|без|больше не|уже не|не нуж\w*)\b",
    re.IGNORECASE,
)
_ALSO = re.compile(
    r"\b(?:also|too|as well|in addition|тоже|также|еще и|ещё и|и еще|и ещё|плюс|и там|"
    r"можно и|можно ещё|можно еще|could also|can also|"
    r"(?:смотр\w*|рассматрива\w*) и|"
    r"add|adding|include|including|добав\w*|включ\w*)\b",
    re.IGNORECASE,
)
# A place taken off the search: "drop Agios Tychonas", "убери Лимассол" before it, or "…, no
# longer interested", "им больше не интересен", "отпадает" right after it.
_TAKE_OFF_BEFORE = re.compile(
    r"\b(?:remove|drop|exclude|take (?:off|out)|cross (?:off|out)|убер\w*|убра\w*|"
    r"исключ\w*|вычеркн\w*)\b(?:\s+\S+){0,3}\s*$"
    # "жена против Пафоса", "NOT commercial": that one, right after (never "не против",
    # "not against", "if not Larnaca" or "no villas in his budget")
    r"|(?<!\bне\s)(?<!\bnot\s)\b(?:against|против)\s+$|(?<!\bif\s)\bnot\s+$",
    re.IGNORECASE,
)
# The phrasal verb around the place: "take paphos off", "cross limassol out (of the search)"
_TAKE_SPLIT = re.compile(r"\b(?:take|cross|strike|knock|leave)\s*$", re.IGNORECASE)
_OFF_AFTER = re.compile(r"^\s*(?:off|out)\b", re.IGNORECASE)
_TAKE_OFF_AFTER = re.compile(
    r"^\W*(?:(?:is|are)\s+)?(?:(?:им|ему|ей|for (?:him|her|them))\s+)?(?:(?:уже|больше)\s+не\s+"
    r"(?:интерес\w*|нуж\w*|рассматрива\w*|подход\w*|актуал\w*|ищ\w*|смотр\w*)|не интерес\w*|"
    r"отпада\w*|"
    r"no longer (?:of interest|interesting|wanted|needed|an option)|(?:is |are )?out\b|"
    r"not (?:interesting|an option) any ?more)",
    re.IGNORECASE,
)


def with_existing(turn: Turn, segment: Segment, criteria: dict[str, Any]) -> dict[str, Any]:
    """A change to a request keeps what the broker did not take back: must-haves are added
    ("must have a pool"; "only a pool" replaces them, "no longer needs a garden" removes it),
    new wishes are added to the old ones, and "Limassol too" adds a place or a type where a
    place said alone replaces them (with the districts of cities no longer wanted)."""
    person = segment.person
    if person is None or person.contact is None:
        return criteria
    deal = next(
        (d for d in turn.lexicon.deals_of(person.contact.id) if d.side == "buyer" and d.open), None
    )
    if deal is None:
        return criteria
    text = segment.text(turn)
    also, only = _ALSO.search(text), _ONLY.search(text)
    merged = dict(criteria)
    changes = feature_changes(turn, segment)
    if "must_haves" in criteria or changes.wished:
        merged["must_haves"] = _must_haves(turn, segment, list(deal.must_haves))
    demoted = _demoted(changes, text)
    if demoted:  # a must-have made a wish (or a wish said): its name, not the words
        merged["wishes"] = "; ".join(
            filter(None, [deal.wishes, features_text(demoted, turn.language)])
        )
    elif criteria.get("wishes") and deal.wishes and criteria["wishes"] not in deal.wishes:
        merged["wishes"] = f"{deal.wishes}; {criteria['wishes']}"
    gone = taken_off(turn, segment)
    if gone:  # "Агиос Тихонас им больше не интересен": the rest of the search stays
        for key in ("cities", "districts"):
            current = [v for v in getattr(deal, key) if v not in gone]
            merged[key] = current + [v for v in criteria.get(key, []) if v not in current]
        return merged
    if also and not only:
        gone_types = taken_off(turn, segment, "type")
        for key in ("cities", "districts", "property_types"):
            if key in criteria:
                current = [v for v in getattr(deal, key) if v not in gone_types]
                merged[key] = current + [v for v in criteria[key] if v not in current]
        if "districts" in merged and "cities" not in criteria and deal.cities:
            merged["cities"] = list(deal.cities)
    elif "cities" in criteria and "districts" not in criteria and deal.districts:
        kept = [d for d in deal.districts if _city_of(d) in criteria["cities"]]
        if kept != list(deal.districts):
            merged["districts"] = kept
    if merged.get("districts") and (also or ADDS.search(text)) and not only:
        merged["districts"] = covered(merged["districts"], deal.cities, deal.districts)
    return merged


_BEFORE_FEATURE = 28  # characters before a feature that say what happens to it
_CLAUSE_BREAK = re.compile(r"[,;.!?]|\s(?:but|а|но)\s")


@dataclass(frozen=True)
class FeatureChanges:
    """What a clause does to the must-haves: each feature decided by its own words."""

    added: list[str]  # must-haves now ("needs a pool", "добавь бассейн")
    removed: list[str]  # no longer wanted ("no longer needs a garden", "больше не меблирована")
    wished: list[str]  # wanted, but not a must ("a pool would be nice", "вид желательно")
    replacing: bool  # "only a pool": the list is replaced


def feature_changes(turn: Turn, segment: Segment) -> FeatureChanges:
    """Each feature decided by the words right before it and by its own piece of the clause
    (up to the next feature): "a pool would be nice, not a must" is a wish, "sea view is a
    must, pool just a wish" one of each, "pool no longer a must" taken off."""
    added: list[str] = []
    removed: list[str] = []
    wished: list[str] = []
    replacing = False
    text = turn.slots.text
    features = list(slots_in(turn, segment, "feature"))
    for index, slot in enumerate(features):
        before = text[max(segment.span[0], slot.span[0] - _BEFORE_FEATURE) : slot.span[0]]
        before = _CLAUSE_BREAK.split(before)[-1]  # "pool no longer a must, parking yes"
        after = text[slot.span[1] : min(segment.span[1], slot.span[1] + _BEFORE_FEATURE)]
        own = _own_words(text, segment, features, index)
        lowered = own.lower()
        must = _MUST.search(lowered) and not _NOT_MUST.search(lowered)
        if _WISHED_FEATURE.search(lowered) and not must and not _NO_LONGER_WANTED.search(lowered):
            if slot.value not in wished:
                wished.append(slot.value)
        elif _NO_LONGER.search(before) or _NOT_BEFORE.search(before) or _NOT_AFTER.match(after):
            removed.append(slot.value)
        elif slot.value not in added:
            added.append(slot.value)
            replacing = replacing or bool(_ONLY_BEFORE.search(before))
    return FeatureChanges(added, removed, wished, replacing)


def _own_words(text: str, segment: Segment, features: list[Any], index: int) -> str:
    """A feature's own words: its clause (cut at commas, "and", "but", "и", "а", and at the
    features beside it), plus a clause right after it that says nothing but how much it is
    wanted ("sea view, nice to have not a must")."""
    slot = features[index]
    since = features[index - 1].span[1] if index else segment.span[0]
    until = features[index + 1].span[0] if index + 1 < len(features) else segment.span[1]
    before = _OWN_BREAK.split(text[since : slot.span[0]])[-1]
    clauses = _OWN_BREAK.split(text[slot.span[1] : until])
    after = clauses[0]
    if (
        len(clauses) > 1
        and not _WISH_FILLER.sub("", _WISHED_FEATURE.sub("", clauses[1].lower())).strip()
    ):
        after += " " + clauses[1]
    return before + text[slot.span[0] : slot.span[1]] + after


# Where a feature's own words end: a clause break, or "and"/"и" joining another feature
_OWN_BREAK = re.compile(r"[,;.!?:\n]|\s[-—–]\s|\s(?:and|but|и|а|но)\s", re.IGNORECASE)
# The words a clause that only weighs the feature may hold besides the wish words
_WISH_FILLER = re.compile(
    r"\b(?:not|a|an|the|must|must-have|just|only|really|but|it|is|would|be|to|have|it's|"
    r"move|put|make|turn|into|list|не|а|но|просто|обязательно|это|будет|было|бы|перенес\w*|"
    r"перевед\w*|сделай|сделать|в|во|его|её|ее)\b|\W+"
)
# An explicit must ("is a must", "обязательно") outweighs a wish word elsewhere in the clause
_MUST = re.compile(r"\b(?:must|essential|required|обязательн\w*|необходим\w*)")
_NOT_MUST = re.compile(
    r"\b(?:not|no longer|isn'?t|never)\s+(?:a\s+|an\s+)?(?:must|essential|required)|"
    r"\bне\s+обязател|необязател|\bиз\s+обязательн|\b(?:from|off|out of)\s+(?:the\s+)?must"
)
# A feature wanted but not required: "would be nice", "nice to have", "if possible",
# "желательно", "хорошо бы" ("not a must" alone only takes it off the must-haves)
_WISHED_FEATURE = re.compile(
    r"\b(?:nice[- ]to[- ]have|(?:would|'d) be (?:nice|good|great|a plus)|be nice|nice,? not|"
    r"if possible|ideally|preferabl\w*|prefer\w*|bonus|a plus|plus if|(?:just |only )?a wish|"
    r"wish list|"
    r"желательн\w*|хорошо бы|было бы (?:неплохо|хорошо|здорово|классно)|по возможности|"
    r"бонус\w*|плюсом|пожелани\w*|если получится|если будет)"
)
# …unless the feature is not wanted at all: "no longer wanted", "больше не нужен"
_NO_LONGER_WANTED = re.compile(
    r"\b(?:no longer (?:wanted|needed|interested)|not (?:wanted|needed|interested)|"
    r"don'?t want|doesn'?t want|больше не нуж\w*|не нуж\w*|не хот\w*)"
)


def must_or_wish(turn: Turn, segment: Segment) -> tuple[list[str], str | None]:
    """The features a note makes must-haves, and the words of those it says are only wished
    ("a garden too - not a must, just nice to have")."""
    changes = feature_changes(turn, segment)
    demoted = _demoted(changes, segment.text(turn))
    return changes.added, features_text(demoted, turn.language) if demoted else None


def _demoted(changes: FeatureChanges, text: str) -> list[str]:
    """The features that become (or are said as) wishes: those wished, and those taken off
    the must-haves in a clause that says they stay wanted ("…, make it a wish")."""
    removed = changes.removed if _AS_A_WISH.search(text) else []
    return [*changes.wished, *[f for f in removed if f not in changes.wished]]


def _must_haves(turn: Turn, segment: Segment, current: list[str]) -> list[str]:
    changes = feature_changes(turn, segment)
    gone = {*changes.removed, *changes.wished}
    base = [] if changes.replacing else [m for m in current if m not in gone]
    return base + [m for m in changes.added if m not in base]


_NOT_BEFORE = re.compile(
    r"\b(?:doesn'?t|does not|don'?t|no|not|isn'?t|without|remove|take off)\s+(?:\w+\s+){0,2}$"
    r"|\bне\s+нуж\w*\s*$|\bубер\w*\s+(?:\w+\s+)?$|\bуже\s+не\s+(?:\w+\s+)?$"
)
# "private pool is no longer a must", "бассейн уже не обязателен": the words after it
_NOT_AFTER = re.compile(
    r"\W*(?:too|also|тоже)?\W*(?:is|are)?\s*(?:no longer|not|isn'?t|aren'?t|now just|just)"
    r"\s+(?:a\s+)?"
    r"(?:must|required|essential|needed|necessary|a must-have|must-have|nice to have)"
    r"|\W*(?:уже|больше|теперь)?\s*не\s+(?:обязател\w*|нуж\w*|принципиал\w*|критич\w*)"
    # "вид на море убери из обязательных", "pool - take it off the must-haves"
    r"|\W*(?:убер\w*|убра\w*|удал\w*|вычеркн\w*|исключ\w*)\s+(?:\w+\s+)?из\s+обязател\w*"
    r"|\W*(?:remove|take|drop|move)\w*\s+(?:it\s+)?(?:off|from|out of)\s+(?:the\s+)?must",
    re.IGNORECASE,
)
# "…, make it a wish", "move it to wishes", "просто пожелание": kept as a wish, not dropped
_AS_A_WISH = re.compile(
    r"\b(?:a wish|wishes|nice[- ]to[- ]have|just a plus|a plus|пожелани\w*|желательн\w*|плюсом)\b",
    re.IGNORECASE,
)
_ONLY_BEFORE = re.compile(r"\b(?:only|just|только|лишь)\s+(?:a\s+|an\s+|the\s+)?$")


# "add Agios Tychonas", "добавь Гермасойю": one more place, never the search narrowed to it
ADDS = re.compile(r"\b(?:add\w*|include\w*|добав\w*|включ\w*)\b", re.IGNORECASE)


def covered(districts: list[str], cities: Sequence[str], searched: Sequence[str]) -> list[str]:
    """The districts that add to a search: one in a city searched whole (no districts chosen)
    is there already, and naming it would narrow the city to it ("add Agios Tychonas")."""
    if searched:
        return districts
    return [d for d in districts if _city_of(d) not in cities]


def _city_of(district: str) -> str | None:
    place = canonical_place(district)
    return place.city if place is not None else None


# Russian words for a flat by its rooms: they name the type too.
_ROOMS_SLANG = re.compile(r"ушк|[её]шк|комнатн|студи")


# Words of an order or a plan, never of a home wished for
_NOT_A_HOME = re.compile(
    r"\b(?:raise|lower|add|drop|remove|make|move|set|change|update|bring|will|anymore|any more|"
    r"looking|isn'?t|is not|must|minimum|min|max)\b|'ll\b"
    # where the lead came from ("came from bazaraki", "по рекомендации Ольги"): no wish
    r"|\b(?:came from|comes from|found us|referr\w*|recommended by|lead from|пришл?[аи]? с|"
    r"наш[её]л\w* нас|по рекомендации|от знакомых|с сайта)\b",
    re.IGNORECASE,
)
_RU_WORD = re.compile(r"[а-яё]{4,}", re.IGNORECASE)
# What happened ("came by the office", "got a bigger mortgage approved"): told, not wished
_NARRATED = re.compile(
    r"\b(?:[a-z]{3,}ed|came|got|went|was|were|had|said|told|saw|took|made|met|rang|left|sent|"
    r"gave|paid|sold|bought)\b",
    re.IGNORECASE,
)
# A wish describes a home or where it is: a piece of the buyer's words that names no aspect of
# one ("take off", "говорят почти", "paying from selling his in munich") is talk, not a wish.
_HOME_ASPECT = re.compile(
    r"\b(?:street|road|area|neighbou?rhood|school|quiet|noise|noisy|view|sea|beach|seafront|"
    r"coast|marina|mountain|centre|center|town|village|shops?|amenities|airport|transport|bus|"
    r"walk\w*|distance|near|close to|next to|terrace|balcony|veranda|garden|yard|plot|land|"
    r"kitchen|floor|storey|ground|lift|elevator|garage|storage|gym|jacuzzi|sauna|fireplace|"
    r"heating|air ?con\w*|a/c|solar|office|study|layout|open[- ]plan|ceilings?|roof\w*|"
    r"renovat\w*|newer|brand new|new[- ]?build|modern|old|resale|furnished|unfurnished|"
    r"bright|light|sunny|south\w*|north\w*|east\w*|west\w*|facing|big|bigger|large|larger|spacious|small|"
    r"size|sq ?m|m2|bath\w*|shower|en[- ]suite|guest|maid|pets?|dogs?|cats?|kids|family|"
    r"privacy|private|gated|secure|security|complex|corner|detached|semi|top|penthouse)\b"
    r"|\b(?:улиц|дорог|район|школ|сад(?:ик)?\b|тих|шум|вид|мор|пляж|набережн|марин|гор[аыу]?\b|"
    r"центр|город|деревн|магазин|инфраструктур|аэропорт|транспорт|пешк|рядом|близк|ближе|"
    r"недалеко|террас|балкон|веранд|двор|участ|земл|кухн|этаж|лифт|гараж|кладов|спортзал|"
    r"джакузи|саун|камин|отоплен|кондиц|солнечн|кабинет|планировк|потол|крыш|ремонт|нов|стар|"
    r"вторичк|первичк|мебел|светл|юг|север|восток|запад|окна|больш|просторн|маленьк|площад|"
    r"метр|ванн|душ|санузл|гостев|животн|собак|кошк|дет|семь|приватн|охран|комплекс|угл|"
    r"пентхаус)",
    re.IGNORECASE,
)


def _plans(piece: str) -> bool:
    """A Russian order or plan in the piece ("подними", "привезти мужа", "вернётся осенью")."""
    from agent.offline.reports import russian_plan, russian_tense

    return any(
        russian_plan(w) or russian_tense(w) == "futr" for w in _RU_WORD.findall(piece.lower())
    )


_REASON = re.compile(r"\b(?:because|cause|since|due to|из-за|потому|так как|т\.к\.|поскольку)\b")


def wishes(turn: Turn, segment: Segment) -> str | None:
    """The buyer's own words left after the structured slots (None when nothing is left)."""
    rest = turn.slots.rest(segment.span)
    rest = _CASH.sub(" ", _MORTGAGE.sub(" ", rest))
    rest = _BATHS.sub(" ", _AREA.sub(" ", rest))
    pieces: list[str] = []
    for piece in re.split(r"[,;.!?\n]|\s-\s|\s—\s", rest.replace("'s ", " ")):
        words = [w.strip(":()\"'") for w in piece.split()]
        words = [w for w in words if w]
        meaningful = [
            w for w in words if not _CUE_WORDS.fullmatch(w.strip("()'\"")) and not _JUNK.match(w)
        ]
        if len(meaningful) < 2 or _NOT_A_HOME.search(piece) or _plans(piece):
            continue  # "подними бюджет", "вернётся осенью", "isnt a must anymore": no wish
        if _REASON.search(piece):
            continue  # "need 3 beds because of the kids and home office": why, not a wish
        if not _HOME_ASPECT.search(piece) or _NARRATED.search(_HOME_ASPECT.sub(" ", piece)):
            continue
        while words and (_CUE_WORDS.fullmatch(words[0]) or _JUNK.match(words[0])):
            words.pop(0)
        while words and (_CUE_WORDS.fullmatch(words[-1]) or _JUNK.match(words[-1])):
            words.pop()
        if words:
            pieces.append(" ".join(words))
    return ", ".join(pieces) or None


def taken_off(turn: Turn, segment: Segment, kind: str = "place") -> list[str]:
    """The places (or kinds of home) the clause takes off the search (see
    _TAKE_OFF_BEFORE/_AFTER): "drop paphos", "таунхаус больше не ищут"."""
    gone: list[str] = []
    text = turn.slots.text
    for slot in slots_in(turn, segment, kind):
        before = text[max(segment.span[0], slot.span[0] - 32) : slot.span[0]]
        after = text[slot.span[1] : min(segment.span[1], slot.span[1] + 40)]
        split = _TAKE_SPLIT.search(before) and _OFF_AFTER.match(after)  # "take paphos off"
        if _TAKE_OFF_BEFORE.search(before) or _TAKE_OFF_AFTER.match(after) or split:
            gone.append(slot.value.name if kind == "place" else slot.value)
    return gone


def places(turn: Turn, segment: Segment) -> tuple[list[str], list[str]]:
    """(cities, districts) named in the clause; a district brings its city along."""
    cities: list[str] = []
    districts: list[str] = []
    gone = taken_off(turn, segment)
    for slot in slots_in(turn, segment, "place"):
        place = slot.value
        before = turn.slots.text[max(0, slot.span[0] - 32) : slot.span[0]].lower()
        if _NOT_THERE.search(before) or place.name in gone:
            continue  # "Larnaca instead of Limassol": not Limassol
        if place.is_city:
            if place.name not in cities:
                cities.append(place.name)
        else:
            if place.name not in districts:
                districts.append(place.name)
            if place.city not in cities:
                cities.append(place.city)
    return cities, districts


def _unique(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value not in out:
            out.append(value)
    return out


def buyer_criteria(turn: Turn, segment: Segment) -> dict[str, Any]:
    """The criteria the clause states (only those; empty lists left out)."""
    lower = segment.lower(turn)
    criteria: dict[str, Any] = {}
    budget = parse_budget(segment.text(turn))
    if budget is not None:
        if budget.min is not None:
            criteria["budget_min"] = amount(budget.min)
        if budget.max is not None:
            criteria["budget_max"] = amount(budget.max)
    cities, districts = places(turn, segment)
    if cities:
        criteria["cities"] = cities
    if districts:
        criteria["districts"] = districts
    gone_types = taken_off(turn, segment, "type")
    types = _unique([s.value for s in slots_in(turn, segment, "type") if s.value not in gone_types])
    beds = first_in(turn, segment, "beds")
    if not types and beds is not None and _ROOMS_SLANG.search(beds.text.lower()):
        types = ["apartment"]
    if types:
        criteria["property_types"] = types
    if beds is not None:
        criteria["bedrooms_min"] = int(beds.value.value)
        low = _BEDS_RANGE.search(segment.text(turn))
        if low:  # "2-3 bd": at least two
            criteria["bedrooms_min"] = int(low.group(1))
    changes = feature_changes(turn, segment)
    if changes.added or changes.removed:  # the must-haves on record change (with_existing)
        criteria["must_haves"] = changes.added
    timeline = first_in(turn, segment, "timeline")
    if timeline is not None:
        criteria["timeline_months"] = int(timeline.value.value)
    financing = financing_said(lower)
    if financing is not None:
        criteria["financing"] = financing
    wish = "; ".join(
        filter(None, [features_text(changes.wished, turn.language), wishes(turn, segment)])
    )
    if wish:
        criteria["wishes"] = wish
    return criteria


# What names the amount a listing asks: "asking at 465", "price 420k", "цена 350", "за 340"
_ASKING_AT = re.compile(
    r"\b(?:asking|price|priced|list(?:ed|ing)?|at|for|цен\w*|за|выстав\w*)\W*(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)


_FLOOR = re.compile(
    r"\b(?:below|under|less than|lower than|at least|minimum|min|floor|bottom|lowest|"
    r"ниже|меньше|минимум|дешевле)\W*$"
)


def _asking_amount(turn: Turn, segment: Segment) -> Slot | None:
    """The listing's price among the amounts of the clause: the one said as its price ("wont
    go below 455k, … keep the asking at 465": 465), the only one, or none when the words
    leave it open (the amount is then not written)."""
    text = turn.slots.text
    amounts = [
        m  # "wont go below 455k", "не ниже 300": the seller's floor, not the asking price
        for m in slots_in(turn, segment, "money")
        if not _FLOOR.search(text[max(0, m.span[0] - 25) : m.span[0]].lower())
    ]
    if len(amounts) <= 1:
        return amounts[0] if amounts else None
    priced = [m for m in amounts if _ASKING_AT.search(text[max(0, m.span[0] - 30) : m.span[0]])]
    return priced[-1] if priced else None


def property_facts(turn: Turn, segment: Segment) -> dict[str, Any]:
    """A property's facts as the clause states them."""
    text = segment.text(turn)
    lower = segment.lower(turn)
    facts: dict[str, Any] = {}
    kind = first_in(turn, segment, "type")
    beds = first_in(turn, segment, "beds")
    if kind is not None:
        facts["property_type"] = kind.value
    elif beds is not None and _ROOMS_SLANG.search(beds.text.lower()):
        facts["property_type"] = "apartment"  # "трёшка", "двухкомнатная": a flat
    cities, districts = places(turn, segment)
    if cities:
        facts["city"] = cities[0]
    if districts:
        facts["district"] = districts[0]
    address = _ADDRESS.search(text)
    if address:
        facts["address"] = address.group(0).strip()
    money = _asking_amount(turn, segment)
    if money is not None:
        facts["price"] = amount(money.value)
    if beds is not None:
        facts["bedrooms"] = int(beds.value.value)
    baths = _BATHS.search(text)
    if baths:
        facts["bathrooms"] = int(baths.group(1))
    area = _AREA.search(text)
    if area:
        facts["area_m2"] = float(area.group(1).replace(",", "."))
    features = _unique([s.value for s in slots_in(turn, segment, "feature")])
    if features:
        facts["features"] = features
    if _OPEN_MANDATE.search(lower):
        facts["mandate"] = "open"
    elif _EXCLUSIVE.search(lower):
        facts["mandate"] = "exclusive"
    percent = first_in(turn, segment, "percent")
    if percent is not None:
        facts["commission_pct"] = float(percent.value.value)
    return facts
