"""Who acts, through which channel and message, and when: passed to every service call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from crm_store.clock import Clock, SystemClock

# The role of an Actor built without one: it may neither read nor change anything. Whoever
# acts says so: a broker's role comes from their row (services.brokers.actor_for), the system's
# from SYSTEM below.
NO_ROLE = "none"


@dataclass(frozen=True)
class Actor:
    """The acting broker as the channel identified them; never taken from a model's output.

    Safe by default: without an explicit `role` an Actor has no rights at all."""

    broker_id: str | None = None
    name: str = "unknown"
    role: str = NO_ROLE
    team: str = "main"
    timezone: str = "Asia/Nicosia"
    language: str = "en"
    channel: str = "cli"
    message: str | None = None

    @property
    def is_manager(self) -> bool:
        return self.role in ("manager", "admin")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_message(self, channel: str, message: str | None) -> Actor:
        """The same broker, attributing the next changes to this channel and message."""
        return Actor(
            broker_id=self.broker_id,
            name=self.name,
            role=self.role,
            team=self.team,
            timezone=self.timezone,
            language=self.language,
            channel=channel,
            message=message,
        )


# Imports, migrations, the demo and the CLI's own bookkeeping act as the system: every right,
# and always named explicitly.
SYSTEM = Actor(broker_id=None, name="system", role="admin", channel="system")


@dataclass
class Ctx:
    """One unit of work: the open session, the actor and the clock every rule reads."""

    session: Session
    actor: Actor = SYSTEM
    clock: Clock = field(default_factory=SystemClock)

    def now(self) -> datetime:
        return self.clock.now()

    def local_now(self) -> datetime:
        return self.clock.now().astimezone(self.actor.tz)
