"""The SQLite store: idempotent, atomic saves; queries; migrations."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from storyline.model import Analysis, Document, Entity, Event, Figure, Speaker, Statement, TextSpan, TimeExpression
from storyline.store import Rejection, StatementQuery, open_store
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
def store(tmp_path):
    s = open_store(tmp_path / "s.db")
    yield s
    s.close()


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
    assert len(store.statements(StatementQuery())) == 4
    assert {s.statement.speaker.name for s in store.statements(StatementQuery(speaker="kim"))} == {"Kim Jong Un"}
    assert [s.statement.cue.text for s in store.statements(StatementQuery(cue_class="deny"))] == ["denied", "denied"]
    # Undated statements count from their publication date.
    late = store.statements(StatementQuery(since=date(2024, 10, 23)))
    assert [s.statement.cue_class for s in late] == ["deny"]
    assert len(store.statements(StatementQuery(search="troops"))) == 2
    assert len(store.statements(StatementQuery(search="troops", until=date(2024, 10, 20)))) == 0


def test_timeline_orders_by_when_it_happened_not_published(store):
    doc, analysis = sample(published="2024-10-30T00:00:00+00:00")
    analysis.events[0].date = "2024-08"
    store.save(doc, analysis)
    other_doc, other = sample(published="2024-10-01T00:00:00+00:00", leader="Lee")
    store.save(other_doc, other)
    dates = [i.date for i in store.timeline()]
    assert dates == sorted(dates) and dates[0] == "2024-08"
    assert all(i.date >= "2024-10" for i in store.timeline(since=date(2024, 10, 1)))


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


def test_processes_opening_a_new_store_at_once_migrate_it_once(tmp_path):
    """Two commands started together on a fresh store (e.g. `ingest` and a reader): each
    opens it; the schema must be created once, not fail in the second."""
    import multiprocessing

    path = tmp_path / "race.db"
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        versions = pool.map(_open_and_report_version, [str(path)] * 8)
    assert versions == [len(MIGRATIONS)] * 8
    store = open_store(path)
    assert store.counts()["documents"] == 0


def _open_and_report_version(path: str) -> int:
    store = open_store(path)
    version = store.db.execute("PRAGMA user_version").fetchone()[0]
    store.close()
    return version
