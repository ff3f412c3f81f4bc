"""Contacts: register without duplicates, update, and find a client by name, phone or email."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from crm_store.context import Ctx
from crm_store.errors import (
    AlreadyExists,
    Ambiguous,
    DuplicateContact,
    Forbidden,
    InvalidInput,
    NotFound,
)
from crm_store.models import Contact
from crm_store.repositories import people
from crm_store.repositories.base import add, record
from crm_store.services import permissions
from crm_store.services.names import key_similarity, latin_key, rank_keys, spelling_key
from crm_store.services.phones import format_phone, normalize_phone, try_normalize_phone
from crm_store.vocabulary import LANGUAGES, SOURCES

# Two names are the same person at or above this (names.key_similarity, 0–100). The same name
# in either script or case scores 100, a full name inside a longer one (with patronymic) 95, a
# one-letter slip ("Petrof") ~91, a first name alone against a full name exactly 90, another
# surname ("Ivan Petrov" / "Ivan Sidorov") ~70: just above 90 flags the same person however
# spelt, but not a shared first name.
DUPLICATE_NAME_SCORE = 90.5
# Resolving a name: candidates must score at least this; the best one must lead the next by
# RESOLVE_MARGIN, or be the only exact match, to be picked without asking.
RESOLVE_MIN_SCORE = 80.0
RESOLVE_MARGIN = 5.0
# Suggestions ("did you mean") below the resolving bar.
SUGGEST_MIN_SCORE = 60.0

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_REASON_ORDER = {"phone": 0, "email": 1, "name": 2}


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing contact that looks like the one being registered, and why."""

    contact: Contact
    reason: str  # "phone" | "email" | "name"
    score: float


def contact_label(contact: Contact) -> str:
    """How a broker recognises a contact in a list: "Ivan Petrov (c-12, +357 99 123456)"."""
    detail = [contact.id]
    if contact.phones:
        detail.append(format_phone(str(contact.phones[0])))
    elif contact.emails:
        detail.append(str(contact.emails[0]))
    return f"{contact.full_name} ({', '.join(detail)})"


def _scope(ctx: Ctx, owner_ids: Collection[str] | None = None) -> set[str] | None:
    """The owners searched: those asked for, within what the actor may read."""
    visible = permissions.visible_owner_ids(ctx)
    if owner_ids is None:
        return visible
    asked = set(owner_ids)
    return asked if visible is None else asked & visible


def _phones(raw: Iterable[str], *, strict: bool) -> list[str]:
    out: list[str] = []
    for value in raw:
        phone = normalize_phone(value) if strict else try_normalize_phone(value)
        if phone and phone not in out:
            out.append(phone)
    return out


def usable_phones(raw: Iterable[str]) -> tuple[list[str], list[InvalidInput]]:
    """The numbers that can be stored (E.164, no repeats) and why each other one cannot: a bad
    number is reported while the rest of the registration or update goes ahead."""
    kept: list[str] = []
    problems: list[InvalidInput] = []
    for value in raw:
        try:
            phone = normalize_phone(value)
        except InvalidInput as error:
            problems.append(error)
            continue
        if phone not in kept:
            kept.append(phone)
    return kept, problems


def usable_emails(raw: Iterable[str]) -> tuple[list[str], list[InvalidInput]]:
    """As usable_phones, for e-mail addresses."""
    kept: list[str] = []
    problems: list[InvalidInput] = []
    for value in raw:
        try:
            kept.extend(e for e in _emails([value], strict=True) if e not in kept)
        except InvalidInput as error:
            problems.append(error)
    return kept, problems


def _emails(raw: Iterable[str], *, strict: bool) -> list[str]:
    out: list[str] = []
    for value in raw:
        email = value.strip().lower()
        if not _EMAIL.match(email):
            if strict:
                raise InvalidInput(
                    f"'{value}' is not an e-mail address; write it like name@example.com.",
                    f"«{value}» — не адрес электронной почты; пример: name@example.com.",
                    field="email",
                    value=value,
                )
            continue
        if email not in out:
            out.append(email)
    return out


