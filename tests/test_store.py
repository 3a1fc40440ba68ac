"""The stores (SQLite, and PostgreSQL when a server is at hand): idempotent, atomic saves; queries; migrations."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date, datetime, timezone

import pytest

from storyline.model import Analysis, Document, Entity, Event, Figure, Speaker, Statement, TextSpan, TimeExpression
from storyline.store import BadQuery, Rejection, SQLiteStore, StatementQuery, open_store
from storyline.store.schema import MIGRATIONS

TEXT = "Officials said on Monday that troops arrived. Kim denied it."


def span(text: str, piece: str) -> TextSpan:
    start = text.index(piece)
    return TextSpan(start, start + len(piece), piece)


def sample(text: str = TEXT, published: str = "2024-10-22T09:00:00+00:00", leader: str = "Kim") -> tuple[Document, Analysis]:
    text = text.replace("Kim", leader)
    doc = Document(text=text, title="T", outlet="Test", published=datetime.fromisoformat(published))
    said, denied = span(text, "said"), span(text, "denied")
    s1 = Statement(
        start=0, end=45, text=text[:45], speaker=Speaker(**vars(span(text, "Officials")), name="Officials"),
        cue=said, content=span(text, "that troops arrived"), kind="indirect", cue_class="assert",
        date="2024-10-21", date_source="explicit",
    )
    s2 = Statement(
        start=46, end=len(text), text=text[46:], speaker=Speaker(**vars(span(text, leader)), name=f"{leader} Jong Un", entity_id="e1"),
        cue=denied, content=span(text, "it"), kind="indirect", cue_class="deny", date=None,
    )
    analysis = Analysis(
        doc_id=doc.id,
        entities=[Entity(id="e1", canonical=f"{leader} Jong Un", type="PERSON", mentions=[span(text, leader)])],
        statements=[s1, s2],
        times=[TimeExpression(**vars(span(text, "Monday")), value="2024-10-21", granularity="day")],
        figures=[Figure(**vars(span(text, "troops")), value=1, unit="troops")],
        events=[Event(**vars(span(text, "arrived")), type="deploy_troops", actor="Kim Jong Un", date="2024-10-21")],
    )
    return doc, analysis


@pytest.fixture
def store(store_location):
    s = open_store(store_location)
    yield s
    s.close()


def rows(store, sql: str) -> list[tuple]:
    """The rows of ``sql`` (written in the SQL both backends read) as tuples."""
    if isinstance(store, SQLiteStore):
        return store.db.execute(sql).fetchall()
    from psycopg.rows import tuple_row

    return store.conn.cursor(row_factory=tuple_row).execute(sql).fetchall()


def test_save_is_idempotent_and_round_trips(store):
    doc, analysis = sample()
    assert store.save(doc, analysis) is True
    assert store.save(doc, analysis) is False
    assert store.counts()["documents"] == 1 and store.counts()["statements"] == 2
    back = store.analysis(doc.id)
    assert back.statements == analysis.statements
    assert back.entities == analysis.entities
    assert back.times == analysis.times and back.events == analysis.events
    loaded = store.document(doc.id[:5])
    assert loaded.text == doc.text and loaded.published == doc.published


def test_a_failed_save_leaves_nothing(store):
    doc, analysis = sample()
    analysis.figures.append("not a figure")  # type: ignore[arg-type]  # fails half-way through the save
    with pytest.raises(AttributeError):
        store.save(doc, analysis)
    assert store.counts()["documents"] == 0 and store.counts()["statements"] == 0 and store.counts()["entities"] == 0


def test_statement_filters_and_full_text_search(store):
    store.save(*sample())
    store.save(*sample(published="2024-10-26T09:00:00+00:00", leader="Lee"))
    assert len(list(store.statements(StatementQuery()))) == 4
    assert {s.statement.speaker.name for s in list(store.statements(StatementQuery(speaker="kim")))} == {"Kim Jong Un"}
    assert [s.statement.cue.text for s in list(store.statements(StatementQuery(cue_class="deny")))] == ["denied", "denied"]
    # Undated statements count from their publication date.
    late = list(store.statements(StatementQuery(since=date(2024, 10, 23))))
    assert [s.statement.cue_class for s in late] == ["deny"]
    assert len(list(store.statements(StatementQuery(search="troops")))) == 2
    assert len(list(store.statements(StatementQuery(search="troops", until=date(2024, 10, 20))))) == 0


def test_timeline_orders_by_when_it_happened_not_published(store):
    doc, analysis = sample(published="2024-10-30T00:00:00+00:00")
    analysis.events[0].date = "2024-08"
    store.save(doc, analysis)
    other_doc, other = sample(published="2024-10-01T00:00:00+00:00", leader="Lee")
    store.save(other_doc, other)
    dates = [i.date for i in list(store.timeline())]
    assert dates == sorted(dates) and dates[0] == "2024-08"
    assert all(i.date >= "2024-10" for i in list(store.timeline(since=date(2024, 10, 1))))


def test_rejections_are_recorded_once_and_forgotten_when_fixed(store):
    store.reject(Rejection("a.txt", "", "empty file"))
    store.reject(Rejection("a.txt", "", "binary file"))
    assert [(r.source, r.reason) for r in store.rejections()] == [("a.txt", "binary file")]
    store.forget_rejection("a.txt")
    assert store.rejections() == []


def test_schema_is_versioned(tmp_path):
    s = open_store(tmp_path / "v.db")
    assert s.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    s.close()
    with pytest.raises(RuntimeError, match="newer"):
        open_store(tmp_path / "v.db")


def test_processes_opening_a_new_store_at_once_migrate_it_once(store_location):
    """Two commands started together on a fresh store (e.g. `ingest` and a reader): each
    opens it; the schema must be created once, not fail in the second."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        versions = pool.map(_open_and_report_version, [store_location] * 8)
    assert len(set(versions)) == 1
    store = open_store(store_location)
    assert store.counts()["documents"] == 0
    assert versions[0] == _version(store)


