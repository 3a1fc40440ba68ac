"""The command line, in-process with Typer's CliRunner on a temporary store."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from tests.conftest import REFERENCE, ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "cli.db"
    result = runner.invoke(app, ["--db", str(path), "-j", "1", "ingest", str(ROOT / "samples")])
    assert result.exit_code == 0, result.output
    assert "80 ingested, 0 skipped, 0 rejected" in result.output
    return path


def run(db, *args: str):
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


def records(db, *args: str) -> list[dict]:
    return [json.loads(line) for line in run(db, *args, "--jsonl").splitlines()]


def test_statements_with_filters(db):
    everything = run(db, "statements")
    assert "Maria Zakharova — denied  [deny, indirect]" in everything
    assert everything.rstrip().endswith(f"{len(records(db, 'statements'))} statements")
    denials = records(db, "statements", "--cue-class", "deny")
    speakers = {r["speaker"]["name"] for r in denials if r["speaker"]}
    assert "Maria Zakharova" in speakers and "Lloyd Austin" not in speakers
    austin = records(db, "statements", "--speaker", "Austin")
    assert any(r["content"]["text"].startswith("“We are seeing evidence") for r in austin)
    assert all("Austin" in r["speaker"]["name"] for r in austin)
    assert records(db, "statements", "--until", "2024-08-31") == []
    september = records(db, "statements", "--until", "2024-09-30")
    assert september and all(r["date"] <= "2024-09-30" for r in september)
    found = records(db, "statements", "--search", "exaggerated")
    assert found and all("exaggerated" in r["content"]["text"] for r in found)


def test_statements_rejects_bad_dates_and_queries(db):
    result = runner.invoke(app, ["--db", str(db), "statements", "--since", "yesterday"])
    assert result.exit_code == 2 and "not a date" in result.output
    result = runner.invoke(app, ["--db", str(db), "statements", "--search", '"unbalanced'])
    assert result.exit_code == 1 and "bad search query" in result.output


def test_timeline_is_in_order_of_events(db):
    assert run(db, "timeline").rstrip().endswith("dated items")
    items = records(db, "timeline")
    dates = [i["date"] for i in items]
    assert dates == sorted(dates)
    reference = [i for i in items if i["doc_id"] == "800d4159428d7e23"]
    assert {"2024-08", "2024-10-22", "2024-10-23", "2024-10-24"} <= {i["date"] for i in reference}


def test_show_marks_extractions(db):
    out = run(db, "show", "800d", "--plain")
    assert "Dong-A Ilbo" in out
    assert "{Maria Zakharova}S" in out
    assert "⟨Tuesday⟩2024-10-22" in out
    assert "«approximately 12,000 troops»12000 troops" in out
    missing = runner.invoke(app, ["--db", str(db), "show", "ffff"])
    assert missing.exit_code == 1 and "no single document" in missing.output


def test_export_jsonl_is_the_reference_format(db, tmp_path):
    out = tmp_path / "out.jsonl"
    run(db, "export", "--format", "jsonl", "--output", str(out))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    texts = {r["doc_id"]: r["text"] for r in records if r["type"] == "document"}
    assert len(texts) == 80
    assert texts["800d4159428d7e23"] == REFERENCE.read_text(encoding="utf-8")
    kinds = {r["type"] for r in records}
    assert kinds == {"document", "entity", "statement", "time", "figure", "event"}
    for r in records:
        if r["type"] == "document":
            continue
        assert texts[r["doc_id"]][r["start"] : r["end"]] == r["text"], r
        if r["type"] == "statement":
            for part in ("speaker", "cue", "content"):
                if r[part] is not None:
                    assert texts[r["doc_id"]][r[part]["start"] : r[part]["end"]] == r[part]["text"]
            assert r["kind"] in {"direct", "indirect", "mixed"} and r["cue_class"]
        if r["type"] == "time":
            assert r["value"]
        if r["type"] == "figure":
            assert {"value", "unit", "approximate"} <= r.keys()
        if r["type"] == "entity" and r["entity_type"] in {"GPE", "LOC"} and r.get("lat") is not None:
            assert {"lat", "lon", "country"} <= r.keys()


def test_bad_options_are_reported(tmp_path):
    result = runner.invoke(app, ["--db", str(tmp_path / "x.db"), "ingest", "--tz", "Mars/Olympus", str(REFERENCE)])
    assert result.exit_code == 2 and "unknown time zone" in result.output
    result = runner.invoke(app, ["--db", str(tmp_path / "x.db"), "ingest", "--encoding", "klingon", str(REFERENCE)])
    assert result.exit_code == 2 and "unknown encoding" in result.output


def test_csv_and_web_annotation_exports(db, tmp_path):
    import csv

    run(db, "export", "--format", "csv", "-o", str(tmp_path / "s.csv"))
    rows = list(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8")))
    assert rows and {"speaker", "cue", "content", "content_start", "date"} <= rows[0].keys()
    run(db, "export", "--format", "annotations", "-o", str(tmp_path / "a.jsonl"))
    text = REFERENCE.read_text(encoding="utf-8")
    annotations = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(annotations) == len(rows)
    for a in annotations:
        assert a["type"] == "Annotation"
        if a["id"].startswith("urn:storyline:statement:800d4159428d7e23:"):
            position, quote = a["target"][0]["selector"]
            assert text[position["start"] : position["end"]] == quote["exact"]
            assert text[: position["start"]].endswith(quote["prefix"])