def _stored_phones(contact: Contact) -> set[str]:
    # Imported rows may hold numbers as typed: compare them normalised too.
    return {try_normalize_phone(str(p)) or str(p) for p in contact.phones or []}


def find_duplicates(
    ctx: Ctx,
    *,
    full_name: str | None = None,
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    owner_ids: Collection[str] | None = None,
) -> list[DuplicateMatch]:
    """Readable contacts sharing a phone or e-mail, or with (nearly) the same name."""
    scope = _scope(ctx, owner_ids)
    wanted_phones = _phones(phones, strict=False)
    wanted_emails = _emails(emails, strict=False)
    found: dict[str, DuplicateMatch] = {}

    def keep(contact: Contact, reason: str, score: float) -> None:
        current = found.get(contact.id)
        if current is None or _REASON_ORDER[reason] < _REASON_ORDER[current.reason]:
            found[contact.id] = DuplicateMatch(contact=contact, reason=reason, score=score)

    for contact in people.contacts_with_phones(ctx.session, wanted_phones, scope):
        if _stored_phones(contact) & set(wanted_phones):
            keep(contact, "phone", 100.0)
    for contact in people.contacts_with_emails(ctx.session, wanted_emails, scope):
        if {str(e).lower() for e in contact.emails or []} & set(wanted_emails):
            keep(contact, "email", 100.0)
    if full_name and full_name.strip():
        keys = _name_keys(ctx, scope)
        ranked = rank_keys(latin_key(full_name), keys, limit=None, cutoff=DUPLICATE_NAME_SCORE)
        scores = dict(ranked)
        for contact in people.contacts_by_ids(ctx.session, list(scores)):
            keep(contact, "name", scores[contact.id])
    return sorted(found.values(), key=lambda m: (_REASON_ORDER[m.reason], -m.score, m.contact.id))


def _name_keys(ctx: Ctx, scope: set[str] | None) -> dict[str, str]:
    """id → latin key of every contact in scope (memoised across calls).

    Stored names are in the nominative already, so they skip the morphology.
    """
    return {cid: spelling_key(name) for cid, name in people.contact_names(ctx.session, scope)}


def _validated(language: str | None, source: str | None) -> None:
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(
            f"Language '{language}' is not supported; use one of: {', '.join(LANGUAGES)}.",
            f"Язык «{language}» не поддерживается; используйте: {', '.join(LANGUAGES)}.",
            field="language",
        )
    if source is not None and source not in SOURCES:
        raise InvalidInput(
            f"Source '{source}' is unknown; use one of: {', '.join(SOURCES)}.",
            f"Источник «{source}» неизвестен; используйте: {', '.join(SOURCES)}.",
            field="source",
        )


def _clean_name(full_name: str) -> str:
    name = " ".join((full_name or "").split())
    if not name:
        raise InvalidInput(
            "A contact needs a name; give at least the first name.",
            "У контакта должно быть имя; укажите хотя бы имя.",
            field="full_name",
        )
    return name


