"""Conversation checkpoints per broker and channel: SQLite beside the store, or PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver


def open_checkpointer(*, database_url: str, var_dir: Path) -> BaseCheckpointSaver[Any]:
    """A SQLite checkpointer under `var_dir`, or PostgreSQL when the store lives there."""
    if database_url.startswith(("postgresql", "postgres")):
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg import Connection
        from psycopg.rows import dict_row

        url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        connection = Connection.connect(
            url, autocommit=True, prepare_threshold=0, row_factory=dict_row
        )
        saver = PostgresSaver(connection)  # type: ignore[arg-type]
        saver.setup()
        return saver
    from langgraph.checkpoint.sqlite import SqliteSaver

    var_dir.mkdir(parents=True, exist_ok=True)
    local = sqlite3.connect(var_dir / "checkpoints.sqlite", check_same_thread=False)
    local.execute("PRAGMA journal_mode=WAL")
    local.execute("PRAGMA busy_timeout=30000")
    saver_sqlite = SqliteSaver(local)
    saver_sqlite.setup()
    return saver_sqlite
