"""A batch: rejected inputs don't stop it; re-runs and interruptions lose and duplicate nothing."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from storyline import batch
from storyline.batch import ingest, ingest_items
from storyline.config import Settings
from storyline.ingest.files import ReadOptions
from storyline.ingest.outlets import Outlets
from storyline.model import Document
from storyline.store import Rejection, open_store
from tests.conftest import ROOT

SAMPLES = ROOT / "samples"


def options() -> ReadOptions:
    return ReadOptions(outlets=Outlets.bundled())


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    (folder / "empty.txt").write_text("")
    (folder / "broken.jsonl").write_text('{"text": "Officials said it."}\n{oops\n')
    return folder


def test_batch_goes_on_past_bad_input_and_reruns_change_nothing(tmp_path, corpus, nlp):
    store = open_store(tmp_path / "b.db")
    settings = Settings(db=str(tmp_path / "b.db"), processes=1)
    report = ingest([corpus], store, settings, options(), nlp=nlp)
    assert len(report.ingested) == 81  # the article, 79 feed items, the good JSON Lines record
    assert {(Path(r.source).name, r.item) for r in report.rejected} == {("empty.txt", ""), ("broken.jsonl", "line 2")}
    counts = store.counts()
    again = ingest([corpus], store, settings, options(), nlp=nlp)
    assert again.ingested == [] and len(again.skipped) == 81
    assert store.counts() == counts
    # Fixing the bad file clears its rejection.
    (corpus / "empty.txt").write_text("Title\n\nThe minister said the talks had failed.\n")
    ingest([corpus], store, settings, options(), nlp=nlp)
    assert {Path(r.source).name for r in store.rejections()} == {"broken.jsonl"}


def test_an_interrupted_batch_resumes_where_it_stopped(tmp_path, corpus, nlp):
    store = open_store(tmp_path / "i.db")
    settings = Settings(db=str(tmp_path / "i.db"), processes=1)
    seen = []

    def interrupt_after_five(event: str, amount: int) -> None:
        if event == "advance":
            seen.append(amount)
            if len(seen) == 5:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest([corpus], store, settings, options(), nlp=nlp, progress=interrupt_after_five)
    assert store.counts()["documents"] == 5
    report = ingest([corpus], store, settings, options(), nlp=nlp)
    assert len(report.ingested) == 76 and store.counts()["documents"] == 81


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_killing_the_process_loses_and_duplicates_nothing(tmp_path, corpus):
    """SIGKILL mid-batch (no chance to clean up), then the same command again."""
    exe = str(Path(sys.executable).parent / "storyline")
    env = {**os.environ, "STORYLINE_DB": str(tmp_path / "k.db"), "STORYLINE_PROCESSES": "1"}
    proc = subprocess.Popen([exe, "ingest", str(corpus)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        if (tmp_path / "k.db").exists():
            try:
                store = open_store(tmp_path / "k.db")
                stored = store.counts()["documents"]
                store.close()
            except Exception:
                stored = 0
            if stored >= 3:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 3 <= stored < 81, "the kill should land mid-batch"
    # Exit code 1: the corpus holds two bad inputs (README, "Exit codes").
    resume = subprocess.run([exe, "ingest", str(corpus)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert resume.returncode == 1

    reference_env = {**env, "STORYLINE_DB": str(tmp_path / "clean.db")}
    clean_run = subprocess.run([exe, "ingest", str(corpus)], env=reference_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert clean_run.returncode == 1
    resumed, clean = open_store(tmp_path / "k.db"), open_store(tmp_path / "clean.db")
    assert resumed.counts() == clean.counts()
    for table in ("statements", "entities", "times", "figures", "events"):
        q = f"SELECT doc_id, count(*) FROM {table} GROUP BY doc_id ORDER BY doc_id"
        assert resumed.db.execute(q).fetchall() == clean.db.execute(q).fetchall(), table


def numbered(n: int) -> list[Document]:
    return [Document(text=f"Report {k}: Seoul said {k} soldiers were there.", source=f"r{k}.txt") for k in range(n)]


def test_stored_work_grows_from_the_first_document(store_location, toy_nlp, monkeypatch):
    """Inputs are read as analysis goes (a window ahead), not all before it starts."""
    monkeypatch.setattr(batch, "PLACE_AHEAD", 4)
    store = open_store(store_location)
    settings = Settings(db=store_location, processes=1, batch_size=2)
    stored_when_read: list[int] = []

    def documents():
        for document in numbered(12):
            stored_when_read.append(store.counts()["documents"])
            yield document

    report = ingest_items(documents(), store, settings, nlp=toy_nlp)
    assert len(report.ingested) == 12
    assert stored_when_read[-1] >= 8, stored_when_read  # the last input was read after 8 were stored


def test_each_window_is_analysed_in_publication_order_and_placed_as_stored(store_location, toy_nlp, monkeypatch):
    """Within a window, documents are stored oldest first (undated last, ties as read), and each
    joins the story layer as it is stored, not after the whole batch."""
    monkeypatch.setattr(batch, "PLACE_AHEAD", 4)
    store = open_store(store_location)
    days = [5, None, 3, 4, 9, 8, None, 7]
    documents = numbered(len(days))
    for document, day in zip(documents, days):
        document.published = datetime(2024, 10, day, tzinfo=timezone.utc) if day else None
    placed_when_read: list[int] = []

    def read():
        for document in documents:
            placed_when_read.append(store.sql.one("SELECT count(*) FROM story_documents")[0])
            yield document

    report = ingest_items(read(), store, Settings(db=store_location, processes=1, batch_size=2), nlp=toy_nlp)
    assert len(report.ingested) == 8
    assert placed_when_read[4:] == [4, 4, 4, 4]  # the second window is read once the first is placed
    order = [r[0] for r in store.sql.rows(f"SELECT id FROM documents ORDER BY {store.sql.stored_order}")]
    by_id = {d.id: d.source for d in documents}
    assert [by_id[i] for i in order] == ["r2.txt", "r3.txt", "r0.txt", "r1.txt", "r7.txt", "r5.txt", "r4.txt", "r6.txt"]
    assert store.sql.one("SELECT count(*) FROM story_documents")[0] == 8


def test_the_stores_own_files_are_skipped_whatever_their_name(tmp_path, toy_nlp):
    """`storyline ingest .` in the folder that holds the store: its .db, -wal and -shm files
    (and a link to them under another name) are not inputs."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "a.txt").write_text("Title\n\nSeoul said 4 soldiers were there.\n")
    store = open_store(folder / "storyline.db")
    store.reject(Rejection("x", "", "makes the -wal file exist"))
    os.link(folder / "storyline.db", folder / "copy-of-the-store.txt")
    assert (folder / "storyline.db-wal").exists()
    report = ingest([folder], store, Settings(db=str(folder / "storyline.db"), processes=1), options(), nlp=toy_nlp)
    assert report.rejected == []
    assert len(report.ingested) == 1
    skipped = {Path(file).name for _, file, why in report.skipped if why.endswith("the store's own file")}
    assert {"storyline.db", "storyline.db-wal", "storyline.db-shm", "copy-of-the-store.txt"} <= skipped


