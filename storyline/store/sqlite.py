"""The embedded default store: one SQLite file (WAL, FTS5), readable by Datasette."""

from __future__ import annotations

import contextlib
import heapq
import itertools
import json
import operator
import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlite_utils import Database
from sqlite_utils.db import quote_identifier

from storyline.model import (
    Analysis,
    Document,
    Event,
    Speaker,
    Statement,
    TextSpan,
)
from storyline.store.base import BadQuery, FetchState, InvalidRecord, Rejection, StatementQuery, StoredStatement, StoreError, TimelineItem
from storyline.store.sql import SQLiteSQL
from storyline.store.rows import MAY_REPEAT, analyses_of, analysis_rows, document_row
from storyline.store.rows import now as _now
from storyline.store.periods import reach
from storyline.store.schema import migrate

BUSY_SECONDS = 30.0  # how long a write waits for another process's write to finish
# WAL pages written before SQLite copies them into the database file (its default is 1000,
# 4 MB). In a large store each document dirties random leaves of many B-trees, so frequent
# checkpoints write almost every page again; fewer, larger ones write a page touched by several
# documents once, and fsync less often. Closing the store checkpoints the rest.
CHECKPOINT_PAGES = 10_000  # about 40 MB of WAL
SORT_AT_MOST = 1000  # matches of a query's most selective filter that are read and sorted (see SQLiteStore._plan)


