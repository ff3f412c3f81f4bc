

def test_a_changed_criterion_reads_as_brokers_say_it():
    from decimal import Decimal

    from crm_store.services.display import criteria_change_text

    assert criteria_change_text("budget_max", Decimal("500000.00")) == "budget up to €500K"
    assert criteria_change_text("must_haves", ["sea_view", "garden"], "ru").startswith(
        "обязательно: "
    )
    assert "_" not in criteria_change_text("must_haves", ["sea_view"])
    assert criteria_change_text("bedrooms_min", 3) == "bedrooms: 3+"
