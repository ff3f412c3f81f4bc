"""Channels that exist before Telegram and Slack: the terminal (rich) and the log."""

from __future__ import annotations

import logging
from typing import Any

from rich.console import Console
from rich.panel import Panel

from crm_store.models import Broker, Notification
from crm_store.services.nudges_render import action_label

logger = logging.getLogger("copilot.nudges")


def _buttons(actions: list[dict[str, Any]], language: str) -> str:
    """ "[Done] [Snooze 1 day] …" with each button's tool call, as a chat would show them."""
    return "  ".join(f"[{action_label(a, language)}]" for a in actions)


class TerminalChannel:
    """Prints each nudge as a panel addressed to its broker, its actions as bracketed buttons."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()

    def deliver(
        self, broker: Broker, notification: Notification, text: str, actions: list[dict[str, Any]]
    ) -> None:
        body = text
        if actions:
            body += "\n\n" + _buttons(actions, broker.language)
        title = f"{notification.kind} → {broker.name} ({notification.id})"
        self.console.print(Panel(body, title=title, title_align="left", expand=False))


class LogChannel:
    """Writes each nudge to the `copilot.nudges` log (a daemon with no terminal)."""

    def __init__(self, log: logging.Logger | None = None) -> None:
        self.log = log or logger

    def deliver(
        self, broker: Broker, notification: Notification, text: str, actions: list[dict[str, Any]]
    ) -> None:
        self.log.info(
            "nudge %s %s to %s (%s): %s%s",
            notification.id,
            notification.kind,
            broker.name,
            broker.id,
            text.replace("\n", " | "),
            f" | actions: {_buttons(actions, broker.language)}" if actions else "",
        )