def _enable_wal(db: Database, patience: float = 10.0) -> None:
    """Switch to WAL. SQLite answers "database is locked" at once, without waiting for the
    busy timeout, when another connection is switching a new file at the same moment."""
    deadline = time.monotonic() + patience
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class SQLiteStore:
    """:class:`storyline.store.base.Store` on SQLite.

    Each document is saved with all its rows in one transaction, so an
    interrupted batch leaves whole documents or nothing.
    """

    def __init__(self, path: str | Path, *, analyzer: str = "") -> None:
        self.path = str(path)
        self.analyzer = analyzer
        if Path(self.path).is_dir():
            raise StoreError(f"{self.path} is a folder, not a store file")
        conn = sqlite3.connect(self.path, timeout=BUSY_SECONDS)
        self.db = Database(conn)
        self.sql = SQLiteSQL(conn, self.db.atomic)  # what the story layer uses (storyline.store.sql)
        try:
            if self.path != ":memory:":
                _enable_wal(self.db)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
            migrate(self.db)
        except sqlite3.DatabaseError as err:
            conn.close()
            raise StoreError(unusable(self.path, err)) from err

    def files(self) -> list[str]:
        if self.path == ":memory:":
            return []
        return [self.path] + [self.path + suffix for suffix in ("-wal", "-shm", "-journal")]

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction that takes the write lock first (BEGIN IMMEDIATE), so a
        concurrent writer makes it wait (up to the busy timeout, then again) instead of fail.

        A deferred transaction that reads first and writes later fails at once with
        "database is locked" when another process wrote in between (WAL snapshots).
        """
        deadline = time.monotonic() + 4 * BUSY_SECONDS
        while True:
            try:
                self.db.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as err:
                if not _busy(err) or time.monotonic() > deadline:
                    raise StoreError(f"the store {self.path} stayed locked by another process: {err}") from err
                time.sleep(0.05)
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- writing -------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is not None

    def save(self, document: Document, analysis: Analysis) -> bool:
        with self._writing():
            if self.has_document(document.id):
                return False
            try:
                self._insert(document, analysis)
            except sqlite3.IntegrityError as err:
                raise InvalidRecord(f"cannot store the analysis: {err}") from err
        return True

    def _insert(self, document: Document, analysis: Analysis) -> None:
        # The document's rows are keyed by its rowid, which grows as documents are saved (schema m009).
        key = self.db["documents"].insert(document_row(document, self.analyzer)).last_rowid
        for table, rows in analysis_rows(document, analysis):
            if not rows:
                continue
            # executemany, not sqlite-utils' insert_all: the rows hold plain values only, so its
            # conversion of each value (to JSON when it is a list or a dict) is not needed; it
            # was a fifth of the CPU of a save.
            columns = [*rows[0], "doc_key"]
            values = operator.itemgetter(*columns[:-1])
            self.db.conn.executemany(
                f"INSERT {'OR IGNORE ' if table in MAY_REPEAT else ''}INTO {table} "
                f"({', '.join(map(quote_identifier, columns))}) VALUES ({', '.join('?' * len(columns))})",
                [(*values(row), key) for row in rows],
            )
        if document.source:
            self._forget(document.source, document.meta.get("item", "") or "")  # type: ignore[arg-type]

    def reject(self, rejection: Rejection) -> None:
        now = _now()
        with self._writing():
            self.db.execute(
                "INSERT INTO rejections (source, item, reason, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (source, item) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen",
                [rejection.source, rejection.item, rejection.reason, now, now],
            )

    def forget_rejection(self, source: str, item: str = "") -> None:
        if self.db.execute("SELECT 1 FROM rejections WHERE source = ? AND item = ?", [source, item]).fetchone():
            with self._writing():
                self._forget(source, item)

    def _forget(self, source: str, item: str) -> None:
        self.db.execute("DELETE FROM rejections WHERE source = ? AND item = ?", [source, item])

    def rejections(self) -> list[Rejection]:
        return [
            Rejection(r["source"], r["item"], r["reason"])
            for r in self.db.query("SELECT * FROM rejections ORDER BY source, item")
        ]

    # -- reading -------------------------------------------------------

    def document_ids(self, prefix: str, limit: int = 10) -> list[str]:
        # A range, not LIKE: SQLite's LIKE ignores case, so no index answers it (a scan of every id,
        # 8 ms at 100,000 documents). Ids are lower-case hex, so a prefix typed in capitals still finds them.
        start = prefix.lower()
        rows = self.db.execute(
            "SELECT id FROM documents WHERE id >= ? AND id < ? ORDER BY id LIMIT ?", [start, start + "\U0010ffff", limit]
        ).fetchall()
        return [r[0] for r in rows]

    def resolve_id(self, doc_id: str) -> str | None:
        ids = self.document_ids(doc_id, 2)
        return ids[0] if len(ids) == 1 else None

    def document(self, doc_id: str) -> Document | None:
        """The document with this id, or the one this id is the unique prefix of."""
        row = next(self.db.query("SELECT * FROM documents WHERE id = ?", [doc_id]), None)
        if row is None and (full := self.resolve_id(doc_id)) is not None:  # the prefix search only when no id is equal
            row = next(self.db.query("SELECT * FROM documents WHERE id = ?", [full]), None)
        return self._document(row) if row is not None else None

    def documents(self) -> Iterator[Document]:
        for row in self.db.query("SELECT * FROM documents ORDER BY published, id"):
            yield self._document(row)

    @staticmethod
    def _document(row: dict[str, Any]) -> Document:
        headline = json.loads(row["headline"]) if row["headline"] else None
        return Document(
            id=row["id"], text=row["text"], url=row["url"], outlet=row["outlet"], title=row["title"],
            published=datetime.fromisoformat(row["published"]) if row["published"] else None,
            updated=datetime.fromisoformat(row["updated"]) if row["updated"] else None,
            authors=json.loads(row["authors"]), language=row["language"],
            body=[tuple(r) for r in json.loads(row["body"])],  # type: ignore[misc]
            headline=tuple(headline) if headline else None,  # type: ignore[arg-type]
            source=row["source"], meta=json.loads(row["meta"]),
            analyzer=row["analyzer"], ingested_at=row["ingested_at"],
        )

    def analysis(self, doc_id: str) -> Analysis:
        return self.analyses([doc_id])[doc_id]

    def analyses(self, doc_ids: Sequence[str]) -> dict[str, Analysis]:
        """The analyses of several documents in one query per table (an export reads a batch
        at a time instead of seven queries per document); a document without rows gets an empty one."""
        ids = list(dict.fromkeys(doc_ids))
        marks = ", ".join("?" * len(ids))

        def rows(table: str, order: str) -> Iterator[dict[str, Any]]:
            return self.db.query(
                f"SELECT * FROM {table} WHERE doc_key IN (SELECT rowid FROM documents WHERE id IN ({marks})) "
                f"ORDER BY doc_id, {order}", ids,
            )

        return analyses_of(ids, rows, entity_order="CAST(substr(id, 2) AS INTEGER)")

    def statements(self, query: StatementQuery) -> Iterator[StoredStatement]:
        """The statements that match, in the order they were made (``placed``, then publication,
        document and position), read as the caller iterates; a bad search fails here, not later."""
        where, params = [], []
        sets: list[Filter] = []  # filters an index answers as a set of rowids
        if query.speaker:
            pattern = f"%{_escape_like(query.speaker)}%"
            where.append("(s.speaker_name LIKE ? ESCAPE '\\' OR s.speaker_text LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
            if len(query.speaker) >= 3:
                # The trigram index finds the candidates (it folds case beyond ASCII, so it may
                # find more); the LIKE above keeps the documented rule exactly.
                sets.append(Filter("SELECT rowid FROM statements_speakers WHERE statements_speakers MATCH ?",
                                   [_phrase(query.speaker)], "1", []))  # the row check is the LIKE above
        if query.since or query.until:  # see storyline.store.periods for the rule
            sets.append(_in_range("statements", "s", query.since, query.until))
        if query.cue_class:
            where.append("s.cue_class = ?")
            params.append(query.cue_class)
        if query.doc_id:
            sets.append(Filter("SELECT rowid FROM statements WHERE doc_key = (SELECT rowid FROM documents WHERE id = ?)",
                               [query.doc_id], "s.doc_id = ?", [query.doc_id]))
        if query.search:
            sets.append(Filter("SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?", [fts_query(query.search)]))
        try:
            source, terms, more = self._plan(sets, "statements", "s", "cue_order" if query.cue_class else "order")
            # CROSS JOIN: statements drive the loop, so the order can come from their index.
            sql = (
                f"SELECT s.*, d.outlet, d.title, d.url FROM {source} CROSS JOIN documents d ON d.id = s.doc_id"
                + (" WHERE " + " AND ".join(where + terms) if where or terms else "")
                + " ORDER BY s.placed, s.published, s.doc_id, s.n"
                + _window(query.limit, query.offset)
            )
            cursor = self.db.execute(sql, params + more)  # runs the first step: a bad FTS5 query fails now
        except sqlite3.OperationalError as err:
            if query.search and not self._searchable(fts_query(query.search)):
                raise BadQuery(f"{query.search!r}: {err}") from err
            raise
        return (
            StoredStatement(_statement(r), r["doc_id"], r["outlet"], r["title"], r["url"], r["published"])
            for r in _dicts(cursor)
        )

    def _plan(self, sets: list[Filter], table: str, alias: str, order: str) -> tuple[str, list[str], list[Any]]:
        """How to read ``table`` filtered by ``sets``: the table as FROM names it, WHERE terms, parameters.

        When the smallest set is small (at most SORT_AT_MOST rows), it drives the read and its rows
        are sorted; else the index ``idx_<table>_<order>`` is walked in order and each row checked,
        which stops after one page when matches are common and never sorts them all. (SQLite's
        planner, without statistics, cannot tell the two cases apart.) The other filters are
        checked on the row where they can be, else against their set (a ``+`` before the rowid
        keeps the set a check rather than a way in).
        """
        if not sets:
            return f"{table} {alias}", [], []
        sizes = [self.db.execute(f"SELECT count(*) FROM ({f.sql} LIMIT {SORT_AT_MOST + 1})", f.params).fetchone()[0]
                 for f in sets]
        smallest = min(range(len(sets)), key=sizes.__getitem__)
        drive = sizes[smallest] <= SORT_AT_MOST
        terms, params = [], []
        for i, f in enumerate(sets):
            if drive and i == smallest:
                terms.append(f"{alias}.rowid IN ({f.sql})")
                params += f.params
            elif f.row is not None:
                terms.append(f.row)
                params += f.row_params
            else:
                terms.append(f"+{alias}.rowid IN ({f.sql})")
                params += f.params
        source = f"{table} {alias} NOT INDEXED" if drive else f"{table} {alias} INDEXED BY idx_{table}_{order}"
        return source, terms, params

    def _searchable(self, match: str) -> bool:
        try:
            self.db.execute("SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? LIMIT 1", [match]).fetchall()
        except sqlite3.OperationalError:
            return False
        return True

    def timeline(
        self, since: date | None = None, until: date | None = None, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[TimelineItem]:
        """Dated events and statements by the date they happened (then publication, document,
        position), merged from two index-ordered reads as the caller iterates."""
        window = _window(offset + limit if limit is not None else None, 0)
        reads = {}
        for table, key in (("events", "date"), ("statements", "placed")):
            a = table[0]
            ranges = [_in_range(table, a, since, until)] if since or until else []
            source, terms, params = self._plan(ranges, table, a, "timeline")
            where = " AND ".join([f"{a}.date IS NOT NULL", *terms])
            reads[table] = _dicts(self.db.execute(
                f"SELECT {a}.*, d.outlet FROM {source} CROSS JOIN documents d ON d.id = {a}.doc_id "
                f"WHERE {where} ORDER BY {a}.{key}, {a}.published, {a}.doc_id, {a}.start, {a}.n{window}",
                params,
            ))
        events, statements = reads["events"], reads["statements"]
        merged = heapq.merge(
            (_event_item(r) for r in events), (_statement_item(r) for r in statements),
            key=lambda i: (i.date, i.published or "", i.doc_id, i.start),
        )
        return itertools.islice(merged, offset, offset + limit if limit is not None else None)

    def search_documents(self, match: str, limit: int = 20) -> list[dict[str, Any]]:
        query = fts_query(match)
        try:
            return list(self.db.query(
                "SELECT d.id AS doc_id, d.url, d.outlet, d.title, d.published, d.language, d.source FROM documents_fts f "
                "JOIN documents d ON d.rowid = f.rowid WHERE documents_fts MATCH ? ORDER BY f.rank LIMIT ?",
                [query, int(limit)],
            ))
        except sqlite3.OperationalError as err:
            raise BadQuery(f"{match!r}: {err}") from err

    def not_analysed(self) -> list[tuple[str, str, str | None]]:
        """(doc_id, why, title) of the documents stored without analysis (see storyline.ingest.language)."""
        return [tuple(r) for r in self.db.execute(  # type: ignore[misc]
            "SELECT id, json_extract(meta, '$.not_analysed'), title FROM documents "
            "WHERE json_extract(meta, '$.not_analysed') IS NOT NULL ORDER BY published, id"
        ).fetchall()]

    def counts(self) -> dict[str, int]:
        return {
            t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "entities", "statements", "times", "figures", "events", "rejections")
        }

    # -- fetching ----------------------------------------------------------

    def url_document(self, url: str) -> str | None:
        row = self.db.execute("SELECT id FROM documents WHERE url = ? LIMIT 1", [url]).fetchone()
        return row[0] if row else None

    def fetch_state(self, url: str) -> FetchState | None:
        row = self.db.execute("SELECT url, etag, last_modified, doc_id FROM fetches WHERE url = ?", [url]).fetchone()
        return FetchState(*row) if row else None

    def save_fetch_state(self, state: FetchState) -> None:
        with self.db.atomic():
            self.db["fetches"].upsert({**vars(state), "fetched_at": _now()}, pk="url")

    def feed_item_document(self, feed_url: str, item: str) -> str | None:
        row = self.db.execute("SELECT doc_id FROM feed_items WHERE feed_url = ? AND item = ?", [feed_url, item]).fetchone()
        return row[0] if row else None

    def save_feed_item(self, feed_url: str, item: str, doc_id: str) -> None:
        with self.db.atomic():
            self.db["feed_items"].upsert(
                {"feed_url": feed_url, "item": item, "doc_id": doc_id, "seen_at": _now()}, pk=("feed_url", "item")
            )

    def feed_items_unstored(self, feed_url: str) -> int:
        return self.db.execute(
            "SELECT count(*) FROM feed_items f WHERE f.feed_url = ? AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = f.doc_id)",
            [feed_url],
        ).fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def unusable(path: str, err: sqlite3.DatabaseError) -> str:
    """One line on why the store at ``path`` cannot be used, and what to do."""
    message = str(err)
    if "not a database" in message:
        return f"{path} is not a storyline store (not an SQLite database): give another --db"
    if "malformed" in message or "corrupt" in message:
        return f"the store {path} is damaged ({message}): run `storyline --db {path} check` to see how to recover"
    return f"cannot use the store {path}: {message}"


def _busy(err: sqlite3.OperationalError) -> bool:
    return "locked" in str(err) or "busy" in str(err)


def _escape_like(value: str) -> str:
    """``value`` matched literally by LIKE … ESCAPE '\\': its %, _ and \\ escaped."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_prefix(prefix: str) -> str:
    return _escape_like(prefix) + "%"


