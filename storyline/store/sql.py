"""The SQL seam: what the story layer (storyline.story) needs of a store, on SQLite or PostgreSQL.

Both stores expose it as ``store.sql``. The story SQL is written once, in the subset
both databases accept (``INSERT … ON CONFLICT``, ``NULLS FIRST``, no ``rowid``, no
``instr``, no literal ``%``), with each parameter written ``{p}``: :meth:`SQL.text`
puts the driver's own marker there (``?`` for sqlite3, ``%s`` for psycopg) with
``str.format``, so no SQL string is ever rewritten by pattern. Literal braces in the
SQL are doubled, as ``str.format`` wants.

- ``execute``/``executemany`` write; ``rows`` reads tuples, ``dicts`` reads dicts,
  ``one`` the first tuple or None;
- ``atomic()`` is a transaction (a savepoint inside another); ``exclusive()`` one that
  no other process's ``exclusive()`` runs beside: the story layer updates centroids
  and counts read a moment before, so its writers take turns (SQLite has one writer
  at a time anyway; on PostgreSQL an advisory lock held to the end of the transaction);
- ``stored_order`` names the column that orders documents as they were stored;
- in the SQL, ``{rows_key}`` is the column by which a per-document table (statements,
  entities, …) names its document and ``{documents_key}`` the documents' column it
  matches: the SQLite store keys those rows by the document's rowid (``doc_key = rowid``,
  schema m009: appended, not scattered by a hash id), PostgreSQL by ``doc_id = id``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, Protocol

Params = Sequence[Any]
_WRITER_LOCK = 0x5707_1201  # pg_advisory_xact_lock key of the story layer's writers


class SQL(Protocol):
    mark: str
    stored_order: str
    rows_key: str
    documents_key: str

    def text(self, sql: str) -> str: ...
    def execute(self, sql: str, params: Params = ()) -> None: ...
    def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...
    def rows(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]: ...
    def dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]: ...
    def one(self, sql: str, params: Params = ()) -> tuple[Any, ...] | None: ...
    def atomic(self) -> contextlib.AbstractContextManager[Any]: ...
    def exclusive(self) -> contextlib.AbstractContextManager[Any]: ...


def marks(n: int) -> str:
    """``n`` parameters for ``IN (…)``, in the seam's ``{p}`` form."""
    return ", ".join(["{p}"] * n)


@lru_cache(maxsize=4096)
def _formatted(sql: str, mark: str, rows_key: str, documents_key: str) -> str:
    """The SQL with the driver's marker and key columns in: formatted once per text, as the story
    layer runs the same few statements hundreds of thousands of times a batch."""
    return sql.format(p=mark, rows_key=rows_key, documents_key=documents_key)


class _Common:
    mark = "?"
    rows_key, documents_key = "doc_id", "id"

    def text(self, sql: str) -> str:
        return _formatted(sql, self.mark, self.rows_key, self.documents_key)

    def one(self, sql: str, params: Params = ()) -> tuple[Any, ...] | None:
        found = self.rows(sql, params)  # type: ignore[attr-defined]
        return found[0] if found else None


class SQLiteSQL(_Common):
    """The seam on a sqlite3 connection (the SQLite store's)."""

    mark = "?"
    stored_order = "rowid"
    rows_key, documents_key = "doc_key", "rowid"

    def __init__(self, conn: sqlite3.Connection, atomic: Callable[[], contextlib.AbstractContextManager[Any]]) -> None:
        self.conn = conn
        self._atomic = atomic

    def execute(self, sql: str, params: Params = ()) -> None:
        self.conn.execute(self.text(sql), list(params))

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        self.conn.executemany(self.text(sql), rows)

    def rows(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.conn.execute(self.text(sql), list(params)).fetchall()]

    def dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(self.text(sql), list(params))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]

    def atomic(self) -> contextlib.AbstractContextManager[Any]:
        return self._atomic()

    exclusive = atomic  # SQLite has one writer at a time


class PostgresSQL(_Common):
    """The seam on the PostgreSQL store's connection (read at each call: the store may have
    opened a new one after the server dropped it)."""

    mark = "%s"
    stored_order = "stored"  # an identity column (pg_schema migration 2): SQLite's rowid

    def __init__(self, connection: Callable[[], Any]) -> None:
        self._conn = connection

    def execute(self, sql: str, params: Params = ()) -> None:
        self._conn().execute(self.text(sql), list(params))

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        rows = [list(r) for r in rows]
        if rows:
            with self._conn().cursor() as cursor:
                cursor.executemany(self.text(sql), rows)

    def rows(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        from psycopg.rows import tuple_row  # psycopg comes with the 'postgres' extra

        with self._conn().cursor(row_factory=tuple_row) as cursor:
            return cursor.execute(self.text(sql), list(params)).fetchall()

    def dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return list(self._conn().execute(self.text(sql), list(params)).fetchall())  # the store reads dicts

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        with self._conn().transaction():
            yield

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        conn = self._conn()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [_WRITER_LOCK])
            yield


DOCUMENT_SUMMARY = "SELECT id AS doc_id, url, outlet, title, published, language, source FROM documents"


def document_page(db: SQL, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """Documents by publication date, oldest first (undated first), ``limit`` from ``offset``:
    doc_id, url, outlet, title, published, language, source (the HTTP API's list and the CLI's)."""
    return db.dicts(DOCUMENT_SUMMARY + " ORDER BY published NULLS FIRST, id LIMIT {p} OFFSET {p}", [limit, offset])
