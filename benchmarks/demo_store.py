"""A throwaway demo brokerage for the agent, CLI and HTTP benchmarks (frozen clock)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.runtime import Runtime
from app.settings import Settings
from crm_store.demo import generate_demo
from crm_store.migrate import upgrade

# A working-day morning: the demo's follow-ups are laid out around it.
BENCH_NOW = datetime.fromisoformat("2026-03-10T09:00:00+02:00")


@dataclass
class DemoStore:
    directory: Path
    url: str
    now: datetime

    def runtime(self, **overrides: object) -> Runtime:
        settings = Settings(database_url=self.url, var_dir=self.directory, now=self.now)
        return Runtime(settings=settings, **overrides)  # type: ignore[arg-type]

    def environment(self) -> dict[str, str]:
        """What a child `copilot` process needs to open this store at this time."""
        return {
            "COPILOT_DATABASE_URL": self.url,
            "COPILOT_VAR_DIR": str(self.directory),
            "COPILOT_NOW": self.now.isoformat(),
        }


@contextmanager
def demo_store(*, listings: int = 300) -> Iterator[DemoStore]:
    """Generate the demo into a temporary directory; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as directory:
        store = DemoStore(Path(directory), f"sqlite:///{directory}/store.sqlite", BENCH_NOW)
        runtime = store.runtime()
        upgrade(runtime.engine)
        with runtime.unit_of_work() as ctx:
            generate_demo(ctx, listings=listings, progress=False)
        runtime.close()
        yield store
