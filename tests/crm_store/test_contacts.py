"""Contacts: duplicates by phone, e-mail and name in either script; finding and resolving."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_store.context import Ctx
from crm_store.errors import (
    AlreadyExists,
    Ambiguous,
    DuplicateContact,
    Forbidden,
    InvalidInput,
    NotFound,
)
from crm_store.models import AuditEntry, Broker
from crm_store.services.contacts import (
    create_contact,
    find_contacts,
    find_duplicates,
    get_contact,
    resolve_contact,
    update_contact,
)
from crm_store.services.names import to_nominative
from tests.conftest import as_broker
from tests.factories import make_broker, make_contact


@pytest.fixture
def anna(ctx: Ctx) -> Broker:
    return make_broker(ctx, name="Anna Georgiou")


@pytest.fixture
def me(ctx: Ctx, anna: Broker) -> Ctx:
    return as_broker(ctx, anna)


# --- duplicates ----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["+357 99 123456", "0035799123456", "99123456", "99-123-456"])
def test_phone_variants_are_already_registered(me: Ctx, typed: str) -> None:
    existing = create_contact(me, full_name="Ivan Petrov", phones=["+357 99 123456"])
    assert existing.phones == ["+35799123456"]
    with pytest.raises(AlreadyExists) as error:
        create_contact(me, full_name="Johnny", phones=[typed])
    label = f"Ivan Petrov ({existing.id}, +357 99 123456)"
    assert error.value.data["existing"] == [(existing.id, label)]
    assert "same phone" in error.value.en and f"update {existing.id}" in error.value.en
    assert "тот же телефон" in error.value.ru and label in error.value.ru
    # The broker may confirm that another person shares the number.
    other = create_contact(me, full_name="Johnny", phones=[typed], allow_duplicate=True)
    assert other.id != existing.id


def test_the_same_registration_again_is_refused_even_when_confirmed(me: Ctx) -> None:
    existing = create_contact(me, full_name="Ivan Petrov", phones=["99123456"])
    for allow in (False, True):
        with pytest.raises(AlreadyExists) as error:
            create_contact(
                me, full_name="Иван Петров", phones=["+357 99 123456"], allow_duplicate=allow
            )
        assert "already registered" in error.value.en and existing.id in error.value.en
        assert "уже есть" in error.value.ru


def test_same_name_in_the_other_script_is_a_duplicate(me: Ctx) -> None:
    existing = create_contact(me, full_name="Ivan Petrov")
    matches = find_duplicates(me, full_name="Иван Петров")
    assert [(m.contact.id, m.reason) for m in matches] == [(existing.id, "name")]
    with pytest.raises(DuplicateContact) as error:
        create_contact(me, full_name="Иван Петров")
    assert error.value.existing[0][0] == existing.id
    assert "Ivan Petrov" in error.value.en and "confirm" in error.value.en


def test_email_duplicate_ignores_letter_case(me: Ctx) -> None:
    existing = create_contact(me, full_name="Olga Smirnova", emails=["Olga.S@Mail.com"])
    assert existing.emails == ["olga.s@mail.com"]
    matches = find_duplicates(me, emails=["OLGA.S@mail.COM"])
    assert [(m.contact.id, m.reason) for m in matches] == [(existing.id, "email")]
    with pytest.raises(DuplicateContact):
        create_contact(me, full_name="Someone Else", emails=["olga.s@MAIL.com"])


def test_imported_mixed_case_email_is_a_duplicate(me: Ctx, anna: Broker) -> None:
    imported = make_contact(me, owner=anna, full_name="Olga S", emails=["Olga.S@Mail.com"])
    matches = find_duplicates(me, emails=["olga.s@mail.com"])
    assert [(m.contact.id, m.reason) for m in matches] == [(imported.id, "email")]


def test_email_wildcards_do_not_match_other_addresses(me: Ctx, anna: Broker) -> None:
    make_contact(me, owner=anna, full_name="Petros Ioannou", emails=["ivanxp@mail.com"])
    assert find_duplicates(me, emails=["ivan_p@mail.com"]) == []


def test_different_people_are_not_duplicates(me: Ctx) -> None:
    create_contact(me, full_name="Ivan Petrov", phones=["99123456"], emails=["ivan@mail.com"])
    assert find_duplicates(me, full_name="Ivan Sidorov") == []
    assert find_duplicates(me, full_name="Olga Petrova") == []
    assert find_duplicates(me, phones=["99123457"], emails=["ivan2@mail.com"]) == []
    # A first name alone is not enough to call it the same person.
    assert find_duplicates(me, full_name="Ivan") == []
    other = create_contact(me, full_name="Ivan Sidorov", phones=["99654321"])
    assert other.full_name == "Ivan Sidorov"


def test_name_with_patronymic_and_small_slips_are_duplicates(me: Ctx) -> None:
    existing = create_contact(me, full_name="Иван Петров")
    assert [m.contact.id for m in find_duplicates(me, full_name="Ivan Petrof")] == [existing.id]
    found = find_duplicates(me, full_name="Иван Сергеевич Петров")
    assert [m.contact.id for m in found] == [existing.id]


def test_phone_reason_wins_over_name_for_the_same_contact(me: Ctx) -> None:
    existing = create_contact(me, full_name="Ivan Petrov", phones=["99123456"])
    matches = find_duplicates(me, full_name="Ivan Petrov", phones=["+35799123456"])
    assert [(m.contact.id, m.reason, m.score) for m in matches] == [(existing.id, "phone", 100.0)]


def test_confirmed_duplicate_is_created(me: Ctx) -> None:
    first = create_contact(me, full_name="Ivan Petrov", phones=["99123456"])
    second = create_contact(me, full_name="Ivan Petrov", phones=["99654321"], allow_duplicate=True)
    assert second.id != first.id


def test_duplicates_are_looked_for_only_among_readable_contacts(ctx: Ctx, me: Ctx) -> None:
    colleague = make_broker(ctx, name="Boris Colleague")
    make_contact(ctx, owner=colleague, full_name="Ivan Petrov", phones=["+35799123456"])
    assert find_duplicates(me, full_name="Ivan Petrov", phones=["99123456"]) == []
    # Asking for the colleague's contacts explicitly does not widen what a broker may read.
    assert find_duplicates(me, full_name="Ivan Petrov", owner_ids=[colleague.id]) == []


# --- create and update ---------------------------------------------------------------------


def test_create_sets_owner_normalises_and_audits(me: Ctx, anna: Broker) -> None:
    contact = create_contact(
        me,
        full_name="  Olga   Smirnova ",
        phones=["99 123456", "+357 99 123456", "+7 916 123-45-67"],
        emails=["Olga@Example.com"],
        language="ru",
        source="referral",
        tags=["vip", "vip", " investor "],
    )
    assert contact.id.startswith("c-")
    assert contact.owner == anna.id
    assert contact.full_name == "Olga Smirnova"
    assert contact.phones == ["+35799123456", "+79161234567"]
    assert contact.emails == ["olga@example.com"]
    assert contact.tags == ["vip", "investor"]
    assert contact.created_at == me.now()
    audit = me.session.execute(select(AuditEntry).where(AuditEntry.entity_id == contact.id))
    assert [(a.action, a.broker) for a in audit.scalars()] == [("create", anna.id)]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"phones": ["12345"]}, "phone"),
        ({"emails": ["not-an-email"]}, "email"),
        ({"language": "de"}, "language"),
        ({"source": "billboard"}, "source"),
        ({"full_name": "   "}, "full_name"),
    ],
)
def test_create_validates(me: Ctx, kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"full_name": "Ivan Petrov", **kwargs}
    with pytest.raises(InvalidInput) as error:
        create_contact(me, **args)  # type: ignore[arg-type]
    assert error.value.data["field"] == field
    assert error.value.ru != error.value.en


def test_create_needs_a_broker(ctx: Ctx) -> None:
    with pytest.raises(Forbidden):
        create_contact(ctx, full_name="Ivan Petrov")


def test_update_adds_details_and_records_the_change(me: Ctx) -> None:
    contact = create_contact(me, full_name="Ivan Petrov", phones=["99123456"])
    updated = update_contact(
        me,
        contact_id=contact.id,
        full_name="Ivan Petrov Jr",
        add_phones=["+357 99 123456", "+7 916 123 45 67"],
        add_emails=["IVAN@mail.com"],
        language="ru",
        tags=["investor"],
    )
    assert updated.full_name == "Ivan Petrov Jr"
    assert updated.phones == ["+35799123456", "+79161234567"]
    assert updated.emails == ["ivan@mail.com"]
    assert (updated.language, updated.tags) == ("ru", ["investor"])
    entry = me.session.execute(
        select(AuditEntry).where(AuditEntry.entity_id == contact.id, AuditEntry.action == "update")
    ).scalar_one()
    assert entry.changes is not None
    assert entry.changes["phones"] == [["+35799123456"], ["+35799123456", "+79161234567"]]
    me.session.expire_all()
    assert get_contact(me, contact_id=contact.id).phones == ["+35799123456", "+79161234567"]


def test_update_rejects_bad_values(me: Ctx) -> None:
    contact = create_contact(me, full_name="Ivan Petrov")
    with pytest.raises(InvalidInput):
        update_contact(me, contact_id=contact.id, source="billboard")
    with pytest.raises(InvalidInput):
        update_contact(me, contact_id=contact.id, add_phones=["123"])


def test_get_unknown_contact_is_not_found(me: Ctx) -> None:
    with pytest.raises(NotFound):
        get_contact(me, contact_id="c-999")


# --- find and resolve ----------------------------------------------------------------------


def test_find_by_name_phone_and_email(me: Ctx, anna: Broker) -> None:
    ivan = make_contact(me, owner=anna, full_name="Ivan Petrov", phones=["+35799123456"])
    olga = make_contact(me, owner=anna, full_name="Olga Smirnova", emails=["olga@mail.com"])
    assert [c.id for c, _ in find_contacts(me, query="99 123 456")] == [ivan.id]
    assert [c.id for c, _ in find_contacts(me, query="OLGA@mail.com")] == [olga.id]
    ranked = find_contacts(me, query="Иван Петров")
    assert ranked[0] == (ivan, 100.0)
    assert all(c.id != olga.id for c, _ in ranked)
    assert find_contacts(me, query="99 000 000") == []


def test_find_ranks_full_match_above_first_name_match(me: Ctx, anna: Broker) -> None:
    exact = make_contact(me, owner=anna, full_name="Ivan Petrov")
    other = make_contact(me, owner=anna, full_name="Ivan Sidorov Petrovich")
    ranked = find_contacts(me, query="Ivan Petrov")
    assert [c.id for c, _ in ranked[:2]] == [exact.id, other.id]
    assert ranked[0][1] > ranked[1][1]


def test_resolve_exact(me: Ctx, anna: Broker) -> None:
    ivan = make_contact(me, owner=anna, full_name="Ivan Petrov")
    make_contact(me, owner=anna, full_name="Ivan Sidorov")
    assert resolve_contact(me, name="Ivan Petrov") == ivan
    assert resolve_contact(me, name="Ивана Петрова") == ivan


def test_resolve_ambiguous_lists_candidates(me: Ctx, anna: Broker) -> None:
    petrov = make_contact(me, owner=anna, full_name="Ivan Petrov", phones=["+35799123456"])
    sidorov = make_contact(me, owner=anna, full_name="Ivan Sidorov")
    make_contact(me, owner=anna, full_name="Olga Smirnova")
    with pytest.raises(Ambiguous) as error:
        resolve_contact(me, name="Ivan")
    assert sorted(error.value.candidates) == sorted(
        [
            (petrov.id, f"Ivan Petrov ({petrov.id}, +357 99 123456)"),
            (sidorov.id, f"Ivan Sidorov ({sidorov.id})"),
        ]
    )
    assert "which one" in error.value.en
    assert f"Ivan Petrov ({petrov.id}, +357 99 123456)" in error.value.en


def test_resolve_single_first_name_match(me: Ctx, anna: Broker) -> None:
    ivan = make_contact(me, owner=anna, full_name="Ivan Petrov")
    make_contact(me, owner=anna, full_name="Olga Smirnova")
    assert resolve_contact(me, name="Ivan") == ivan


def test_resolve_two_contacts_with_the_same_name_is_ambiguous(me: Ctx, anna: Broker) -> None:
    make_contact(me, owner=anna, full_name="Ivan Petrov")
    make_contact(me, owner=anna, full_name="Иван Петров")
    with pytest.raises(Ambiguous) as error:
        resolve_contact(me, name="Ivan Petrov")
    assert len(error.value.candidates) == 2


def test_resolve_not_found_suggests_registering(me: Ctx, anna: Broker) -> None:
    make_contact(me, owner=anna, full_name="Ivan Petrov")
    with pytest.raises(NotFound) as error:
        resolve_contact(me, name="Olga Smirnova")
    assert "register" in error.value.en
    assert "добавьте" in error.value.ru


def test_resolve_cross_script_from_a_russian_request(me: Ctx, anna: Broker) -> None:
    olga = make_contact(me, owner=anna, full_name="Olga Smirnova")
    make_contact(me, owner=anna, full_name="Olga Petrova")
    make_contact(me, owner=anna, full_name="Oleg Smirnov")
    name = to_nominative("позвонить Ольге Смирновой")
    assert name == "Ольга Смирнова"
    assert resolve_contact(me, name=name) == olga
    assert resolve_contact(me, name="Ольге Смирновой") == olga


def test_resolve_sees_only_the_actors_contacts(ctx: Ctx, me: Ctx) -> None:
    colleague = make_broker(ctx, name="Boris Colleague")
    make_contact(ctx, owner=colleague, full_name="Olga Smirnova")
    with pytest.raises(NotFound):
        resolve_contact(me, name="Olga Smirnova")


def test_resolve_among_thousands_of_contacts(me: Ctx, anna: Broker) -> None:
    from crm_store.models import Contact
    from crm_store.repositories.base import bulk_insert

    rows = [
        {
            "id": f"c-bulk-{i}",
            "owner": anna.id,
            "full_name": f"Client{i:04d} Surname{i % 97}",
            "phones": [],
            "emails": [],
            "tags": [],
            "source": "other",
            "created_at": me.now(),
        }
        for i in range(3000)
    ]
    bulk_insert(me.session, Contact, rows)
    olga = make_contact(me, owner=anna, full_name="Olga Smirnova")
    assert resolve_contact(me, name="Ольге Смирновой") == olga
