"""The terminal chat: a rich REPL that asks before destructive changes."""

from __future__ import annotations

from rich.console import Console
from rich.prompt import Confirm, Prompt

from agent.conversation import Copilot
from crm_store.context import Actor

GREETING = {
    "en": "Broker Copilot — talking to {name}. Type your request; 'exit' to leave.",
    "ru": "Broker Copilot — {name}. Напишите запрос; 'exit' — выход.",
}


def run_repl(copilot: Copilot, actor: Actor, console: Console | None = None) -> None:
    """Read a line, answer it, ask yes/no when the copilot needs confirmation; until EOF/exit."""
    console = console or Console()
    console.print(GREETING.get(actor.language, GREETING["en"]).format(name=actor.name))
    while True:
        try:
            text = Prompt.ask("[bold cyan]you[/]", console=console).strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if text.lower() in {"exit", "quit", "выход"}:
            return
        if not text:
            continue
        reply = copilot.send(actor, channel="cli", text=text)
        while reply.pending_confirmation:
            for line in reply.texts[:-1]:
                console.print(f"[green]copilot[/] {line}")
            answer = Confirm.ask(f"[yellow]{reply.pending_confirmation}[/]", console=console)
            reply = copilot.send(actor, channel="cli", text="yes" if answer else "no")
        for line in reply.texts:
            console.print(f"[green]copilot[/] {line}")
