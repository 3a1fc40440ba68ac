"""What is particular to the PostgreSQL store: its migrations table, the search language as a
tsquery, a server that cannot be reached, a connection that drops. The behaviour both stores
share is tested over both in tests/test_store.py."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.batch import ingest_items
from storyline.config import Settings
from storyline.model import Document
from storyline.store import BadQuery, InvalidRecord, StatementQuery, StoreError, open_store
from tests.test_store import TEXT, rows, sample


@pytest.fixture
def pg(pg_url):
    store = open_store(pg_url)
    yield store
    store.close()


def test_migrations_are_recorded_and_a_newer_schema_is_refused(pg_url):
    from storyline.store.pg_schema import MIGRATIONS

    store = open_store(pg_url)
    assert rows(store, "SELECT version, name FROM storyline_migrations ORDER BY version") == [
        (n, step.__name__) for n, step in enumerate(MIGRATIONS, 1)
    ]
    store.conn.execute("INSERT INTO storyline_migrations (version, name) VALUES (%s, 'from the future')", [len(MIGRATIONS) + 1])
    store.close()
    with pytest.raises(RuntimeError, match="newer"):
        open_store(pg_url)


def test_a_store_made_before_the_story_layer_gets_it_and_places_its_documents_in_storage_order(pg_url, monkeypatch):
    from storyline.model import Analysis
    from storyline.store import pg_schema
    from storyline.story.engine import StoryEngine

    with monkeypatch.context() as patch:
        patch.setattr(pg_schema, "MIGRATIONS", pg_schema.MIGRATIONS[:1])  # a store of the first release
        old = open_store(pg_url)
        ids = [f"d{n}" for n in (3, 1, 2)]
        for n, doc_id in enumerate(ids):  # undated: placed in the order they were stored
            old.save(Document(text=f"{TEXT} Report number {n}.", id=doc_id), Analysis(doc_id=doc_id))
        old.close()
    store = open_store(pg_url)
    assert rows(store, "SELECT max(version) FROM storyline_migrations") == [(len(pg_schema.MIGRATIONS),)]
    engine = StoryEngine(store)
    assert engine.pending() == ids
    assert engine.catch_up() == 3 and engine.pending() == []
    assert rows(store, "SELECT count(*) FROM story_documents") == [(3,)]
    store.close()


def test_two_processes_placing_one_document_in_the_story_layer_place_it_once(pg_url):
    """The second waits for the first's transaction, then finds the document placed."""
    import threading

    from storyline.model import Analysis
    from storyline.story.engine import StoryEngine

    first, second = open_store(pg_url), open_store(pg_url)
    document, analysis = Document(text=TEXT, id="d1"), Analysis(doc_id="d1")
    first.save(document, analysis)
    placed: list[str] = []
    with first.sql.exclusive():
        story = StoryEngine(first).add(document, analysis)
        other = threading.Thread(target=lambda: placed.append(StoryEngine(second).add(document, analysis)))
        other.start()
        other.join(0.5)
        assert other.is_alive()  # waiting for this transaction
    other.join(10)
    assert placed == [story]
    assert rows(first, "SELECT id, documents FROM stories") == [(story, 1)]
    assert rows(first, "SELECT count(*) FROM story_documents") == [(1,)]
    first.close()
    second.close()


def test_a_user_who_may_only_read_opens_a_store_that_is_up_to_date(pg_url):
    if os.environ.get("STORYLINE_TEST_PG"):
        pytest.skip("makes a login role, which needs the throwaway cluster's trust authentication")
    store = open_store(pg_url)
    store.save(*sample())
    role = f"reader_{uuid.uuid4().hex[:8]}"
    schema = rows(store, "SELECT current_schema()")[0][0]
    for grant in (f"CREATE ROLE {role} LOGIN", f'GRANT USAGE ON SCHEMA "{schema}" TO {role}',
                  f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}'):
        store.conn.execute(grant)
    store.close()
    reader = open_store(f"{pg_url}&user={role}")
    assert len(list(reader.statements(StatementQuery(search="troops")))) == 1
    reader.close()


