"""`python -m app` runs the copilot CLI."""

from app.launch import main

main()
