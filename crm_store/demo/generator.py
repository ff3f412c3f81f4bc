"""`copilot init --demo`: a deterministic, realistic brokerage generated into an empty store."""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from decimal import Decimal

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from crm_store.context import Ctx
from crm_store.demo.buyer_side import new_buyer, write_buyer
from crm_store.demo.buyers import Search
from crm_store.demo.odds import DemoRandom
from crm_store.demo.people import (
    CORE_TEAM,
    TEAM,
    TIMEZONE,
    PeopleFactory,
    Person,
    TeamMember,
    extra_broker_names,
)
from crm_store.demo.pipeline import buyer_history, seller_history
from crm_store.demo.plans import write_plans
from crm_store.demo.properties import Property
from crm_store.demo.seller_side import ListingPlan, new_seller, write_seller
from crm_store.demo.state import DemoState, Sink, TeamBroker
from crm_store.demo.summary import BrokerLine, DemoSummary
from crm_store.errors import InvalidInput
from crm_store.models import Broker, Contact
from crm_store.repositories.base import ID_PREFIXES, count, reset_counters

DEFAULT_SEED = 20260310
LISTINGS_PER_BROKER = 100  # a full-time broker's book; big demos get more brokers
MAX_BROKERS = 1000
BATCH_ROWS = 20_000
SEED_NAMES = {
    "Ivan Petrov",
    "Иван Петров",
    "Maria Ivanova",
    "Мария Иванова",
    "Olga Smirnova",
    "Ольга Смирнова",
}


def generate_demo(
    ctx: Ctx, *, listings: int = 300, seed: int = DEFAULT_SEED, progress: bool = False
) -> DemoSummary:
    """Fill an empty store with a demo brokerage; the same seed and clock give the same rows."""
    if listings < 1:
        raise InvalidInput(
            "A demo needs at least one listing.", "В демо нужен хотя бы один объект."
        )
    _refuse_non_empty(ctx)
    started = time.perf_counter()
    # The rows are plain acyclic dicts; full collections over millions of them made big demos
    # superlinear, so the cyclic collector rests until generation is over.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(ctx, listings=listings, seed=seed, progress=progress, started=started)
    finally:
        if collecting:
            gc.enable()


def _generate(ctx: Ctx, *, listings: int, seed: int, progress: bool, started: float) -> DemoSummary:
    rng = DemoRandom(seed)
    reserved = {member.name for member in CORE_TEAM} | SEED_NAMES
    state = DemoState(
        rng=rng,
        sink=Sink(ctx.session, BATCH_ROWS),
        now=ctx.now(),
        people=PeopleFactory(rng, reserved_names=reserved),
    )
    _write_team(state, listings)
    buyers_total = max(2, round(listings / 2))
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, disable=not progress) as bar:
        task = bar.add_task("Generating the demo", total=listings + buyers_total)
        write_olga = _write_seed_clients(state)
        made = 1
        bar.advance(task, 2)
        while made < listings:
            step = new_seller(state, listings - made)
            made += step
            bar.advance(task, step)
        write_olga()  # after the listings, so her showings have listings to show
        bar.advance(task)
        for _ in range(buyers_total - 2):
            new_buyer(state)
            bar.advance(task)
        team_plan = write_plans(state)
        bar.update(task, description="Saving")
        state.sink.flush()
        reset_counters(ctx.session)
        bar.update(task, description="Done")
    return _summary(state, seed, team_plan, time.perf_counter() - started)


def _refuse_non_empty(ctx: Ctx) -> None:
    if any(count(ctx.session, model) for model in ID_PREFIXES):
        raise InvalidInput(
            "The store already has data; run copilot init --demo on a fresh store "
            "(delete var/ or set COPILOT_DATABASE_URL)",
            "В хранилище уже есть данные; запустите copilot init --demo на пустом хранилище "
            "(удалите var/ или задайте COPILOT_DATABASE_URL)",
        )


def _write_team(state: DemoState, listings: int) -> None:
    """The named team, plus one broker per ~100 listings beyond the first 400."""
    extra = min(MAX_BROKERS, max(0, math.ceil(listings / LISTINGS_PER_BROKER) - 4))
    taken = {m.name for m in CORE_TEAM} | SEED_NAMES
    members: list[TeamMember] = [*CORE_TEAM, *extra_broker_names(state.rng, extra, taken)]
    rows = []
    for member in members:
        broker = TeamBroker(
            state.ids.next("b"), member.name, member.role, member.language, TIMEZONE
        )
        state.brokers.append(broker)
        rows.append(
            {
                "id": broker.id,
                "name": broker.name,
                "role": broker.role,
                "team": TEAM,
                "timezone": broker.timezone,
                "language": broker.language,
                "telegram_user_id": None,
                "slack_user_id": None,
                "active": True,
            }
        )
    state.people.reserved_names.update(m.name for m in members)
    state.sink.add(Broker, rows)


