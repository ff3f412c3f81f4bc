"""SQL for brokers and contacts: lookups by id, owner, chat identity, phone and email."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import Session

from crm_store.models import Broker, Contact

QueryT = TypeVar("QueryT", bound=Select)  # type: ignore[type-arg]

# --- brokers -------------------------------------------------------------------------------


def get_broker(session: Session, broker_id: str) -> Broker | None:
    return session.get(Broker, broker_id)


def list_brokers(
    session: Session, *, team: str | None = None, active_only: bool = True
) -> list[Broker]:
    """Brokers by name (one team, or all), the active ones unless asked otherwise."""
    query = select(Broker).order_by(Broker.name, Broker.id)
    if team is not None:
        query = query.where(Broker.team == team)
    if active_only:
        query = query.where(Broker.active.is_(True))
    return list(session.execute(query).scalars())


def brokers_by_team(session: Session, team: str) -> list[Broker]:
    return list_brokers(session, team=team)


def broker_by_telegram(session: Session, user_id: int) -> Broker | None:
    query = select(Broker).where(Broker.telegram_user_id == user_id)
    return session.execute(query).scalar_one_or_none()


def broker_by_slack(session: Session, user_id: str) -> Broker | None:
    query = select(Broker).where(Broker.slack_user_id == user_id)
    return session.execute(query).scalar_one_or_none()


# --- contacts ------------------------------------------------------------------------------


def get_contact(session: Session, contact_id: str) -> Contact | None:
    return session.get(Contact, contact_id)


def contacts_by_ids(session: Session, contact_ids: Collection[str]) -> list[Contact]:
    if not contact_ids:
        return []
    query = select(Contact).where(Contact.id.in_(list(contact_ids))).order_by(Contact.id)
    return list(session.execute(query).scalars())


def _owned(query: QueryT, owner_ids: Collection[str] | None) -> QueryT:
    """Restrict to these owners; None means every owner (the system, an admin)."""
    if owner_ids is None:
        return query
    return query.where(Contact.owner.in_(list(owner_ids)))


def contacts_of(
    session: Session, owner_ids: Collection[str] | None, *, limit: int | None = None
) -> list[Contact]:
    """The contacts of these owners, by name."""
    query = _owned(select(Contact), owner_ids).order_by(Contact.full_name, Contact.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def contact_names(session: Session, owner_ids: Collection[str] | None) -> list[tuple[str, str]]:
    """(id, full_name) of these owners' contacts: all a name search needs, without the rows."""
    query = _owned(select(Contact.id, Contact.full_name), owner_ids).order_by(Contact.id)
    return [(row[0], row[1]) for row in session.execute(query)]


def _json_item_pattern(value: str) -> str:
    """A LIKE pattern for `value` as one quoted item of a JSON list, wildcards escaped."""
    quoted = json.dumps(value)  # the same quoting the JSON column wrote
    escaped = quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _containing(
    session: Session,
    column: Any,
    values: Sequence[str],
    owner_ids: Collection[str] | None,
    *,
    fold_case: bool,
) -> list[Contact]:
    """Contacts whose JSON list column holds one of `values`.

    JSON lists are compared as text (works the same on SQLite and PostgreSQL, whose `json`
    type keeps the text it was given); callers re-check the items, so a stray match inside
    another item costs a row, never a wrong answer.
    """
    if not values:
        return []
    text: Any = cast(column, String)
    if fold_case:
        text = func.lower(text)
    patterns = [_json_item_pattern(v.lower() if fold_case else v) for v in values]
    query = _owned(select(Contact), owner_ids).where(
        or_(*(text.like(p, escape="\\") for p in patterns))
    )
    return list(session.execute(query.order_by(Contact.id)).scalars())


def contacts_with_phones(
    session: Session, phones: Sequence[str], owner_ids: Collection[str] | None
) -> list[Contact]:
    """Contacts holding any of these E.164 numbers."""
    return _containing(session, Contact.phones, phones, owner_ids, fold_case=False)


def contacts_with_emails(
    session: Session, emails: Sequence[str], owner_ids: Collection[str] | None
) -> list[Contact]:
    """Contacts holding any of these e-mail addresses, whatever their letter case."""
    return _containing(session, Contact.emails, emails, owner_ids, fold_case=True)
