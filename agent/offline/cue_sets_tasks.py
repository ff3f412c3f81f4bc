"""Cues and exemplars of the broker's day-to-day intents: follow-ups, appointments, notes."""

from __future__ import annotations

from agent.offline.cue_sets import PERSON, IntentSpec, spec

# Ways to contact someone, as an order ("call", "позвони") or a plan ("позвонить").
_CONTACT_VERB = (
    r"(?:call|ring|phone|text|write to|write|email|e-mail|message|whatsapp|meet|contact|ping|"
    r"reach out to|get in touch with|touch base with|check in with|send)"
)
_CONTACT_VERB_RU = (
    r"(?:позвони(?:ть)?|позвоню|перезвони(?:ть)?|перезвоню|напиши|написать|напишу|набери"
    r"|набрать|наберу|созвониться|созвонимся|встретиться|встреться|встретимся|связаться"
    r"|свяжись|отправь|отправить|звонок)"
)
_PAST_RU = (
    r"(?:позвонил\w*|звонил\w*|перезвонил\w*|созвонил\w*|дозвонил\w*|поговорил\w*|переговорил\w*"
    r"|написал\w*|отправил\w*|связал\w*|пообщал\w*|обсудил\w*|отзвонил\w*)"
)

TASK_INTENTS: tuple[IntentSpec, ...] = (
    spec(
        "schedule_follow_up",
        [
            (r"\bremind(?:er)?\b", 2.1),
            (r"\bfollow[ -]?up\b", 1.3),
            (r"\bschedule\b", 1.4),
            (r"\bset (?:up )?(?:a |an )?(?:call|meeting|reminder|follow)", 2.1),
            (rf"(?:^|^@date |^@date , )(?:please |pls )?{_CONTACT_VERB}\b", 1.2),
            (r"\binstead\b|\bвместо\b|@shift", -1.5),
            (  # a record moved is none to plan ("звонок Павлу перекинь на 19е")
                r"\b(?:перенес|перенест|передвин|сдвин|перекин|reschedul|postpon)\w*",
                -1.5,
            ),
            # a call to cancel or one held is no call to plan ("звонок завтра отмени")
            (r"\b(?:отмен\w*|cancel\w*|проведен\w*)\b", -2.0),
            (  # "…call today is done", "звонок выполнен": one held, not one to plan
                r"\b(?:is|was|are|were)\s+(?:done|complete\w*|finished|over)\b"
                r"|\b(?:выполнен\w*|состоял\w*|сделан\w*)\b",
                -2.0,
            ),
            (  # a negated contact is never one to schedule
                r"\b(?:no need to|don't|do not|no longer need to|not to)\s+(?:\w+\s+)?"
                r"(?:call|ring|text|email|write|ping|remind|message|contact)"
                r"|\bне (?:надо|нужно|стоит)\b|\bне звони|\bне пиши|\bне напоминай",
                -3.0,
            ),
            (
                r"\bremind me (?:what|where|who|how|whether|why)\b"
                r"|\bнапомни,? (?:что|где|кто|как)\b",
                -2.5,
            ),
            (rf"\b{_CONTACT_VERB}\b.*@date", 0.9),
            (rf"\b(?:need|have|got) to {_CONTACT_VERB}\b", 1.6),
            (r"\b(?:call|meeting|chat) with @name\b", 0.8),
            (r"\bнапомн\w*|\bнапомин\w*", 2.1),
            (r"\b(?:meeting|call|встреч[аиуе]|звонок|созвон)\b.*@date", 0.8),
            (r"\bскин\w*|\bотправ\w*|\bпришл\w*", 0.6),
            (r"@date.*\b(?:meeting|call|встреч[аиуе]|звонок|созвон)\b", 0.8),
            (rf"\b{_CONTACT_VERB_RU}\b", 1.2),
            (rf"\b{_CONTACT_VERB_RU}\b.*@date", 0.9),
            (
                r"\b(?:запланир|назнач|постав|запиш|организ)\w* (?:\w+ )?(?:звонок|встречу|созвон|"
                r"напоминани\w*|контакт)",
                2.1,
            ),
            (rf"\b(?:надо|нужно|необходимо) {_CONTACT_VERB_RU}", 1.6),
            (r"@date", 0.5),
        ],
        [
            "remind me to call @name @date",
            "call @name @date",
            "set a meeting with @name @date",
            "text @name @date about the offer",
            "follow up with @name @date",
            "напомни позвонить @name @date",
            "позвонить @name @date",
            "назначь встречу с @name @date",
            "написать @name @date",
        ],
        anchors=PERSON,
    ),
    spec(
        "complete_follow_up",
        [
            (r"\bgot @name on the phone\b|\bgot through to\b|\bfinally (?:got|reached)\b", 2.1),
            (r"^\W*(?:all )?done with @name\b|^\W*закончил\w* с @name\b", 2.8),
            (
                r"\b(?:called|rang|phoned|spoke (?:to|with)|talked (?:to|with)|chatted (?:to|with)|"
                r"reached|texted|"
                r"emailed"
                r"|wrote to|messaged|got hold of|caught up with|had a call with|heard from)\b",
                2.1,
            ),
            (r"^@name (?:called|rang|phoned|texted|wrote|replied|answered|got back)\b", 2.1),
            (r"\b(?:done|completed?|finished)\b.*\b(?:call|follow[ -]?up|task|reminder)\b", 2.1),
            (r"\b(?:call|follow[ -]?up|task|reminder)\b.*\b(?:done|completed|finished)\b", 2.1),
            (r"\bmark\w*\b.*\bdone\b", 2.1),
            (rf"\b{_PAST_RU}", 2.1),
            (r"\b(?:выполнен\w*|сделано|готово|отработал\w*)\b", 1.5),
            (
                r"\b(?:звонок|созвон|задач\w*|напоминани\w*|встреч\w*)\b.*\b(?:выполнен\w*|"
                r"сделан\w*|закрыт\w*|проведен\w*|провел\w*|состоял\w*|прошл[аио]?)\b",
                2.1,
            ),
            (
                r"\b(?:call|meeting|follow[ -]?up)\b.*\b(?:held|took place|happened|went ahead)\b",
                2.1,
            ),
            (r"^@name (?:позвонил\w*|перезвонил\w*|написал\w*|ответил\w*)", 2.1),
            (
                r"\b(?:got off the phone with|had (?:a |an )?(?:quick |short |long |good )?"
                r"(?:chat|call|word|talk|conversation) with|caught up with|heard back from|"
                r"got back to me)\b",
                2.1,
            ),
            (r"\b(?:tick|check|cross|mark)\w*\b.{0,25}\boff\b", 2.1),
            (  # a message that opens with the call done reports it ("called X, he wants…")
                r"^\W*(?:i |я )?(?:just |только что )?(?:called|rang|phoned|spoke|talked|"
                r"позвонил\w*|созвонил\w*|дозвонил\w*|поговорил\w*|набрал\w*)\b",
                1.2,
            ),
        ],
        [
            "called @name , he wants to think",
            "spoke with @name , not interested in @place",
            "done with the call to @name",
            "позвонил @name , он думает",
            "поговорила с @name , перезвонить @date",
            "звонок @name выполнен",
        ],
        anchors=PERSON,
        concepts=[(("contacted", "@name"), 1.0)],
    ),
    spec(
        "reschedule_follow_up",
        [
            (r"\binstead\b.*(?:@date|\d)|(?:@date|\d).*\binstead\b", 2.6),
            (r"\bвместо\b.*(?:@date|\d)|(?:@date|\d).*\bвместо\b", 2.6),
            (r"\b(?:reschedule|resched|re-schedule|postpone|push back)\b", 3.0),
            (r"\bbump\w*\b.*@date", 2.3),
            (
                r"\b(?:move|push|shift|delay|change)\b.*"
                r"\b(?:call|follow[ -]?up|meeting|"
                r"reminder)\b.*@date",
                2.3,
            ),
            (r"\b(?:mov(?:e|ed)|push(?:ed)?|shift(?:ed)?)\b.*\bto @date", 1.4),
            # "pushed the call with Maria to friday": done by the broker, said as a move
            (
                r"\b(?:moved|pushed|shifted)\s+(?:the|my|our)\s+(?:call|meeting|follow[ -]?up)\b"
                r".*@date",
                2.3,
            ),
            (r"\b(?:перенес|перенест|перенос|передвин|отлож|сдвин)\w*", 3.0),
            # "перенеси в пожелания", "move it to the wish list": a must-have made a wish
            (r"\b(?:перенес\w*|move|put)\b.{0,12}\b(?:пожелани\w*|wish\w*|nice to have)", -5.0),
            (r"\bперекин\w*\b.*(?:@date|@shift)", 3.0),  # "перекинь на 19е": not "скинь"
            (r"@shift", 3.0),  # "an hour later", "на день раньше": a booked record moves
            # "thursday -> friday, same time": one day for another is a move
            (r"@date\s*(?:->|→|=>|>)\s*@date", 2.6),
            # "звонок ольге сегодня -> на 18:30": the arrow moves what is named before it
            (r"\b(?:call|meeting|follow[ -]?up|звонок|созвон|встреч\w*)\b.*(?:->|→|=>)", 2.6),
        ],
        [
            "reschedule the call with @name to @date",
            "move the follow-up with @name to @date",
            "перенеси звонок @name на @date",
            "перенеси встречу с @name на @date",
        ],
        anchors=PERSON,
    ),
    spec(
        "cancel_follow_up",
        [
            (r"\b(?:cancel|call off|scrap|drop)\w*\b.*\bmeeting\b", 3.2),
            (
                r"\b(?:cancel|delete|remove|drop|call off|scrap)\w*\b.*\b(?:call|follow[ -]?up|"
                r"reminder|task|message|email|text)\b",
                3.2,
            ),
            (r"\bno need to (?:call|remind|text|write)", 2.0),
            (
                r"\b(?:отмен|удал|убер|снять)\w*.*\b(?:звон\w*|напоминани\w*|напоминалк\w*|"
                r"созвон\w*|задач\w*|встреч\w*|сообщени\w*|письм\w*|смс)",
                3.2,
            ),
            (  # the thing first, the order after ("звонок Юрию завтра отмени", "the call - cancel")
                r"\b(?:звонок|созвон|напоминани\w*|задач\w*|встреч\w*|call|follow[ -]?up|"
                r"reminder|meeting)\b[^,.;]{0,40}?\b(?:отмени(?:те)?|отменя\w*|удали|cancel)"
                r"(?:\s+(?:it|pls|please|пожалуйста))?(?:\W*$|\s*[,.;—-])",
                3.2,
            ),
            (
                r"(?<!don't )(?<!do not )\bforget (?:about )?(?:the|my|our)\b.*\b(?:call|meeting|"
                r"follow[ -]?up|reminder|message|email)",
                3.0,
            ),
            (
                r"\bне (?:надо|нужно)(?: больше| уже)? (?:звонить|напоминать|писать|"
                r"перезванивать|набирать)",
                2.0,
            ),
        ],
        [
            "cancel the call with @name",
            "cancel the follow-up with @name",
            "отмени звонок @name",
            "удали напоминание про @name",
        ],
        anchors=PERSON,
    ),
    spec(
        "reschedule_appointment",
        [
            (
                # a plain "move"/"shift" needs the new time; "reschedule"/"postpone" say it all
                r"\b(?:reschedul\w*|postpon\w*)\b.*\b(?:showing|viewing)s?\b"
                r"|\b(?:showing|viewing)s?\b.*\b(?:reschedul\w*|postpon\w*)"
                r"|\b(?:move|push|shift|change|bump)\b.*\b(?:showing|viewing)s?\b.*@date"
                r"|\b(?:showing|viewing)s?\b.*\b(?:move|push|shift)\w*\b.*@date"
                r"|\b(?:showing|viewing)s?\b.*@date\s*(?:->|→|=>|>)\s*@date"
                r"|\b(?:showing|viewing|показ|просмотр)\w*\b.*@shift"
                r"|@shift.*\b(?:showing|viewing|показ|просмотр)\w*",
                3.6,
            ),
            (r"@stage", -2.0),  # "viewing went well, shift to decision": a stage move
            (
                r"\b(?:перенес|перенест|перенос|передвин|сдвин|отлож)\w*.*\b(?:показ|просмотр)\w*"
                r"|\b(?:показ|просмотр)\w*.*\b(?:перенес|перенест|перенос|сдвин)\w*",
                3.6,
            ),
        ],
        [
            "move the showing with @name to @date",
            "reschedule @name 's viewing to @date",
            "перенеси показ @name на @date",
        ],
        anchors=PERSON,
    ),
    spec(
        "book_appointment",
        [
            (r"\b(?:how many|сколько)\b", -1.5),
            (
                r"\b(?:cancel\w*|call off|reschedul\w*|postpon\w*|move|отмен\w*|перенес\w*|"
                r"перенест\w*|перенос\w*|сдвин\w*)",
                -3.0,
            ),
            (r"\b(?:showings|viewings)\b", 1.0),
            (r"\b(?:showings?|viewings?|показ\w*|просмотр\w*)\b.*@date", 1.0),
            (
                r"\b(?:wants? to (?:see|view|visit)|would like to (?:see|view)|хоч\w* посмотреть|"
                r"хотят посмотреть)\b.*@date",
                2.2,
            ),
            (r"\b(?:wants? to (?:see|view)|хоч\w* посмотреть)\b", 0.8),
            (
                r"\b(?:book|arrange|schedule|organi[sz]e|set up|plan)\b (?:a |an |"
                r"the )?(?:showing|viewing|visit|appointment)",
                2.6,
            ),
            (r"\bbook\b", 1.4),
            (r"\bappointment with @name\b", 3.0),
            (r"^(?:кому|who|whom)\b", -1.5),  # "кому показать …?" asks for buyers
            (r"\b(?:in )?to (?:see|view|visit)\b", 0.8),
            (r"\b(?:showing|viewing)\b", 1.0),
            (r"\bappointment\b", 1.1),
            (r"\b(?:show|take)\b @name\b", 1.3),
            (
                r"\b(?:запиш|записать|организ|назнач|постав|устро)\w*\b.*\b(?:показ|просмотр)\w*",
                2.6,
            ),
            (r"\b(?:показ|просмотр)\w*", 1.0),
            (r"\b(?:покажи|показать|покажем)\b", 1.3),
            (r"@ref", 0.4),
            (
                r"\b(?:запиш\w*|записать|организ\w*|назнач\w*|устро\w*|book|arrange)\b.*@stage",
                2.6,
            ),
        ],
        [
            "book a viewing for @name @date of @ref",
            "show @name @ref and @ref @date",
            "schedule a showing with @name @date",
            "запиши @name на показ @ref @date",
            "показ для @name @date , объекты @ref",
            "организуй просмотр @ref для @name @date",
        ],
        anchors=PERSON,
    ),
    spec(
        "record_appointment",
        [
            (r"\b(?:how many|сколько)\b", -1.5),
            (
                r"\b(?:showing|viewing|meeting|visit)\b.*\b(?:went|was|done|happened|over|"
                r"finished|took place)\b",
                2.2,
            ),
            (
                r"\b(?:liked|loved|disliked|hated|didn't like|did not like|not keen on|"
                r"wasn't keen|was not keen|"
                r"didn't love|adored|not impressed)\b",
                1.7,
            ),
            (
                r"\b(?:no[- ]show|didn't show|did not show|didn't come|did not come|didn't turn up|"
                r"did not turn up|stood me up|never came|never showed)\b",
                2.6,
            ),
            (
                r"\b(?:cancel\w*|call\w* off)\b.*\b(?:showing|viewing|appointment)s?\b"
                r"|\b(?:showing|viewing|appointment)s?\b.*\b(?:cancel\w*|called off|is off)\b",
                3.6,
            ),
            (r"\bне (?:приш(?:ел|ла|ли)|явил\w*|приехал\w*|пришел|появил\w*|доехал\w*)\b", 2.6),
            (r"\b(?:понравил\w*|не понравил\w*|в восторге|влюбил\w*)\b", 1.7),
            (r"\b(?:показ|просмотр|встреч)\w* (?:прош\w*|состоял\w*|был\w*)", 2.2),
            (r"\bотмен\w*.*\b(?:показ|просмотр)\w*|\b(?:показ|просмотр)\w*.*\bотмен\w*", 3.6),
        ],
        [
            "showing with @name went well , liked @ref , disliked @ref",
            "@name didn't show up",
            "@name liked @ref but not @ref",
            "показ с @name прошел , понравился @ref",
            "@name не пришел на показ",
        ],
        anchors=PERSON,
    ),
    spec(
        "log_note",
        [
            (
                r"^(?:note|notes|memo|заметка|заметки|примечание)(?: (?:for|about|on|по|для|про) "
                r"[^:\n]{1,40})?\s*[:\-]|^(?:запиши|запомни|remember)\s*:",
                5.0,
            ),
            (
                r"^(?:(?:add|make|take|write|log|save)(?: a)? note|note that|запиши заметку|"
                r"добавь заметку|сохрани заметку|заметка по|запиши,? что)\b",
                3.0,
            ),
        ],
        [],
    ),
)
