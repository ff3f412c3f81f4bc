"""The channel interface nudges are delivered through, and the router that picks a broker's.

A channel's `deliver` returns once the channel has accepted the message and raises on any
failure; nothing else is asked of it. Buttons are the channel's business: `actions` are the
payload's channel-neutral one-tap actions (crm_store/services/nudges_actions.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from crm_store.models import Broker, Notification
from crm_store.services.nudges import preferred_channel


class Channel(Protocol):
    def deliver(
        self, broker: Broker, notification: Notification, text: str, actions: list[dict[str, Any]]
    ) -> None:
        """Hand the nudge to the broker; raise when it could not be accepted."""
        ...


class ChannelRouter:
    """Delivers through the channel the nudge was recorded for (Notification.channel, else the
    broker's preferred one), falling back to `fallback` for channels not configured here."""

    def __init__(self, channels: Mapping[str, Channel], fallback: Channel) -> None:
        self.channels = dict(channels)
        self.fallback = fallback

    def pick(self, broker: Broker, notification: Notification) -> Channel:
        name = notification.channel or preferred_channel(broker)
        return self.channels.get(name, self.fallback)

    def deliver(
        self, broker: Broker, notification: Notification, text: str, actions: list[dict[str, Any]]
    ) -> None:
        self.pick(broker, notification).deliver(broker, notification, text, actions)
