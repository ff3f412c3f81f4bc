"""The names of the manager's metrics (SPEC §8), light enough for a tool schema to import."""

from __future__ import annotations

METRIC_NAMES = (
    "closed_won",
    "average_commission",
    "sales_cycle_length",
    "active_listings",
    "new_listings",
    "days_on_market",
    "listing_to_sale_conversion",
    "withdrawn",
    "appointments",
    "no_show_rate",
    "meeting_to_deal_conversion",
    "missed_follow_ups",
    "gaps",
    "follow_up_to_appointment_conversion",
    "deals_by_stage",
)
