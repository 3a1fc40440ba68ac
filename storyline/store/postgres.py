"""The store on a PostgreSQL server (``--db postgresql://…``), through psycopg 3.

The same records and ids as the SQLite store. Several ingests may write at once:
a document row is inserted with ``ON CONFLICT DO NOTHING`` inside the transaction
that inserts all its rows, so two writers of one document store it once. A
connection that drops is opened again and the interrupted save retried once;
if the server stays away the save fails with :class:`StoreError` and nothing of
the document is stored (the transaction never committed).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import uuid
from urllib.parse import quote, urlsplit
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any, NoReturn, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

from storyline.model import Analysis, Document
from storyline.store.base import BadQuery, FetchState, InvalidRecord, Rejection, StatementQuery, StoredStatement, StoreError, TimelineItem
from storyline.store.pg_schema import migrate
from storyline.store.periods import reach
from storyline.store.pg_search import tsquery
from storyline.store.sql import PostgresSQL
from storyline.store.rows import MAY_REPEAT, analyses_of, analysis_rows, document_row, now
from storyline.store import sqlite as lite
from storyline.store.sqlite import _escape_like, like_prefix

CONNECT_SECONDS = 10
T = TypeVar("T")


def where(dsn: str) -> str:
    """The server and database of ``dsn``, without its password: for messages."""
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "postgresql://?"
    host = parts.get("host") or "localhost"
    port = f":{parts['port']}" if parts.get("port") else ""
    user = f"{parts['user']}@" if parts.get("user") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}"


def in_schema(url: str, schema: str) -> str:
    """The ``postgresql://`` URL ``url`` with ``schema`` first on the search path: every table the
    store makes and reads is in that schema, as if it were a database of its own."""
    parts = urlsplit(url)
    option = "options=" + quote(f"-c search_path={schema}")
    return f"{parts.scheme}://{parts.netloc}{parts.path}?" + "&".join(p for p in (parts.query, option) if p)


@contextlib.contextmanager
def new_schema(server: str, prefix: str) -> Iterator[str]:
    """A URL of a new, empty schema on ``server`` (far quicker to make than a database), named
    ``prefix`` and a random suffix; dropped with everything in it afterwards. For tests and
    benchmarks: each gets a store of its own on one server."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield in_schema(server, name)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def _first_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__


def _in_days(alias: str, since: date | None, until: date | None) -> tuple[Any, ...]:
    """(condition, *parameters): the rows whose placed days meet ``since``–``until`` (see
    storyline.store.periods: a value is in a range when any of its days is; a value that is
    not a date has no days, so with a bound it is out). Written so that indexes answer it, as
    SQLite's ``_in_range``: the values that start in the range, or the values longer than a day
    that start before it and end in it or within a year after its start (migration 4)."""
    a = alias
    lo, hi = (since.isoformat() if since else ""), (until.isoformat() if until else "9999-12-31")
    ways, params = [f"{a}.placed_first BETWEEN %s AND %s"], [lo, hi]
    if since:
        ways.append(f"({a}.placed_first <> {a}.placed_last AND {a}.placed_last BETWEEN %s AND %s AND {a}.placed_first < %s)")
        params += [lo, reach(since), lo]
    return (f"({' OR '.join(ways)}) AND {a}.placed_last >= %s AND {a}.placed_first <= %s", *params, lo, hi)


def _window(limit: int | None, offset: int) -> str:
    return (f" LIMIT {int(limit)}" if limit is not None else "") + (f" OFFSET {int(offset)}" if offset else "")


