"""Where brokers meet the copilot: terminal, Telegram, Slack, HTTP, and nudge delivery."""
