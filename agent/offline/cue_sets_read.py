"""Cues and exemplars of questions: agenda, client card, contacts, memory, reports (matches:
cue_sets_match.py); the order of READ_INTENTS settles ties."""

from __future__ import annotations

from agent.offline.cue_sets import PERSON, IntentSpec, spec
from agent.offline.cue_sets_match import MATCH_INTENTS
from agent.offline.cue_sets_search import SEARCH_INTENTS

_PEOPLE: tuple[IntentSpec, ...] = (
    spec(
        "agenda",
        [
            (r"\b(?:hot deals|hot leads|горяч\w* (?:сделк\w*|клиент\w*|лид\w*))\b", 2.1),
            (r"\bwho(?:'s| is)? (?:overdue|due|late)\b|\bкто просрочен\w*", 2.1),
            (r"\bagenda\b", 2.6),
            (r"\bwhats on\b", 2.6),
            (r"\bwhat(?:'s| is| do i have| have i got)\b.*\b(?:on|planned|scheduled|due)\b", 1.6),
            (r"\bmy (?:day|plan|plans|schedule|tasks|to-?dos?|calls)\b", 2.1),
            (r"(?<!against )(?<!vs )\b(?:plan|schedule|tasks|to-?dos?|calls) (?:for )?@date", 2.1),
            (r"\bwho (?:should|do|must) i (?:call|contact|ring)\b", 2.1),
            (r"\bwho\b.{0,20}\b(?:forgot|forget|forgotten|missed|miss)\b", 2.1),
            (r"\bwhat\b.{0,12}\b(?:have i got|do i have|have i|is there)\b.{0,12}@date", 2.1),
            (r"\b(?:anything|any|something|что)\b.{0,20}(?:@timeline|urgent|срочн\w*|горит)", 2.1),
            (r"\b(?:кого|кому)\b.{0,15}\b(?:набрать|позвонить|звонить|написать|связаться)\b", 2.1),
            (r"\bwhat(?:'s| is) (?:due|overdue|next)\b", 2.1),
            (r"\b(?:anything|any|something)\b.*\b(?:overdue|missed|due today|urgent)\b", 2.1),
            (r"\b(?:что|есть что-то)\b.*\b(?:просрочен\w*|пропущен\w*|срочно\w*)", 2.1),
            # "какие у меня просроченные задачи", "my overdue follow-ups"
            (
                r"^(?!.*\b(?:team|across|brokers|команд\w*|брокер\w*|по всем)\b).*(?:"
                r"\b(?:просрочен\w*|пропущен\w*)\s+(?:задач\w*|звонк\w*|дел\w*|напоминани\w*)|"
                r"\bmy (?:overdue|missed)\b)",
                2.4,
            ),
            (r"\bstand-?up\b", 2.1),
            (r"\bчто (?:у меня|на|по плану|запланировано)\b", 1.6),
            (r"\bплан\w* на\b", 2.1),
            (r"\b(?:повестк\w*|расписани\w*|мой день|дела на|задачи на|мои задачи|мои дела)", 2.1),
            (r"\bкому (?:мне )?(?:звонить|позвонить|надо позвонить)\b", 2.1),
            (r"\bчто (?:сегодня|завтра|@date)\b", 1.6),
            (r"@date", 0.3),
        ],
        [
            "what's on @date",
            "my agenda @date",
            "what do i have @date",
            "что у меня @date",
            "план на @date",
            "какие задачи на @date",
        ],
    ),
    spec(
        "client_card",
        [
            (
                r"\b(?:next best action|nba|what should i do (?:next )?(?:with|about)|next step|"
                r"what next|where are we|chances|probability|odds)\b",
                2.2,
            ),
            (
                r"\b(?:что (?:дальше )?делать|что дальше|следующий шаг|шансы?|вероятност\w*|"
                r"какие шансы)\b",
                2.2,
            ),
            (r"\b(?:anything|what's|what is) (?:pending|open|new|going on) (?:with|for|on)\b", 2.2),
            (r"\bчто (?:у меня |у нас )?(?:с|по) @name", 2.4),
            (
                r"\bwhat (?:is|'s) (?:@name|he|she) (?:looking for|after)|what does (?:@name|he|"
                r"she) "
                r"(?:want|need)|что (?:ищет|хочет) (?:@name|он|она)",
                2.6,
            ),
            (r"^@name\W+(?:where are we|what's next|status)", 2.2),
            (r"\b(?:card|file|profile|dossier|досье|профил\w*)\b", 2.1),
            (r"\btell me (?:about|more about)\b", 2.1),
            (
                r"\bwhat(?:'s| is) (?:up|new|happening|going on|the status|the latest) (?:with|"
                r"on)\b",
                2.1,
            ),
            (r"\b(?:status|update|summary|overview|details) (?:of|on|for)\b", 2.1),
            (r"\bwhere are we with\b", 2.1),
            (r"\bhow(?:'s| is| are)\b(?: things with)? @name\b", 1.8),
            (r"\bhow\b.{0,15}\b(?:going|doing|progressing)\b.{0,6}\b(?:with|on)\b", 2.1),
            (r"\bкак там\b.{0,5}@name|\bкак (?:дела|успехи)\b", 1.8),
            (r"\bwho(?: is|'s) @name\b", 2.2),
            (r"^@name\W*$", 1.6),
            (
                r"^(?:please )?(?:show(?: me)?|pull up|open(?: up)?|bring up|display|get me)\s+"
                r"@name(?:'s)?(?: (?:card|file|profile|deal|details|record))?\W*$",
                2.4,
            ),
            (r"^(?:покажи|открой|выведи|дай)(?: мне)?\s+@name\W*$", 2.4),
            (r"\b(?:brief me|fill me in|catch me up|update me|lowdown|low-down|rundown)\b", 2.1),
            (r"\bgive me (?:an? |the )?(?:update|summary|overview|rundown|status)\b", 2.6),
            (r"\bwhere (?:are we|do we stand|we are|we stand)\b|\bгде мы (?:с|по)\b", 2.1),
            (
                r"\bчто (?:там |нового |слышно )?(?:по|с|у) (?:@name|нему|ней|ним|него|нее|неё)",
                2.1,
            ),
            (r"\bкарточк\w*", 2.1),
            (r"\bрасскажи\w* (?:мне )?(?:про|о|об)\b", 2.1),
            (r"\bкак (?:там |дела )?(?:у|с) @name", 1.8),
            (r"\b(?:статус|сводк\w*)\b", 1.4),
            (r"\bкто так\w* @name", 2.2),
        ],
        [
            "card for @name",
            "tell me about @name",
            "what's up with @name",
            "что по @name",
            "карточка @name",
            "расскажи про @name",
        ],
        anchors=PERSON,
    ),
    spec(
        "find_contacts",
        [
            (r"\bwho\b.*@phone|@phone.*\bwho\b", 2.0),
            (
                r"\bhow (?:do|can|could|should) (?:i|we) (?:reach|contact|get hold of|"
                r"get in touch with)\b",
                2.2,
            ),
            (  # "Maria's email: …", "почта Ольги …": a value given is a change, not a question
                r"@name.*(?:phone|number|mobile|email|e-mail|почт\w*|телефон|номер|имейл)\W{0,3}"
                r"(?:is\W+)?(?:@phone|@email)|(?:phone|number|mobile|email|e-mail|почт\w*|телефон"
                r"|номер|имейл)\W{0,3}@name\W{0,3}(?:@phone|@email)",
                -1.5,
            ),
            (
                r"\b(?:find|look ?up|search(?: for)?|locate)\b(?: the| my)?(?: client|"
                r" contact)? @name",
                1.6,
            ),
            (
                r"\b(?:phone|number|phone number|mobile|email|e-mail|contacts?|contact details|"
                r"details)\b (?:of|for) @name",
                2.2,
            ),
            (r"@name'?s? (?:phone|number|mobile|email|e-mail|contact)", 2.2),
            (r"\bwho(?:se| is| has)\b.*@phone", 2.0),
            (r"\b(?:find|look ?up|search)\b.*(?:@phone|@email)", 2.0),
            (r"\b(?:найди|найти|поищи|ищи)\b (?:клиент\w* |контакт\w* )?@name", 1.6),
            (
                r"(?<!новый )(?<!новая )(?<!новую )\b(?:телефон|номер|почт\w*|e-?mail|имейл|"
                r"контакты|"
                r"координаты)\b (?:у )?@name",
                2.2,
            ),
            (r"\bкакой (?:телефон|номер|e-?mail|имейл) (?:у )?@name", 2.2),
            (r"\bкак связаться с @name", 2.0),
            (r"\b(?:чей|чья|кто)\b.*(?:@phone|@email)", 2.0),
            (r"(?:@phone|@email).*\b(?:whose|чей|чья)\b|\bwhose\b.*(?:@phone|@email)", 2.4),
        ],
        [
            "find @name",
            "phone number of @name",
            "@name's email",
            "найди @name",
            "телефон @name",
            "чей номер @phone",
        ],
        anchors=PERSON,
    ),
)