def _version(store) -> int:
    if isinstance(store, SQLiteStore):
        return store.db.execute("PRAGMA user_version").fetchone()[0]
    return rows(store, "SELECT max(version) FROM storyline_migrations")[0][0]


def _open_and_report_version(location: str) -> int:
    store = open_store(location)
    version = _version(store)
    store.close()
    return version


def _save_all(path: str, seed: int) -> int:
    """Save 40 documents (the same 40 in every process, in a different order); returns how many it stored."""
    import random

    store = open_store(path)
    docs = [sample(text=TEXT + f" Item {n}.", leader=f"Kim{n}") for n in range(40)]
    random.Random(seed).shuffle(docs)
    stored = sum(store.save(doc, analysis) for doc, analysis in docs)
    store.close()
    return stored


def test_concurrent_writers_store_every_document_once(store_location):
    """Two ingests on one store with overlapping inputs: each save waits for the other's
    (SQLite: BEGIN IMMEDIATE; PostgreSQL: the unique document id, ON CONFLICT DO NOTHING)
    instead of failing, and none is stored twice."""
    import multiprocessing

    path = store_location
    open_store(path).close()
    with multiprocessing.get_context("fork").Pool(3) as pool:
        stored = pool.starmap(_save_all, [(path, seed) for seed in range(3)])
    assert sum(stored) == 40
    store = open_store(path)
    assert store.counts()["documents"] == 40 and store.counts()["statements"] == 80


def test_like_wildcards_in_filters_match_themselves(store):
    store.save(*sample())
    assert list(store.statements(StatementQuery(speaker="%"))) == []
    assert list(store.statements(StatementQuery(speaker="_"))) == []
    assert list(store.statements(StatementQuery(speaker="\\"))) == []
    assert len(list(store.statements(StatementQuery(speaker="Jong")))) == 1
    doc, _ = sample()
    assert store.document_ids("%") == [] and store.document_ids("_") == []
    assert store.document_ids(doc.id[:3]) == [doc.id]


