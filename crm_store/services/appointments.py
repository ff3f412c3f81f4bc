"""Appointments (SPEC §2): book meetings and showings, record outcomes and per-listing feedback."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import AlreadyExists, Forbidden, InvalidInput, NotFound
from crm_store.models import Appointment, BuyerRequest, Contact, Listing
from crm_store.repositories import activities as activities_repo
from crm_store.repositories import appointments as repo
from crm_store.repositories import deals as deals_repo
from crm_store.repositories.base import add, record
from crm_store.services.contacts import get_contact
from crm_store.services.deals import client_of
from crm_store.services.feedback import feedback_items, merge_feedback
from crm_store.services.followups import Proposal, propose_next_follow_up, resolve_owner_ids
from crm_store.services.permissions import can_see_listing_facts, ensure_readable, ensure_writable
from crm_store.services.scope import subject
from crm_store.services.stages import get_deal
from crm_store.services.workhours import describe, to_local
from crm_store.vocabulary import stage_name

Deal = Listing | BuyerRequest

OUTCOMES = ("done", "no_show", "cancelled")


@dataclass(frozen=True)
class StageProposal:
    """A stage move the broker may want after an appointment (never applied automatically)."""

    deal_id: str
    from_stage: str
    to_stage: str

    def text(self, language: str = "en") -> str:
        old, new = stage_name(self.from_stage, language), stage_name(self.to_stage, language)
        if language == "ru":
            return f"Перевести сделку {self.deal_id} с этапа «{old}» на «{new}»?"
        return f"Move deal {self.deal_id} from {old} to {new}?"


@dataclass(frozen=True)
class AfterAppointment:
    """What to propose after an outcome: a stage move (if one fits) and the next follow-up."""

    stage_move: StageProposal | None
    follow_up: Proposal | None


def _owner_tz(ctx: Ctx, owner: str) -> str:
    if owner == ctx.actor.broker_id:
        return ctx.actor.timezone
    return activities_repo.broker_timezones(ctx.session, [owner]).get(owner, ctx.actor.timezone)


def _future(ctx: Ctx, when: datetime, *, tz: str) -> datetime:
    """An aware time (a naive one is broker-local) that is not in the past."""
    local = to_local(when, tz=tz)
    if local < ctx.now():
        raise InvalidInput(
            f"{describe(local, tz=tz)} is in the past. Pick a future time for the appointment "
            "(to record one that already happened, book it and record its outcome).",
            f"{describe(local, tz=tz, language='ru')} уже прошло. Выберите время в будущем "
            "(прошедшую встречу запишите через её итог).",
        )
    return local


def _visible_listings(ctx: Ctx, listing_ids: Iterable[str]) -> list[str]:
    """The ids, in order and once each, after checking each exists and may be shown."""
    wanted = list(dict.fromkeys(str(i).strip() for i in listing_ids if str(i).strip()))
    found = repo.listings_by_ids(ctx.session, wanted)
    for listing_id in wanted:
        listing = found.get(listing_id)
        if listing is None:
            raise NotFound(
                f"There is no listing {listing_id}; search listings by address to find its id.",
                f"Объекта {listing_id} нет; найдите его номер по адресу.",
            )
        if not can_see_listing_facts(ctx, listing):
            raise Forbidden(
                f"Listing {listing_id} is a colleague's and not on the market, so it cannot be "
                "shown; pick one of the team's active listings.",
                f"Объект {listing_id} принадлежит коллеге и не в продаже, показать его нельзя; "
                "выберите активный объект команды.",
            )
    return wanted


def _deal_for(ctx: Ctx, contact: Contact, deal_id: str | None, *, showing: bool) -> Deal | None:
    """The named deal (it must be this contact's), or the contact's only fitting open deal."""
    if deal_id:
        deal = get_deal(ctx, deal_id=deal_id)
        ensure_writable(ctx, deal, what="deal")
        if client_of(deal) != contact.id:
            raise InvalidInput(
                f"Deal {deal.id} is not {contact.full_name}'s; name one of their deals or none.",
                f"Сделка {deal.id} не относится к клиенту {contact.full_name}; укажите его "
                "сделку или не указывайте никакую.",
            )
        return deal
    candidates = deals_repo.open_deals_of_contacts(ctx.session, [contact.id])
    if showing:  # a showing is part of the client's buying, not of their selling
        candidates = [d for d in candidates if isinstance(d, BuyerRequest)]
    return candidates[0] if len(candidates) == 1 else None


def book_appointment(
    ctx: Ctx,
    *,
    contact_id: str,
    scheduled_at: datetime,
    listing_ids: Iterable[str] = (),
    deal_id: str | None = None,
    next_step: str | None = None,
    happened: bool = False,
) -> Appointment:
    """Book a showing (listings attached) or a meeting with one of the actor's clients;
    `happened`: record one that already took place (a note's "showed him yesterday"), whose
    time is in the past and never in the future."""
    contact = get_contact(ctx, contact_id=contact_id)
    ensure_writable(ctx, contact, what="contact")
    listings = _visible_listings(ctx, listing_ids)
    deal = _deal_for(ctx, contact, deal_id, showing=bool(listings))
    if happened:
        when = min(scheduled_at, ctx.now())
    else:
        when = _future(ctx, scheduled_at, tz=_owner_tz(ctx, contact.owner))
        _refuse_repeat(ctx, contact, when, listings)
    appointment = Appointment(
        owner=contact.owner,
        contact=contact.id,
        listing_id=deal.id if isinstance(deal, Listing) else None,
        buyer_request_id=deal.id if isinstance(deal, BuyerRequest) else None,
        listings=listings,
        scheduled_at=when,
        status="scheduled",
        feedback=[],
        next_step=(next_step or "").strip() or None,
    )
    return add(ctx, appointment)


def _refuse_repeat(ctx: Ctx, contact: Contact, when: datetime, listings: list[str]) -> None:
    """The same visit (client, minute, the same homes) asked for again is not booked twice."""
    minute = when.replace(second=0, microsecond=0)
    same = repo.scheduled_visit_between(
        ctx.session, contact.id, minute, minute + timedelta(minutes=1)
    )
    if same is not None and sorted(same.listings or []) == sorted(listings):
        when_en = describe(same.scheduled_at, tz=ctx.actor.timezone, language="en")
        when_ru = describe(same.scheduled_at, tz=ctx.actor.timezone, language="ru")
        raise AlreadyExists(
            f"Appointment {same.id} is already booked: {contact.full_name}, {when_en}. "
            "Nothing new was added.",
            f"Встреча {same.id} уже назначена: {contact.full_name}, {when_ru}. Новая не добавлена.",
            appointment=same.id,
        )


def get_appointment(ctx: Ctx, *, appointment_id: str) -> Appointment:
    """One appointment the actor may open."""
    appointment = repo.get_appointment(ctx.session, appointment_id)
    if appointment is None:
        raise NotFound(
            f"There is no appointment {appointment_id}; list upcoming appointments to find it.",
            f"Встречи {appointment_id} нет; посмотрите список предстоящих встреч.",
        )
    ensure_readable(ctx, appointment, what="appointment")
    return appointment


def _check_outcome(ctx: Ctx, appointment: Appointment, status: str) -> None:
    if status not in OUTCOMES:
        raise InvalidInput(
            f"'{status}' is not an outcome; use one of {', '.join(OUTCOMES)}.",
            f"«{status}» — не итог встречи; используйте {', '.join(OUTCOMES)}.",
        )
    if appointment.status not in ("scheduled", status):
        raise InvalidInput(
            f"Appointment {appointment.id} is already recorded as {appointment.status}; it "
            f"cannot become {status}. Book a new appointment instead.",
            f"Встреча {appointment.id} уже записана как {appointment.status}; изменить итог "
            f"на {status} нельзя. Назначьте новую встречу.",
        )
    tz = _owner_tz(ctx, appointment.owner)
    today = to_local(ctx.now(), tz=tz).date()
    if status != "cancelled" and to_local(appointment.scheduled_at, tz=tz).date() > today:
        raise InvalidInput(
            f"Appointment {appointment.id} is on {describe(appointment.scheduled_at, tz=tz)}, "
            f"so it cannot be {status.replace('_', ' ')} yet. Cancel or reschedule it instead.",
            f"Встреча {appointment.id} назначена на "
            f"{describe(appointment.scheduled_at, tz=tz, language='ru')}, её итог пока не "
            "записать. Отмените или перенесите её.",
        )


def record_outcome(
    ctx: Ctx,
    *,
    appointment_id: str,
    status: str,
    feedback: Iterable[Any] = (),
    next_step: str | None = None,
    add_listings: Iterable[str] = (),
) -> Appointment:
    """Record how an appointment went (done | no_show | cancelled) and, when done, the client's
    reaction per listing; listings reacted to (or in `add_listings`) but not yet on the showing
    are added to it."""
    appointment = get_appointment(ctx, appointment_id=appointment_id)
    ensure_writable(ctx, appointment, what="appointment")
    status = str(status or "").strip().lower().replace("-", "_").replace(" ", "_")
    _check_outcome(ctx, appointment, status)
    items = feedback_items(feedback)
    if items and status != "done":
        raise InvalidInput(
            "Feedback on listings is recorded only for a showing that took place (status done).",
            "Отзывы об объектах записываются только для состоявшегося показа (статус done).",
        )
    shown = list(appointment.listings or [])
    named = [*(item["listing"] for item in items), *(str(i) for i in add_listings)]
    extra = [listing for listing in dict.fromkeys(named) if listing not in shown]
    if extra and status != "done":
        raise InvalidInput(
            "Listings are added only to a showing that took place (status done).",
            "Объекты добавляются только к состоявшемуся показу (статус done).",
        )
    changes: dict[str, Any] = {}
    if extra:
        shown.extend(_visible_listings(ctx, extra))
        changes["listings"] = [list(appointment.listings or []), shown]
        appointment.listings = shown
    merged = merge_feedback(list(appointment.feedback or []), items)
    if merged != list(appointment.feedback or []):
        changes["feedback"] = [list(appointment.feedback or []), merged]
        appointment.feedback = merged
    if appointment.status != status:
        changes["status"] = [appointment.status, status]
        appointment.status = status
    step = (next_step or "").strip() or None
    if step is not None and step != appointment.next_step:
        changes["next_step"] = [appointment.next_step, step]
        appointment.next_step = step
    if changes:
        ctx.session.flush()
        record(
            ctx, action="outcome", entity="appointments", entity_id=appointment.id, changes=changes
        )
    return appointment


def reschedule_appointment(ctx: Ctx, *, appointment_id: str, scheduled_at: datetime) -> Appointment:
    """Move a scheduled appointment to another future time."""
    appointment = get_appointment(ctx, appointment_id=appointment_id)
    ensure_writable(ctx, appointment, what="appointment")
    if appointment.status != "scheduled":
        raise InvalidInput(
            f"Appointment {appointment.id} is already {appointment.status}; book a new one.",
            f"Встреча {appointment.id} уже в статусе {appointment.status}; назначьте новую.",
        )
    when = _future(ctx, scheduled_at, tz=_owner_tz(ctx, appointment.owner))
    changes = {"scheduled_at": [appointment.scheduled_at, when]}
    appointment.scheduled_at = when
    ctx.session.flush()
    record(
        ctx, action="reschedule", entity="appointments", entity_id=appointment.id, changes=changes
    )
    return appointment


def upcoming_appointments(
    ctx: Ctx,
    *,
    owner_ids: Collection[str] | None = None,
    start: datetime,
    end: datetime,
) -> list[Appointment]:
    """Scheduled appointments in [start, end) of the actor (a manager: the team), soonest first."""
    owners = resolve_owner_ids(ctx, owner_ids)
    return repo.appointments_between(
        ctx.session, owner_ids=owners, start=start, end=end, statuses=("scheduled",)
    )


def disliked_listing_ids(ctx: Ctx, *, contact_id: str) -> set[str]:
    """Listings this client disliked at any showing (a curated list never offers them again)."""
    contact = get_contact(ctx, contact_id=contact_id)
    disliked: set[str] = set()
    for feedback in repo.feedback_of_contact(ctx.session, contact.id):
        for item in feedback:
            if (
                isinstance(item, dict)
                and item.get("reaction") == "disliked"
                and item.get("listing")
            ):
                disliked.add(str(item["listing"]))
    return disliked


def last_appointment_for(
    ctx: Ctx,
    *,
    contact_id: str | None = None,
    deal_id: str | None = None,
    statuses: Collection[str] | None = None,
) -> Appointment | None:
    """The latest appointment up to now with a contact or on a deal (optionally by status)."""
    about = subject(ctx, contact_id=contact_id, deal_id=deal_id)
    return repo.latest_appointment(
        ctx.session,
        contact_id=about.contact_id,
        listing_id=about.listing_id,
        request_id=about.request_id,
        until=ctx.now(),
        statuses=statuses,
    )


def after_appointment(ctx: Ctx, *, appointment: Appointment) -> AfterAppointment:
    """The stage move that a done appointment suggests (the broker decides) and the next
    follow-up date; a no-show or cancellation proposes only the follow-up."""
    ensure_readable(ctx, appointment, what="appointment")
    deal = deals_repo.find_deal(ctx.session, appointment.deal) if appointment.deal else None
    move: StageProposal | None = None
    if appointment.status == "done" and deal is not None:
        target = suggested_stage(deal, showing=bool(appointment.listings))
        if target is not None:
            move = StageProposal(deal_id=deal.id, from_stage=deal.stage, to_stage=target)
    proposal = (
        propose_next_follow_up(ctx, deal=deal)
        if deal is not None
        else propose_next_follow_up(ctx, contact_id=appointment.contact)
    )
    return AfterAppointment(stage_move=move, follow_up=proposal)


def suggested_stage(deal: Deal, *, showing: bool) -> str | None:
    """A first meeting opens active sales; a first showing moves a researched buyer to viewing."""
    if isinstance(deal, Listing):
        return "contacted" if deal.stage == "prospect" else None
    if deal.stage == "qualification":
        return "demand_research"
    if deal.stage == "demand_research" and showing:
        return "viewing"
    return None
