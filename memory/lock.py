"""One owner per embedded index: an OS file lock, taken without waiting, held for the process."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; use a Chroma server there
    fcntl = None  # type: ignore[assignment]


class IndexLock:
    """`flock` on a file next to the index directory (so deleting the index keeps the lock).

    The OS drops the lock when the process dies, so a crash never leaves a stale owner.
    """

    def __init__(self, directory: Path | str) -> None:
        directory = Path(directory)
        self.path = directory.parent / f".{directory.name}.owner.lock"
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> bool:
        """True when this process now owns the index; False at once when another one does."""
        if self._handle is not None:
            return True
        if fcntl is None:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle
        return True

    def owner_pid(self) -> int | None:
        """The process that last took the lock (for messages; it may have exited since)."""
        try:
            text = self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def release(self) -> None:
        if self._handle is None or fcntl is None:
            return
        try:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        finally:
            self._handle.close()
            self._handle = None
