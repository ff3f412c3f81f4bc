"""Why a date was not read, in the broker's words: the question asked instead of a guess.

"February 30" does not exist, "25:00" is no time of day, a year decades away is a typo, and
"on Tuesday" said on a Tuesday may mean today or next week: each is asked, never moved to a
day the broker did not say (issue #10). The answer to "today or next week?" picks one of the
two moments worked out from the words said (their time of day kept).
"""

from __future__ import annotations

from typing import Any

from agent.offline.dates import Doubt
from agent.offline.replies import say
from crm_store.services.workhours import describe


def date_question(doubts: list[Doubt], language: str, tz: Any) -> tuple[str, dict[str, str]]:
    """The question for the first doubt, and what the pending frame keeps to read the answer
    ({"today": iso, "next": iso} for today-or-next)."""
    doubt = doubts[0]
    if doubt.kind == "today_or_next" and len(doubt.options) == 2:
        this, later = doubt.options
        question = say(
            "ask_today_or_next",
            language,
            today=describe(this, tz=tz, language=language),
            next=describe(later, tz=tz, language=language),
        )
        choices = {
            "today": this.strftime("%Y-%m-%dT%H:%M"),
            "next": later.strftime("%Y-%m-%dT%H:%M"),
        }
        return question, choices
    reason = say(doubt.kind, language, text=doubt.text.strip(), year=str(doubt.year))
    return f"{reason} {say('ask_when', language)}", {}