def test_a_month_or_year_is_in_a_range_when_any_of_its_days_is(store):
    doc, analysis = sample()
    analysis.statements[0].date = "2024-09"
    analysis.statements[1].date = "2024"
    analysis.events[0].date = "2024-09"
    store.save(doc, analysis)

    def statements(since: str | None, until: str | None) -> list[str | None]:
        query = StatementQuery(since=since and date.fromisoformat(since), until=until and date.fromisoformat(until))
        return sorted(s.statement.date for s in list(store.statements(query)))

    def timeline(since: str | None, until: str | None) -> list[str]:
        items = list(store.timeline(since and date.fromisoformat(since), until and date.fromisoformat(until)))
        return sorted(i.date for i in items if i.kind == "statement")

    for ask in (statements, timeline):
        assert ask("2024-09-01", "2024-09-30") == ["2024", "2024-09"], ask
        assert ask("2024-09-15", "2024-10-15") == ["2024", "2024-09"], ask
        assert ask("2024-09-30", None) == ["2024", "2024-09"], ask
        assert ask(None, "2024-09-01") == ["2024", "2024-09"], ask
        assert ask("2024-10-01", None) == ["2024"], ask
        assert ask(None, "2024-08-31") == ["2024"], ask
        assert ask("2025-01-01", None) == [], ask


def test_plain_words_search_as_words_and_fts_syntax_still_works(store):
    doc, analysis = sample()
    analysis.statements[0].content.text = "that Zakharova's troops arrived"
    store.save(doc, analysis)
    assert [s.statement.cue.text for s in list(store.statements(StatementQuery(search="Zakharova's")))] == ["said"]
    assert len(list(store.statements(StatementQuery(search="troops arrived")))) == 1
    assert len(list(store.statements(StatementQuery(search='"troops arrived" OR denied')))) == 2
    assert len(list(store.statements(StatementQuery(search="troop*")))) == 1
    with pytest.raises(BadQuery):
        store.statements(StatementQuery(search='"unbalanced'))


def test_migration_3_adds_entity_foreign_keys_and_nulls_empty_speakers(tmp_path):
    """A version-2 store with '' speakers and a dangling entity reference: the migration
    makes them NULL, adds the foreign keys, and keeps the full-text index valid."""
    from sqlite_utils import Database

    from storyline.store.schema import _m001_initial, _m002_record_ids

    path = tmp_path / "old.db"
    db = Database(path)
    _m001_initial(db)
    _m002_record_ids(db)
    db.execute("PRAGMA user_version = 2")
    doc, analysis = sample()
    db["documents"].insert({"id": doc.id, "text": doc.text, "body": "[]", "headline": None, "authors": "[]", "meta": "{}"})
    db["entities"].insert({"doc_id": doc.id, "id": "e1", "canonical": "Kim Jong Un", "type": "PERSON", "roles": "[]"})
    base = {"doc_id": doc.id, "start": 0, "end": 10, "text": "x", "content_text": "troops arrived", "content_start": 0,
            "content_end": 5, "kind": "direct", "cue_class": "assert"}
    db["statements"].insert_all([
        {**base, "n": 0, "id": "a", "speaker_name": "", "speaker_text": "", "speaker_start": 0, "speaker_end": 0, "speaker_entity_id": ""},
        {**base, "n": 1, "id": "b", "speaker_name": "Kim Jong Un", "speaker_text": "Kim", "speaker_start": 0, "speaker_end": 3, "speaker_entity_id": "e7"},
        {**base, "n": 2, "id": "c", "speaker_name": "Kim Jong Un", "speaker_text": "Kim", "speaker_start": 0, "speaker_end": 3, "speaker_entity_id": "e1"},
    ])
    db.conn.commit()
    db.close()
    store = open_store(path)
    rows = store.db.execute("SELECT id, speaker_name, speaker_text, speaker_entity_id FROM statements ORDER BY n").fetchall()
    assert rows == [("a", None, None, None), ("b", "Kim Jong Un", "Kim", None), ("c", "Kim Jong Un", "Kim", "e1")]
    keys = {(r[2], r[3], r[4]) for r in store.db.execute("PRAGMA foreign_key_list(statements)")}
    # Since migration 9 the reference spans (doc_key, entity id): the document as its rowid.
    assert ("entities", "speaker_entity_id", "id") in keys and ("entities", "doc_key", "doc_key") in keys
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    store.db.execute("INSERT INTO statements_fts(statements_fts) VALUES ('integrity-check')")
    assert len(list(store.statements(StatementQuery(search="troops")))) == 3
    with pytest.raises(sqlite3.IntegrityError):  # the keys hold from now on
        store.db.execute("UPDATE statements SET speaker_entity_id = 'e9' WHERE id = 'c'")