_MEMORY: tuple[IntentSpec, ...] = (
    spec(
        "recall",
        [
            (r"\bremind me (?:what|who|how|whether) @name (?:said|told|mentioned|asked)\b", 2.8),
            (r"\bwhat did @name (?:say|tell|mention|want|think|ask)\b", 2.6),
            (
                r"\bwho (?:wanted|asked|was looking|was after|needed|mentioned|said|"
                r"talked about)\b",
                2.4,
            ),
            (
                r"\bчто\b.{0,20}@name.{0,20}\b(?:говорил\w*|сказал\w*|упоминал\w*|спрашивал\w*|"
                r"рассказывал\w*)",
                2.6,
            ),
            (r"\b(?:remember|recall)\b", 1.8),
            (r"\bdid @name (?:say|mention|ask)\b", 2.6),
            (r"\bчто (?:говорил\w*|сказал\w*|хотел\w*|упоминал\w*|спрашивал\w*) @name", 2.6),
            (r"\bкто (?:хотел\w*|искал\w*|спрашивал\w*|упоминал\w*|говорил\w*|просил\w*)", 2.4),
            (r"\bнапомни,? (?:что|кто|о чем)\b", 2.6),
            (r"\bвспомни\w*", 1.8),
        ],
        [
            "what did @name say about schools",
            "who wanted a place for a dog",
            "что говорил @name про школы",
            "кто хотел дом с собакой",
        ],
    ),
    spec(
        "pipeline_report",
        [
            (
                r"\bhow many\b.*\b(?:deals?|buyers?|sellers?|clients?|listings?)\b (?:are |is )?"
                r"(?:in|at)\b|\b(?:by|per) stage\b|\bpipeline by\b",
                2.6,
            ),
            (
                r"\bсколько\b.*\b(?:сделок|клиентов|покупателей|продавцов|объектов) (?:на|в)\b"
                r"|\bпо этапам\b",
                2.6,
            ),
            (
                r"\bсколько (?:у нас |было |всего )?(?:сделок|объектов|показов|просмотров|встреч|"
                r"клиентов|лидов|продаж|звонков)\b",
                1.4,
            ),
            (r"\bhow are we doing\b|\bкак у нас дела\b", 1.2),
            (  # "my deals", "мои сделки", "покажи мою доску": where the broker's deals stand
                r"\b(?:my|our) (?:deals|pipeline|board)\b|\b(?:мои|наши) сделки\b"
                r"|\b(?:мою|нашу) (?:доску|воронку)\b",
                2.6,
            ),
            (  # "какие у меня покупатели на стадии показов?", "which buyers are at viewing?"
                r"\b(?:which|what|какие|кто)\b.*\b(?:deals?|buyers?|sellers?|clients?|сделки|"
                r"покупател\w*|продавц\w*|клиент\w*)\b.*(?:@stage|\bstage\b|стади\w*|этап\w*)",
                2.6,
            ),
            (r"\b(?:missed|overdue) (?:follow[ -]?ups?|calls|tasks)\b", 1.0),
            (r"\bacross the team\b|\bпо команде\b|\bteam'?s?\b", 0.8),
            (
                r"\b(?:revenue|forecast|conversion|funnel|pipeline|report|statistics|stats|kpis?|"
                r"metrics?|target|days on market|no[- ]show rate|commission earned)\b",
                1.8,
            ),
            (r"\bhow (?:many|much)\b", 1.0),
            (r"\bcommission\w*\b", 0.8),
            (r"\bhow much\b.*\b(?:commission|revenue|money|earn\w*|made|make)\b", 1.5),
            (
                r"\bhow many (?:deals|listings|showings|viewings|appointments|clients|leads|"
                r"sales)\b",
                1.2,
            ),
            (r"\b(?:active|new|withdrawn) listings\b", 1.0),
            (r"\b(?:missed|overdue) follow[ -]?ups? by\b", 1.6),
            (r"\bvs\.? (?:the )?plan\b|\bagainst (?:the )?plan\b|\bplan vs\b", 1.6),
            (r"\bby broker\b", 1.0),
            (
                r"\b(?:выручк\w*|прогноз\w*|конверси\w*|воронк\w*|отчет\w*|статистик\w*|"
                r"показател\w*|"
                r"метрик\w*|дней на рынке|доход\w*)",
                1.8,
            ),
            (r"\bсколько\b", 1.0),
            (r"\b(?:активн\w*|новых|снят\w*) (?:объект\w*|листинг\w*)", 1.0),
            (r"\bпо брокерам\b|\bпо сотрудникам\b", 1.0),
            (r"\bпропущенн\w*|\bпросроченн\w*", 0.8),
            (r"\b(?:по|против|vs) план\w*|\bвыполнени\w* план\w*", 1.6),
        ],
        [
            "revenue vs plan this month",
            "what is the forecast",
            "how many active listings do we have",
            "missed follow-ups by broker",
            "сколько у нас активных объектов",
            "какой прогноз на месяц",
            "конверсия за квартал",
        ],
    ),
)


READ_INTENTS: tuple[IntentSpec, ...] = (*_PEOPLE, *MATCH_INTENTS, *SEARCH_INTENTS, *_MEMORY)
