"""The `copilot` executable: loads the CLI with collection paused (see app.startup)."""

from __future__ import annotations


def main() -> None:
    from app.startup import loading

    with loading():
        from app.cli import main as run_cli
    run_cli()
