"""Analysis on Ray (storyline ingest --ray): the driver stores each document once, through the
same path as local analysis; a killed actor's batch is retried; a document that fails, crashes
or hangs its actor is rejected alone; an unreachable cluster is a one-line error.

One local Ray instance with 2 CPUs for the module, and a pool of 2 actors running a fast
stand-in for the model (the toy pipeline of conftest, which crashes, hangs or fails on cue).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from typer.testing import CliRunner

from storyline.batch import ingest, ingest_items
from storyline.cli import app
from storyline.config import Settings
from storyline.ingest.files import ReadOptions
from storyline.ingest.outlets import Outlets
from storyline.model import Document
from storyline.store import open_store
from tests.conftest import ROOT

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'storyline[ray]'")

from storyline.analyze.ray_pool import RayAnalysis, RayUnavailable  # noqa: E402

# The actors load toy_pipeline below: sent by value, as the workers cannot import the tests.
for _module in (__name__, "tests.conftest"):
    ray.cloudpickle.register_pickle_by_value(sys.modules[_module])

SLOW_SECONDS = 0.3  # the toy's time for a text that says SLOW-NOW: long enough to be killed mid-batch


def toy_pipeline():
    """conftest's toy pipeline, loaded in an actor; texts with SLOW-NOW take a while."""
    import time

    import spacy
    from spacy.language import Language

    from storyline.analyze import extensions
    from storyline.analyze.carrier import InputsTokenizer
    from tests.conftest import _toy

    def slow_toy(doc):
        if "SLOW-NOW" in doc.text:
            time.sleep(SLOW_SECONDS)
        return _toy(doc)

    if "storyline_test_ray_toy" not in Language.factories:
        Language.component("storyline_test_ray_toy")(slow_toy)
    extensions.register()
    nlp = spacy.blank("en")
    nlp.tokenizer = InputsTokenizer(nlp.tokenizer)
    nlp.add_pipe("storyline_test_ray_toy")
    return nlp


@pytest.fixture(scope="module")
def pool() -> Iterator[RayAnalysis]:
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    analysis = RayAnalysis("local", Settings(batch_size=4, watchdog=60.0), actors=2, load=toy_pipeline, retries=1)
    try:
        with analysis:
            yield analysis
    finally:
        ray.shutdown()


def documents(texts: list[str]) -> list[Document]:
    start = datetime(2024, 10, 26)
    return [Document(text=t, published=start + timedelta(hours=n), source=f"doc{n}.txt") for n, t in enumerate(texts)]


def stored_ids(path) -> list[str]:
    import sqlite3

    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT id FROM documents")]


def test_ray_stores_what_local_analysis_stores_and_a_rerun_stores_nothing(tmp_path, pool, toy_nlp):
    """The bundled samples through ingest(): the same rows as the local pipeline, each once."""
    options = ReadOptions(outlets=Outlets.bundled())
    local, remote = open_store(tmp_path / "local.db"), open_store(tmp_path / "ray.db")
    settings = Settings(processes=1, batch_size=4)
    expected = ingest([ROOT / "samples"], local, settings, options, nlp=toy_nlp)
    report = ingest([ROOT / "samples"], remote, settings, options, analyzer=pool)
    assert [i.doc_id for i in report.ingested] == [i.doc_id for i in expected.ingested]
    assert [i.statements for i in report.ingested] == [i.statements for i in expected.ingested]
    assert report.rejected == [] and remote.counts() == local.counts()
    assert sorted(stored_ids(tmp_path / "ray.db")) == sorted(i.doc_id for i in expected.ingested)
    again = ingest([ROOT / "samples"], remote, settings, options, analyzer=pool)
    assert again.ingested == [] and len(again.skipped) == len(expected.ingested)
    assert remote.counts() == local.counts()


