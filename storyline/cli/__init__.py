"""The ``storyline`` command: argument parsing only; the work is in the library."""

from __future__ import annotations

from storyline.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
