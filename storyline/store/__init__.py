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
    """Open (creating and migrating as needed) the store at ``location``: a SQLite file path."""
    location = str(location)
    if location.startswith(("postgresql://", "postgres://")):
        raise NotImplementedError("the PostgreSQL backend is not written yet; use a SQLite file path")
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