def test_statements_are_placed_for_ordering_and_date_filters(pg):
    doc, analysis = sample()
    analysis.statements[0].date = "2024-09"
    pg.save(doc, analysis)
    assert rows(pg, "SELECT placed, placed_first, placed_last FROM statements ORDER BY n") == [
        ("2024-09", "2024-09-01", "2024-09-30"),
        ("2024-10-22", "2024-10-22", "2024-10-22"),  # undated: its document's publication day
    ]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("troops", ["said"]),
        ("TROOPS arrived", ["said"]),
        ('"troops arrived"', ["said"]),
        ('"arrived troops"', []),
        ("troop*", ["said"]),
        ("troops OR denied", ["said", "denied"]),
        ("(troops OR it) NOT Officials", ["denied"]),
        ("Officials AND NOT troops", []),
        ("Zakharova's", []),
    ],
)
def test_search_takes_the_documented_query_language(pg, search, found):
    pg.save(*sample())
    assert [s.statement.cue.text for s in pg.statements(StatementQuery(search=search))] == found


@pytest.mark.parametrize("search", ['"unbalanced', "troops NEAR arrived", "content_text:troops", "a OR OR b", "()"])
def test_a_search_it_cannot_express_is_a_bad_query(pg, search):
    pg.save(*sample())
    with pytest.raises(BadQuery):
        pg.statements(StatementQuery(search=search))


def test_two_writers_of_one_document_at_the_same_moment_store_it_once(pg_url):
    """The second writer's document row waits on the first's uncommitted one (the unique id), then
    finds it there (ON CONFLICT DO NOTHING): one save stores it, the other says it was stored."""
    import threading

    stores = [open_store(pg_url) for _ in range(2)]
    doc, analysis = sample()
    inserted = threading.Barrier(2)
    real = stores[0]._insert_rows

    def slow_first(table, rows, conflict=""):
        n = real(table, rows, conflict)
        if table == "documents":  # the first writer holds its document row, uncommitted, until the second tries
            inserted.wait(timeout=10)
            time.sleep(0.3)
        return n

    stores[0]._insert_rows = slow_first
    results: list[bool] = []

    def second() -> None:
        inserted.wait(timeout=10)
        results.append(stores[1].save(doc, analysis))

    thread = threading.Thread(target=second)
    thread.start()
    results.append(stores[0].save(doc, analysis))
    thread.join(timeout=30)
    assert sorted(results) == [False, True]
    assert stores[1].counts()["documents"] == 1 and stores[1].counts()["statements"] == 2
    for store in stores:
        store.close()


def test_a_text_postgresql_cannot_hold_is_an_invalid_record(pg):
    """PostgreSQL text cannot hold NUL (SQLite's can; the readers reject such files before): the document
    is rejected with one line, and nothing of it is stored."""
    doc, analysis = sample(text=TEXT.replace("arrived", "arrived\x00"))
    with pytest.raises(InvalidRecord, match="NUL"):
        pg.save(doc, analysis)
    assert pg.counts()["documents"] == 0 and pg.counts()["statements"] == 0


def test_the_same_records_come_out_of_both_stores(pg, tmp_path):
    """Saved alike, the two stores export the same JSON Lines (but the time each was stored)."""
    from storyline.export.jsonl import write_jsonl

    lite = open_store(tmp_path / "s.db")
    outputs = []
    for store in (lite, pg):
        for n in range(3):
            store.save(*sample(text=TEXT + f" Item {n}.", leader=f"Kim{n}", published=f"2024-10-2{n}T09:00:00+00:00"))
        out = io.StringIO()
        write_jsonl(store, out)
        outputs.append(out.getvalue().splitlines())
    lite.close()
    assert len(outputs[0]) > 3
    when = re.compile(r'"ingested_at": "[^"]*"')
    assert [when.sub("", line) for line in outputs[0]] == [when.sub("", line) for line in outputs[1]]


