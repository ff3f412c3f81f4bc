"""How fields read to brokers: money, features, criteria changes, exit reasons."""

from __future__ import annotations

from decimal import Decimal

from crm_store.services.display import criteria_change_text, exit_reason_name


def test_a_changed_criterion_reads_as_brokers_say_it():
    assert criteria_change_text("budget_max", Decimal("500000.00")) == "budget up to €500K"
    assert criteria_change_text("must_haves", ["sea_view", "garden"], "ru").startswith(
        "обязательно: "
    )
    assert "_" not in criteria_change_text("must_haves", ["sea_view"])
    assert criteria_change_text("bedrooms_min", 3) == "bedrooms: 3+"


def test_exit_reasons_in_both_languages_and_free_text_kept():
    assert exit_reason_name("sold_independently") == "sold it themselves"
    assert exit_reason_name("changed_mind", "ru") == "передумал"
    assert exit_reason_name("other: moved abroad") == "other (moved abroad)"
    assert exit_reason_name(None) == ""
