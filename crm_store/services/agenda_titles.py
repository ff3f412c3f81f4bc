"""How the standup's groups and lines are titled, shared by the chat agenda and the digest."""

from __future__ import annotations

from datetime import date, timedelta

from crm_store.services.workhours import describe_day

GROUP_TITLES = {
    "missed": ("MISSED", "ПРОПУЩЕНО"),
    "due_today": ("Today", "Сегодня"),
    "hot": ("Hot deals", "Горячие сделки"),
    "due_tomorrow": ("Tomorrow", "Завтра"),
    "new_lead": ("New leads", "Новые лиды"),
}
_LINE_PREFIXES = {
    "missed": ("Missed", "Пропущено"),
    "due_today": ("Today", "Сегодня"),
    "due_tomorrow": ("Tomorrow", "Завтра"),
}


def day_title(group: str, language: str, *, day: date | None) -> str:
    """ "Today"/"Tomorrow" on today's agenda (`day` None); another day's names its days."""
    if day is not None and group in ("due_today", "due_tomorrow"):
        return describe_day(
            day if group == "due_today" else day + timedelta(days=1), language=language
        )
    pair = _LINE_PREFIXES.get(group) or GROUP_TITLES[group]
    return pair[1] if language == "ru" else pair[0]
