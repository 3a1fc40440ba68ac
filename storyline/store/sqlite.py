"""The embedded default store: one SQLite file (WAL, FTS5), readable by Datasette."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storyline.model import (
    Analysis,
    Document,
    Event,
    Speaker,
    Statement,
    TextSpan,
)
from storyline.store.base import BadQuery, FetchState, InvalidRecord, Rejection, StatementQuery, StoredStatement, StoreError, TimelineItem
from storyline.store.periods import overlaps
from storyline.store.rows import analysis_of
from storyline.store.schema import migrate

BUSY_SECONDS = 30.0  # how long a write waits for another process's write to finish


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


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
        conn.create_function("in_range", 3, overlaps, deterministic=True)
        self.db = Database(conn)
        try:
            if self.path != ":memory:":
                _enable_wal(self.db)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
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
        self.db["documents"].insert(self._document_row(document))
        d = document.id
        # Entities without a mention in the text (a byline name it does not repeat) have
        # no row, so nothing may point at them.
        stored = {e.id for e in analysis.entities if e.mentions}
        self.db["entities"].insert_all(
            {
                "doc_id": d, "id": e.id, "canonical": e.canonical, "type": e.type, "roles": _json(e.roles),
                "country": e.country, "lat": e.lat, "lon": e.lon, "admin_level": e.admin_level,
                "geonameid": e.geonameid, "place_key": e.place_key, "start": e.first.start, "end": e.first.end,
                "text": e.first.text,
            }
            for e in analysis.entities
            if e.mentions
        )
        self.db["mentions"].insert_all(
            ({"doc_id": d, "entity_id": e.id, "start": m.start, "end": m.end, "text": m.text}
             for e in analysis.entities if e.mentions for m in e.mentions),
            ignore=True,
        )
        self.db["statements"].insert_all(
            _distinct(self._statement_row(d, n, s, stored) for n, s in enumerate(analysis.statements))
        )
        self.db["times"].insert_all(_distinct(
            {"doc_id": d, "n": n, "id": t.id(d), "start": t.start, "end": t.end, "text": t.text, "value": t.value,
             "type": t.type, "granularity": t.granularity, "anchor": t.anchor}
            for n, t in enumerate(analysis.times)
        ))
        self.db["figures"].insert_all(_distinct(
            {"doc_id": d, "n": n, "id": f.id(d), "start": f.start, "end": f.end, "text": f.text, "value": f.value,
             "unit": f.unit, "approximate": int(f.approximate), "about": f.about, "qualifier": f.qualifier}
            for n, f in enumerate(analysis.figures)
        ))
        self.db["events"].insert_all(_distinct(
            {"doc_id": d, "n": n, "id": e.id(d), "start": e.start, "end": e.end, "text": e.text, "type": e.type,
             "actor": e.actor or None, "actor_entity_id": _known(e.actor_entity_id, stored), "object": e.object or None,
             "place": e.place or None, "place_entity_id": _known(e.place_entity_id, stored), "date": e.date,
             "date_source": e.date_source}
            for n, e in enumerate(analysis.events)
        ))
        if document.source:
            self._forget(document.source, document.meta.get("item", "") or "")  # type: ignore[arg-type]

    def _document_row(self, doc: Document) -> dict[str, Any]:
        return {
            "id": doc.id, "url": doc.url, "outlet": doc.outlet, "title": doc.title,
            "published": doc.published.isoformat() if doc.published else None,
            "updated": doc.updated.isoformat() if doc.updated else None,
            "authors": _json(doc.authors), "language": doc.language, "text": doc.text,
            "body": _json(doc.body), "headline": _json(doc.headline), "source": doc.source,
            "meta": _json(doc.meta), "analyzer": self.analyzer, "ingested_at": _now(),
        }

    @staticmethod
    def _statement_row(doc_id: str, n: int, s: Statement, entities: set[str]) -> dict[str, Any]:
        sp, cue, c = s.speaker, s.cue, s.content
        return {
            "doc_id": doc_id, "n": n, "id": s.id(doc_id), "start": s.start, "end": s.end, "text": s.text,
            "speaker_name": (sp.name or sp.text or None) if sp else None,
            "speaker_entity_id": _known(sp.entity_id, entities) if sp else None,
            "speaker_text": sp.text if sp else None, "speaker_start": sp.start if sp else None,
            "speaker_end": sp.end if sp else None,
            "cue_text": cue.text if cue else None, "cue_start": cue.start if cue else None,
            "cue_end": cue.end if cue else None,
            "content_text": c.text, "content_start": c.start, "content_end": c.end,
            "kind": s.kind, "cue_class": s.cue_class, "date": s.date, "date_source": s.date_source,
            "stance": s.stance, "stance_reason": s.stance_reason,
        }

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
        rows = self.db.execute(
            "SELECT id FROM documents WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?", [like_prefix(prefix), limit]
        ).fetchall()
        return [r[0] for r in rows]

    def resolve_id(self, doc_id: str) -> str | None:
        ids = self.document_ids(doc_id, 2)
        return ids[0] if len(ids) == 1 else None

    def document(self, doc_id: str) -> Document | None:
        full = self.resolve_id(doc_id)
        if full is None:
            return None
        return self._document(next(self.db.query("SELECT * FROM documents WHERE id = ?", [full])))

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
        def rows(table: str, order: str) -> Iterator[dict[str, Any]]:
            return self.db.query(f"SELECT * FROM {table} WHERE doc_id = ? ORDER BY {order}", [doc_id])

        return analysis_of(doc_id, rows, entity_order="CAST(substr(id, 2) AS INTEGER)")

    def statements(self, query: StatementQuery) -> list[StoredStatement]:
        where, params = [], []
        if query.speaker:
            where.append("(s.speaker_name LIKE ? ESCAPE '\\' OR s.speaker_text LIKE ? ESCAPE '\\')")
            params += [f"%{_escape_like(query.speaker)}%"] * 2
        when = "COALESCE(s.date, substr(d.published, 1, 10))"
        if query.since or query.until:  # see storyline.store.periods for the rule
            where.append(f"in_range({when}, ?, ?)")
            params += [query.since.isoformat() if query.since else None, query.until.isoformat() if query.until else None]
        if query.cue_class:
            where.append("s.cue_class = ?")
            params.append(query.cue_class)
        if query.doc_id:
            where.append("s.doc_id = ?")
            params.append(query.doc_id)
        if query.search:
            where.append("s.rowid IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)")
            params.append(fts_query(query.search))
        sql = (
            "SELECT s.*, d.outlet, d.title, d.url, d.published FROM statements s JOIN documents d ON d.id = s.doc_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {when}, d.published, s.doc_id, s.n"
            + (f" LIMIT {int(query.limit)}" if query.limit else "")
        )
        try:
            return [
                StoredStatement(_statement(r), r["doc_id"], r["outlet"], r["title"], r["url"], r["published"])
                for r in self.db.query(sql, params)
            ]
        except sqlite3.OperationalError as err:
            if query.search and not self._searchable(fts_query(query.search)):
                raise BadQuery(f"{query.search!r}: {err}") from err
            raise

    def _searchable(self, match: str) -> bool:
        try:
            self.db.execute("SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? LIMIT 1", [match]).fetchall()
        except sqlite3.OperationalError:
            return False
        return True

    def timeline(self, since: date | None = None, until: date | None = None) -> list[TimelineItem]:
        items: list[TimelineItem] = []
        for r in self.db.query(
            "SELECT e.*, d.outlet, d.published FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.date IS NOT NULL"
        ):
            event = _event(r)
            summary = " ".join(x for x in (event.actor or "?", event.type.replace("_", " "), event.object or "") if x)
            if event.place:
                summary += f" in {event.place}"
            items.append(TimelineItem(event.date or "", "event", summary, r["doc_id"], event.start, event.end,
                                      event.text, r["outlet"], r["published"], event.date_source, event))
        for s in self.statements(StatementQuery()):
            st = s.statement
            if st.date is None:
                continue
            who = st.speaker.name if st.speaker else "(unattributed)"
            summary = f"{who} {st.cue.text if st.cue else 'says'}: {st.content.text}"
            items.append(TimelineItem(st.date, "statement", summary, s.doc_id, st.start, st.end, st.text,
                                      s.outlet, s.published, st.date_source, st))
        lo, hi = (since.isoformat() if since else None), (until.isoformat() if until else None)
        items = [i for i in items if overlaps(i.date, lo, hi)]
        items.sort(key=lambda i: (i.date, i.published or "", i.doc_id, i.start))
        return items

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


def _known(entity_id: str | None, stored: set[str]) -> str | None:
    return entity_id if entity_id in stored else None


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


def _distinct(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows with an id not seen before: two records at the same offsets are one record
    (their stable id is made of the offsets); the first is kept."""
    seen: set[str] = set()
    for row in rows:
        if row["id"] not in seen:
            seen.add(row["id"])
            yield row


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
