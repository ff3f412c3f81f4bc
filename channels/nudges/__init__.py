"""Nudge delivery: the channel interface, the terminal/log channels, the pass runner and its
scheduler (`copilot nudges [--once]`)."""