def test_an_unreachable_server_is_one_line_without_traceback():
    pytest.importorskip("psycopg")
    done = subprocess.run(
        [str(Path(sys.executable).with_name("storyline")), "--db", "postgresql://someone:secret@127.0.0.1:9/storyline", "statements"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("cannot connect to the store postgresql://someone@127.0.0.1:9/storyline")
    assert "secret" not in done.stderr


def _numbered(n: int) -> list[Document]:
    return [Document(text=f"Report {k}: Seoul said {k} soldiers were there.", source=f"r{k}.txt") for k in range(n)]


def _cut_after(store, saves: int) -> Callable[[str, int], None]:
    """A progress callback that, once ``saves`` documents are through, ends the server process
    behind the store's connection (as a server restart or a network cut would)."""
    import psycopg

    through = 0

    def progress(event: str, amount: int) -> None:
        nonlocal through
        if event == "advance":
            through += 1
            if through == saves:
                with psycopg.connect(store.dsn, autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", [store.conn.info.backend_pid])

    return progress


def test_a_dropped_connection_is_opened_again_and_the_batch_goes_on(pg_url, toy_nlp):
    store = open_store(pg_url)
    settings = Settings(db=pg_url, processes=1, batch_size=2)
    first = store.conn.info.backend_pid
    report = ingest_items(_numbered(8), store, settings, nlp=toy_nlp, progress=_cut_after(store, 3))
    assert len(report.ingested) == 8 and report.rejected == []
    assert store.counts()["documents"] == 8
    assert store.conn.info.backend_pid != first  # it was cut, and opened again
    store.close()


def test_documents_a_lost_server_did_not_store_are_reported_and_a_rerun_stores_them_once(
    pg_url, tmp_path, toy_nlp, monkeypatch
):
    """The connection drops mid-batch and the server refuses the next connection: the save under
    way fails (reported, not recorded as a bad input), the batch goes on once the server is back,
    and a re-run stores what is missing, nothing twice."""
    settings = Settings(db=pg_url, processes=1, batch_size=2)
    store = open_store(pg_url)
    connect, refusals = store._connect, [StoreError("cannot connect to the store: the server is restarting")]

    def refusing() -> object:
        if refusals:
            raise refusals.pop()
        return connect()

    monkeypatch.setattr(store, "_connect", refusing)
    report = ingest_items(_numbered(8), store, settings, nlp=toy_nlp, progress=_cut_after(store, 3))
    assert [(r.source, r.reason.split(":")[0]) for r in report.rejected] == [("r3.txt", "not stored")]
    assert len(report.ingested) == 7 and store.rejections() == []
    again = ingest_items(_numbered(8), store, settings, nlp=toy_nlp)
    assert [i.source for i in again.ingested] == ["r3.txt"] and len(again.skipped) == 7
    # The same rows as the 8 documents stored in one go.
    whole = open_store(tmp_path / "whole.db")
    ingest_items(_numbered(8), whole, Settings(db=str(tmp_path / "whole.db"), processes=1), nlp=toy_nlp)
    assert store.counts() == whole.counts() and store.counts()["documents"] == 8
    whole.close()
    store.close()


def test_the_command_line_on_a_postgresql_store_gives_what_it_gives_on_sqlite(pg_url, tmp_path, nlp, monkeypatch):
    """`STORYLINE_DB=postgresql://… storyline ingest`, then `export` and `statements --search`:
    the same output as on a SQLite file (the loaded model is reused, so this runs the analysis once each)."""
    from typer.testing import CliRunner

    import storyline.analyze.pipeline as pipeline
    from storyline.cli import app
    from tests.conftest import REFERENCE

    monkeypatch.setattr(pipeline, "load_pipeline", lambda *args, **kwargs: nlp)
    runner = CliRunner()
    outputs = []
    for db in (str(tmp_path / "cli.db"), pg_url):
        env = {"STORYLINE_DB": db}
        ingested = runner.invoke(app, ["-j", "1", "ingest", str(REFERENCE)], env=env)
        assert ingested.exit_code == 0 and "1 ingested" in ingested.output, ingested.output
        exported = runner.invoke(app, ["export", "--format", "jsonl"], env=env)
        found = runner.invoke(app, ["statements", "--search", "troop* NOT Zakharova", "--jsonl"], env=env)
        assert exported.exit_code == 0 and found.exit_code == 0
        outputs.append((re.sub(r'"ingested_at": "[^"]*"', "", exported.stdout), found.stdout))
    assert outputs[0] == outputs[1] and outputs[0][1].count("\n") >= 1
