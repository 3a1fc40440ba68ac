"""``storyline check``: is the store file sound, and how to recover when it is not."""

from __future__ import annotations

from typing import Annotated

import typer

from storyline.cli.common import ExitCode, console, fail, settings_of


def check(
    ctx: typer.Context,
    rebuild_search: Annotated[
        bool, typer.Option("--rebuild-search", help="Rebuild the full-text search indexes from the tables.")
    ] = False,
) -> None:
    """Check the store: SQLite's integrity check, foreign keys, full-text indexes; say how to recover."""
    from storyline.store.health import StoreHealth, inspect, rebuild_search_indexes

    db = settings_of(ctx).db
    if db.startswith(("postgresql://", "postgres://")):
        raise fail("check inspects a SQLite store file, not a PostgreSQL database (use the server's own checks)")
    if rebuild_search:
        try:
            rebuild_search_indexes(db)
        except Exception as err:
            raise fail(f"cannot rebuild the search indexes of {db}: {err}") from err
        console.print("search indexes rebuilt")
    health: StoreHealth = inspect(db)
    if health.unusable:
        raise fail(health.unusable)
    for line in health.report():
        console.print(line, style=None if health.ok else "red")
    if not health.ok:
        console.print()
        for line in health.advice():
            console.print(line)
        raise typer.Exit(int(ExitCode.PARTIAL))