# FTS5 query syntax: quoted phrases, prefix *, grouping, column filters, NEAR/AND/OR/NOT.
_FTS_SYNTAX = re.compile(r'["*()^:+{}]|\b(?:AND|OR|NOT|NEAR)\b')


def fts_query(text: str) -> str:
    """``text`` as an FTS5 query: plain words match as words (each quoted, so "Zakharova's"
    or "U.S." need no quoting by the user); a query that uses FTS5 syntax is kept as it is."""
    if _FTS_SYNTAX.search(text):
        return text
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


class Filter(NamedTuple):
    """A filter as the rowids an index finds (``sql``), and, where the row itself can tell,
    as a check of the row (``row``, with the table's alias)."""

    sql: str
    params: list[Any]
    row: str | None = None
    row_params: list[Any] = []


def _in_range(table: str, alias: str, since: date | None, until: date | None) -> Filter:
    """The rows of ``table`` whose placed days meet ``since``–``until``
    (storyline.store.periods.overlaps). As a set, each part is answered by an index: the
    values that start in the range, and the values longer than a day (a week, month, year:
    at most 366 days) that start before it and reach into it."""
    lo, hi = (since.isoformat() if since else ""), (until.isoformat() if until else "9999-12-31")
    sql = f"SELECT rowid FROM {table} WHERE placed_first BETWEEN ? AND ?"
    params: list[Any] = [lo, hi]
    if since:
        sql += (f" UNION ALL SELECT rowid FROM {table} WHERE placed_first <> placed_last "
                "AND placed_last BETWEEN ? AND ? AND placed_first < ? AND placed_first <= ?")
        params += [lo, reach(since), lo, hi]
    return Filter(sql, params, f"{alias}.placed_last >= ? AND {alias}.placed_first <= ?", [lo, hi])


