"""Contact tools: register a client (with their deal in the same step), find, update."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from pydantic import Field

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.services import contacts as contact_service
from crm_store.services import deals as deal_service
from crm_store.services.phones import format_phone
from tools import resolve
from tools.base import ToolArgs, run_tool
from tools.confirm import MoneyChange, checks_money, plausible_only
from tools.deals import new_listing_price, new_request_budget
from tools.deps import ToolDeps
from tools.render import listing_line, request_line, say
from tools.schemas import BuyerCriteria, PropertyFacts


class RegisterContactArgs(ToolArgs):
    full_name: str
    phones: list[str] = []
    emails: list[str] = []
    language: str | None = Field(None, description="en|ru")
    source: str | None = Field(
        None, description="referral|portal|website|social|call|walk_in|other"
    )
    buyer: BuyerCriteria | None = Field(
        None, description="if buying: fields as in save_buyer_request"
    )
    seller: PropertyFacts | None = Field(None, description="if selling: fields as in save_listing")
    new_despite_duplicate: bool = Field(False, description="only after the broker confirms")


@tool("register_contact", args_schema=RegisterContactArgs)
def register_contact(
    full_name: str,
    phones: list[str] | None = None,
    emails: list[str] | None = None,
    language: str | None = None,
    source: str | None = None,
    buyer: BuyerCriteria | None = None,
    seller: PropertyFacts | None = None,
    new_despite_duplicate: bool = False,
    deps: ToolDeps | None = None,
) -> str:
    """Register a new client; optionally their buyer request or listing in the same step."""

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        # A number or address that cannot be stored is reported; the client is registered.
        kept_phones, bad_phones = contact_service.usable_phones(phones or [])
        kept_emails, bad_emails = contact_service.usable_emails(emails or [])
        contact = contact_service.create_contact(
            ctx,
            full_name=full_name,
            phones=kept_phones,
            emails=kept_emails,
            language=language,
            source=source or "other",
            allow_duplicate=new_despite_duplicate,
        )
        lines = [
            say(lang, "Registered ", "Добавлен контакт ") + contact_service.contact_label(contact)
        ]
        lines.extend(_not_saved(lang, bad_phones, bad_emails))
        if buyer is not None:
            request = deal_service.create_buyer_request(ctx, buyer_id=contact.id, **buyer.given())
            lines.append(
                say(lang, "Buyer request ", "Заявка ") + request_line(request, contact, lang)
            )
        if seller is not None:
            facts = seller.given()
            listing = deal_service.create_listing(
                ctx,
                seller_id=contact.id,
                property_type=facts.pop("property_type", None) or "apartment",
                **facts,
            )
            lines.append(say(lang, "Listing ", "Объект ") + listing_line(listing, lang))
        return "\n".join(lines)

    asked = {"full_name": full_name, "buyer": buyer, "seller": seller}
    return run_tool(deps, plausible_only(deps, _registration_money, asked, work))


class FindContactsArgs(ToolArgs):
    query: str = Field(description="name (any spelling), phone or e-mail")


@tool("find_contacts", args_schema=FindContactsArgs)
def find_contacts(query: str, deps: ToolDeps | None = None) -> str:
    """Look up the broker's clients by name, phone or e-mail."""

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        found = contact_service.find_contacts(ctx, query=query, limit=5)
        if not found:
            return say(lang, f"No contact matches '{query}'.", f"Контакт «{query}» не найден.")
        return "\n".join(_contact_details(c) for c, _ in found)

    return run_tool(deps, work)


def _contact_details(contact: Any) -> str:
    phones = ", ".join(format_phone(str(p)) for p in contact.phones)
    emails = ", ".join(str(e) for e in contact.emails)
    extra = "; ".join(x for x in (phones, emails) if x)
    return f"{contact.id} {contact.full_name}" + (f" — {extra}" if extra else "")


class UpdateContactArgs(ToolArgs):
    contact: str = Field(description="name, phone or id")
    full_name: str | None = None
    add_phones: list[str] = []
    add_emails: list[str] = []
    language: str | None = None
    tags: list[str] | None = None


@tool("update_contact", args_schema=UpdateContactArgs)
def update_contact(
    contact: str,
    full_name: str | None = None,
    add_phones: list[str] | None = None,
    add_emails: list[str] | None = None,
    language: str | None = None,
    tags: list[str] | None = None,
    deps: ToolDeps | None = None,
) -> str:
    """Correct a client's name or add phones/e-mails."""

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        target = resolve.contact(ctx, contact)
        kept_phones, bad_phones = contact_service.usable_phones(add_phones or [])
        kept_emails, bad_emails = contact_service.usable_emails(add_emails or [])
        asked_else = full_name is not None or language is not None or tags is not None
        if (bad_phones or bad_emails) and not (kept_phones or kept_emails or asked_else):
            raise (bad_phones or bad_emails)[0]  # nothing else was asked: nothing is done
        updated = contact_service.update_contact(
            ctx,
            contact_id=target.id,
            full_name=full_name,
            add_phones=kept_phones,
            add_emails=kept_emails,
            language=language,
            tags=tags,
        )
        lines = [say(lang, "Updated ", "Обновлено: ") + _contact_details(updated)]
        lines.extend(_not_saved(lang, bad_phones, bad_emails))
        return "\n".join(lines)

    return run_tool(deps, work)


def _not_saved(
    language: str, bad_phones: list[InvalidInput], bad_emails: list[InvalidInput]
) -> list[str]:
    """One line per phone or e-mail left out, saying why."""
    phone = say(language, "The phone was not saved: ", "Телефон не сохранён: ")
    email = say(language, "The e-mail was not saved: ", "E-mail не сохранён: ")
    return [phone + e.message(language) for e in bad_phones] + [
        email + e.message(language) for e in bad_emails
    ]


def _registration_money(ctx: Ctx, args: dict[str, Any]) -> list[MoneyChange]:
    """register_contact: the new request's budget and the new listing's price."""
    name = str(args.get("full_name") or "").strip()
    changes: list[MoneyChange] = []
    buyer, seller = _given(args.get("buyer")), _given(args.get("seller"))
    if buyer:
        changes.extend(new_request_budget(name, buyer))
    if seller and seller.get("price") is not None:
        changes.append(new_listing_price(name, seller["price"]))
    return changes


def _given(value: Any) -> dict[str, Any]:
    """The fields of a nested argument, as the model sent them or as the schema parsed them."""
    if isinstance(value, BuyerCriteria | PropertyFacts):
        return value.given()
    return dict(value) if isinstance(value, dict) else {}


checks_money(register_contact, _registration_money)
# The model learns these objects' fields from save_buyer_request and save_listing.
register_contact.metadata = {
    **(register_contact.metadata or {}),
    "brief_fields": ("buyer", "seller"),
}
find_contacts.metadata = {"read_only": True}
TOOLS = [register_contact, find_contacts, update_contact]