class PostgresStore:
    """:class:`storyline.store.base.Store` on PostgreSQL."""

    def __init__(self, dsn: str, *, analyzer: str = "") -> None:
        self.dsn = dsn
        self.path = where(dsn)  # what the commands show as the store's name
        self.analyzer = analyzer
        self.conn = self._connect()
        self.sql = PostgresSQL(lambda: self.conn)  # what the story layer uses (storyline.store.sql)
        try:
            migrate(self.conn)
        except psycopg.Error as err:
            self.conn.close()
            raise StoreError(f"cannot use the store {self.path}: {_first_line(err)}") from err

    def _connect(self) -> psycopg.Connection[dict[str, Any]]:
        try:
            return psycopg.connect(self.dsn, autocommit=True, row_factory=dict_row, connect_timeout=CONNECT_SECONDS)
        except psycopg.Error as err:
            raise StoreError(f"cannot connect to the store {self.path}: {_first_line(err)}") from err

    @property
    def db(self) -> NoReturn:
        """The SQLite handle the health check and some web pages use: not here (the story layer uses ``sql``)."""
        raise StoreError(f"this command needs a SQLite store; {self.path} is a PostgreSQL store")

    def files(self) -> list[str]:
        return []

    @contextlib.contextmanager
    def _failing(self) -> Iterator[None]:
        """A server that went away is one line for the user (StoreError), not a traceback."""
        try:
            yield
        except psycopg.OperationalError as err:
            raise StoreError(f"the store {self.path} failed: {_first_line(err)}") from err

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return self._retrying(lambda: self.conn.execute(sql, list(params)).fetchall())

    def _write(self, work: Callable[[], T]) -> T:
        return self._retrying(work, transaction=True)

    def _retrying(self, work: Callable[[], T], *, transaction: bool = False) -> T:
        """Run ``work()`` (in a transaction if asked); when the connection broke, open it again and run
        it once more: reads may be repeated, and so may every write here (the broken transaction never
        committed; if it did and only its answer was lost, the document row is there and the repeat
        stores nothing). A server that stays away is a StoreError."""
        for attempt in (1, 2):
            try:
                if not transaction:
                    return work()
                with self.conn.transaction():
                    return work()
            except psycopg.OperationalError as err:
                if attempt == 2 or not (self.conn.broken or self.conn.closed):
                    raise StoreError(f"the store {self.path} failed: {_first_line(err)}") from err
                self.conn.close()
                self.conn = self._connect()  # StoreError if the server is still away
        raise AssertionError("unreachable")

    # -- writing -------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM documents WHERE id = %s", [doc_id]))

    def save(self, document: Document, analysis: Analysis) -> bool:
        try:
            return bool(self._write(lambda: self._insert(document, analysis)))
        except (psycopg.IntegrityError, psycopg.DataError) as err:
            raise InvalidRecord(f"cannot store the analysis: {_first_line(err)}") from err

    def _insert(self, document: Document, analysis: Analysis) -> bool:
        """All the rows of a document, or (stored already, by this process or another) none."""
        if not self._insert_rows("documents", [document_row(document, self.analyzer)],
                                 conflict="(id) DO NOTHING RETURNING id"):
            return False
        for table, rows in analysis_rows(document, analysis):
            self._insert_rows(table, rows, conflict="DO NOTHING" if table in MAY_REPEAT else "")
        if document.source:
            self._forget(document.source, str(document.meta.get("item", "") or ""))
        return True

    def _insert_rows(self, table: str, rows: Iterable[dict[str, Any]], conflict: str = "") -> int:
        """Insert ``rows`` (dicts with the same keys) into ``table``; returns how many were inserted."""
        rows = list(rows)
        if not rows:
            return 0
        columns = list(rows[0])
        sql = (
            f"INSERT INTO {table} ({', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})" + (f" ON CONFLICT {conflict}" if conflict else "")
        )
        with self.conn.cursor() as cursor:
            if "RETURNING" in conflict:
                cursor.execute(sql, [rows[0][c] for c in columns])
                return len(cursor.fetchall())
            cursor.executemany(sql, [[r[c] for c in columns] for r in rows])
            return len(rows)

    def reject(self, rejection: Rejection) -> None:
        seen = now()
        self._write(lambda: self.conn.execute(
            "INSERT INTO rejections (source, item, reason, first_seen, last_seen) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (source, item) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen",
            [rejection.source, rejection.item, rejection.reason, seen, seen],
        ))

    def forget_rejection(self, source: str, item: str = "") -> None:
        self._write(lambda: self._forget(source, item))

    def _forget(self, source: str, item: str) -> None:
        self.conn.execute("DELETE FROM rejections WHERE source = %s AND item = %s", [source, item])

    def rejections(self) -> list[Rejection]:
        rows = self._query("SELECT source, item, reason FROM rejections ORDER BY source, item")
        return [Rejection(r["source"], r["item"], r["reason"]) for r in rows]

    # -- reading -------------------------------------------------------

    def document_ids(self, prefix: str, limit: int = 10) -> list[str]:
        # Ids are lower-case hex; SQLite's LIKE ignores case, so a prefix typed in capitals finds them there too.
        rows = self._query("SELECT id FROM documents WHERE id LIKE %s ORDER BY id LIMIT %s", [like_prefix(prefix.lower()), limit])
        return [r["id"] for r in rows]

    def resolve_id(self, doc_id: str) -> str | None:
        """The id that ``doc_id`` is the only prefix of (or is)."""
        unique = self.document_ids(doc_id, 2)
        return unique[0] if len(unique) == 1 else None

    def document(self, doc_id: str) -> Document | None:
        """The document with this id, or the one this id is the unique prefix of."""
        rows = self._query("SELECT * FROM documents WHERE id = %s", [doc_id])
        if not rows:  # the prefix search (no index answers LIKE under a non-C collation) only when no id is equal
            rows = self._query("SELECT * FROM documents WHERE id = %s", [self.resolve_id(doc_id)])  # none for None
        return lite.SQLiteStore._document(rows[0]) if rows else None

    def documents(self) -> Iterator[Document]:
        for row in self._stream("SELECT * FROM documents ORDER BY published NULLS FIRST, id", []):
            yield lite.SQLiteStore._document(row)

    def analysis(self, doc_id: str) -> Analysis:
        return self.analyses([doc_id])[doc_id]

    def analyses(self, doc_ids: Sequence[str]) -> dict[str, Analysis]:
        ids = list(dict.fromkeys(doc_ids))

        def rows(table: str, order: str) -> list[dict[str, Any]]:
            return self._query(f"SELECT * FROM {table} WHERE doc_id = ANY(%s) ORDER BY doc_id, {order}", [ids])

        return analyses_of(ids, rows, entity_order="length(id), id")  # e1, e2, …, e10: by number

    def statements(self, query: StatementQuery) -> Iterator[StoredStatement]:
        """The statements that match, in the order they were made (``placed``, then publication,
        document and position), read as the caller iterates; a bad search fails here, not later."""
        where, params = self._statement_filters(query)
        sql = (
            "SELECT s.*, d.outlet, d.title, d.url FROM statements s JOIN documents d ON d.id = s.doc_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY s.placed NULLS FIRST, s.published NULLS FIRST, s.doc_id, s.n"
            + _window(query.limit, query.offset)
        )
        try:
            rows = self._stream(sql, params)
        except psycopg.errors.SyntaxError as err:  # a search to_tsquery cannot read
            raise BadQuery(f"{query.search!r}: {_first_line(err)}") from err
        return (
            StoredStatement(lite._statement(r), r["doc_id"], r["outlet"], r["title"], r["url"], r["published"])
            for r in rows
        )

    def _stream(self, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
        """The rows of ``sql``, fetched from a server-side cursor as the caller iterates (kept past
        the implicit transaction, so the caller may query meanwhile); the query runs now."""
        with self._failing():
            cursor = self.conn.cursor(name=f"rows_{uuid.uuid4().hex}", withhold=True)
            cursor.execute(sql, params)

        def rows() -> Iterator[dict[str, Any]]:
            with self._failing(), cursor:
                yield from cursor

        return rows()

    @staticmethod
    def _statement_filters(query: StatementQuery) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []

        def add(condition: str, *values: Any) -> None:
            where.append(condition)
            params.extend(values)

        if query.speaker:  # ILIKE: SQLite's LIKE ignores case too
            pattern = f"%{_escape_like(query.speaker)}%"
            add("(s.speaker_name ILIKE %s OR s.speaker_text ILIKE %s)", pattern, pattern)
        if query.since or query.until:
            add(*_in_days("s", query.since, query.until))
        if query.cue_class:
            add("s.cue_class = %s", query.cue_class)
        if query.doc_id:
            add("s.doc_id = %s", query.doc_id)
        if query.search:
            add("s.search @@ to_tsquery('simple', %s)", tsquery(query.search))
        return where, params

    def timeline(
        self, since: date | None = None, until: date | None = None, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[TimelineItem]:
        """Dated events and statements by the date they happened (then publication, document,
        position), merged from two ordered reads as the caller iterates."""
        bounds, params = "", []
        if since or until:
            condition, *params = _in_days("x", since, until)
            bounds = f" AND {condition}"
        window = _window(offset + limit if limit is not None else None, 0)
        reads = {
            table: self._stream(
                f"SELECT x.*, d.outlet FROM {table} x JOIN documents d ON d.id = x.doc_id WHERE x.date IS NOT NULL{bounds} "
                f"ORDER BY x.{key}, x.published NULLS FIRST, x.doc_id, x.start, x.n{window}",
                params,
            )
            for table, key in (("events", "date"), ("statements", "placed"))
        }
        merged = heapq.merge(
            (lite._event_item(r) for r in reads["events"]), (lite._statement_item(r) for r in reads["statements"]),
            key=lambda i: (i.date, i.published or "", i.doc_id, i.start),
        )
        return itertools.islice(merged, offset, offset + limit if limit is not None else None)

    def search_documents(self, match: str, limit: int = 20) -> list[dict[str, Any]]:
        query = tsquery(match)  # raises BadQuery for what the language does not allow
        try:
            return self._query(
                "SELECT id AS doc_id, url, outlet, title, published, language, source FROM documents, "
                "to_tsquery('simple', %s) q WHERE search @@ q ORDER BY ts_rank(search, q) DESC, id LIMIT %s",
                [query, int(limit)],
            )
        except psycopg.errors.SyntaxError as err:
            raise BadQuery(f"{match!r}: {_first_line(err)}") from err

    def not_analysed(self) -> list[tuple[str, str, str | None]]:
        rows = self._query(
            "SELECT id, meta::jsonb ->> 'not_analysed' AS why, title FROM documents "
            "WHERE meta::jsonb ? 'not_analysed' ORDER BY published NULLS FIRST, id"
        )
        return [(r["id"], r["why"], r["title"]) for r in rows]

    def counts(self) -> dict[str, int]:
        return {
            t: self._query(f"SELECT count(*) AS n FROM {t}")[0]["n"]
            for t in ("documents", "entities", "statements", "times", "figures", "events", "rejections")
        }

    # -- fetching ----------------------------------------------------------

    def url_document(self, url: str) -> str | None:
        rows = self._query("SELECT id FROM documents WHERE url = %s LIMIT 1", [url])
        return rows[0]["id"] if rows else None

    def fetch_state(self, url: str) -> FetchState | None:
        rows = self._query("SELECT url, etag, last_modified, doc_id FROM fetches WHERE url = %s", [url])
        return FetchState(**rows[0]) if rows else None

    def save_fetch_state(self, state: FetchState) -> None:
        self._write(lambda: self.conn.execute(
            "INSERT INTO fetches (url, etag, last_modified, doc_id, fetched_at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
            "doc_id = excluded.doc_id, fetched_at = excluded.fetched_at",
            [state.url, state.etag, state.last_modified, state.doc_id, now()],
        ))

    def feed_item_document(self, feed_url: str, item: str) -> str | None:
        rows = self._query("SELECT doc_id FROM feed_items WHERE feed_url = %s AND item = %s", [feed_url, item])
        return rows[0]["doc_id"] if rows else None

    def save_feed_item(self, feed_url: str, item: str, doc_id: str) -> None:
        self._write(lambda: self.conn.execute(
            "INSERT INTO feed_items (feed_url, item, doc_id, seen_at) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (feed_url, item) DO UPDATE SET doc_id = excluded.doc_id, seen_at = excluded.seen_at",
            [feed_url, item, doc_id, now()],
        ))

    def feed_items_unstored(self, feed_url: str) -> int:
        rows = self._query(
            "SELECT count(*) AS n FROM feed_items f WHERE f.feed_url = %s "
            "AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = f.doc_id)",
            [feed_url],
        )
        return int(rows[0]["n"])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
