"""What brokers write: follow-up purposes and outcomes, showing feedback, notes — in EN and RU."""

from __future__ import annotations

import random
from collections.abc import Mapping

# Follow-up purposes by stage; {name} is the client's first name, {district} a place.
PURPOSES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "prospect": ("Call {name} to introduce our services", "Ask {name} about selling plans"),
        "contacted": (
            "Send {name} the market analysis for {district}",
            "Follow up on the valuation with {name}",
        ),
        "agreement_signed": (
            "Book the photoshoot with {name}",
            "Collect title deed copy from {name}",
        ),
        "active_listing": (
            "Update {name} on viewings and feedback",
            "Discuss a price adjustment with {name}",
            "Weekly report to {name}: portal views and showings",
        ),
        "sold": ("Check with {name} that the lawyers have the contract",),
        "commission_payment": ("Confirm the commission invoice with {name}",),
        "qualification": (
            "First call with {name}: budget and timing",
            "Qualify {name}: cash or mortgage?",
        ),
        "demand_research": (
            "Send {name} a first selection in {district}",
            "Discovery call with {name} about must-haves",
        ),
        "viewing": (
            "Agree showing times with {name}",
            "Send {name} two new options in {district}",
            "Get {name}'s feedback on yesterday's showings",
        ),
        "decision": ("Call {name} about the offer", "Answer {name}'s questions on the contract"),
        "signing": ("Send {name} the draft contract from the lawyer",),
        "payment": ("Check {name}'s deposit transfer",),
        "nurturing": (
            "Monthly check-in with {name}: new listings in {district}",
            "Send {name} the monthly market update",
        ),
        "withdrawn": ("Ask {name} whether to put the property back on the market",),
        "closed_lost": ("Check in with {name}: still looking?",),
    },
    "ru": {
        "prospect": (
            "{name}: позвонить, рассказать о наших услугах",
            "{name}: узнать планы по продаже",
        ),
        "contacted": (
            "{name}: отправить анализ рынка, район {district}",
            "{name}: обсудить оценку",
        ),
        "agreement_signed": ("{name}: договориться о фотосессии", "{name}: взять копию титула"),
        "active_listing": ("{name}: отчёт по показам и отзывам", "{name}: обсудить снижение цены"),
        "sold": ("{name}: проверить, что договор у юристов",),
        "commission_payment": ("{name}: подтвердить счёт на комиссию",),
        "qualification": (
            "{name}: первый звонок, бюджет и сроки",
            "{name}: уточнить, наличные или ипотека",
        ),
        "demand_research": (
            "{name}: отправить первую подборку, район {district}",
            "{name}: созвониться, уточнить пожелания",
        ),
        "viewing": (
            "{name}: согласовать время показов",
            "{name}: отправить два новых варианта",
            "{name}: узнать впечатления от показов",
        ),
        "decision": (
            "{name}: обсудить предложение по цене",
            "{name}: ответить на вопросы по договору",
        ),
        "signing": ("{name}: отправить проект договора от юриста",),
        "payment": ("{name}: проверить перевод задатка",),
        "nurturing": ("{name}: ежемесячный звонок, новые объекты", "{name}: отправить обзор рынка"),
        "withdrawn": ("{name}: узнать, не вернуть ли объект в продажу",),
        "closed_lost": ("{name}: узнать, ищут ли ещё",),
    },
}
BUYER_OUTCOMES = {
    "en": (
        "Spoke, wants two more options",
        "No answer, sent a WhatsApp message",
        "Agreed to meet next week",
        "Sent the selection by e-mail, they will review",
        "Client travelling, call back later",
        "Asked for a lower price on the favourite, will think",
        "Mortgage pre-approval received",
    ),
    "ru": (
        "Поговорили, просит ещё два варианта",
        "Не ответил, написал в WhatsApp",
        "Договорились встретиться на следующей неделе",
        "Отправил подборку, посмотрят",
        "Клиент в отъезде, перезвонить позже",
        "Просят скидку по понравившемуся, подумают",
        "Ипотеку предварительно одобрили",
    ),
}
SELLER_OUTCOMES = {
    "en": (
        "Sent the weekly report, owner happy",
        "Owner agrees to review the price next month",
        "No answer, left a voicemail",
        "Title deed copy received",
        "Photoshoot date agreed",
        "Owner asks for more portal exposure",
    ),
    "ru": (
        "Отправил отчёт за неделю, собственник доволен",
        "Собственник готов пересмотреть цену через месяц",
        "Не ответил, оставил сообщение",
        "Копию титула получили",
        "Договорились о дате фотосессии",
        "Собственник просит больше рекламы на порталах",
    ),
}
LIKED = {
    "en": (
        "Loved the {feature}",
        "Liked the layout and the light",
        "Great location for them",
        "Wife loved the kitchen",
        "Best so far, wants a second viewing",
    ),
    "ru": (
        "Очень понравилось: {feature}",
        "Понравилась планировка и свет",
        "Локация подходит",
        "Жене понравилась кухня",
        "Лучший вариант, хотят посмотреть ещё раз",
    ),
}
NEUTRAL = {
    "en": (
        "OK but a bit small",
        "Nice, but over budget",
        "Fine, will compare with the others",
        "Good area, but needs renovation",
    ),
    "ru": (
        "Нормально, но маловато",
        "Хорошо, но дороговато",
        "Сравнят с другими",
        "Район хороший, но нужен ремонт",
    ),
}
DISLIKED = {
    "en": (
        "Too close to the main road",
        "Kitchen too small",
        "Did not like the area",
        "Too dark, north facing",
        "Noisy neighbours",
    ),
    "ru": (
        "Слишком близко к дороге",
        "Маленькая кухня",
        "Не понравился район",
        "Темно, окна на север",
        "Шумно",
    ),
}
FEATURE_WORDS = {
    "en": {
        "sea_view": "sea view",
        "pool": "pool",
        "private_pool": "private pool",
        "garden": "garden",
        "roof_garden": "roof terrace",
        "balcony": "balcony",
        "jacuzzi": "jacuzzi",
        "fireplace": "fireplace",
    },
    "ru": {
        "sea_view": "вид на море",
        "pool": "бассейн",
        "private_pool": "бассейн",
        "garden": "сад",
        "roof_garden": "терраса на крыше",
        "balcony": "балкон",
        "jacuzzi": "джакузи",
        "fireplace": "камин",
    },
}
NEXT_STEPS = {
    "en": (
        "Send two more options in the same area",
        "Second viewing on Saturday",
        "Prepare an offer on the favourite",
        "Check mortgage pre-approval",
    ),
    "ru": (
        "Отправить ещё два варианта в том же районе",
        "Повторный показ в субботу",
        "Подготовить предложение по понравившемуся",
        "Проверить одобрение ипотеки",
    ),
}
FIRST_MEETING_STEPS = {
    "en": (
        "Send a first selection of five listings",
        "Plan a viewing day next week",
        "Ask for proof of funds",
    ),
    "ru": (
        "Отправить первую подборку из пяти объектов",
        "Запланировать день показов на следующей неделе",
        "Запросить подтверждение средств",
    ),
}
NO_SHOW_STEP = {
    "en": "Client did not come; call to reschedule",
    "ru": "Клиент не пришёл; перезвонить и перенести",
}
SELLER_MEETINGS = {
    "en": ("Valuation visit at the property", "Sign the listing agreement", "Photoshoot"),
    "ru": ("Оценка объекта на месте", "Подписание договора на продажу", "Фотосессия"),
}
BUYER_INTAKE = {
    "en": (
        "{name} called from the portal ad. Budget around {budget}, looking in {district}.",
        "Met {name} at the office. {wishes}",
        "{name} enquired through the website: {budget} max, area {district}. {wishes}",
    ),
    "ru": (
        "{name}: звонок по объявлению. Бюджет около {budget}, район {district}.",
        "{name}: встреча в офисе. {wishes}",
        "{name}: заявка с сайта, до {budget}, район {district}. {wishes}",
    ),
}
BUYER_INTAKE_TIMELINE = {
    "en": "Referral from a past client. {name} is relocating with family, timing {timeline}.",
    "ru": "{name}: по рекомендации, переезд с семьёй, сроки {timeline}.",
}
SELLER_INTAKE = {
    "en": (
        "{name} wants to sell, expects about {price}. Property in {district}.",
        "Valuation request from {name} ({district}). Owner hopes for {price}, flexible on timing.",
        "{name} inherited the property in {district}; wants a quick sale, around {price}.",
        "{name} is upgrading to a bigger home and needs to sell first. Asking {price}.",
    ),
    "ru": (
        "{name}: хочет продать, ожидает около {price}. Объект, район {district}.",
        "{name}: запрос на оценку, район {district}. Рассчитывает на {price}, по срокам гибко.",
        "{name}: продаёт, чтобы купить побольше, просит {price}.",
    ),
}
DICTATED_NOTES = {
    "en": (
        "ok so just left the showing with {name} they liked the one in {district} "
        "but the kitchen is small, call them Thursday",
        "note for {name} uh budget can stretch a bit if it has a sea view, "
        "send the new ones tomorrow morning",
        "spoke with {name} on the phone they are back in Cyprus next month, "
        "want to see three or four places in one day",
    ),
    "ru": (
        "так, только что с показа, {name}, понравилась квартира, район {district}, "
        "но кухня маленькая, перезвонить в четверг",
        "заметка, {name}, бюджет могут немного поднять если будет вид на море, "
        "отправить новые варианты завтра утром",
        "созвонились, {name}, прилетают в следующем месяце, хотят посмотреть "
        "три-четыре объекта за один день",
    ),
}
SHOWING_NOTES = {
    "en": (
        "Showed {name} {count} properties. Favourite: the one in {district}.",
        "{name} wants a second viewing; asked about common expenses.",
    ),
    "ru": (
        "{name}: показали {count} объекта, больше всего понравился район {district}.",
        "{name}: хотят повторный показ, спрашивали про коммунальные платежи.",
    ),
}
LISTING_NOTES = {
    "en": (
        "Photos done, listing live on Bazaraki and our website.",
        "Seller agreed to keep the price for another month, then review.",
        "Two agents called about the property; told them it is ours exclusively.",
    ),
    "ru": (
        "Фото готовы, объявление на Bazaraki и на сайте.",
        "Продавец согласен держать цену ещё месяц, потом пересмотрим.",
        "Звонили два агента по объекту, сказал что у нас эксклюзив.",
    ),
}
REACTIVATION_REASON = {"en": "Seller is back on the market", "ru": "Продавец снова продаёт"}
REOPEN_REASON = {"en": "Client came back, searching again", "ru": "Клиент вернулся к поиску"}


def pick(rng: random.Random, bank: Mapping[str, tuple[str, ...]], language: str) -> str:
    return rng.choice(bank.get(language, bank["en"]))


def first_name(full_name: str) -> str:
    return full_name.split(" ", 1)[0]
