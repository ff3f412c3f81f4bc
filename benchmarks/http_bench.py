"""HTTP chat throughput and latency: `copilot serve`'s app under concurrent brokers."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import uvicorn

from benchmarks.common import percentile, result, say
from benchmarks.demo_store import demo_store
from channels.http.app import create_app
from crm_store.models import Broker
from crm_store.services.tokens import issue_token

MESSAGES = ["what's on my agenda today?", "find Ivan Petrov", "что у меня сегодня?"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(
    *, progress: bool = False, requests: int = 120, workers: int = 4, **_: Any
) -> list[dict[str, Any]]:
    """Requests/s and p95 latency of POST /chat with `workers` brokers chatting at once."""
    with demo_store(listings=300) as store:
        runtime = store.runtime(ephemeral_conversations=True)
        with runtime.unit_of_work() as ctx:
            brokers = ctx.session.query(Broker).filter(Broker.role == "broker").all()
            tokens = [issue_token(ctx, broker=b) for b in brokers][:workers]
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="error")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        latencies: list[float] = []

        def chat(index: int) -> None:
            token = tokens[index % len(tokens)]
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                for n in range(requests // workers):
                    started = time.perf_counter()
                    response = client.post(
                        "/chat",
                        json={"message": MESSAGES[n % len(MESSAGES)]},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    response.raise_for_status()
                    latencies.append((time.perf_counter() - started) * 1000)

        say(progress, f"http: {requests} chats from {workers} brokers")
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(chat, range(workers)))
        elapsed = time.perf_counter() - started
        server.should_exit = True
        thread.join(timeout=10)
        runtime.close()
    params = {"requests": len(latencies), "concurrent_brokers": workers, "model": "offline"}
    return [
        result("http.chat.throughput_per_s", len(latencies) / elapsed, "req/s", **params),
        result("http.chat.p95_ms", percentile(latencies, 95), "ms", **params),
    ]