def test_a_document_the_store_cannot_hold_is_rejected_and_the_batch_goes_on(tmp_path, toy_nlp, monkeypatch):
    store = open_store(tmp_path / "s.db")
    real_insert = store._insert

    def insert(document, analysis):
        if "Report 1:" in document.text:
            raise sqlite3.IntegrityError("UNIQUE constraint failed: statements.id")
        real_insert(document, analysis)

    monkeypatch.setattr(store, "_insert", insert)
    report = ingest_items(numbered(3), store, Settings(db=str(tmp_path / "s.db"), processes=1), nlp=toy_nlp)
    assert len(report.ingested) == 2
    assert [(r.source, r.reason) for r in report.rejected] == [
        ("r1.txt", "cannot store the analysis: UNIQUE constraint failed: statements.id")
    ]
    assert store.counts()["documents"] == 2 and [r.source for r in store.rejections()] == ["r1.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_and_sigterm_stop_cleanly_and_a_rerun_finishes(tmp_path):
    """A real `storyline ingest` with two workers, stopped mid-batch three times: by Ctrl-C,
    by SIGINT to the main process alone, by SIGTERM. Each stops it promptly, with 130 or 143,
    and leaves no worker process behind; the store stays sound and a re-run finishes it."""
    import psutil

    exe = str(Path(sys.executable).parent / "storyline")
    db, corpus = tmp_path / "sig.db", SAMPLES / "nk-feeds-2024-10-08_to_2024-10-27.jsonl"  # 79 items
    env = {**os.environ, "STORYLINE_DB": str(db), "STORYLINE_PROCESSES": "2"}
    # Ctrl-C in a terminal signals the whole process group; `kill -INT` and `kill` only the main process.
    for sig, group, code in ((signal.SIGINT, True, 130), (signal.SIGINT, False, 130), (signal.SIGTERM, False, 143)):
        before = _stored(db)
        log = tmp_path / f"stderr-{sig.name}-{group}.txt"  # a file: a pipe held open by a stray worker would block
        with log.open("wb") as err:
            # SIGINT as a terminal leaves it: a test run started in the background (`cmd &` in a script,
            # as CI may be) passes it on ignored, and Python then never raises KeyboardInterrupt.
            proc = subprocess.Popen([exe, "ingest", str(corpus)], env=env, stdout=subprocess.DEVNULL, stderr=err,
                                    start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        workers: set[int] = set()
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None and _stored(db) < before + 3:
            workers |= {c.pid for c in psutil.Process(proc.pid).children(recursive=True)}
            time.sleep(0.05)
        workers |= {c.pid for c in psutil.Process(proc.pid).children(recursive=True)}
        assert proc.poll() is None and len(workers) >= 2, "the signal should land mid-batch, with workers running"
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        try:
            assert proc.wait(timeout=60) == code, log.read_text()
            assert "interrupted" in log.read_text()
            time.sleep(0.5)
            assert not [pid for pid in workers if _running(pid)], "worker processes left behind"
        finally:
            for pid in [proc.pid, *workers]:
                if _running(pid):
                    os.kill(pid, signal.SIGKILL)
    store = open_store(db)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Each stop came mid-batch (exit 130/143, not 0); the last may land after the last document was
    # stored but before the run ended, so all 79 may be there already.
    assert 9 <= store.counts()["documents"] <= 79
    store.close()
    subprocess.run([exe, "ingest", str(corpus)], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = open_store(db)
    assert store.counts()["documents"] == 79


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        store = open_store(db)
        try:
            return store.counts()["documents"]
        finally:
            store.close()
    except Exception:
        return 0


def _running(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
