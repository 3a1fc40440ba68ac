"""A batch: rejected inputs don't stop it; re-runs and interruptions lose and duplicate nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.batch import ingest
from storyline.config import Settings
from storyline.ingest.files import ReadOptions
from storyline.ingest.outlets import Outlets
from storyline.store import open_store
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
    subprocess.run([exe, "ingest", str(corpus)], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    reference_env = {**env, "STORYLINE_DB": str(tmp_path / "clean.db")}
    subprocess.run([exe, "ingest", str(corpus)], env=reference_env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    resumed, clean = open_store(tmp_path / "k.db"), open_store(tmp_path / "clean.db")
    assert resumed.counts() == clean.counts()
    for table in ("statements", "entities", "times", "figures", "events"):
        q = f"SELECT doc_id, count(*) FROM {table} GROUP BY doc_id ORDER BY doc_id"
        assert resumed.db.execute(q).fetchall() == clean.db.execute(q).fetchall(), table
