"""Agent cost and speed on the demo store: offline turn latency, prompt tokens, model calls."""

from __future__ import annotations

from typing import Any

from benchmarks.common import percentile, result, say
from benchmarks.demo_store import demo_store
from crm_store.context import Actor
from crm_store.services.brokers import actor_for, resolve_broker

# Single-action commands as brokers type them (EN and RU), each expected to need one tool call.
COMMANDS = [
    ("Anna Georgiou", "what's on my agenda today?"),
    ("Anna Georgiou", "remind me to call Ivan Petrov tomorrow at 11"),
    ("Anna Georgiou", "find Ivan Petrov"),
    ("Anna Georgiou", "show me the card for Ivan Petrov"),
    ("Anna Georgiou", "Ivan Petrov's budget is now 550k"),
    ("Dmitry Volkov", "что у меня сегодня?"),
    ("Dmitry Volkov", "напомни позвонить Ольге Смирновой в пятницу в 15:00"),
    ("Dmitry Volkov", "найди Ольгу Смирнову"),
    ("Dmitry Volkov", "карточка Ольги Смирновой"),
    ("Dmitry Volkov", "новый клиент Пётр Соколов +357 99 765432"),
]


def _actors(runtime: Any) -> dict[str, Actor]:
    with runtime.unit_of_work() as ctx:
        return {
            name: actor_for(resolve_broker(ctx.session, name), channel="bench")
            for name in {name for name, _ in COMMANDS}
        }


def run(*, listings: int = 300, progress: bool = False, rounds: int = 3) -> list[dict[str, Any]]:
    """Time offline turns on a demo store; report p50/p95, prompt tokens and model calls."""
    with demo_store(listings=min(listings, 1000)) as store:
        runtime = store.runtime(ephemeral_conversations=True)
        actors = _actors(runtime)
        copilot = runtime.copilot
        copilot.send(actors["Anna Georgiou"], channel="warm-up", text="hello")
        latencies: list[float] = []
        prompt_tokens: list[int] = []  # per model call: what a hosted model is sent each time
        command_tokens: list[int] = []  # per command: all its model calls together
        calls: list[int] = []
        for round_no in range(rounds):
            say(progress, f"agent round {round_no + 1}/{rounds}")
            for name, text in COMMANDS:
                channel = f"bench-{round_no}"
                reply = copilot.send(actors[name], channel=channel, text=text, auto_confirm=True)
                latencies.append(reply.latency_ms)
                calls.append(reply.model_calls)
                if reply.model_calls:
                    prompt_tokens.append(reply.max_call_tokens_in)
                    command_tokens.append(reply.tokens_in)
        runtime.close()
    params = {"commands": len(COMMANDS), "rounds": rounds, "listings": min(listings, 1000)}
    return [
        result("agent.offline_turn.p50_ms", percentile(latencies, 50), "ms", **params),
        result("agent.offline_turn.p95_ms", percentile(latencies, 95), "ms", **params),
        result(
            "agent.prompt_tokens_per_turn",
            max(prompt_tokens, default=0),
            "tokens",
            statistic="max over model calls (estimated offline)",
            mean=round(sum(prompt_tokens) / max(len(prompt_tokens), 1), 1),
            per_command_max=max(command_tokens, default=0),
            **params,
        ),
        result(
            "agent.model_calls_per_command",
            max(calls, default=0),
            "calls",
            statistic="max over single-action commands",
            **params,
        ),
    ]