def _broker(state: DemoState, name: str) -> TeamBroker:
    return next(b for b in state.brokers if b.name == name)


def _write_seed_clients(state: DemoState) -> Callable[[], None]:
    """The source model's examples: Ivan Petrov, Maria Ivanova's villa, Olga Smirnova.

    Olga's request is written later (returned as a callable) so her past showings can use
    the team's listings; her contact is written now so the three keep the first ids.
    """
    rng = state.rng
    write_buyer(
        state,
        person=Person("Ivan Petrov", "Ivan Petrov", "ru", "en"),
        owner=_broker(state, "Anna Georgiou"),
        contact=None,
        search=Search(
            ["Limassol"],
            [],
            ["apartment"],
            2,
            [],
            "walk to the beach, quiet building, ready to move in",
            Decimal("400000"),
            Decimal("500000"),
            6,
            "cash",
        ),
        history=buyer_history(rng, "demand_research"),
        follow_up="tomorrow",
    )
    villa = Property(
        "villa",
        "Paphos",
        "Peyia",
        "Agiou Georgiou 17, Peyia",
        4,
        3,
        240.0,
        ("garden", "parking", "pool", "private_pool", "sea_view"),
        ("bbq",),
        Decimal("850000"),
    )
    write_seller(
        state,
        person=Person("Maria Ivanova", "Maria Ivanova", "ru", "ru"),
        owner=_broker(state, "Elena Sokolova"),
        plans=[
            ListingPlan(
                villa,
                seller_history(rng, "agreement_signed"),
                mandate="exclusive",
                commission_pct=Decimal("3.00"),
                follow_up="tomorrow",
            )
        ],
    )
    olga = Person("Olga Smirnova", "Olga Smirnova", "ru", "ru")
    dmitry = _broker(state, "Dmitry Volkov")
    history = buyer_history(rng, "viewing")
    times = [state.calendar(dmitry).past(move.day, rng) for move in history.moves]
    contact = state.contact_row(person=olga, owner=dmitry, role="buyer", created_at=times[0])
    state.sink.add(Contact, [contact])

    def write_request() -> None:
        write_buyer(
            state,
            person=olga,
            owner=dmitry,
            contact=str(contact["id"]),
            search=Search(
                ["Limassol"],
                ["Germasogeia", "Potamos Germasogeia"],
                ["apartment"],
                2,
                ["sea_view"],
                "хотят вид на море и чтобы до пляжа пешком",
                Decimal("400000"),
                Decimal("550000"),
                3,
                "mortgage",
            ),
            history=history,
            follow_up="today",
            times=times,
        )

    return write_request


def _summary(
    state: DemoState, seed: int, team_plan: tuple[Decimal, int] | None, seconds: float
) -> DemoSummary:
    cal = state.calendar(state.brokers[0])
    month = f"{cal.today.year:04d}-{cal.today.month:02d}"
    lines = []
    for broker in state.brokers:
        tally = state.tallies[broker.id]
        lines.append(
            BrokerLine(
                broker.id,
                broker.name,
                broker.role,
                broker.language,
                tally.open_deals,
                tally.missed,
                tally.due_today,
                tally.gaps,
            )
        )
    return DemoSummary(
        seed=seed,
        now=state.now.astimezone(cal.tz),
        team=TEAM,
        counts={name: rows for name, rows in state.sink.counts.items()},
        brokers=lines,
        active_listings=state.active_listings,
        missed_follow_ups=sum(line.missed for line in lines),
        due_today=sum(line.due_today for line in lines),
        gaps=sum(line.gaps for line in lines),
        nurturing_buyers=state.nurturing_buyers,
        closed_won_this_month=sum(n for (_, m), n in state.won.items() if m == month),
        revenue_this_month=sum(
            (v for (_, m), v in state.revenue.items() if m == month), Decimal("0.00")
        ),
        plan_revenue_this_month=team_plan[0] if team_plan else None,
        plan_deals_this_month=team_plan[1] if team_plan else None,
        seconds=seconds,
    )