def test_an_unattributed_or_unresolved_speaker_is_stored_as_null(store):
    doc, analysis = sample()
    analysis.statements[0].speaker = None
    analysis.statements[1].speaker.name = ""
    analysis.statements[1].speaker.entity_id = "e99"  # an entity the analysis does not hold
    store.save(doc, analysis)
    assert rows(store, "SELECT speaker_name, speaker_text, speaker_entity_id FROM statements ORDER BY n") == [
        (None, None, None), ("Kim", "Kim", None)]


def test_records_at_the_same_offsets_are_stored_once(store):
    """Two statements with the same offsets have one stable id: the store keeps the first
    instead of failing the document (PolNeAR dev has such a pair)."""
    doc, analysis = sample()
    twin = dataclasses.replace(analysis.statements[0], cue_class="ask")
    analysis.statements.insert(1, twin)
    assert store.save(doc, analysis)
    assert [s.cue_class for s in store.analysis(doc.id).statements] == ["assert", "deny"]


def test_migration_7_places_the_statements_and_events_of_an_old_store(tmp_path):
    """A store created at version 6 gets placed/placed_first/placed_last/published filled as a
    new store fills them on save, a speaker index, and answers queries as a new store does."""
    from sqlite_utils import Database

    doc, analysis = sample()
    analysis.statements[0].date = "2024-09"  # a month; the second is undated: placed at its publication day
    analysis.events[0].date = "2024-W43"
    fresh = open_store(tmp_path / "new.db")
    fresh.save(doc, analysis)
    old = Database(tmp_path / "old.db")
    for migration in MIGRATIONS[:6]:
        migration(old)
    old.execute("PRAGMA user_version = 6")
    added = {"published", "placed", "placed_first", "placed_last", "doc_key"}  # doc_key: migration 9
    for table in ("documents", "entities", "mentions", "statements", "times", "figures", "events"):
        old[table].insert_all({k: v for k, v in row.items() if table == "documents" or k not in added}
                              for row in fresh.db[table].rows)
    old.conn.commit()
    old.close()
    migrated = open_store(tmp_path / "old.db")
    columns = {"statements": "id, published, placed, placed_first, placed_last", "events": "id, published, placed_first, placed_last"}
    for table, cols in columns.items():
        rows = migrated.db.execute(f"SELECT {cols} FROM {table} ORDER BY id").fetchall()
        assert rows == fresh.db.execute(f"SELECT {cols} FROM {table} ORDER BY id").fetchall()
    placed = migrated.db.execute("SELECT placed, placed_first, placed_last FROM statements ORDER BY n").fetchall()
    assert placed == [("2024-09", "2024-09-01", "2024-09-30"), ("2024-10-22", "2024-10-22", "2024-10-22")]
    assert migrated.db.execute("SELECT placed_first, placed_last FROM events").fetchall() == [("2024-10-21", "2024-10-27")]
    migrated.db.execute("INSERT INTO statements_speakers (statements_speakers) VALUES ('integrity-check')")
    for query in (StatementQuery(), StatementQuery(speaker="jong"), StatementQuery(since=date(2024, 9, 15), until=date(2024, 9, 20))):
        assert list(migrated.statements(query)) == list(fresh.statements(query)) != []
    assert list(migrated.timeline(date(2024, 10, 27))) == list(fresh.timeline(date(2024, 10, 27))) != []
    migrated.close()
    fresh.close()


