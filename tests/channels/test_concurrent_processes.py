"""Several processes on one store at once (SPEC §5): `copilot serve` owns the embedded index
while one-shot `copilot chat -m` commands — a write and a matching question — run beside it.
Nobody hangs, nothing is corrupted, every write lands, and only the server holds the index."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow
NOW = "2026-03-10T09:00:00+02:00"


def _copilot(*args: str, env: dict[str, str], cwd: Path, timeout: float = 180) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_and_one_shot_commands_share_one_store(tmp_path):
    env = {**os.environ, "COPILOT_NOW": NOW, "COPILOT_VAR_DIR": str(tmp_path / "var")}
    env.pop("COPILOT_DATABASE_URL", None)
    _copilot("init", "--demo", "--listings", "120", env=env, cwd=tmp_path)
    token = _copilot("brokers", "token", "Anna Georgiou", env=env, cwd=tmp_path).strip()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.3)
        # The server owns the index: matching there builds it and keeps it.
        first = httpx.post(
            f"{base}/chat",
            json={"message": "curated list for Ivan Petrov"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=180,
        )
        assert first.status_code == 200 and "Ivan Petrov" in " ".join(first.json()["replies"])

        def one_shot(text: str) -> str:
            return _copilot("chat", "--as", "Anna Georgiou", "-m", text, env=env, cwd=tmp_path)

        def over_http(text: str) -> int:
            response = httpx.post(
                f"{base}/chat",
                json={"message": text},
                headers={"Authorization": f"Bearer {token}"},
                timeout=180,
            )
            return response.status_code

        with ThreadPoolExecutor(max_workers=4) as pool:
            cli = [
                pool.submit(one_shot, "remind me to call Ivan Petrov tomorrow at 11"),
                pool.submit(one_shot, "find listings for Ivan Petrov"),
            ]
            http = [pool.submit(over_http, "what's on my agenda today?") for _ in range(3)]
            http.append(pool.submit(over_http, "remind me to call Maria Ivanova on Friday at 10"))
            outputs = [f.result(timeout=240) for f in cli]
            assert all(f.result(timeout=240) == 200 for f in http)
        assert "11:00" in outputs[0]
        assert "€" in outputs[1]  # matched from the store and the shared cache, no index needed
        # A second process cannot take the index while the server holds it.
        busy = subprocess.run(
            [sys.executable, "-m", "app", "index", "rebuild"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert busy.returncode != 0 and "in use" in busy.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    store = tmp_path / "var" / "copilot.sqlite"
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        purposes = db.execute(
            "SELECT c.full_name FROM follow_ups f JOIN contacts c ON c.id = f.contact "
            "WHERE f.status = 'open' AND f.due_at > '2026-03-10 09:00'"
            " AND c.full_name IN ('Ivan Petrov', 'Maria Ivanova')"
        ).fetchall()
    names = {row[0] for row in purposes}
    assert {"Ivan Petrov", "Maria Ivanova"} <= names
    # With the server gone, the index can be rebuilt and is whole again.
    assert "Index rebuilt" in _copilot("index", "rebuild", env=env, cwd=tmp_path)
