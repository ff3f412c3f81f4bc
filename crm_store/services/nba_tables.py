"""The seed's "Next Best Actions by Stage" tables (EN and RU) and the documents each stage owes."""

from __future__ import annotations

from dataclasses import dataclass

from crm_store.models import BuyerRequest, Listing
from crm_store.vocabulary import Side

Deal = Listing | BuyerRequest


@dataclass(frozen=True)
class StageAction:
    en: str
    ru: str
    impact: tuple[float, float]  # the seed's "+25-30%" as (0.25, 0.30)


@dataclass(frozen=True)
class Detail:
    """One concrete point of an action, in both languages; kind says what it is about."""

    kind: str  # missed | gap | listings | document | data | feedback
    en: str
    ru: str

    def text(self, language: str = "en") -> str:
        return self.ru if language == "ru" else self.en


def _a(en: str, ru: str, low: int, high: int) -> StageAction:
    return StageAction(en, ru, (low / 100, high / 100))


ACTIONS: dict[Side, dict[str, StageAction]] = {
    Side.SELLER: {
        "prospect": _a("Search potential sellers, first contact, present services",
                       "Найти продавца, первый контакт, презентация услуг", 15, 20),
        "contacted": _a("Detailed consultation, demonstrate expertise",
                        "Подробная консультация, демонстрация экспертизы", 20, 25),
        "agreement_signed": _a("Prepare listing, professional photoshoot, legal review",
                               "Подготовить объект, профессиональная фотосъёмка, "
                               "юридическая проверка", 25, 30),
        "active_listing": _a("Organize showings, collect feedback, adjust strategy, match with "
                             "buyers", "Организовать показы, собрать отзывы, скорректировать "
                             "стратегию, подобрать покупателей", 25, 40),
        "sold": _a("Negotiate price, coordinate lawyers, close deal",
                   "Согласовать цену, координировать юристов, закрыть сделку", 40, 50),
        "commission_payment": _a("Complete documentation, confirm payment",
                                 "Завершить документы, подтвердить оплату", 40, 50),
        "closed_won": _a("Archive documents, final report, request review",
                         "Архивировать документы, итоговый отчёт, попросить отзыв", 40, 50),
        "withdrawn": _a("Document reason, analyze failure, plan reactivation",
                        "Зафиксировать причину, разобрать неудачу, спланировать возврат",
                        10, 20),
    },
    Side.BUYER: {
        "qualification": _a("Create opportunity from lead, initial assessment",
                            "Создать сделку из лида, первичная оценка", 10, 20),
        "demand_research": _a("Discovery call, budget analysis, auto property selection",
                              "Выявление потребностей, анализ бюджета, автоподбор объектов",
                              20, 30),
        "viewing": _a("Create Curated List, plan showings, generate PDF brochure",
                      "Составить подборку, спланировать показы, подготовить PDF-брошюру",
                      15, 30),
        "decision": _a("Discuss final options, address objections, involve team",
                       "Обсудить финальные варианты, снять возражения, подключить команду",
                       20, 35),
        "signing": _a("Prepare contract, coordinate legal services",
                      "Подготовить договор, координировать юристов", 30, 40),
        "payment": _a("Control financial transactions, final price corrections",
                      "Контроль платежей, финальная корректировка цены", 25, 45),
        "closed_won": _a("Fix final price, document successful closing",
                         "Зафиксировать итоговую цену, оформить успешное закрытие", 45, 50),
        "closed_lost": _a("Analyze loss reason, document competitor, plan re-contact",
                          "Разобрать причину потери, записать конкурента, запланировать "
                          "повторный контакт", 10, 20),
    },
}  # fmt: skip

# With suitable listings in hand, the seed's buyer card reads "Schedule showing, from
# identified suitable properties".
SHOWING_HEADLINE = {
    "demand_research": ("Schedule showing, from identified suitable properties",
                        "Назначить показ подобранных подходящих объектов"),
}  # fmt: skip

# The artifact each stage is waiting for (the seed's "Artifacts" column).
DOCUMENTS: dict[Side, dict[str, tuple[str, str]]] = {
    Side.SELLER: {
        "prospect": ("initial property assessment", "первичная оценка объекта"),
        "contacted": ("listing agreement to sign, comparative market analysis",
                      "договор на продажу к подписанию, сравнительный анализ рынка"),
        "agreement_signed": ("listing photos and description", "фото и описание объекта"),
        "active_listing": ("showing reports and buyer feedback", "отчёты о показах и отзывы"),
        "sold": ("signed purchase contract, payment confirmation",
                 "подписанный договор купли-продажи, подтверждение оплаты"),
        "commission_payment": ("completed work act, commission payment confirmation",
                               "акт выполненных работ, подтверждение оплаты комиссии"),
        "closed_won": ("full document package, final report",
                       "полный пакет документов, итоговый отчёт"),
    },
    Side.BUYER: {
        "qualification": ("initial assessment: budget, location, timeline",
                          "первичная оценка: бюджет, локация, срок"),
        "demand_research": ("confirmed budget and financing",
                            "подтверждённый бюджет и финансирование"),
        "viewing": ("Curated List and PDF brochure", "подборка и PDF-брошюра"),
        "decision": ("offer or reservation terms", "предложение или условия резерва"),
        "signing": ("purchase contract with legal review",
                    "договор купли-продажи с юридической проверкой"),
        "payment": ("payment confirmation, confirmed commission",
                    "подтверждение оплаты, подтверждённая комиссия"),
        "closed_won": ("closing documents with the final price",
                       "документы закрытия с итоговой ценой"),
    },
}  # fmt: skip


def pending_document(deal: Deal) -> Detail | None:
    side = Side.SELLER if isinstance(deal, Listing) else Side.BUYER
    pair = DOCUMENTS[side].get(deal.stage)
    if pair is None:
        return None
    return Detail("document", f"Pending document: {pair[0]}", f"Ожидается документ: {pair[1]}")


def data_gaps(deal: Deal) -> list[Detail]:
    """Facts the stage needs that the deal does not have yet."""
    missing: list[tuple[str, str]] = []
    if isinstance(deal, Listing):
        if deal.stage in ("agreement_signed", "active_listing"):
            if deal.price is None:
                missing.append(("price", "цена"))
            if not deal.description:
                missing.append(("description", "описание"))
        if deal.stage == "withdrawn" and not deal.withdrawn_reason:
            missing.append(("withdrawal reason", "причина снятия"))
    else:
        if deal.stage in ("qualification", "demand_research"):
            if deal.budget_max is None and deal.budget_min is None:
                missing.append(("budget", "бюджет"))
            if not deal.cities and not deal.districts:
                missing.append(("location", "локация"))
            if deal.timeline_months is None:
                missing.append(("timeline", "срок"))
        if deal.stage in ("demand_research", "viewing", "decision") and deal.financing == "unknown":
            missing.append(
                ("financing (cash or mortgage)", "финансирование (наличные или ипотека)")
            )
        if deal.stage == "closed_lost" and not deal.lost_reason:
            missing.append(("loss reason", "причина потери"))
    if not missing:
        return []
    return [
        Detail(
            "data",
            "Missing: " + ", ".join(en for en, _ in missing),
            "Не хватает: " + ", ".join(ru for _, ru in missing),
        )
    ]
