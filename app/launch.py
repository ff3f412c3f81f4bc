"""The `copilot` executable: loads the CLI with collection paused (see app.startup)."""

from __future__ import annotations


def main() -> None:
    from app import startup

    startup.mark_cli_process()
    with startup.loading():
        from app.cli import main as run_cli
    run_cli()
