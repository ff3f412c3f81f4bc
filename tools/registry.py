"""Every tool the copilot may call, gathered from the domain modules."""

from __future__ import annotations

from langchain_core.tools import BaseTool


def all_tools() -> list[BaseTool]:
    """The tools bound to the model each turn (order is stable for prompt caching)."""
    from tools import (
        agenda,
        analytics,
        appointments,
        cards,
        contacts,
        deals,
        followups,
        listings,
        matching,
        notes,
    )

    return [
        *contacts.TOOLS,
        *deals.TOOLS,
        *followups.TOOLS,
        *agenda.TOOLS,
        *appointments.TOOLS,
        *notes.TOOLS,
        *cards.TOOLS,
        *listings.TOOLS,
        *matching.TOOLS,
        *analytics.TOOLS,
    ]


def internal_tools() -> list[BaseTool]:
    """Tools a proposal may carry that the model is never offered (a note's facts)."""
    from tools import notes

    return [*notes.INTERNAL]
