"""What the commands share: the console, opening the store, date options."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

from storyline import __version__
from storyline.config import Settings
from storyline.store import SQLiteStore, open_store

console = Console(highlight=False, soft_wrap=False)
errors = Console(stderr=True, highlight=False)


def settings_of(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings()


def store_of(ctx: typer.Context) -> SQLiteStore:
    settings = settings_of(ctx)
    try:
        return open_store(settings.db, analyzer=f"storyline {__version__}; {settings.model}")
    except Exception as err:  # a clear message instead of a traceback
        errors.print(f"[red]cannot open the store {settings.db}: {err}[/red]")
        raise typer.Exit(2) from err


def parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from err
