"""What to suggest when a message is not understood: a phrasing of the request it came
closest to ("Did you mean…? Try: «Which listings fit Ivan Petrov?»"), never a guessed action."""

from __future__ import annotations

# intent → (what it does, an example) in English, then in Russian.
_EXAMPLES: dict[str, tuple[str, str, str, str]] = {
    "register_contact": (
        "add a client",
        "New client Elena Kuznetsova +357 99 123456, wants a villa in Paphos",
        "добавить клиента",
        "Новый клиент Елена Кузнецова +357 99 123456, ищет виллу в Пафосе",
    ),
    "update_contact": (
        "change a client's details",
        "Ivan Petrov's new number is +357 99 123456",
        "изменить данные клиента",
        "У Ивана Петрова новый номер +357 99 123456",
    ),
    "find_contacts": (
        "find a contact",
        "What's Ivan Petrov's phone?",
        "найти контакт",
        "Какой телефон у Ивана Петрова?",
    ),
    "save_listing": (
        "change a listing",
        "Reduce the price of l-12 to 480k",
        "изменить объект",
        "Снизь цену l-12 до 480 тысяч",
    ),
    "save_buyer_request": (
        "update what a buyer wants",
        "Ivan Petrov wants a 3-bed in Limassol up to 500k",
        "обновить запрос покупателя",
        "Иван Петров ищет 3 спальни в Лимассоле до 500 тысяч",
    ),
    "move_stage": (
        "move a deal",
        "Move Ivan Petrov to viewing",
        "перевести сделку",
        "Переведи Ивана Петрова на этап показов",
    ),
    "schedule_follow_up": (
        "schedule a follow-up",
        "Remind me to call Ivan Petrov tomorrow at 11",
        "запланировать контакт",
        "Напомни позвонить Ивану Петрову завтра в 11",
    ),
    "complete_follow_up": (
        "log a call you made",
        "Called Ivan Petrov, he will think it over",
        "отметить звонок",
        "Позвонил Ивану Петрову, он подумает",
    ),
    "reschedule_follow_up": (
        "move a follow-up",
        "Move my call with Ivan Petrov to Friday at 3pm",
        "перенести контакт",
        "Перенеси звонок Ивану Петрову на пятницу в 15:00",
    ),
    "cancel_follow_up": (
        "cancel a follow-up",
        "Cancel the call with Ivan Petrov",
        "отменить контакт",
        "Отмени звонок Ивану Петрову",
    ),
    "agenda": ("see your day", "What's on today?", "посмотреть план", "Что у меня сегодня?"),
    "book_appointment": (
        "book a showing",
        "Book Ivan Petrov a viewing of l-12 on Saturday at 11",
        "записать на показ",
        "Запиши Ивана Петрова на показ l-12 в субботу в 11",
    ),
    "reschedule_appointment": (
        "move a showing",
        "Move Ivan Petrov's showing to Friday at 17:00",
        "перенести показ",
        "Перенеси показ Ивана Петрова на пятницу на 17:00",
    ),
    "record_appointment": (
        "record how a showing went",
        "Ivan Petrov liked l-12 but not l-7",
        "записать итоги показа",
        "Ивану Петрову понравился l-12, а l-7 нет",
    ),
    "log_note": (
        "save a note",
        "Note for Ivan Petrov: wants a sea view",
        "сохранить заметку",
        "Заметка по Ивану Петрову: хочет вид на море",
    ),
    "client_card": (
        "see a client's card",
        "Show me Ivan Petrov's card",
        "открыть карточку клиента",
        "Карточка Ивана Петрова",
    ),
    "match_listings": (
        "find listings for a buyer",
        "Which listings fit Ivan Petrov?",
        "подобрать объекты покупателю",
        "Какие объекты подходят Ивану Петрову?",
    ),
    "curated_list": (
        "make a curated list",
        "Curated list for Ivan Petrov as a PDF",
        "собрать подборку",
        "Сделай подборку для Ивана Петрова в PDF",
    ),
    "match_buyers": (
        "find buyers for a listing",
        "Who would buy l-12?",
        "найти покупателей на объект",
        "Кому подойдёт l-12?",
    ),
    "explain_match": (
        "see why a listing fits a buyer",
        "Why does l-12 fit Ivan Petrov?",
        "понять, почему объект подходит",
        "Почему l-12 подходит Ивану Петрову?",
    ),
    "recall": (
        "recall what a client said",
        "What did Ivan Petrov say about schools?",
        "вспомнить, что говорил клиент",
        "Что Иван Петров говорил про школы?",
    ),
    "pipeline_report": (
        "get a report",
        "Revenue vs plan this month",
        "получить отчёт",
        "Выручка против плана за месяц",
    ),
}


def suggestion(intents: list[str], language: str) -> str | None:
    """ "Sorry, I didn't understand. If you meant to …, try: "…"" for the closest intents
    (one or two, best first); None when none has an example."""
    examples = [_EXAMPLES[intent] for intent in intents if intent in _EXAMPLES]
    if not examples:
        return None
    if language == "ru":
        options = "; или ".join(f"{e[2]} — «{e[3]}»" for e in examples)
        return f"Извините, я не понял. Если вы хотели {options}, скажите так."
    options = "; or to ".join(f'{e[0]}, try: "{e[1]}"' for e in examples)
    return f"Sorry, I didn't understand that. If you meant to {options}."
