"""Encodings, byte-order marks, NUL characters and line endings."""

from __future__ import annotations

import json

import pytest

from storyline.ingest.files import ReadOptions, Rejected, read_sources
from storyline.ingest.outlets import Outlets
from storyline.model import Document
from tests.conftest import ROOT

ARTICLE = "Seoul talks\n\nOfficials in Seoul said on Monday that the talks had failed. « Non », a-t-il dit.\n"
REFERENCE = ROOT / "samples" / "donga-2024-10-26-putin-acknowledges-troops.txt"


def read(paths, **options):
    items = list(read_sources(paths, ReadOptions(outlets=Outlets.bundled(), **options)))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Rejected)]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8"])
@pytest.mark.parametrize("asked", [None, "utf-16"])
def test_a_byte_order_mark_decides_the_encoding(tmp_path, codec, asked):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00",
           "utf-32-be": b"\x00\x00\xfe\xff", "utf-8": b"\xef\xbb\xbf"}[codec]
    (tmp_path / "a.txt").write_bytes(bom + ARTICLE.encode(codec))
    docs, rejected = read([tmp_path], **({"encoding": asked} if asked else {}))
    assert rejected == []
    assert docs[0].text == ARTICLE  # the mark itself is not text
    assert docs[0].title == "Seoul talks"


def test_utf16_without_a_mark_when_asked(tmp_path):
    (tmp_path / "a.txt").write_bytes(ARTICLE.encode("utf-16-le"))
    docs, _ = read([tmp_path], encoding="utf-16-le")
    assert docs[0].text == ARTICLE
    _, (rejected,) = read([tmp_path])
    assert rejected.reason.startswith("binary file")


def test_nul_anywhere_is_rejected(tmp_path):
    text = "Title\n\n" + "Officials said the talks had failed. " * 400  # past the first 8 KB
    (tmp_path / "late.txt").write_bytes(text.encode() + b"\x00 more text")
    (tmp_path / "late16.txt").write_bytes(b"\xff\xfe" + (text + "\x00").encode("utf-16-le"))
    (tmp_path / "items.jsonl").write_text(json.dumps({"title": "T", "text": "A\u0000B"}) + "\n")
    docs, rejected = read([tmp_path])
    assert docs == []
    reasons = {r.source.rsplit("/", 1)[1]: r.reason for r in rejected}
    assert reasons["late.txt"] == f"binary file (NUL character at character {len(text):,})"
    assert reasons["late16.txt"] == f"binary file (NUL character at character {len(text):,})"
    assert reasons["items.jsonl"] == "text: NUL character at character 1 (NUL is never text)"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_every_span_matches_the_text_with_any_line_ending(tmp_path, nlp, newline):
    from storyline.analyze.pipeline import analyze

    lf = REFERENCE.read_text(encoding="utf-8")
    (tmp_path / "ref.txt").write_bytes(lf.replace("\n", newline).encode())
    (document,), _ = read([tmp_path])
    assert document.text == lf.replace("\n", newline)
    (outcome,) = analyze(nlp, [document])
    analysis = outcome.analysis
    spans = [m for e in analysis.entities for m in e.mentions]
    spans += analysis.statements + analysis.times + analysis.figures + analysis.events
    spans += [p for s in analysis.statements for p in (s.speaker, s.cue, s.content) if p is not None]
    assert len(analysis.statements) >= 8 and len(spans) > 100
    assert [(s.start, s.end, s.text) for s in spans if document.text[s.start : s.end] != s.text] == []
    (lf_outcome,) = analyze(nlp, [read_lf(tmp_path, lf)])
    assert len(analysis.statements) == len(lf_outcome.analysis.statements)


def read_lf(tmp_path, text):
    (tmp_path / "lf").mkdir()
    (tmp_path / "lf" / "ref.txt").write_text(text, encoding="utf-8")
    (document,), _ = read([tmp_path / "lf"])
    return document
