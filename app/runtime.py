"""Builds what a process needs from the settings — store, clock, and (lazily) the heavier parts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.settings import Settings, load_settings
from crm_store.clock import Clock, FrozenClock, SystemClock
from crm_store.context import SYSTEM, Actor, Ctx
from crm_store.db import make_engine, make_session_factory, unit_of_work

if TYPE_CHECKING:
    pass


@dataclass
class Runtime:
    """One process's wiring. Channels receive a Runtime; they never build their own parts."""

    settings: Settings = field(default_factory=load_settings)

    @cached_property
    def clock(self) -> Clock:
        if self.settings.now is not None:
            return FrozenClock(self.settings.now)
        return SystemClock()

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.resolved_database_url)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @contextmanager
    def unit_of_work(self, actor: Actor = SYSTEM) -> Iterator[Ctx]:
        """One transaction acting as `actor`: committed on success, rolled back on error."""
        with unit_of_work(self.session_factory) as session:
            yield Ctx(session=session, actor=actor, clock=self.clock)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
