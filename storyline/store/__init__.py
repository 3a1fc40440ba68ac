"""Storage: one interface (:class:`Store`), SQLite the embedded default."""

from __future__ import annotations

from pathlib import Path

from storyline.store.base import (
    BadQuery,
    FetchState,
    InvalidRecord,
    Rejection,
    StatementQuery,
    Store,
    StoredStatement,
    StoreError,
    TimelineItem,
)
from storyline.store.sqlite import SQLiteStore


def open_store(location: str | Path, *, analyzer: str = "") -> SQLiteStore:
    """Open (creating and migrating as needed) the store at ``location``: a SQLite file path,
    or a ``postgresql://`` URL of a database on a PostgreSQL server (needs the ``postgres`` extra)."""
    location = str(location)
    if location.startswith(("postgresql://", "postgres://")):
        try:
            from storyline.store.postgres import PostgresStore
        except ImportError as err:
            raise StoreError(
                f"a PostgreSQL store needs psycopg: pip install 'storyline[postgres]' ({err})"
            ) from err
        return PostgresStore(location, analyzer=analyzer)  # type: ignore[return-value]
    if location.startswith("sqlite:///"):
        location = location[len("sqlite:///") :]
    return SQLiteStore(location, analyzer=analyzer)


__all__ = [
    "BadQuery",
    "FetchState",
    "InvalidRecord",
    "Rejection",
    "SQLiteStore",
    "StatementQuery",
    "Store",
    "StoreError",
    "StoredStatement",
    "TimelineItem",
    "open_store",
]