def test_migration_8_drops_the_indexes_no_query_reads(tmp_path):
    """A version-7 store loses the entity name/place and speaker-name indexes (saving
    wrote them, nothing read them) and finds a speaker through the trigram index as before."""
    from sqlite_utils import Database

    unused = {"idx_entities_canonical", "idx_entities_place_key", "idx_statements_speaker_name"}
    old = Database(tmp_path / "old.db")
    for migration in MIGRATIONS[:7]:
        migration(old)
    old.execute("PRAGMA user_version = 7")
    old.conn.commit()
    assert unused <= {name for (name,) in old.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    old.close()
    store = open_store(tmp_path / "old.db")
    _many(store)
    names = {name for (name,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert not unused & names and "idx_statements_order" in names
    found = list(store.statements(StatementQuery(speaker="Kim3")))
    assert found and all("Kim3" in s.statement.speaker.name for s in found)
    store.close()


def test_migration_9_keys_the_records_of_an_old_store_by_their_documents_rowid(tmp_path):
    """A version-8 store's per-document rows, rowids and ids come through the rebuild unchanged,
    each with its document's rowid as doc_key; the schema is then a new store's, and the store
    answers as a new one with the same documents does."""
    from sqlite_utils import Database

    fresh = open_store(tmp_path / "new.db")
    _many(fresh)
    old = Database(tmp_path / "old.db")
    for migration in MIGRATIONS[:8]:
        migration(old)
    old.execute("PRAGMA user_version = 8")
    # Documents in another order than the new store's: doc_key must follow this store's rowids.
    old["documents"].insert_all(reversed(list(fresh.db["documents"].rows)))
    tables = ("entities", "mentions", "statements", "times", "figures", "events")
    for table in tables:
        old[table].insert_all({k: v for k, v in row.items() if k != "doc_key"} for row in fresh.db[table].rows)
    statement = old.execute("SELECT id FROM statements LIMIT 1").fetchone()[0]
    old["identities"].insert({"id": "p1", "kind": "person", "name": "Kim"})
    old["statement_speakers"].insert({"statement_id": statement, "identity_id": "p1"})
    before = {t: old.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    old.conn.commit()
    old.close()
    migrated = open_store(tmp_path / "old.db")
    for table in tables:
        columns = ", ".join(f"t.[{c}]" for c in migrated.db[table].columns_dict if c != "doc_key")
        assert migrated.db.execute(f"SELECT t.rowid, {columns} FROM {table} t ORDER BY t.rowid").fetchall() == before[table]
        assert migrated.db.execute(
            f"SELECT count(*) FROM {table} t JOIN documents d ON d.rowid = t.doc_key AND d.id = t.doc_id"
        ).fetchone()[0] == len(before[table]) > 0
    schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name"
    assert migrated.db.execute(schema).fetchall() == fresh.db.execute(schema).fetchall()
    assert migrated.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert migrated.db.execute("SELECT statement_id, identity_id FROM statement_speakers").fetchall() == [(statement, "p1")]
    for index in ("statements_fts", "statements_speakers", "documents_fts"):
        migrated.db.execute(f"INSERT INTO {index} ({index}) VALUES ('integrity-check')")
    ids = [d.id for d in fresh.documents()]
    assert migrated.analyses(ids) == fresh.analyses(ids) and all(a.statements for a in fresh.analyses(ids).values())
    for query in (StatementQuery(), StatementQuery(speaker="Kim3"), StatementQuery(doc_id=ids[2]), StatementQuery(search="troops")):
        assert list(migrated.statements(query)) == list(fresh.statements(query)) != []
    assert list(migrated.timeline()) == list(fresh.timeline()) != []
    migrated.close()
    fresh.close()


def _many(store, documents: int = 6) -> None:
    """Documents whose statements are dated by day, month, year, and not at all, some on the same day."""
    values = ["2024-10-21", "2024-10", "2024", None, "2024-10-21", "2024-W43"]
    for k in range(documents):
        doc, analysis = sample(published=f"2024-10-{20 + k % 3}T{k % 24:02d}:00:00+00:00", leader=f"Kim{k}")
        analysis.statements[0].date = values[k % len(values)]
        analysis.statements[1].date = values[(k + 3) % len(values)]
        store.save(doc, analysis)


def test_statements_come_in_the_order_they_were_made(store):
    _many(store)
    rows = list(store.statements(StatementQuery()))
    expected = sorted(rows, key=lambda r: (r.statement.date or r.published[:10], r.published, r.doc_id, r.statement.start))
    assert [(r.doc_id, r.statement.start) for r in rows] == [(r.doc_id, r.statement.start) for r in expected]
    items = list(store.timeline())
    assert items == sorted(items, key=lambda i: (i.date, i.published or "", i.doc_id, i.start))
    assert all(i.date for i in items) and any(i.kind == "event" for i in items)


def test_pages_of_statements_and_timeline_make_up_the_whole_list(store):
    _many(store)
    for query in (StatementQuery(), StatementQuery(speaker="Kim"), StatementQuery(since=date(2024, 10, 21))):
        whole = list(store.statements(query))
        pages = [list(store.statements(dataclasses.replace(query, limit=5, offset=offset))) for offset in range(0, 15, 5)]
        assert [row for page in pages for row in page] == whole and len(pages[0]) == 5 and len(whole) > 5
        assert list(store.statements(dataclasses.replace(query, offset=3))) == whole[3:]
    whole = list(store.timeline(since=date(2024, 10, 1)))
    assert [i for offset in range(0, 20, 4) for i in store.timeline(since=date(2024, 10, 1), limit=4, offset=offset)] == whole
    assert list(store.timeline(since=date(2024, 10, 1), offset=2)) == whole[2:]


def test_statements_and_timeline_are_read_as_they_are_iterated(store, monkeypatch):
    import storyline.store.sqlite as sqlite

    _many(store, 30)
    made = []
    real = sqlite._statement
    monkeypatch.setattr(sqlite, "_statement", lambda r: made.append(r) or real(r))
    rows = store.statements(StatementQuery())
    assert iter(rows) is rows and made == []
    next(rows)
    assert len(made) == 1
    items = store.timeline()
    next(items)
    assert len(made) <= 3  # the merge holds one row of each of its two reads


def test_a_filter_with_many_matches_walks_the_order_and_finds_the_same(store, monkeypatch):
    """Whether a filter's matches are read and sorted or the order index is walked and each
    row checked (SQLiteStore._plan), the answer is the same."""
    import storyline.store.sqlite as sqlite

    _many(store, 12)
    queries = [StatementQuery(speaker="Kim"), StatementQuery(search="troops", since=date(2024, 10, 21)),
               StatementQuery(cue_class="deny", until=date(2024, 10, 21), limit=3, offset=1), StatementQuery(speaker="Off")]
    sorted_ = [list(store.statements(q)) for q in queries]
    timeline = list(store.timeline(since=date(2024, 10, 21)))
    monkeypatch.setattr(sqlite, "SORT_AT_MOST", 0)
    assert [list(store.statements(q)) for q in queries] == sorted_
    assert all(sorted_) and list(store.timeline(since=date(2024, 10, 21))) == timeline != []
