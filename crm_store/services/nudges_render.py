"""Nudge texts in the broker's language (EN/RU), rendered from the stored payload alone, so any
channel can render (or re-render after a language change) without reading the store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from crm_store.services import nudges_actions
from crm_store.services.agenda_titles import GROUP_TITLES
from crm_store.services.display import channel_name, compact_eur, percent
from crm_store.services.workhours import describe
from crm_store.vocabulary import stage_name

Payload = dict[str, Any]
MAX_DETAILS = 3
# Digest groups whose lines carry the deal's NBA (the hot list already reads as one per deal).
WITH_NBA = ("missed", "due_today")


def _t(language: str, en: str, ru: str) -> str:
    return ru if language == "ru" else en


def _when(value: str | None, tz: str, language: str) -> str:
    return describe(datetime.fromisoformat(value), tz=tz, language=language) if value else "—"


def _day(value: str, language: str) -> str:
    """ "2026-03-10" → "Tue 10 Mar" / "вт 10 мар"."""
    moment = datetime.fromisoformat(f"{value}T12:00:00+00:00")
    return describe(moment, tz="UTC", language=language).rsplit(" ", 1)[0]


def _stage(payload: Payload, language: str) -> str:
    return stage_name(payload["stage"], language) if payload.get("stage") else ""


def _money(value: Any, language: str) -> str:
    return compact_eur(Decimal(str(value)), language) if value not in (None, "") else "—"


def nba_lines(nba: Payload | None, language: str, *, details: bool = True) -> list[str]:
    """ "→ Next best action: … (35% → 63%)" and its first concrete points."""
    if not nba:
        return []
    action = _t(language, nba["action_en"], nba["action_ru"])
    head = _t(language, "Next best action", "Следующий шаг")
    lines = [f"→ {head}: {action} ({percent(nba['p_now'])} → {percent(nba['p_after'])})"]
    if details:
        for point in (nba.get("details") or [])[:MAX_DETAILS]:
            lines.append(f"  • {point['ru'] if language == 'ru' else point['en']}")
    return lines


def _purpose(payload: Payload) -> str:
    return f" — {payload['purpose']}" if payload.get("purpose") else ""


def _deal_tag(payload: Payload, language: str) -> str:
    stage = _stage(payload, language)
    return f" ({stage})" if stage else ""


def _digest(payload: Payload, tz: str, language: str) -> list[str]:
    name = (payload.get("broker_name") or "").split(" ")[0]
    lines = [
        _t(language, f"Good morning, {name}! Your day — ", f"Доброе утро, {name}! Ваш день — ")
        + _day(payload["date"], language)
    ]
    counts = payload.get("counts") or {}
    if not payload.get("items"):
        lines.append(_t(language, "Nothing pressing on the agenda.", "Срочных дел нет."))
    group = None
    for item in payload.get("items") or []:
        if item["group"] != group:
            group = item["group"]
            title = _t(language, *GROUP_TITLES[group])
            lines.append(f"{title} ({counts.get(group, 0)}):")
        lines.append("• " + _digest_item(item, tz, language))
        if group in WITH_NBA:
            nba = nba_lines(item.get("nba"), language, details=False)
            lines.extend("  " + line for line in nba)
    hidden = int(payload.get("total", 0)) - len(payload.get("items") or [])
    if hidden > 0:
        lines.append(_t(language, f"…and {hidden} more in the agenda.", f"…и ещё {hidden}."))
    gaps = payload.get("gaps") or []
    if gaps:
        total = payload.get("gaps_total", len(gaps))
        lines.append(
            _t(language, f"Deals without a next follow-up ({total}):",
               f"Сделки без следующего контакта ({total}):")
        )  # fmt: skip
        for gap in gaps:
            when = _when(gap["proposal"]["due_at"], tz, language)
            lines.append(
                f"• {gap['contact_name']}{_deal_tag(gap, language)}: "
                + _t(language, f"propose {when}", f"предлагаю {when}")
            )
    return lines


def _digest_item(item: Payload, tz: str, language: str) -> str:
    who = item["contact_name"]
    if item["group"] == "hot":
        plan = (
            _t(language, "next: ", "далее: ") + _when(item["due_at"], tz, language)
            if item.get("due_at")
            else _t(language, "nothing scheduled", "ничего не запланировано")
        )
        return f"{who} — {_stage(item, language)}, {_money(item['value'], language)} ({plan})"
    if item["group"] == "new_lead":
        since = _when(item.get("since"), tz, language)
        return _t(
            language,
            f"{who} ({item.get('source')}, since {since}) — not contacted yet",
            f"{who} ({item.get('source')}, с {since}) — контакта ещё не было",
        )
    channel = channel_name(item.get("channel"), language)
    return f"{channel} {who} ({_when(item['due_at'], tz, language)}){_purpose(item)}"


def _due_soon(payload: Payload, tz: str, language: str) -> list[str]:
    who = payload["contact_name"]
    if payload.get("about") == "appointment":
        when = _when(payload["scheduled_at"], tz, language)
        shown = ", ".join(payload.get("listings") or [])
        what = (
            _t(language, f"showing with {who} ({shown})", f"показ с {who} ({shown})")
            if shown
            else _t(language, f"meeting with {who}", f"встреча с {who}")
        )
        return [_t(language, f"In 30 minutes — {when}: ", f"Через 30 минут — {when}: ") + what]
    when = _when(payload["due_at"], tz, language)
    channel = channel_name(payload.get("channel"), language)
    head = _t(language, f"In 30 minutes — {when}: ", f"Через 30 минут — {when}: ")
    return [f"{head}{channel} {who}{_deal_tag(payload, language)}{_purpose(payload)}"]


def _missed(payload: Payload, tz: str, language: str) -> list[str]:
    when = _when(payload["due_at"], tz, language)
    channel = channel_name(payload.get("channel"), language)
    who = payload["contact_name"]
    return [
        _t(language, "Missed follow-up: ", "Пропущено: ")
        + f"{channel} {who}{_deal_tag(payload, language)}, "
        + _t(language, f"due {when}", f"срок {when}")
        + _purpose(payload)
        + _t(language, ". Do it today or reschedule.", ". Выполните сегодня или перенесите.")
    ]


def _gap(payload: Payload, tz: str, language: str) -> list[str]:
    who, value = payload["contact_name"], _money(payload.get("value"), language)
    proposal = payload["proposal"]
    reason = _t(language, proposal["reason_en"], proposal["reason_ru"])
    return [
        _t(
            language,
            f"No next follow-up: {who}{_deal_tag(payload, language)}, {value}.",
            f"Нет следующего контакта: {who}{_deal_tag(payload, language)}, {value}.",
        ),
        _t(language, "Proposed: ", "Предлагаю: ") + reason,
    ]


def _stale(payload: Payload, tz: str, language: str) -> list[str]:
    who, days = payload["contact_name"], payload.get("idle_days") or 14
    proposal = payload["proposal"]
    return [
        _t(
            language,
            f"No activity for {days}+ days: {who}{_deal_tag(payload, language)}.",
            f"Нет активности {days}+ дней: {who}{_deal_tag(payload, language)}.",
        ),
        _t(language, "Proposed: ", "Предлагаю: ")
        + _t(language, proposal["reason_en"], proposal["reason_ru"]),
    ]


def _weekly(payload: Payload, tz: str, language: str) -> list[str]:
    lines = [
        _t(
            language,
            f"Weekly review — team {payload['team']}, week {payload['week']}",
            f"Недельный обзор — команда {payload['team']}, неделя {payload['week']}",
        ),
        payload["revenue"][language if language == "ru" else "en"],
        payload["forecast"][language if language == "ru" else "en"],
    ]
    for row in payload["forecast"].get("rows") or []:
        deals = _t(language, f"{row['deals']} deals", f"сделок: {row['deals']}")
        lines.append(f"  • {row['name']}: {_money(row['weighted'], language)} ({deals})")
    lines.extend(metric["ru" if language == "ru" else "en"] for metric in payload["metrics"])
    upcoming = payload.get("upcoming_appointments", 0)
    lines.append(
        _t(language, f"Appointments booked for the next 7 days: {upcoming}.",
           f"Встреч на ближайшие 7 дней: {upcoming}.")
    )  # fmt: skip
    return lines


def _new_match(payload: Payload, tz: str, language: str) -> list[str]:
    buyer = payload.get("buyer_name") or payload.get("buyer_request") or "?"
    price = _money(payload.get("price"), language)
    if payload.get("trigger") == "price_drop":
        old = _money(payload.get("old_price"), language)
        why = _t(language, f"price dropped {old} → {price}", f"цена снижена {old} → {price}")
    else:
        why = _t(language, f"just listed at {price}", f"новый объект за {price}")
    score = payload.get("score")
    fit = f", {percent(float(score))}" if isinstance(score, (int, float)) else ""
    lines = [
        _t(language, f"New match for {buyer}: ", f"Новое совпадение для {buyer}: ")
        + f"{payload.get('listing')} ({why}{fit})"
    ]
    reasons = payload.get("reasons_ru" if language == "ru" else "reasons") or []
    lines.extend(f"  • {reason}" for reason in reasons[:MAX_DETAILS])
    return lines


RENDERERS: dict[str, Callable[[Payload, str, str], list[str]]] = {
    "daily_digest": _digest,
    "due_soon": _due_soon,
    "missed": _missed,
    "gap": _gap,
    "stale_deal": _stale,
    "weekly_review": _weekly,
    "new_match": _new_match,
}


def render_nudge(kind: str, payload: Payload, *, language: str = "en", timezone: str) -> str:
    """The nudge's text for a broker reading `language` in `timezone`."""
    language = "ru" if language == "ru" else "en"
    renderer = RENDERERS.get(kind)
    if renderer is None:
        return f"{kind}: {payload}"
    lines = renderer(payload, timezone, language)
    if kind not in ("daily_digest", "weekly_review"):
        lines.extend(nba_lines(payload.get("nba"), language))
    return "\n".join(lines)


def nudge_actions(kind: str, payload: Payload) -> list[Payload]:
    """The one-tap actions: the payload's own, or the defaults of a kind recorded elsewhere."""
    if "actions" in payload:
        return list(payload["actions"] or [])
    if kind == "new_match":
        return nudges_actions.new_match_actions(payload)
    return []


def action_label(action: Payload, language: str = "en") -> str:
    return str(action["label_ru"] if language == "ru" else action["label_en"])
