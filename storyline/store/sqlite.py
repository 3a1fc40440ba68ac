"""The embedded default store: one SQLite file (WAL, FTS5), readable by Datasette."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storyline.model import (
    Analysis,
    Document,
    Entity,
    Event,
    Figure,
    Speaker,
    Statement,
    TextSpan,
    TimeExpression,
)
from storyline.store.base import FetchState, Rejection, StatementQuery, StoredStatement, TimelineItem
from storyline.store.schema import migrate


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
        conn = sqlite3.connect(self.path, timeout=30)
        self.db = Database(conn)
        if self.path != ":memory:":
            _enable_wal(self.db)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA synchronous = NORMAL")
        migrate(self.db)

    # -- writing -------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is not None

    def save(self, document: Document, analysis: Analysis) -> bool:
        with self.db.atomic():
            if self.has_document(document.id):
                return False
            self.db["documents"].insert(self._document_row(document))
            d = document.id
            self.db["entities"].insert_all(
                {
                    "doc_id": d, "id": e.id, "canonical": e.canonical, "type": e.type, "roles": _json(e.roles),
                    "country": e.country, "lat": e.lat, "lon": e.lon, "admin_level": e.admin_level,
                    "geonameid": e.geonameid, "place_key": e.place_key, "start": e.first.start, "end": e.first.end, "text": e.first.text,
                }
                for e in analysis.entities
                if e.mentions
            )
            self.db["mentions"].insert_all(
                ({"doc_id": d, "entity_id": e.id, "start": m.start, "end": m.end, "text": m.text}
                 for e in analysis.entities for m in e.mentions),
                ignore=True,
            )
            # ignore: a statement found twice (same speaker, cue and content) is stored once.
            self.db["statements"].insert_all(
                (self._statement_row(d, n, s) for n, s in enumerate(analysis.statements)), ignore=True
            )
            self.db["times"].insert_all(
                ({"doc_id": d, "n": n, "id": t.id(d), "start": t.start, "end": t.end, "text": t.text, "value": t.value,
                 "type": t.type, "granularity": t.granularity, "anchor": t.anchor}
                for n, t in enumerate(analysis.times)),
                ignore=True,
            )
            self.db["figures"].insert_all(
                ({"doc_id": d, "n": n, "id": f.id(d), "start": f.start, "end": f.end, "text": f.text, "value": f.value,
                 "unit": f.unit, "approximate": int(f.approximate), "about": f.about, "qualifier": f.qualifier}
                for n, f in enumerate(analysis.figures)),
                ignore=True,
            )
            self.db["events"].insert_all(
                ({"doc_id": d, "n": n, "id": e.id(d), "start": e.start, "end": e.end, "text": e.text, "type": e.type,
                 "actor": e.actor, "actor_entity_id": e.actor_entity_id, "object": e.object, "place": e.place,
                 "place_entity_id": e.place_entity_id, "date": e.date, "date_source": e.date_source}
                for n, e in enumerate(analysis.events)),
                ignore=True,
            )
            if document.source:
                self.forget_rejection(document.source, document.meta.get("item", "") or "")  # type: ignore[arg-type]
        return True

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
    def _statement_row(doc_id: str, n: int, s: Statement) -> dict[str, Any]:
        sp, cue, c = s.speaker, s.cue, s.content
        return {
            "doc_id": doc_id, "n": n, "id": s.id(doc_id), "start": s.start, "end": s.end, "text": s.text,
            "speaker_name": sp.name if sp else None, "speaker_entity_id": sp.entity_id if sp else None,
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
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO rejections (source, item, reason, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (source, item) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen",
                [rejection.source, rejection.item, rejection.reason, now, now],
            )

    def forget_rejection(self, source: str, item: str = "") -> None:
        self.db.execute("DELETE FROM rejections WHERE source = ? AND item = ?", [source, item])

    def rejections(self) -> list[Rejection]:
        return [
            Rejection(r["source"], r["item"], r["reason"])
            for r in self.db.query("SELECT * FROM rejections ORDER BY source, item")
        ]

    # -- reading -------------------------------------------------------

    def resolve_id(self, doc_id: str) -> str | None:
        rows = self.db.execute("SELECT id FROM documents WHERE id LIKE ? LIMIT 2", [doc_id + "%"]).fetchall()
        return rows[0][0] if len(rows) == 1 else None

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
        q = self.db.query
        mentions: dict[str, list[TextSpan]] = {}
        for m in q("SELECT * FROM mentions WHERE doc_id = ? ORDER BY start", [doc_id]):
            mentions.setdefault(m["entity_id"], []).append(TextSpan(m["start"], m["end"], m["text"]))
        entities = [
            Entity(
                id=e["id"], canonical=e["canonical"], type=e["type"], mentions=mentions.get(e["id"], []),
                roles=json.loads(e["roles"]), country=e["country"], lat=e["lat"], lon=e["lon"],
                admin_level=e["admin_level"], geonameid=e["geonameid"], place_key=e["place_key"],
            )
            for e in q("SELECT * FROM entities WHERE doc_id = ? ORDER BY CAST(substr(id, 2) AS INTEGER)", [doc_id])
        ]
        return Analysis(
            doc_id=doc_id,
            entities=entities,
            statements=[_statement(r) for r in q("SELECT * FROM statements WHERE doc_id = ? ORDER BY n", [doc_id])],
            times=[
                TimeExpression(r["start"], r["end"], r["text"], value=r["value"], type=r["type"],
                               granularity=r["granularity"], anchor=r["anchor"])
                for r in q("SELECT * FROM times WHERE doc_id = ? ORDER BY n", [doc_id])
            ],
            figures=[
                Figure(r["start"], r["end"], r["text"], value=r["value"], unit=r["unit"],
                       approximate=bool(r["approximate"]), about=r["about"], qualifier=r["qualifier"] or "exact")
                for r in q("SELECT * FROM figures WHERE doc_id = ? ORDER BY n", [doc_id])
            ],
            events=[_event(r) for r in q("SELECT * FROM events WHERE doc_id = ? ORDER BY n", [doc_id])],
        )

    def statements(self, query: StatementQuery) -> list[StoredStatement]:
        where, params = [], []
        if query.speaker:
            where.append("(s.speaker_name LIKE ? OR s.speaker_text LIKE ?)")
            params += [f"%{query.speaker}%"] * 2
        when = "COALESCE(s.date, substr(d.published, 1, 10))"
        if query.since:
            where.append(f"{when} >= ?")
            params.append(query.since.isoformat())
        if query.until:
            # A month value ("2024-10") sorts before its days; compare on the prefix.
            where.append(f"substr({when}, 1, 10) <= ?")
            params.append(query.until.isoformat())
        if query.cue_class:
            where.append("s.cue_class = ?")
            params.append(query.cue_class)
        if query.doc_id:
            where.append("s.doc_id = ?")
            params.append(query.doc_id)
        if query.search:
            where.append("s.rowid IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)")
            params.append(query.search)
        sql = (
            "SELECT s.*, d.outlet, d.title, d.url, d.published FROM statements s JOIN documents d ON d.id = s.doc_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {when}, d.published, s.doc_id, s.n"
            + (f" LIMIT {int(query.limit)}" if query.limit else "")
        )
        return [
            StoredStatement(_statement(r), r["doc_id"], r["outlet"], r["title"], r["url"], r["published"])
            for r in self.db.query(sql, params)
        ]

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
        lo, hi = (since.isoformat() if since else ""), (until.isoformat() if until else "9999")
        items = [i for i in items if lo[: len(i.date)] <= i.date and i.date[:10] <= hi]
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
