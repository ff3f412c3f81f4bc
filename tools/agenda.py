"""The agenda tool: the daily standup of SPEC §4 as a broker reads it in chat."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from langchain_core.tools import tool
from pydantic import Field

from crm_store.context import Ctx
from crm_store.errors import InvalidInput
from crm_store.models import Contact
from crm_store.services import followups as follow_up_service
from crm_store.services.agenda import AgendaItem
from crm_store.services.agenda import agenda as standup
from crm_store.services.agenda_titles import day_title
from crm_store.services.brokers import resolve_broker
from crm_store.services.deals import client_of
from crm_store.services.workhours import describe_day
from crm_store.vocabulary import stage_name
from tools.base import ToolArgs, run_tool
from tools.deps import ToolDeps
from tools.render import say, when

PER_GROUP = 5  # a chat standup lists the first five of a group and counts the rest


class AgendaArgs(ToolArgs):
    day: str | None = Field(None, description="YYYY-MM-DD; default today")
    broker: str | None = Field(None, description="managers: whose agenda")


@tool("agenda", args_schema=AgendaArgs, return_direct=True)
def agenda(day: str | None = None, broker: str | None = None, deps: ToolDeps | None = None) -> str:
    """The day's priorities: missed, today, hot deals, tomorrow, new leads; plus gaps."""

    def work(ctx: Ctx) -> str:
        lang = ctx.actor.language
        owners = [resolve_broker(ctx.session, broker).id] if broker else None
        try:
            on = date.fromisoformat(day) if day else None
        except ValueError as error:
            raise InvalidInput(
                "day must look like 2026-03-17.", "День в формате 2026-03-17."
            ) from error
        if on is not None and on == ctx.local_now().date():
            on = None
        items = standup(ctx, owner_ids=owners, day=on)
        lines, listed = _standup_lines(items, lang, on)
        lines.extend(_appointment_lines(ctx, owners, on))
        lines.extend(_gap_lines(ctx, owners, listed))
        if lines:
            return "\n".join(lines)
        if on is None:
            return say(lang, "Nothing on the agenda today.", "На сегодня ничего нет.")
        named = describe_day(on, language=lang)
        return say(lang, f"Nothing on the agenda for {named}.", f"На {named} ничего нет.")

    return run_tool(deps, work)


def _group_title(group: str, lang: str, on: date | None) -> str:
    """ "(today)" on today's agenda; another day's names its days: "(Tue 24 Nov)"."""
    title = day_title(group, lang, day=on)
    return title if on is not None and group in ("due_today", "due_tomorrow") else title.lower()


def _standup_lines(
    items: list[AgendaItem], lang: str, on: date | None
) -> tuple[list[str], set[str]]:
    """The lines, and the deals they already name (a gap list need not repeat them)."""
    lines: list[str] = []
    listed: set[str] = set()
    shown: dict[str, int] = {}
    for item in items:
        shown[item.group] = shown.get(item.group, 0) + 1
        if shown[item.group] <= PER_GROUP:
            lines.append(f"- {item.label}")
            if item.deal is not None:
                listed.add(item.deal.id)
        elif shown[item.group] == PER_GROUP + 1:
            more = sum(1 for other in items if other.group == item.group) - PER_GROUP
            title = _group_title(item.group, lang, on)
            lines.append(say(lang, f"- … and {more} more ({title})", f"- … и ещё {more} ({title})"))
    return lines, listed


def _gap_lines(ctx: Ctx, owners: list[str] | None, listed: set[str]) -> list[str]:
    """Deals nobody will contact: the most valuable first, each with its client and stage;
    those the standup already named ("nothing scheduled") are counted, not repeated."""
    open_gaps = follow_up_service.gaps(ctx, owner_ids=owners)
    if not open_gaps:
        return []
    lang = ctx.actor.language
    unlisted = [deal for deal in open_gaps if deal.id not in listed]
    above = len(open_gaps) - len(unlisted)
    lines = [
        say(
            lang,
            f"Deals without a next follow-up: {len(open_gaps)}"
            + (f" ({above} named above)" if above else ""),
            f"Сделки без следующего контакта: {len(open_gaps)}"
            + (f" ({above} — выше)" if above else ""),
        )
    ]
    for deal in unlisted[:PER_GROUP]:
        client_id = client_of(deal)
        client = ctx.session.get(Contact, client_id) if client_id else None
        who = client.full_name if client is not None else (getattr(deal, "address", None) or "")
        lines.append(f"- {deal.id} {who} — {stage_name(deal.stage, lang)}".replace("  ", " "))
    return lines


def _appointment_lines(ctx: Ctx, owners: list[str] | None, day: date | None) -> list[str]:
    """Showings and meetings of the day and the next, so "when do I see Sophie?" is answered."""
    from crm_store.services.appointments import upcoming_appointments

    lang, tz = ctx.actor.language, ctx.actor.tz
    first = day or ctx.local_now().date()
    start = max(ctx.now(), datetime.combine(first, time(0), tz))
    end = datetime.combine(first + timedelta(days=2), time(0), tz)
    found = upcoming_appointments(ctx, owner_ids=owners, start=start, end=end)
    if not found:
        return []
    lines = [say(lang, "Appointments:", "Встречи и показы:")]
    for appointment in found[:PER_GROUP]:
        client = ctx.session.get(Contact, appointment.contact)
        kind = (
            say(lang, "showing", "показ")
            if appointment.listings
            else say(lang, "meeting", "встреча")
        )
        shown = f" ({', '.join(appointment.listings)})" if appointment.listings else ""
        moment = when(appointment.scheduled_at, tz=ctx.actor.timezone, language=lang)
        lines.append(f"- {moment} {kind} {client.full_name if client else ''}{shown}")
    return lines


agenda.metadata = {"read_only": True}
TOOLS = [agenda]
