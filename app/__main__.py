"""`python -m app` runs the copilot CLI."""

from app.cli import main

main()
