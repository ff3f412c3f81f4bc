"""Expectation checks on a real export: which records match, and failures said in words."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from evals.assertions import (
    Outcome,
    check_db,
    check_expectations,
    check_replies,
    check_tool_calls,
    describe_changes,
)
from evals.tasks import DbCheck, Expect, ToolCallCheck

NICOSIA = ZoneInfo("Asia/Nicosia")


def db(export: dict[str, Any], **check: Any) -> list[str]:
    parsed = DbCheck.model_validate(check)
    return check_db(parsed, export[parsed.entity], NICOSIA)


def test_a_count_miss_names_entity_conditions_and_numbers(tiny_export):
    failures = db(tiny_export, entity="follow_ups", where={"contact": "Ivan Petrov"}, count=2)
    assert failures == [
        "follow_ups where contact=Ivan Petrov: 1 record, expected 2 (follow_ups holds 1 record)"
    ]
    failures = db(
        tiny_export,
        entity="follow_ups",
        where={"contact": "Ivan Petrov", "status": "open"},
        count=1,
    )
    assert failures == [
        "follow_ups where contact=Ivan Petrov, status=open: 0 records, expected 1 "
        "(follow_ups holds 1 record; closest: f-1 has status done)"
    ]


def test_too_many_records_are_named(tiny_export):
    failures = db(tiny_export, entity="listings", where={"owner": "Anna Georgiou"}, count=1)
    assert failures == ["listings where owner=Anna Georgiou: 2 records, expected 1 (l-1, l-2)"]


def test_without_count_at_least_one_record_must_match(tiny_export):
    failures = db(tiny_export, entity="contacts", where={"full_name": "Elena Savva"})
    assert failures == [
        "contacts where full_name=Elena Savva: 0 records, expected at least 1 "
        "(contacts holds 3 records)"
    ]
    assert db(tiny_export, entity="contacts", where={"full_name": "Elena Savva"}, count=0) == []


def test_where_matches_the_id_or_the_name_sibling_case_insensitively(tiny_export):
    for where in (
        {"contact": "ivan petrov"},
        {"contact": "C-1"},
        {"contact_name": "IVAN PETROV"},
        {"deal": "Ivan Petrov"},  # a buyer request is named after its buyer
        {"deal": "r-1", "owner": "anna georgiou"},
    ):
        assert db(tiny_export, entity="follow_ups", where=where, count=1) == [], where
    assert db(tiny_export, entity="listings", where={"seller": "maria ioannou"}, count=2) == []
    assert db(tiny_export, entity="contacts", where={"full_name": "дмитрий козлов"}, count=1) == []


def test_equals_names_the_record_and_shows_the_brokers_local_time(tiny_export):
    failures = db(
        tiny_export,
        entity="follow_ups",
        where={"contact": "Ivan Petrov"},
        equals={"due_at": "2026-03-09T10:00", "status": "done"},
    )
    assert failures == [
        "follow_ups where contact=Ivan Petrov: f-1 has due_at 2026-03-09T09:00 Asia/Nicosia, "
        "expected 2026-03-09T10:00"
    ]
    assert (
        db(
            tiny_export,
            entity="follow_ups",
            where={"contact": "Ivan Petrov"},
            equals={"due_at": "2026-03-09T09:00", "completed_at": "2026-03-09"},
        )
        == []
    )


def test_money_and_sets_in_equals(tiny_export):
    assert (
        db(
            tiny_export,
            entity="listings",
            where={"address": "12 amathountos ave"},
            equals={"price": "€480,000", "features": ["pool", "sea_view"], "bedrooms": 2},
            count=1,
        )
        == []
    )
    failures = db(
        tiny_export, entity="listings", where={"id": "l-1"}, equals={"features": ["pool"]}
    )
    assert failures == ["listings where id=l-1: l-1 has features [sea_view, pool], expected [pool]"]


def test_dotted_paths_reach_into_lists_of_objects(tiny_export):
    ok = db(
        tiny_export,
        entity="curated_lists",
        where={"buyer_request": "Ivan Petrov"},
        equals={"items.listing": ["7 coral bay rd", "l-1"], "items.rank": [1, 2]},
        contains={"items.listing": "12 Amathountos Ave"},
        count=1,
    )
    assert ok == []
    failures = db(
        tiny_export,
        entity="curated_lists",
        where={"id": "cl-1"},
        excludes={"items.listing": ["l-2"]},
    )
    assert failures == [
        "curated_lists where id=cl-1: cl-1 has items.listing "
        "[12 Amathountos Ave (l-1), 7 Coral Bay Rd (l-2)], which must not hold [l-2]"
    ]
    assert (
        db(
            tiny_export,
            entity="appointments",
            where={"feedback.reaction": ["liked", "disliked"], "contact": "Ivan Petrov"},
            contains={"listings": ["l-1", "l-2"], "feedback.listing": "l-2"},
            excludes={"feedback.reaction": "neutral"},
            count=1,
        )
        == []
    )


def test_contains_on_lists_and_on_text(tiny_export):
    failures = db(
        tiny_export,
        entity="buyer_requests",
        where={"buyer": "Ivan Petrov"},
        contains={"must_haves": ["sea_view", "pool"], "cities": "limassol"},
    )
    assert failures == [
        "buyer_requests where buyer=Ivan Petrov: r-1 has must_haves [sea_view], lacking [pool]"
    ]
    assert db(tiny_export, entity="follow_ups", contains={"outcome": "LIMASSOL"}) == []


def test_unchanged_names_the_entity_and_the_changed_records(tiny_export):
    after = {entity: [dict(r) for r in records] for entity, records in tiny_export.items()}
    after["listings"][0]["price"] = "450000.00"
    after["follow_ups"].append({**after["follow_ups"][0], "id": "f-2", "status": "open"})
    after["appointments"] = []
    outcome = Outcome(before=tiny_export, after=after, replies=[], tool_calls=[], tz=NICOSIA)
    expect = Expect(unchanged=["listings", "follow_ups", "appointments", "contacts"])
    assert check_expectations(expect, outcome) == [
        "listings changed, expected unchanged: l-1 modified (price)",
        "follow_ups changed, expected unchanged: f-2 added",
        "appointments changed, expected unchanged: a-1 removed",
    ]


def test_a_renamed_contact_does_not_change_records_that_point_at_it(tiny_export):
    after = {entity: [dict(r) for r in records] for entity, records in tiny_export.items()}
    after["follow_ups"][0]["contact_name"] = "Ivan Petroff"
    after["curated_lists"][0]["items"] = [
        {**item, "listing_name": "renamed"} for item in after["curated_lists"][0]["items"]
    ]
    assert describe_changes(tiny_export["follow_ups"], after["follow_ups"]) == ""
    assert describe_changes(tiny_export["curated_lists"], after["curated_lists"]) == ""


def test_no_writes_reports_every_change(tiny_export):
    after = {entity: [dict(r) for r in records] for entity, records in tiny_export.items()}
    after["contacts"][0]["phones"] = []
    after["notes"] = [{"id": "n-1", "text": "x"}]
    outcome = Outcome(before=tiny_export, after=after, replies=[], tool_calls=[], tz=NICOSIA)
    assert check_expectations(Expect(no_writes=True), outcome) == [
        "expected no writes, but the store changed: contacts: c-1 modified (phones) | "
        "notes: n-1 added"
    ]
    same_store = Outcome(tiny_export, tiny_export, replies=[], tool_calls=[], tz=NICOSIA)
    assert check_expectations(Expect(no_writes=True), same_store) == []


def test_reply_checks_quote_the_missing_or_leaked_string():
    replies = ["Follow-up f-2 scheduled: call Ivan Petrov, Tue 17 Mar 11:00.", "Anything else?"]
    assert check_replies(["ivan", "17 MAR"], ["c-3"], replies) == []
    failures = check_replies(["18"], ["ANYTHING"], replies)
    assert failures[0].startswith('no reply contains "18" (replies: "Follow-up f-2 scheduled')
    assert failures[1] == 'a reply contains "ANYTHING", which must not appear: "Anything else?"'
    assert check_replies(["x"], [], []) == ['no reply contains "x" (replies: none)']


def test_tool_calls_match_by_name_and_the_given_arguments():
    made = [
        {"name": "find_contacts", "args": {"query": "Ivan"}},
        {
            "name": "schedule_follow_up",
            "args": {"contact": "Ivan Petrov", "due_at": "2026-03-17T11:00:00"},
        },
    ]
    wanted = [
        ToolCallCheck(
            name="schedule_follow_up", args={"contact": "ivan petrov", "due_at": "2026-03-17T11:00"}
        )
    ]
    assert check_tool_calls(wanted, made, NICOSIA) == []
    twice = [*wanted, ToolCallCheck(name="schedule_follow_up", args={"contact": "Ivan Petrov"})]
    assert check_tool_calls(twice, made, NICOSIA) == [
        "expected call schedule_follow_up(contact=Ivan Petrov) was not made; calls made: "
        "find_contacts(query=Ivan), "
        "schedule_follow_up(contact=Ivan Petrov, due_at=2026-03-17T11:00:00)"
    ]
    late = [ToolCallCheck(name="schedule_follow_up", args={"due_at": "2026-03-17T12:00"})]
    assert check_tool_calls(late, [], NICOSIA) == [
        "expected call schedule_follow_up(due_at=2026-03-17T12:00) was not made; calls made: none"
    ]


def test_one_actual_call_satisfies_only_one_expected_call_even_when_order_misleads():
    made = [
        {"name": "register_contact", "args": {"full_name": "A", "phones": ["1"]}},
        {"name": "register_contact", "args": {"full_name": "B"}},
    ]
    wanted = [
        ToolCallCheck(name="register_contact", args={}),  # fits both; must leave "A" to the next
        ToolCallCheck(name="register_contact", args={"full_name": "A"}),
    ]
    assert check_tool_calls(wanted, made, NICOSIA) == []


def test_a_task_whose_expectations_all_hold_has_no_failures(tiny_export):
    expect = Expect.model_validate(
        {
            "db": [{"entity": "contacts", "where": {"owner": "b-1"}, "count": 2}],
            "unchanged": ["listings"],
            "no_writes": True,
            "reply_contains": ["done"],
            "reply_excludes": ["Дмитрий"],
            "tool_calls": [],
        }
    )
    outcome = Outcome(tiny_export, tiny_export, replies=["Done."], tool_calls=[], tz=NICOSIA)
    assert check_expectations(expect, outcome) == []


def test_a_single_where_value_picks_records_whose_list_holds_it(tiny_export):
    liked = {"feedback.reaction": "liked", "feedback.listing": "12 Amathountos Ave"}
    assert db(tiny_export, entity="appointments", where=liked, count=1) == []
    assert db(tiny_export, entity="appointments", where={"listings": "l-2"}, count=1) == []
    assert db(tiny_export, entity="listings", where={"features": "garden"}, count=1) == []
    # A list in `where` is a set: both features, nothing else.
    assert db(tiny_export, entity="listings", where={"features": ["pool"]}, count=0) == []
    assert db(tiny_export, entity="listings", where={"features": ["pool", "garden"]}, count=1) == []
    assert (
        db(tiny_export, entity="appointments", where={"feedback.reaction": "neutral"}, count=0)
        == []
    )
