"""Everything the offline model says in its own words, in English and Russian."""

from __future__ import annotations

_TEXTS: dict[str, tuple[str, str]] = {
    "greeting": (
        "Hi! Tell me what to do: register a client, schedule a call, move a deal, or ask "
        '"what\'s on today?"',
        "Привет! Скажите, что сделать: добавить клиента, запланировать звонок, перевести "
        "сделку или спросите «что у меня сегодня?»",
    ),
    "thanks": ("You're welcome.", "Пожалуйста."),
    "help": (
        "I keep your CRM: clients, listings, buyer requests, stages, follow-ups, showings, "
        'notes, matches and reports. Try: "New client Elena Kuznetsova +357 99 123456", '
        '"Remind me to call Ivan Petrov tomorrow at 11", "Move Maria Ivanova to viewing", '
        '"What\'s on today?"',
        "Я веду вашу CRM: клиенты, объекты, заявки, этапы, напоминания, показы, заметки, "
        "подбор и отчёты. Например: «Новый клиент Елена Кузнецова +357 99 123456», "
        "«Напомни позвонить Ивану Петрову завтра в 11», «Переведи Марию Иванову на показы», "
        "«Что у меня сегодня?»",
    ),
    "not_understood": (
        "Sorry, I didn't understand that. Try, for example: \"Remind me to call Ivan Petrov "
        'tomorrow at 11" or "Ivan Petrov wants a 3-bed in Limassol up to 500k".',
        "Извините, я не понял. Попробуйте, например: «Напомни позвонить Ивану Петрову завтра "
        "в 11» или «Иван Петров ищет трёшку в Лимассоле до 500 тысяч».",
    ),
    "out_of_scope": (
        "I can't help with that: I'm the brokerage's CRM copilot (clients, listings, deals, "
        "follow-ups, showings, matches and reports).",
        "С этим я не помогу: я помощник по CRM агентства (клиенты, объекты, сделки, "
        "напоминания, показы, подбор и отчёты).",
    ),
    "say_correction_in_full": (
        "Nothing changed. Tell me the change again in full, e.g. \"Move Ivan Petrov's call to "
        'Wednesday 18 March at 16:45".',
        "Ничего не изменено. Назовите изменение целиком, например «Перенеси звонок Ивану "
        "Петрову на среду 18 марта в 16:45».",
    ),
    "injection": (
        'I can\'t do that. Tell me one concrete change, e.g. "Move Ivan Petrov to viewing"; '
        'to keep this text, start it with "Note:".',
        "Так не могу. Назовите одно конкретное действие, например «Переведи Ивана Петрова на "
        "показы»; чтобы сохранить этот текст, начните его со слов «Заметка:».",
    ),
    "no_delete": (
        "I don't delete clients or deals: their history stays in the CRM. To stop working "
        "with someone, close the deal, e.g. \"Close Ivan Petrov's request as lost, reason: "
        'changed plans" or "Withdraw the listing, the owner changed his mind", and cancel '
        "their follow-ups.",
        "Клиентов и сделки я не удаляю: их история остаётся в CRM. Чтобы прекратить работу, "
        "закройте сделку, например «Закрой заявку Ивана Петрова как проигранную, причина: "
        "передумал» или «Сними объект с продажи, собственник передумал», и отмените "
        "напоминания.",
    ),
    "declined": ("OK, nothing changed.", "Хорошо, ничего не меняю."),
    "proposal_no": (
        "OK, I won't schedule it. Tell me another time whenever you like.",
        "Хорошо, не планирую. Скажите другое время, когда будет удобно.",
    ),
    "unavailable": (
        'I understood that as "{tool}", but that action isn\'t available right now.',
        "Я понял это как «{tool}», но сейчас это действие недоступно.",
    ),
    "gave_up": (
        "I still couldn't work it out, so I left it. Please say the whole request again.",
        "Я так и не понял, поэтому ничего не делаю. Повторите запрос целиком, пожалуйста.",
    ),
    "no_contact": (
        "I have no contact called '{name}'. Check the spelling, or register them as a new "
        "client (name and phone).",
        "Контакта «{name}» нет. Проверьте написание или добавьте нового клиента (имя и телефон).",
    ),
    "done": ("Done.", "Готово."),
    # Questions for a missing slot.
    "ask_when": ("When should it be? (e.g. tomorrow at 11)", "Когда? (например, завтра в 11)"),
    "still_open": ("Still open: {question}", "Ещё открыт вопрос: {question}"),
    # Why a date was not read (agent/offline/date_doubts.py).
    "no_such_date": ("“{text}” is not a date that exists.", "Такой даты нет: «{text}»."),
    "no_such_time": ("“{text}” is not a time of day.", "Такого времени нет: «{text}»."),
    "day_passed": (
        "“{text}” has already passed this year; say the date with its year if you mean next year.",
        "«{text}» в этом году уже прошло; если имеете в виду следующий год, укажите дату с годом.",
    ),
    "no_such_year": (
        "“{text}”: the year {year} looks like a typo.",
        "«{text}»: {year} год похож на опечатку.",
    ),
    "ask_today_or_next": (
        "Today or next week: {today} or {next}?",
        "Сегодня или на следующей неделе: {today} или {next}?",
    ),
    "ask_contact": ("Which client is it about?", "О каком клиенте речь?"),
    "ask_name": ("What is the client's full name?", "Как зовут клиента (имя и фамилия)?"),
    "ask_stage": (
        "Which stage should it go to?",
        "На какой этап перевести?",
    ),
    "ask_won_or_lost": (
        "Closed how: won, or lost (and why)?",
        "Как закрыта сделка: успешно или потеряна (и почему)?",
    ),
    "ask_lost_reason": (
        "Why was it lost: bought elsewhere, budget, changed plans, unresponsive, competitor "
        "or other?",
        "Почему потеряна: купил в другом месте, бюджет, изменились планы, не отвечает, "
        "конкурент или другое?",
    ),
    "ask_withdrawn_reason": (
        "Why is it withdrawn: changed mind, sold independently, unsatisfied with service or other?",
        "Почему снимаем: передумал, продал сам, недоволен сервисом или другое?",
    ),
    "ask_back_reason": (
        "Why does it go back a stage?",
        "Почему возвращаем на этап назад?",
    ),
    "ask_criteria": (
        "What is {name} looking for (type, area, budget, bedrooms)?",
        "Что ищет {name} (тип, район, бюджет, спальни)?",
    ),
    "ask_change": ("What should I change for {name}?", "Что изменить у {name}?"),
    "ask_new_price": (
        "What is the new price of {name}? (A percent off is not a commission.)",
        "Какая новая цена у {name}? (Скидка в процентах — это не комиссия.)",
    ),
    "ask_listing": (
        "Which listing? Give its id (like l-12) or part of the address.",
        "Какой объект? Укажите id (например, l-12) или часть адреса.",
    ),
    "ask_which": ("Which one do you mean: {options}?", "Кого вы имеете в виду: {options}?"),
    "ask_which_listing": ("Which listing: {options}?", "Какой объект: {options}?"),
    "ask_showing_listing": (
        "Which listing is the viewing of? (its id or address)",
        "Какой объект показываем? (номер или адрес)",
    ),
    "ask_query": ("Whom should I look for?", "Кого найти?"),
    "ask_outcome": (
        "How did the showing go (done, no-show or cancelled)?",
        "Как прошёл показ (состоялся, не пришёл, отменён)?",
    ),
    "ask_note": ("What should the note say?", "Что записать в заметку?"),
    "ask_question": ("What should I look for?", "Что поискать?"),
}


def say(key: str, language: str, **values: str) -> str:
    """The text `key` in the broker's language, with its placeholders filled."""
    en, ru = _TEXTS[key]
    text = ru if language == "ru" else en
    return text.format(**values) if values else text