def _clean_tags(tags: Iterable[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())
        if tag and tag not in out:
            out.append(tag)
    return out


def create_contact(
    ctx: Ctx,
    *,
    full_name: str,
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    language: str | None = None,
    source: str = "other",
    tags: Iterable[str] = (),
    allow_duplicate: bool = False,
) -> Contact:
    """Register the actor's new client, refusing a likely duplicate unless confirmed.

    The same registration again (a contact with this phone) is refused as already there, and
    a confirmation does not make a second contact with the same name and phone."""
    permissions.ensure_identified(ctx)
    if ctx.actor.broker_id is None:
        raise Forbidden(
            "Contacts belong to a broker: act as one (e.g. `copilot chat --as NAME`) to add one.",
            "Контакт принадлежит брокеру: действуйте от имени брокера (`copilot chat --as ИМЯ`).",
        )
    name = _clean_name(full_name)
    clean_phones = _phones(phones, strict=True)
    clean_emails = _emails(emails, strict=True)
    _validated(language, source)
    matches = find_duplicates(ctx, full_name=name, phones=clean_phones, emails=clean_emails)
    same_phone = [m.contact for m in matches if m.reason == "phone"]
    same_person = [c for c in same_phone if _same_name(name, c.full_name)]
    if same_person or (same_phone and not allow_duplicate):
        raise _already_registered(name, same_person or same_phone, named=bool(same_person))
    if matches and not allow_duplicate:
        raise _duplicate_error(matches)
    contact = Contact(
        owner=ctx.actor.broker_id,
        full_name=name,
        phones=clean_phones,
        emails=clean_emails,
        language=language,
        source=source,
        tags=_clean_tags(tags),
        created_at=ctx.now(),
    )
    return add(ctx, contact)


def _same_name(asked: str, stored: str) -> bool:
    return key_similarity(latin_key(asked), spelling_key(stored)) >= DUPLICATE_NAME_SCORE


def _already_registered(name: str, found: list[Contact], *, named: bool) -> AlreadyExists:
    """The contact asked for is there already (same phone): name it, make nothing new."""
    labels = "; ".join(contact_label(c) for c in found)
    ids = ", ".join(c.id for c in found)
    existing = [(c.id, contact_label(c)) for c in found]
    if named:
        return AlreadyExists(
            f"{name} is already registered: {labels} — same name and phone. Nothing new was "
            f"created; to change their details or add a request, use {ids}.",
            f"{name} уже есть в контактах: {labels} — то же имя и телефон. Новый контакт не "
            f"создан; чтобы изменить данные или добавить заявку, используйте {ids}.",
            existing=existing,
        )
    return AlreadyExists(
        f"This phone is already registered to {labels} — same phone. Nothing new was created; "
        f"if {name} is the same person, update {ids}; if not, register {name} with their own "
        "number.",
        f"Этот телефон уже записан на {labels} — тот же телефон. Новый контакт не создан; "
        f"если {name} — тот же человек, обновите {ids}; если нет, добавьте {name} с другим "
        "номером.",
        existing=existing,
    )


def _duplicate_error(matches: list[DuplicateMatch]) -> DuplicateContact:
    why_en = {"phone": "same phone", "email": "same e-mail", "name": "same name"}
    why_ru = {"phone": "тот же телефон", "email": "тот же e-mail", "name": "то же имя"}
    listed_en = "; ".join(f"{contact_label(m.contact)} — {why_en[m.reason]}" for m in matches)
    listed_ru = "; ".join(f"{contact_label(m.contact)} — {why_ru[m.reason]}" for m in matches)
    return DuplicateContact(
        f"This looks like an existing contact: {listed_en}. Update the existing contact, "
        "or confirm that this is a different person to register a new one.",
        f"Похоже, такой контакт уже есть: {listed_ru}. Обновите существующий контакт "
        "или подтвердите, что это другой человек, чтобы создать новый.",
        existing=[(m.contact.id, contact_label(m.contact)) for m in matches],
    )


def get_contact(ctx: Ctx, *, contact_id: str) -> Contact:
    """One contact the actor may read."""
    permissions.ensure_identified(ctx)
    contact = people.get_contact(ctx.session, contact_id)
    if contact is None:
        raise NotFound(
            f"There is no contact {contact_id}. Search by name or phone to find the right one.",
            f"Контакта {contact_id} нет. Найдите нужный по имени или телефону.",
        )
    permissions.ensure_readable(ctx, contact, what="contact")
    return contact


def update_contact(
    ctx: Ctx,
    *,
    contact_id: str,
    full_name: str | None = None,
    add_phones: Iterable[str] = (),
    add_emails: Iterable[str] = (),
    language: str | None = None,
    source: str | None = None,
    tags: Iterable[str] | None = None,
) -> Contact:
    """Correct a contact's name or details, adding phones and e-mails rather than replacing."""
    contact = get_contact(ctx, contact_id=contact_id)
    permissions.ensure_writable(ctx, contact, what="contact")
    _validated(language, source)
    changes: dict[str, list[object]] = {}

    def change(field: str, value: object) -> None:
        old = getattr(contact, field)
        if value != old:
            changes[field] = [old, value]
            setattr(contact, field, value)

    if full_name is not None:
        change("full_name", _clean_name(full_name))
    new_phones = [p for p in _phones(add_phones, strict=True) if p not in contact.phones]
    if new_phones:
        change("phones", [*contact.phones, *new_phones])  # a new list, so the change is seen
    current_emails = {str(e).lower() for e in contact.emails}
    new_emails = [e for e in _emails(add_emails, strict=True) if e not in current_emails]
    if new_emails:
        change("emails", [*contact.emails, *new_emails])
    if language is not None:
        change("language", language)
    if source is not None:
        change("source", source)
    if tags is not None:
        change("tags", _clean_tags(tags))
    if changes:
        ctx.session.flush()
        record(ctx, action="update", entity="contacts", entity_id=contact.id, changes=changes)
    return contact


def _exact_lookup(ctx: Ctx, query: str, scope: set[str] | None) -> list[Contact] | None:
    """Contacts with this phone or e-mail when the query is one; None when it is a name."""
    if "@" in query:
        emails = _emails([query], strict=False)
        return people.contacts_with_emails(ctx.session, emails, scope) if emails else []
    digits = sum(ch.isdigit() for ch in query)
    if digits >= 6 and not any(ch.isalpha() for ch in query):
        phone = try_normalize_phone(query)
        if phone is None:
            return []
        return [
            c
            for c in people.contacts_with_phones(ctx.session, [phone], scope)
            if phone in _stored_phones(c)
        ]
    return None


def find_contacts(ctx: Ctx, *, query: str, limit: int = 5) -> list[tuple[Contact, float]]:
    """The actor's contacts best matching a name (any script or case), phone or e-mail."""
    scope = _scope(ctx)
    query = (query or "").strip()
    if not query:
        return []
    exact = _exact_lookup(ctx, query, scope)
    if exact is not None:
        return [(contact, 100.0) for contact in exact[:limit]]
    ranked = rank_keys(
        latin_key(query), _name_keys(ctx, scope), limit=limit, cutoff=SUGGEST_MIN_SCORE
    )
    by_id = {c.id: c for c in people.contacts_by_ids(ctx.session, [cid for cid, _ in ranked])}
    return [(by_id[cid], score) for cid, score in ranked if cid in by_id]


def resolve_contact(ctx: Ctx, *, name: str) -> Contact:
    """The one contact a broker means by a name (or phone/e-mail), or ask which one."""
    found = find_contacts(ctx, query=name, limit=10)
    strong = [(c, s) for c, s in found if s >= RESOLVE_MIN_SCORE]
    if not strong:
        hint_en = hint_ru = ""
        if found:
            nearest = ", ".join(contact_label(c) for c, _ in found[:3])
            hint_en, hint_ru = f" Closest: {nearest}.", f" Ближайшие: {nearest}."
        raise NotFound(
            f"I have no contact called '{name}'.{hint_en} Check the spelling, or register "
            "them as a new contact (name and phone).",
            f"Контакта «{name}» нет.{hint_ru} Проверьте написание или добавьте новый контакт "
            "(имя и телефон).",
        )
    exact = [c for c, s in strong if s >= 100.0]
    if len(exact) == 1:
        return exact[0]
    best, best_score = strong[0]
    if not exact and (len(strong) == 1 or best_score - strong[1][1] >= RESOLVE_MARGIN):
        return best
    close = exact or [c for c, s in strong if best_score - s < RESOLVE_MARGIN]
    labels = ", ".join(contact_label(c) for c in close)
    raise Ambiguous(
        f"Several contacts match '{name}': {labels}. Ask the broker which one they mean.",
        f"Под «{name}» подходят несколько контактов: {labels}. Уточните у брокера, какой именно.",
        candidates=[(c.id, contact_label(c)) for c in close],
    )
