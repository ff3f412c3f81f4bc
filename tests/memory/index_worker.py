"""Run as a separate process by the index tests: try to own the index, then match from the store."""

from __future__ import annotations

import json
import sys
import time

from crm_store.clock import SystemClock
from crm_store.context import Ctx
from crm_store.db import make_engine, make_session_factory
from memory.index import open_index
from memory.matching import Matcher
from tests.memory.fakes import FakeEmbedder


def main(directory: str, store_url: str, request_id: str, hold_seconds: float) -> None:
    started = time.monotonic()
    embedder = FakeEmbedder()
    index = open_index(directory=directory, embedder=embedder)
    owner = index is not None
    engine = make_engine(store_url)
    session = make_session_factory(engine)()
    try:
        ctx = Ctx(session=session, clock=SystemClock())
        matches = Matcher(embedder).listings_for_buyer(ctx, request_id=request_id, limit=50)
        if index is not None:
            time.sleep(hold_seconds)  # keep owning it while the other process runs
            count = index.count("listings")
            index.close()
        else:
            count = -1
    finally:
        session.close()
        engine.dispose()
    print(
        json.dumps(
            {
                "owner": owner,
                "matches": [m.listing.id for m in matches],
                "indexed": count,
                "chromadb_imported": "chromadb" in sys.modules,
                "seconds": round(time.monotonic() - started, 2),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]))
