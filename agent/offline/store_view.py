"""Read-only looks at the store for one turn: the visible listings, a client's deals, the
listings of their showing and their open follow-ups. Each is read at most once per turn, and
only when asked for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agent.offline.listings import ListingIndex, ListingInfo
from crm_store.context import Actor
from crm_store.models import Listing
from crm_store.repositories import ids, lookup
from crm_store.repositories.appointments import visible_listings_like
from crm_store.services import permissions
from crm_store.vocabulary import is_terminal
from tools.deps import Backend

_ALL_VISIBLE = 10_000


@dataclass(frozen=True)
class DealInfo:
    """A client's deal as the model needs it: which side, which stage, what it is about."""

    id: str
    side: str  # seller | buyer
    stage: str
    property_type: str | None = None
    cities: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    property_types: tuple[str, ...] = ()
    must_haves: tuple[str, ...] = ()
    wishes: str | None = None

    @property
    def open(self) -> bool:
        return not is_terminal(self.stage)


@dataclass(frozen=True)
class FollowUpInfo:
    """An open follow-up (or a scheduled appointment: channel "meeting") as the model needs it
    to tell it from the client's others."""

    id: str
    channel: str
    due_at: datetime  # aware
    purpose: str | None = None  # "collect the title deed": a follow-up named by what it is for


def _deal_info(deal: Any) -> DealInfo:
    if isinstance(deal, Listing):
        return DealInfo(deal.id, "seller", deal.stage, property_type=deal.property_type)
    return DealInfo(
        deal.id,
        "buyer",
        deal.stage,
        cities=tuple(deal.cities or ()),
        districts=tuple(deal.districts or ()),
        property_types=tuple(deal.property_types or ()),
        must_haves=tuple(deal.must_haves or ()),
        wishes=deal.wishes or None,
    )


def _visible(ctx: Any, found: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Only the ids of records the actor may open (or, for a listing, show)."""
    seen: dict[str, dict[str, str]] = {}
    for ref, held in found.items():
        for kind, record_id in held.items():
            record = ctx.session.get(ids.NAMEABLE[kind], record_id)
            if kind == "listing":
                visible = permissions.can_see_listing_facts(ctx, record)
            else:
                visible = permissions.can_read(ctx, record)
            if visible:
                seen.setdefault(ref, {})[kind] = record_id
    return seen


@dataclass
class StoreView:
    """The actor's store, read lazily within this turn."""

    backend: Backend
    actor: Actor
    _listings: ListingIndex | None = field(default=None, init=False)
    _deals: dict[str, list[DealInfo]] = field(default_factory=dict, init=False)
    _shown: dict[str, list[str]] = field(default_factory=dict, init=False)
    _follow_ups: dict[str, list[FollowUpInfo]] = field(default_factory=dict, init=False)
    _visits: dict[str, list[FollowUpInfo]] = field(default_factory=dict, init=False)
    _ids: dict[frozenset[str], dict[str, dict[str, str]]] = field(default_factory=dict, init=False)

    def record_ids(
        self, refs: Iterable[str], kinds: Iterable[str] | None = None
    ) -> dict[str, dict[str, str]]:
        """Which of `refs` are ids of records the broker can see: lower-case ref → {kind: id}
        (a listing: their own, or a colleague's on the market; the rest: their own)."""
        wanted = frozenset(refs)
        chosen = tuple(ids.NAMEABLE if kinds is None else kinds)
        key = wanted | {f"\0{kind}" for kind in chosen}
        if key not in self._ids:
            with self.backend.unit_of_work(self.actor) as ctx:
                found = ids.known_ids(ctx.session, wanted, chosen)
                self._ids[key] = _visible(ctx, found)
        return self._ids[key]

    def listings(self) -> ListingIndex:
        """Every listing the broker may see: their own at any stage, the team's active ones."""
        if self._listings is None:
            with self.backend.unit_of_work(self.actor) as ctx:
                owners = permissions.visible_owner_ids(ctx)
                team = None if owners is None else permissions.team_broker_ids(ctx)
                rows = visible_listings_like(
                    ctx.session, owner_ids=owners, team_ids=team, limit=_ALL_VISIBLE
                )
                infos = [
                    ListingInfo(
                        id=row.id,
                        address=row.address or "",
                        district=row.district,
                        city=row.city,
                        property_type=row.property_type,
                        seller=row.seller,
                        stage=row.stage,
                        price=row.price,
                    )
                    for row in rows
                ]
            self._listings = ListingIndex(infos)
        return self._listings

    def client_of(self, held: dict[str, str]) -> str | None:
        """The contact id of the client one of these records (kind → id) is about."""
        with self.backend.unit_of_work(self.actor) as ctx:
            for kind, record_id in held.items():
                record = ctx.session.get(ids.NAMEABLE[kind], record_id)
                for field_name in ("seller", "buyer", "contact"):
                    client = getattr(record, field_name, None)
                    if isinstance(client, str):
                        return client
        return None

    def deals_of(self, contact_id: str) -> list[DealInfo]:
        """A client's deals, newest first (open and closed)."""
        if contact_id not in self._deals:
            with self.backend.unit_of_work(self.actor) as ctx:
                deals = lookup.deals_of_contact(ctx.session, contact_id)
                self._deals[contact_id] = [_deal_info(deal) for deal in deals]
        return self._deals[contact_id]

    def shown_to(self, contact_id: str) -> list[str]:
        """The listings of the client's showing (scheduled by today, else the latest done one):
        a showing booked for another day has not happened, so nothing was said of it."""
        if contact_id not in self._shown:
            listings: list[str] = []
            with self.backend.unit_of_work(self.actor) as ctx:
                tz = self.actor.tz
                today = ctx.now().astimezone(tz).date()
                for status in ("scheduled", "done"):
                    found = [
                        a
                        for a in lookup.appointments_of_contact(
                            ctx.session, contact_id, status=status
                        )
                        if a.scheduled_at.astimezone(tz).date() <= today
                    ]
                    if found:
                        listings = list(found[0].listings or [])
                        break
            self._shown[contact_id] = listings
        return self._shown[contact_id]

    def open_follow_ups(self, contact_id: str) -> list[FollowUpInfo]:
        """A client's open follow-ups, soonest first."""
        if contact_id not in self._follow_ups:
            with self.backend.unit_of_work(self.actor) as ctx:
                found = lookup.open_follow_ups_of_contact(ctx.session, contact_id)
                self._follow_ups[contact_id] = [
                    FollowUpInfo(f.id, f.channel, f.due_at, f.purpose) for f in found
                ]
        return self._follow_ups[contact_id]

    def scheduled_appointments(self, contact_id: str) -> list[FollowUpInfo]:
        """A client's scheduled appointments (showings and meetings), soonest first."""
        if contact_id not in self._visits:
            with self.backend.unit_of_work(self.actor) as ctx:
                found = lookup.appointments_of_contact(ctx.session, contact_id, status="scheduled")
                self._visits[contact_id] = sorted(
                    (FollowUpInfo(a.id, "meeting", a.scheduled_at) for a in found),
                    key=lambda info: info.due_at,
                )
        return self._visits[contact_id]
