"""Payloads of the nudges about one follow-up, appointment or deal (due_soon, missed, gap,
stale_deal): plain JSON with ids, names, times and the NBA, so any channel can render them.

Everything a batch of payloads needs is loaded once (`load`): the follow-ups, appointments and
deals with their clients, the deals' probabilities per team, and a proposed follow-up for each
deal without one. Building a payload then reads no more data, except due_soon: it carries the
full next_best_action of its deal (a handful of reads), and only a few are due in any minute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from crm_store.context import Actor, Ctx
from crm_store.models import Appointment, Broker, BuyerRequest, Contact, FollowUp, Listing
from crm_store.repositories import deals as deals_repo
from crm_store.repositories import nudges as repo
from crm_store.services import nudges_actions as actions
from crm_store.services import nudges_timing as timing
from crm_store.services.brokers import actor_for
from crm_store.services.deals import deal_value
from crm_store.services.followups import Proposal, propose_next_follow_up
from crm_store.services.nba import next_best_action
from crm_store.services.nba_tables import Detail
from crm_store.services.probability import Probability, deal_probabilities
from crm_store.services.stages import side_of

Deal = Listing | BuyerRequest


def owner_actor(broker: Broker) -> Actor:
    """The broker reading their own records (role broker: no team lookups on every check)."""
    return Actor(
        broker_id=broker.id, name=broker.name, role="broker", team=broker.team,
        timezone=broker.timezone, language=broker.language, channel="nudges",
    )  # fmt: skip


@dataclass
class Loaded:
    """What a batch of nudges is built from, loaded in a few queries."""

    ctx: Ctx
    brokers: dict[str, Broker]
    follow_ups: dict[str, repo.FollowUpRow] = field(default_factory=dict)
    appointments: dict[str, repo.AppointmentRow] = field(default_factory=dict)
    deals: dict[str, tuple[Deal, Contact | None]] = field(default_factory=dict)
    client_deal: dict[str, Deal] = field(default_factory=dict)
    probabilities: dict[str, Probability] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)

    def owner_ctx(self, owner: str) -> Ctx:
        broker = self.brokers.get(owner)
        actor = owner_actor(broker) if broker is not None else self.ctx.actor
        return Ctx(session=self.ctx.session, actor=actor, clock=self.ctx.clock)

    def deal_of(self, deal_id: str | None, contact_id: str | None) -> Deal | None:
        """The named deal, else the client's most valuable open deal."""
        if deal_id and deal_id in self.deals:
            return self.deals[deal_id][0]
        return self.client_deal.get(contact_id or "")


def load(
    ctx: Ctx,
    brokers: dict[str, Broker],
    *,
    follow_up_ids: Collection[str] = (),
    appointment_ids: Collection[str] = (),
    deal_ids: Collection[str] = (),
    propose_for: Collection[str] = (),
) -> Loaded:
    """Load rows, probabilities and proposals for these follow-ups, appointments and deals."""
    session = ctx.session
    loaded = Loaded(ctx=ctx, brokers=brokers)
    loaded.follow_ups = repo.follow_ups_by_ids(session, follow_up_ids)
    loaded.appointments = repo.appointments_by_ids(session, appointment_ids)
    rows: list[FollowUp | Appointment] = [r[0] for r in loaded.follow_ups.values()]
    rows += [r[0] for r in loaded.appointments.values()]
    wanted = set(deal_ids) | {r.deal for r in rows if r.deal}
    loaded.deals = repo.deals_by_ids(session, wanted)
    clients = {r.contact for r in rows if not r.deal}
    for deal in deals_repo.open_deals_of_contacts(session, clients):
        client = deal.seller if isinstance(deal, Listing) else deal.buyer
        best = loaded.client_deal.get(client or "")
        if client and (best is None or deal_value(deal) > deal_value(best)):
            loaded.client_deal[client] = deal
    every = [d for d, _ in loaded.deals.values()] + list(loaded.client_deal.values())
    loaded.probabilities = probabilities_by_team(ctx, {d.id: d for d in every}.values(), brokers)
    for deal_id in propose_for:
        if deal_id in loaded.deals:
            deal = loaded.deals[deal_id][0]
            loaded.proposals[deal_id] = propose_next_follow_up(
                loaded.owner_ctx(deal.owner),
                deal=deal,
                probability=loaded.probabilities[deal_id].value,
            )
    return loaded


def probabilities_by_team(
    ctx: Ctx, deals: Iterable[Deal], brokers: dict[str, Broker]
) -> dict[str, Probability]:
    """Probabilities per team, so each team's closed deals teach its own stage rates."""
    by_team: dict[str | None, list[Deal]] = defaultdict(list)
    for deal in deals:
        owner = brokers.get(deal.owner)
        by_team[owner.team if owner else None].append(deal)
    members: dict[str, Broker] = {}
    for broker in sorted(brokers.values(), key=lambda b: b.id):
        members.setdefault(broker.team, broker)
    out: dict[str, Probability] = {}
    for team, group in by_team.items():
        team_ctx = ctx
        if team is not None:
            actor = actor_for(members[team], channel="nudges")
            team_ctx = Ctx(session=ctx.session, actor=actor, clock=ctx.clock)
        out.update(deal_probabilities(team_ctx, group))
    return out


