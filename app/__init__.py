"""Composition root: settings, the runtime that wires services together, and the `copilot` CLI."""
