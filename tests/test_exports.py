"""Exports: CSV cells that cannot run as formulas, provenance, annotations on the stored text."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest

from storyline.export.annotations import write_annotations
from storyline.export.csv import write_statements_csv
from storyline.export.jsonl import write_jsonl
from storyline.model import Analysis, Document, Speaker, Statement, TextSpan
from storyline.store import open_store

TEXT = "=1+1\n\n-Putin said the troops were there. @Kim denied it."


@pytest.fixture
def store(tmp_path):
    document = Document(
        text=TEXT, url="https://example.org/live-page", outlet="=cmd|' /C calc'!A0", title="=1+1",
        published=datetime(2024, 10, 24, tzinfo=timezone.utc), headline=(0, 4), body=[(6, len(TEXT))], language="en",
    )
    start = TEXT.index("-Putin")
    content_start = TEXT.index("the troops")
    statement = Statement(
        start=start, end=TEXT.index(" @Kim"), text=TEXT[start : TEXT.index(" @Kim")],
        speaker=Speaker(start, start + 6, "-Putin", name="-Putin"), cue=TextSpan(start + 7, start + 11, "said"),
        content=TextSpan(content_start, TEXT.index(" @Kim") - 1, TEXT[content_start : TEXT.index(" @Kim") - 1]),
        kind="indirect", cue_class="assert",
    )
    s = open_store(tmp_path / "x.db", analyzer="storyline test; model")
    s.save(document, Analysis(doc_id=document.id, statements=[statement]))
    yield s
    s.close()


def test_csv_cells_cannot_run_as_formulas(store):
    out = io.StringIO()
    assert write_statements_csv(store, out) == 1
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["outlet"] == "'=cmd|' /C calc'!A0"
    assert row["title"] == "'=1+1"
    assert row["speaker"] == "'-Putin" and row["speaker_text"] == "'-Putin"
    assert row["content"] == "the troops were there"
    assert (int(row["start"]), int(row["end"])) == (TEXT.index("-Putin"), TEXT.index(" @Kim"))
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_jsonl_documents_carry_provenance(store):
    out = io.StringIO()
    write_jsonl(store, out)
    document = json.loads(out.getvalue().splitlines()[0])
    assert document["analyzer"] == "storyline test; model"
    assert datetime.fromisoformat(document["ingested_at"]).tzinfo is not None


def test_annotations_point_at_the_stored_text_with_the_page_as_via(store):
    out = io.StringIO()
    write_annotations(store, out)
    (annotation,) = [json.loads(line) for line in out.getvalue().splitlines()]
    whole, *parts = annotation["target"]
    doc_id = store.documents().__next__().id
    assert whole["source"] == {"id": f"urn:storyline:doc:{doc_id}", "type": "Text", "format": "text/plain",
                               "language": "en", "via": "https://example.org/live-page"}
    position, quote = whole["selector"]
    assert TEXT[position["start"] : position["end"]] == quote["exact"]
    assert quote["prefix"] == TEXT[: position["start"]] and TEXT[position["end"] :].startswith(quote["suffix"])
    assert {p["storyline:role"] for p in parts} == {"speaker", "cue", "content"}
    assert annotation["generator"] == {"type": "Software", "name": "storyline test; model"}
    assert annotation["created"]
