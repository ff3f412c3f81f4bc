"""The HTTP API (FastAPI): chat, health, read endpoints; webhooks and the board come later."""
