"""Checks of a store file (``storyline check``): SQLite's integrity check, foreign keys,
the full-text indexes against their tables; and how to recover.

The file is opened as it is, without migrations, and nothing is committed, so
a damaged store is looked at without being changed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from storyline.store.sqlite import unusable

SEARCH_INDEXES = ("documents_fts", "statements_fts", "statements_speakers")
SINCE_VERSION = {"statements_speakers": 7}  # a store older than this schema version has no such index yet


@dataclass
class StoreHealth:
    path: str
    unusable: str | None = None  # why the file cannot be read at all
    integrity: list[str] = field(default_factory=list)  # SQLite's findings ("ok" when sound)
    foreign_keys: list[str] = field(default_factory=list)  # rows that point at nothing
    search: dict[str, str] = field(default_factory=dict)  # index → problem

    @property
    def ok(self) -> bool:
        return self.unusable is None and self.integrity == ["ok"] and not self.foreign_keys and not self.search

    def report(self) -> list[str]:
        lines = [f"store {self.path}"]
        lines.append("integrity: " + ("ok" if self.integrity == ["ok"] else f"{len(self.integrity)} problems"))
        lines += [f"  {line}" for line in self.integrity[:20] if self.integrity != ["ok"]]
        lines.append("foreign keys: " + ("ok" if not self.foreign_keys else f"{len(self.foreign_keys)} rows point at nothing"))
        lines += [f"  {line}" for line in self.foreign_keys[:20]]
        for index in SEARCH_INDEXES:
            lines.append(f"search index {index}: {self.search.get(index, 'ok')}")
        return lines

    def advice(self) -> list[str]:
        path = self.path
        if self.integrity == ["ok"] and not self.foreign_keys:  # the tables are sound
            return [f"The tables are sound; rebuild the search indexes: storyline --db {path} check --rebuild-search"]
        return [
            "To recover (keep a copy of the damaged file first):",
            f"  sqlite3 {path} .recover | sqlite3 recovered.db    # what SQLite can still read, into a new file",
            "  storyline --db recovered.db check",
            "or start a new store and ingest the sources again (documents already stored are skipped, none is stored twice):",
            "  storyline --db new.db ingest SOURCES…",
        ]


def inspect(path: str) -> StoreHealth:
    health = StoreHealth(path)
    if not Path(path).is_file():
        health.unusable = f"no store at {path}"
        return health
    try:
        conn = sqlite3.connect(path, timeout=30)
    except sqlite3.Error as err:
        health.unusable = f"cannot open {path}: {err}"
        return health
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as err:
            if "not a database" in str(err):
                health.unusable = unusable(path, err)
                return health
            health.integrity = [str(err)]
            return health
        try:
            health.integrity = [r[0] for r in conn.execute("PRAGMA integrity_check(100)")]
        except sqlite3.DatabaseError as err:
            health.integrity = [str(err)]
        try:
            health.foreign_keys = [
                f"{table} row {rowid}: no {parent} row" for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
            ]
        except sqlite3.DatabaseError as err:
            health.foreign_keys = [str(err)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for index in SEARCH_INDEXES:
            if index not in tables and version < SINCE_VERSION.get(index, 0):
                continue
            if index not in tables:
                health.search[index] = "missing"
                continue
            try:  # rank 1: also compare the index with its table; a command, written as an insert
                conn.execute(f"INSERT INTO [{index}]([{index}], rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as err:
                health.search[index] = str(err)
            finally:
                conn.rollback()
    finally:
        conn.close()
    return health


def rebuild_search_indexes(path: str) -> None:
    """Rebuild the full-text indexes from their tables (they are derived data)."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        with conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for index in SEARCH_INDEXES:
                if index in tables:
                    conn.execute(f"INSERT INTO [{index}]([{index}]) VALUES ('rebuild')")
    finally:
        conn.close()
