"""End to end through the CLI on a demo store, in English and in Russian:
register → move → schedule → complete → agenda, a destructive move that asks first,
and "no" that changes nothing (SPEC §10 one-shot form: --as, repeated -m, --yes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
NOW = "2026-03-10T09:00:00+02:00"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    home = tmp_path_factory.mktemp("cli-demo")
    env = {**os.environ, "COPILOT_NOW": NOW, "COPILOT_VAR_DIR": str(home / "var")}
    env.pop("COPILOT_DATABASE_URL", None)
    env.pop("COPILOT_MODEL", None)
    _run(["init", "--demo", "--listings", "80"], home, env)
    return home, env


def _run(args: list[str], home: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def chat(demo: tuple[Path, dict[str, str]], broker: str, *messages: str, yes: bool = False) -> str:
    home, env = demo
    args = ["chat", "--as", broker]
    for message in messages:
        args += ["-m", message]
    return _run([*args, "--yes"] if yes else args, home, env)


def export(demo: tuple[Path, dict[str, str]]) -> dict:
    home, env = demo
    return json.loads(_run(["export"], home, env))


def _contact(store: dict, name: str) -> dict:
    return next(c for c in store["contacts"] if c["full_name"] == name)


def test_english_broker_works_a_new_buyer_through_the_cli(demo):
    out = chat(
        demo,
        "Anna Georgiou",
        "New client Peter Hall +357 99 555123, looking for a 2-bed flat in Limassol up to 400k",
        "move Peter Hall to demand research",
        "remind me to call Peter Hall on Thursday at 11",
    )
    assert "Peter Hall" in out and "Demand Research" in out and "12 Mar 11:00" in out
    store = export(demo)
    peter = _contact(store, "Peter Hall")
    assert peter["phones"] == ["+35799555123"]
    request = next(r for r in store["buyer_requests"] if r["buyer"] == peter["id"])
    assert request["stage"] == "demand_research" and request["budget_max"] == "400000.00"
    follow_up = next(f for f in store["follow_ups"] if f["contact"] == peter["id"])
    assert follow_up["status"] == "open" and follow_up["due_at"].startswith("2026-03-12T09:00")

    # A report of the call is kept as a note; the call is done once the broker says yes.
    out = chat(demo, "Anna Georgiou", "called Peter Hall, he will think about it", "yes",
               "what's on my agenda today?")  # fmt: skip
    assert "Suggested next follow-up" in out or "Предлагаю" in out
    assert "[proposal" not in out  # the suggestion is asked after the yes, never as markup
    assert "Missed" in out  # the demo day has missed follow-ups, shown first
    store = export(demo)
    done = [f for f in store["follow_ups"] if f["contact"] == peter["id"]]
    assert [f["status"] for f in done] == ["done"]


def test_russian_broker_and_a_destructive_move_that_waits_for_yes(demo):
    out = chat(
        demo,
        "Dmitry Volkov",
        "новый клиент Пётр Соколов +357 99 765432, ищет виллу в Пафосе до 900 тысяч",
        "напомни позвонить Петру Соколову в пятницу в 15:00",
    )
    assert "Пётр Соколов" in out and "13 мар 15:00" in out
    store = export(demo)
    petr = _contact(store, "Пётр Соколов")
    request = next(r for r in store["buyer_requests"] if r["buyer"] == petr["id"])
    assert request["cities"] == ["Paphos"] and request["property_types"] == ["villa"]

    asked = chat(demo, "Dmitry Volkov", "Пётр Соколов купил у конкурентов, закрывай сделку")
    assert "да/нет" in asked
    chat(demo, "Dmitry Volkov", "нет")
    after_no = export(demo)
    same = next(r for r in after_no["buyer_requests"] if r["id"] == request["id"])
    assert same["stage"] == request["stage"]

    chat(demo, "Dmitry Volkov", "Пётр Соколов купил у конкурентов, закрывай сделку", yes=True)
    closed = next(r for r in export(demo)["buyer_requests"] if r["id"] == request["id"])
    assert closed["stage"] == "closed_lost" and closed["lost_reason"] == "competitor"
