"""storyline.open: one import, a store that is a context manager, ingest and query on it."""

from __future__ import annotations

import io
import json

import pytest

import storyline
from tests.conftest import ROOT

SAMPLE = ROOT / "samples" / "donga-2024-10-26-putin-acknowledges-troops.txt"


def test_open_ingest_query_export_close(tmp_path, nlp):
    with storyline.open(tmp_path / "s.db", nlp=nlp, processes=1) as s:
        report = s.ingest(SAMPLE)
        assert [i.title for i in report.ingested] == ["Putin acknowledges N. Korean troop deployment to Russia"]
        assert s.ingest([SAMPLE]).skipped  # a second run skips what is stored
        putin = s.statements(speaker="Putin")
        assert putin and all("Putin" in r.statement.speaker.name for r in putin)
        assert s.statements(since="2024-10-24", until="2024-10-24")
        assert s.timeline()
        out = io.StringIO()
        assert s.export(out, "jsonl") == sum(1 for _ in out.getvalue().splitlines())
        assert json.loads(out.getvalue().splitlines()[0])["type"] == "document"
        with pytest.raises(ValueError, match="unknown format"):
            s.export(out, "pdf")
    with pytest.raises(Exception):
        s.counts()  # closed on leaving the block


def test_the_store_is_a_context_manager(tmp_path):
    with storyline.open_store(tmp_path / "x.db") as store:
        assert store.counts()["documents"] == 0