def test_a_resumed_run_sends_only_what_is_missing(tmp_path, pool):
    docs = documents([f"Seoul said {n} soldiers left." for n in range(10)])
    store = open_store(tmp_path / "r.db")
    ingest_items(docs[:4], store, Settings(), analyzer=pool)  # a run killed after four documents
    sent: list[str] = []

    def watched(items):
        items = list(items)
        sent.extend(d.id for d in items)
        return pool(items)

    report = ingest_items(docs, store, Settings(), analyzer=watched)
    assert sent == [d.id for d in docs[4:]]
    assert [i.doc_id for i in report.ingested] == sent and len(report.skipped) == 4
    assert sorted(stored_ids(tmp_path / "r.db")) == sorted(d.id for d in docs)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_an_actor_killed_mid_batch_is_restarted_and_its_batch_retried(tmp_path, pool):
    docs = documents([f"SLOW-NOW Seoul said {n} soldiers left." for n in range(12)])
    before = pool.pids()
    store = open_store(tmp_path / "k.db")

    def killing_during_the_first_batch() -> Iterator[Document]:
        for n, doc in enumerate(docs):
            if n == 4:  # the first batch (documents 0-3) was just sent to the first actor
                time.sleep(SLOW_SECONDS)
                os.kill(before[0], signal.SIGKILL)
            yield doc

    report = ingest_items(killing_during_the_first_batch(), store, Settings(), analyzer=pool)
    assert report.rejected == []
    assert [i.doc_id for i in report.ingested] == [d.id for d in docs]
    assert sorted(stored_ids(tmp_path / "k.db")) == sorted(d.id for d in docs)  # each once
    after = pool.pids()
    assert after[0] != before[0] and after[1] == before[1]  # Ray restarted the killed actor only


def test_a_document_that_fails_or_crashes_its_actor_is_rejected_alone(tmp_path, pool):
    texts = ["Seoul said 1.", "FAIL-NOW 2", "Seoul said 3.", "CRASH-NOW 4", "Seoul said 5.", "Seoul said 6."]
    store = open_store(tmp_path / "f.db")
    report = ingest_items(documents(texts), store, Settings(), analyzer=pool)
    assert [i.file for i in report.ingested] == ["doc0.txt", "doc2.txt", "doc4.txt", "doc5.txt"]
    reasons = {r.source: r.reason for r in report.rejected}
    assert reasons.keys() == {"doc1.txt", "doc3.txt"}
    assert reasons["doc1.txt"] == "analysis failed: ValueError: this text is bad"
    # Ray restarted the actor and retried once, for the batch and again for the document alone.
    assert reasons["doc3.txt"].startswith("the analysis worker died 2 times while analysing it ("), reasons
    assert {r.source for r in store.rejections()} == {"doc1.txt", "doc3.txt"}


def test_a_document_that_hangs_its_actor_is_rejected_alone_and_the_actor_replaced(tmp_path, pool, monkeypatch):
    monkeypatch.setattr(pool.settings, "watchdog", 2.0)
    texts = ["Seoul said 1.", "HANG-NOW 2", "Seoul said 3."]
    store = open_store(tmp_path / "h.db")
    report = ingest_items(documents(texts), store, Settings(), analyzer=pool)
    assert [i.file for i in report.ingested] == ["doc0.txt", "doc2.txt"]
    assert [(r.source, r.reason) for r in report.rejected] == [("doc1.txt", "analysis took longer than 2 s and was stopped")]
    assert len(set(pool.pids())) == 2  # two live actors again


def test_an_unreachable_or_malformed_address_is_a_one_line_error(tmp_path):
    runner = CliRunner()
    for address, message in [
        ("127.0.0.1:9", "cannot reach the Ray cluster at 127.0.0.1:9: "),
        ("no-port", "Ray address 'no-port' is not HOST:PORT, local or auto"),
    ]:
        result = runner.invoke(app, ["--db", str(tmp_path / "x.db"), "ingest", "--ray", address, str(ROOT / "samples")])
        assert result.exit_code == 2, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith(message), result.output


def test_without_ray_installed_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(RayUnavailable, match=r"Ray is not installed: pip install 'storyline\[ray\]'"):
        RayAnalysis("local", Settings()).check()