def _window(limit: int | None, offset: int | None) -> str:
    if limit is None:
        return f" LIMIT -1 OFFSET {int(offset)}" if offset else ""
    return f" LIMIT {int(limit)}" + (f" OFFSET {int(offset)}" if offset else "")


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _dicts(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    names = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(names, row))


def _event_item(r: dict[str, Any]) -> TimelineItem:
    event = _event(r)
    return TimelineItem(event.date or "", "event", event.summary(), r["doc_id"], event.start, event.end, event.text,
                        r["outlet"], r["published"], event.date_source, event)


def _statement_item(r: dict[str, Any]) -> TimelineItem:
    st = _statement(r)
    return TimelineItem(st.date or "", "statement", st.summary(), r["doc_id"], st.start, st.end, st.text,
                        r["outlet"], r["published"], st.date_source, st)


def _statement(r: dict[str, Any]) -> Statement:
    speaker = (
        Speaker(r["speaker_start"], r["speaker_end"], r["speaker_text"], name=r["speaker_name"],
                entity_id=r["speaker_entity_id"])
        if r["speaker_text"] is not None
        else None
    )
    cue = TextSpan(r["cue_start"], r["cue_end"], r["cue_text"]) if r["cue_text"] is not None else None
    return Statement(
        start=r["start"], end=r["end"], text=r["text"], speaker=speaker, cue=cue,
        content=TextSpan(r["content_start"], r["content_end"], r["content_text"]),
        kind=r["kind"], cue_class=r["cue_class"], date=r["date"], date_source=r["date_source"],
        stance=r["stance"], stance_reason=r["stance_reason"],
    )


def _event(r: dict[str, Any]) -> Event:
    return Event(
        start=r["start"], end=r["end"], text=r["text"], type=r["type"], actor=r["actor"],
        actor_entity_id=r["actor_entity_id"], object=r["object"], place=r["place"],
        place_entity_id=r["place_entity_id"], date=r["date"], date_source=r["date_source"],
    )