def who(deal: Deal | None, contact: Contact | None) -> str:
    """The client's name, else the listing's address, else the id."""
    if contact is not None:
        return contact.full_name
    if isinstance(deal, Listing) and deal.address:
        return deal.address
    return deal.id if deal is not None else "?"


def _deal_fields(deal: Deal | None) -> dict[str, Any]:
    if deal is None:
        return {"deal": None, "side": None, "stage": None, "value": None, "address": None}
    return {
        "deal": deal.id,
        "side": side_of(deal).value,
        "stage": deal.stage,
        "value": str(deal_value(deal)),
        "address": deal.address if isinstance(deal, Listing) else None,
    }


def _nba(loaded: Loaded, deal: Deal | None, *, full: bool, details: Iterable[Detail] = ()) -> Any:
    if deal is None or deal.id not in loaded.probabilities:
        return None
    probability = loaded.probabilities[deal.id]
    if full:
        nba = next_best_action(loaded.owner_ctx(deal.owner), deal, probability=probability)
        return actions.nba_payload(nba)
    return actions.nba_line(deal, probability, details=details)


def follow_up_payload(loaded: Loaded, follow_up_id: str, *, kind: str) -> dict[str, Any] | None:
    """due_soon / missed about one follow-up; None when it vanished since it was found due."""
    if follow_up_id not in loaded.follow_ups:
        return None
    follow_up, contact = loaded.follow_ups[follow_up_id]
    tz = loaded.brokers[follow_up.owner].timezone
    deal = loaded.deal_of(follow_up.deal, follow_up.contact)
    snooze = timing.snooze_until(follow_up.due_at, loaded.ctx.now(), tz=tz)
    return {
        "about": "follow_up",
        "follow_up": follow_up.id,
        "contact": follow_up.contact,
        "contact_name": who(deal, contact),
        **_deal_fields(deal),
        "channel": follow_up.channel,
        "purpose": follow_up.purpose,
        "due_at": follow_up.due_at.isoformat(),
        "nba": _nba(loaded, deal, full=kind == "due_soon"),
        "actions": actions.follow_up_actions(
            follow_up.id,
            contact_id=follow_up.contact,
            deal_id=deal.id if deal is not None else None,
            snooze_to=timing.local_iso(snooze, tz=tz),
        ),
    }


def appointment_payload(loaded: Loaded, appointment_id: str) -> dict[str, Any] | None:
    """due_soon about a meeting or showing."""
    if appointment_id not in loaded.appointments:
        return None
    appointment, contact = loaded.appointments[appointment_id]
    deal = loaded.deal_of(appointment.deal, appointment.contact)
    return {
        "about": "appointment",
        "appointment": appointment.id,
        "contact": appointment.contact,
        "contact_name": who(deal, contact),
        **_deal_fields(deal),
        "scheduled_at": appointment.scheduled_at.isoformat(),
        "listings": [str(item) for item in appointment.listings or []],
        "nba": _nba(loaded, deal, full=True),
        "actions": actions.appointment_actions(
            appointment.id,
            contact_id=appointment.contact,
            deal_id=deal.id if deal is not None else None,
        ),
    }


def proposal_payload(proposal: Proposal, *, tz: str) -> dict[str, Any]:
    return {
        "due_at": proposal.due_at.isoformat(),
        "local": timing.local_iso(proposal.due_at, tz=tz),
        "temperature": proposal.temperature,
        "reason_en": proposal.reason,
        "reason_ru": proposal.reason_ru,
    }


def deal_payload(loaded: Loaded, deal_id: str, *, kind: str) -> dict[str, Any] | None:
    """gap / stale_deal about one deal: who, stage, the proposed next follow-up and the NBA."""
    if deal_id not in loaded.deals or deal_id not in loaded.proposals:
        return None
    deal, contact = loaded.deals[deal_id]
    proposal = loaded.proposals[deal_id]
    tz = loaded.brokers[deal.owner].timezone
    proposed = proposal_payload(proposal, tz=tz)
    client = deal.seller if isinstance(deal, Listing) else deal.buyer
    return {
        "about": "deal",
        "contact": client,
        "contact_name": who(deal, contact),
        **_deal_fields(deal),
        "proposal": proposed,
        "idle_days": timing.STALE_AFTER.days if kind == "stale_deal" else None,
        "nba": _nba(loaded, deal, full=False),
        "actions": actions.schedule_actions(
            contact_id=client, deal_id=deal.id, proposed=proposed["local"]
        ),
    }
