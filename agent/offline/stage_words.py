"""Pipeline stages as brokers say them: stage names after "to"/"в", events that imply a stage
("signed the agreement", "is live", "bought elsewhere", "снять с продажи"), and exit reasons.

Event phrases carry the stage for one side; an exit ("lost", "передумал") fits either side and
the caller decides by the client's deals (a seller withdraws, a buyer is closed lost).
"Closed" alone ("сделка закрыта", "close the deal") says neither won nor lost: it is CLOSE,
settled by what else the message says (an exit, a commission, "купил у нас") or by asking.
"Skip ahead" names no stage: SKIP, which asks where to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

EXIT = "exit"  # withdrawn for a seller, closed_lost for a buyer
NEXT = "next"  # the stage after the deal's current one
CLOSE = "close"  # closed, but won or lost is not said
SKIP = "skip"  # "skip her ahead": forward, to a stage not named
_NEXT_STAGE = re.compile(
    r"(?:to|on|onto)\s+the\s+next\s+stage|next\s+stage|(?:на|в)\s+следующ\w+\s+(?:этап|стади\w*)"
    r"|дальше\s+по\s+воронке"
    r"|\b(?:двига\w*|двинь|подвин\w*|продвин\w*|переведи|перевести|передвинь|move|moving|push|"
    r"advance)\b(?:\s+\S+){1,3}?\s+"
    r"(?P<onward>дальше|вперед|вперёд|forward|along|on)\s*[.!]?$"
)
_SKIP_VERB = r"\b(?:skip\w*|пропуст\w*|перескоч\w*)\b"
_SKIP = re.compile(rf"{_SKIP_VERB}.*\b(?:ahead|forward|вперед|вперёд|дальше)\b")
_SKIP_VERBS = re.compile(_SKIP_VERB)
# A move with nowhere to go ("move it", "переведи"): the stage is what is missing.
_MOVE_NOWHERE = re.compile(
    r"^\W*(?:move|advance|переведи|перевести|двигай|передвинь)(?:\s+(?:it|him|her|them|его|"
    r"её|ее|их|the\s+deal|сделку))?\W*$"
)

# Stage names, accepted after a preposition ("to viewing", "в показы", "на этап решения").
_NAMES: tuple[tuple[str, str], ...] = (
    ("agreement_signed", r"agreement(?:\s+signed)?|signed\s+agreement|договор\w*(?:\s+подписан)?"),
    ("active_listing", r"active(?:\s+listing)?|live|активн\w*(?:\s+объект\w*)?|продаж[уае]"),
    ("commission_payment", r"(?:agent\s+)?commission(?:\s+payment)?|выплат\w*\s+комисси\w*"),
    ("closed_won", r"closed[\s_]+won|won|выигран\w*|успешн\w*"),
    ("closed_lost", r"closed[\s_]+lost|lost|потерян\w*|проигран\w*|неудачн\w*"),
    (CLOSE, r"closed|сделка\s+закрыта|закрыт(?:ые|ых|ая|ую)(?!\s+(?:комплекс|территори|двор))"),
    ("prospect", r"prospects?|потенциальн\w*(?:\s+продав\w*)?"),
    ("contacted", r"contacted|контакт\s+установлен"),
    ("sold", r"sold|продан\w*"),
    ("withdrawn", r"withdrawn|listing\s+withdrawn|снят\w*(?:\s+с\s+продажи)?"),
    ("qualification", r"qualification|qualifying|квалификаци\w*"),
    ("demand_research", r"(?:demand\s+)?research|изучени\w*(?:\s+потребност\w*)?|потребност\w*"),
    ("viewing", r"viewings?|showings?|solution(?:/viewing)?|показ\w*|просмотр\w*|подбор\w*"),
    ("decision", r"decision(?:\s+making)?|deciding|решени\w*|принятие\s+решения"),
    ("signing", r"(?:deal\s+)?signing|подписани\w*(?:\s+сделки)?"),
    ("payment", r"payment(?:\s+process)?|оплат\w*"),
)
_BEFORE_NAME = (
    r"(?:\bto(?:\s+the)?|\binto|\bas|\bкак|\bстадию|\bэтап|\bстатус|\bстадия|\bв|\bна|->|→|=>)"
    r"(?:\s+(?:stage|этап|стадию|статус))?\s+"
)

# "Sold it himself", "продала сама": the owner sold without us — a withdrawal, not our sale.
_BY_OWNER_EN = (
    r"\s+(?:[^\s.!?]+\s+){0,5}?(?:privately|directly|(?:him|her|them)sel(?:f|ves)|on\s+(?:his|her|their)\s+own"
    r"|without\s+us|by\s+(?:him|her|them)sel)"
)
_BY_OWNER_RU = r"\s+(?:[^\s.!?]+\s+){0,4}?(?:сам(?:а|и)?|самостоятельно|без\s+нас)\b"

# Events anywhere in the text: (stage, pattern). Order matters: the first match wins.
_EVENTS: tuple[tuple[str, str], ...] = (
    (
        "withdrawn",
        rf"\bsold{_BY_OWNER_EN}|продал\w*{_BY_OWNER_RU}|pulled\s+(?:\S+\s+){{0,2}}?listing"
        r"|withdr[ae]w\w*|(?:take|took|taking|takes|pull\w*)\s+(?:\S+\s+){0,3}?off\s+the\s+market"
        r"|remove\w*\s+(?:\S+\s+){0,3}?from\s+(?:sale|the\s+market)"
        r"|сн(?:ять|ял\w*|яли|ят\w*|ими|имай|имаем|имает|имите)\s+(?:\S+\s+){0,3}?с\s+продажи"
        r"|сн(?:ять|ял\w*|яли|ими|имай|имаем|имите)\s+(?:объект|квартир|дом|вилл|листинг)\w*",
    ),
    (
        EXIT,
        r"bought\s+(?:elsewhere|somewhere\s+else|through|with|from|via)|went\s+(?:with|to)\s+"
        r"(?:another|a\s+competitor|other|a\s+different)|\blost\b|no\s+longer\s+interested"
        r"|(?:sign\w*|gone|go\w*|went|mov\w*|buy\w*|bought|work\w*)\s+(?:with|through|via)\s+"
        r"(?:another|a\s+different|other|a\s+competing|a\s+competitor)"
        r"|(?:pulled|backed|dropped)\s+out|walked\s+away"
        r"|(?:decided\s+to\s+)?keep\w*\s+renting|продолж\w*\s+(?:снимать|арендовать)"
        r"|(?:doesn't|does\s+not|don't|won't|no\s+longer)\s+(?:want\s+to\s+)?sell"
        r"|(?:не\s+(?:хоч\w*|будет|будут)|решил\w*\s+не|передумал\w*)\s+продавать"
        r"|(?:found|bought)\s+(?:\S+\s+){0,3}?(?:on\s+(?:his|her|their)\s+own|(?:him|her|them)"
        r"sel(?:f|ves)|elsewhere|privately)"
        r"|(?:купил\w*|ушл\w*|ушел|ушёл|пошл\w*|пошел|пошёл)\s+(?:\S+\s+)?(?:у|через|к|с)\s+"
        r"(?:конкурент\w*|друг\w+\s+(?:агент\w*|риелтор\w*|риэлтор\w*|брокер\w*))"
        r"|наш(?:ел|ёл|ла|ли)\s+(?:\S+\s+){0,2}?сам\w*|сам\w*\s+(?:\S+\s+)?наш(?:ел|ёл|ла|ли)"
        r"|отказал\w*\s+от\s+покупк\w*|не\s+хватает\s+(?:денег|средств|бюджета)"
        r"|not\s+interested\s+any\s*more|gave\s+up|changed\s+(?:his|her|their)\s+(?:mind|plans)"
        r"|decided\s+not\s+to|stopped\s+(?:answering|responding)|(?:doesn't|does\s+not|don't)"
        r"\s+(?:answer|respond|reply)|ghosted|can't\s+afford|cannot\s+afford"
        r"|купил\w*\s+(?:\S+\s+){0,2}?(?:в\s+другом\s+месте|у\s+друг\w*|через\s+друг\w*|сам\w*"
        r"|не\s+у\s+нас)"
        r"|уш[её]л\w*\s+к\s+(?:конкурент\w*|друг\w*)|передумал\w*|раздумал\w*|не\s+отвечает"
        r"|перестал\w*\s+отвечать|пропал\w*|отказал\w*|не\s+тян\w*|потеряли",
    ),
    (
        "agreement_signed",
        # "to sign the agreement" on Friday is a plan, not the event
        r"(?<!to\s)(?<!will\s)(?<!'ll\s)sign(?:ed|s)?\s+(?:the\s+|an\s+|a\s+|our\s+)?"
        r"(?:exclusive\s+|listing\s+|sale\s+|"
        r"reservation\s+|purchase\s+|"
        r"marketing\s+|open\s+)?(?:agreement|mandate)|agreement\s+(?:is\s+|was\s+)?signed"
        r"|подписал\w*\s+(?:эксклюзив\w*\s+)?(?:договор|соглашени\w*|мандат)\w*"
        r"|подписал\w*\s+эксклюзив\w*"
        r"|договор\w*\s+подписан\w*",
    ),
    (
        "closed_won",
        r"commission\s+(?:was\s+|is\s+|has\s+been\s+)?(?:paid|received|came\s+in)|got\s+"
        r"(?:the\s+|our\s+)?commission|комисси\w*\s+(?:получ|оплач|пришл)\w*"
        r"|получили\s+комисси\w*|комисси\w*\s+(?:\S+\s+){1,3}?(?:получ|оплач|пришл)\w*"
        r"|закр\w*\s+(?:\S+\s+){0,4}?как\s+(?:успешн\w*|выигран\w*)"
        r"|(?:mark|close)\w*\s+(?:\S+\s+){0,3}?(?:as\s+)?won",
    ),
    (
        # Closed, won or lost unsaid: the deal, or a client, closed by a verb.
        CLOSE,
        r"closed\s+(?:the\s+)?deal|deal\s+(?:is\s+|was\s+|has\s+been\s+)?(?:closed|done|"
        r"finished|over)|deal\s+(?:\S+\s+){1,3}?(?:is\s+|was\s+)?(?:closed|done)"
        r"|^\W*close\W*$|wrap\w*\s+up|finali[sz]e\w*|заверш\w*\s+сделк\w*"
        r"|(?<!so\s)(?<!very\s)(?<!quite\s)close(?:d)?(?=\s+(?!(?:the\s+|my\s+|this\s+)?"
        r"(?:to|by|enough|call|task|reminder|follow|meeting|viewing|showing)\b)\S)|we\s+closed"
        r"|(?:mark|set)\w*\s+(?:\S+\s+){0,3}?done"
        r"|сделк\w*\s+(?:\S+\s+){0,3}?закрыт\w*|закрыл\w*\s+сделк\w*"
        r"|закр(?:ой|ойте|ыва\w*|ыть|оем|ыли|ыл|ыла)\b(?!\s+(?:звонок|задач\w*|напоминани\w*|"
        r"встреч\w*|показ\w*))",
    ),
    (
        "commission_payment",
        r"waiting\s+for\s+(?:the\s+|our\s+)?commission|ждем\s+комисси\w*|ожида\w*\s+комисси\w*",
    ),
    ("sold", rf"\bsold\b(?!{_BY_OWNER_EN})|продал\w*(?!{_BY_OWNER_RU})|продан\w*"),
    (
        "active_listing",
        r"(?:is|went|goes|now|gone)\s+live|on\s+the\s+market|published|выставил\w*|"
        r"выставлен\w*|выставля\w*|опубликова\w*|в\s+продаже|на\s+рынке",
    ),
    (
        "signing",
        r"(?<!to\s)(?<!will\s)(?<!'ll\s)sign(?:ed|ing|s)?\s+(?:the\s+)?(?:sale\s+|purchase\s+|"
        r"sales\s+)?(?:contract|spa)\b"
        r"|подпис\w*\s+(?:договор\w*\s+)?купли|подписание",
    ),
    ("payment", r"transferr?(?:ed|ing)\s+the\s+money|перев[её]л\w*\s+деньги"),
    ("decision", r"made\s+an\s+offer|сделал\w*\s+предложение"),
    ("viewing", r"start\w*\s+(?:the\s+)?(?:viewings|showings)|начал\w*\s+(?:показы|просмотры)"),
    ("contacted", r"reached\s+the\s+(?:owner|seller)|связал\w*\s+с\s+(?:собственник|владел)\w*"),
)

_REASONS: dict[str, tuple[tuple[str, str], ...]] = {
    "buyer": (
        (
            "competitor",
            r"competitor|another\s+agen|other\s+agen|different\s+agen|competing|конкурент"
            r"|друг\w*\s+(?:агент|риелтор|риэлтор|брокер)",
        ),
        (
            "bought_elsewhere",
            r"bought|купил|found\s+(?:\S+\s+){0,3}?(?:on\s+(?:his|her|their)\s+own|(?:him|her|"
            r"them)sel|elsewhere)|наш(?:ел|ёл|ла|ли)|elsewhere|в\s+другом\s+месте",
        ),
        (
            "budget",
            r"budget|afford|expensive|money|mortgage|loan|бюджет|дорог|денег|средств|не\s+тян"
            r"|ипотек|кредит",
        ),
        (
            "unresponsive",
            r"answer|respond|reply|ghost|unresponsive|отвеча|пропал|не\s+выход|трубк|не\s+бер",
        ),
        (
            "changed_plans",
            r"changed|plans|mind|decided|keep\s+renting|renting|передумал|раздумал|планы|решил"
            r"|no\s+longer|not\s+interested|lost\s+interest|потерял\w*\s+интерес|не\s+интерес"
            r"|отказал|отказыва|не\s+будет\s+покупа",
        ),
    ),
    "seller": (
        (
            "sold_independently",
            rf"без\s+нас|without\s+us|sold{_BY_OWNER_EN}|продал\w*{_BY_OWNER_RU}|самостоятельно",
        ),
        (
            "unsatisfied_with_service",
            r"unhappy|not\s+happy|unsatisfied|dissatisfied|недовол|не\s+устраива",
        ),
        (
            "changed_mind",
            r"changed|mind|decided\s+not|передумал|раздумал|не\s+будет\s+продав|решил\w*\s+не"
            r"|не\s+хоч\w*\s+продав|(?:doesn't|does\s+not|don't|no\s+longer)\s+(?:want\s+to\s+)?sell",
        ),
    ),
}


@dataclass(frozen=True)
class StageHit:
    """A stage the text asks for (or EXIT), where it was said, and how (a name or an event)."""

    stage: str
    span: tuple[int, int]
    explicit: bool  # a stage name after "to"/"в", rather than an event that implies it


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern[str]:
    names = "|".join(f"(?P<{stage}>{pattern})" for stage, pattern in _NAMES)
    return re.compile(rf"{_BEFORE_NAME}(?:{names})(?![\w])")


@lru_cache(maxsize=1)
def _event_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((stage, re.compile(rf"(?<![\w])(?:{p})(?![\w])")) for stage, p in _EVENTS)


def named_stage(lower: str) -> str | None:
    """A stage named anywhere in a question ("how many deals in viewing?"), no verb needed."""
    for stage, pattern in _NAMES:
        if stage not in (CLOSE,) and re.search(rf"\b(?:{pattern})(?![\w'])", lower):
            return stage
    return None


_MOVED_INTO = re.compile(
    r"\b(?:move|moving|put|set|push|advance|переведи|переводи|перевести|переводим|двигай|"
    r"поставь|ставь)\w*\b[^,.;]{0,16}?\b(?:to|into|в|на)\s+(?:этап\s+|стадию\s+|статус\s+)?$"
    r"|\b(?:сразу|straight|directly)\s+(?:to|into|в|на)\s+$"
)


def find_stage(lower: str) -> StageHit | None:
    """The stage a lower-case message moves a deal to, or None."""
    lower = lower.replace("_", " ")  # "agreement_signed" as the stage ids are written
    closing: StageHit | None = None
    named = [m for m in _name_pattern().finditer(lower) if m.lastgroup is not None]
    # "подписал договор на продажу …, переводи сразу в agreement_signed": of several stage
    # names, the one the move verb points at
    moved_to = [
        m
        for m in named
        if _MOVED_INTO.search(
            lower[max(0, m.start(str(m.lastgroup)) - 28) : m.start(str(m.lastgroup))]
        )
    ]
    for match in moved_to[:1] if len(named) > 1 and moved_to else named:
        stage = match.lastgroup
        if stage == CLOSE:  # "в закрытые": an exit or a win said elsewhere decides which
            closing = StageHit(stage, match.span(stage), True)
            break
        if stage is not None:
            return StageHit(stage, match.span(stage), True)
    if closing is not None:
        decided = _events(lower)
        return decided if decided is not None and decided.stage != CLOSE else closing
    following = _NEXT_STAGE.search(lower)
    if following is not None:  # "двигай его дальше": the verb stays a word of its own
        onward = following.span("onward") if following.group("onward") else following.span()
        return StageHit(NEXT, onward, True)
    event = _events(lower)
    if event is not None:
        return event
    skip = _skip(lower)
    if skip is not None:
        return StageHit(SKIP, skip.span(), True)
    if _MOVE_NOWHERE.search(lower):
        end = len(lower.rstrip(" ?!."))
        return StageHit(SKIP, (end, end), True)
    return None


def _skip(lower: str) -> re.Match[str] | None:
    """`_SKIP.search(lower)` in linear time (issue #10): where the first "skip" of a line finds
    no "ahead" after it, no later "skip" of that line can, so they are not tried (the search
    would run to the end of the line from each: "skip skip skip …" was quadratic)."""
    tried_to = -1
    for verb in _SKIP_VERBS.finditer(lower):
        if verb.start() <= tried_to:
            continue
        found = _SKIP.match(lower, verb.start())
        if found is not None:
            return found
        line_end = lower.find("\n", verb.start())
        tried_to = len(lower) if line_end == -1 else line_end
    return None


def _events(lower: str) -> StageHit | None:
    """The stage the events of the text lead to (an exit beats a bare "closed")."""
    events: list[StageHit] = []
    for stage, pattern in _event_patterns():
        for found in pattern.finditer(lower):
            events.append(StageHit(stage, found.span(), False))
    named = [hit for hit in events if hit.stage != CLOSE]
    withdrawn = [hit for hit in named if hit.stage == "withdrawn"]
    if withdrawn and all(hit.stage in ("withdrawn", EXIT) for hit in named):
        return withdrawn[0]  # "снял с продажи, передумал": the listing, whoever else he is
    if named:  # "передумала, сделка закрыта": the exit says how it closed
        exits = [hit for hit in named if hit.stage in (EXIT, "withdrawn")]
        closing = any(hit.stage == CLOSE for hit in events)
        if exits and closing:
            return exits[-1]
        # The last event said is where the deal ends up ("signed the exclusive — now live").
        return max(named, key=lambda hit: hit.span[0])
    return events[0] if events else None


# What says a closed deal was won: the money came, the sale or purchase went through us.
_WON = re.compile(
    r"\b(?:won|commission\w*|комисси\w*|sold|продал\w*|продан\w*|signed|подписал\w*|paid|"
    r"оплатил\w*|заплатил\w*|выигр\w*|успешн\w*|with us|through us|from us|у нас|через нас)\b"
)
_LOST = re.compile(r"\b(?:lost|lose|потерян\w*|проигр\w*|неудачн\w*|потеряли)\b")


def said_won(lower: str) -> bool:
    """The text says the deal was won (to settle a bare "closed")."""
    return bool(_WON.search(lower))


def said_lost(lower: str) -> bool:
    """The text says the deal was lost, or names an exit."""
    hit = find_stage(lower)
    exited = hit is not None and hit.stage in (EXIT, "closed_lost", "withdrawn")
    return exited or bool(_LOST.search(lower))


def exit_reason(lower: str, side: str) -> str:
    """The vocabulary reason for a lost buyer or a withdrawn listing ("other" when unsaid)."""
    for reason, pattern in _REASONS.get(side, ()):
        if re.search(pattern, lower):
            return reason
    return "other"


def resolve_exit(stage: str, side: str | None) -> str:
    """EXIT becomes the exit stage of the client's side (a buyer unless they only sell)."""
    if stage != EXIT:
        return stage
    return "withdrawn" if side == "seller" else "closed_lost"
