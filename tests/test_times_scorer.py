"""The TimeML reader and the TempEval-3-style timex scorer, on a tiny fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.eval.timeml import Timex, read_corpus, read_tml, strip_text, to_tml
from storyline.eval.timex import Counts, Report, match, score

FIXTURE = Path(__file__).parent / "fixtures" / "timeml_tiny.tml"


def test_strip_text_keeps_offsets_and_unescapes():
    doc = read_tml(FIXTURE)
    assert doc.dct == "1998-02-06"
    assert "&amp;" not in doc.text and "Prices rose & fell" in doc.text
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("Thursday", "DATE", "1998-02-05"),
        ("three months", "DURATION", "P3M"),
        ("now", "DATE", "PRESENT_REF"),
    ]
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text


def test_strip_text_ignores_other_tags():
    text, timexes = strip_text('a <EVENT eid="e1">b</EVENT> <TIMEX3 tid="t1" type="TIME" value="X">c d</TIMEX3>.')
    assert text == "a b c d."
    assert (timexes[0].start, timexes[0].end, timexes[0].type) == (4, 7, "TIME")


def _t(start: int, end: int, type_: str = "DATE", value: str = "V") -> Timex:
    return Timex(start, end, "", type_, value)


def test_score_strict_relaxed_type_value():
    gold = [_t(0, 8, value="1998-02-05"), _t(20, 32, "DURATION", "P3M"), _t(40, 43, value="PRESENT_REF")]
    system = [
        _t(0, 8, value="1998-02-05"),  # exact, right value
        _t(16, 32, "DURATION", "P2M"),  # overlaps, wrong value
        _t(50, 55),  # spurious
    ]
    c = score(gold, system)
    assert (c.gold, c.system, c.strict, c.relaxed, c.type_ok, c.value_ok) == (3, 3, 1, 2, 2, 1)
    assert c.relaxed_prf == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert c.value_accuracy == pytest.approx(0.5)
    assert c.value_f1 == pytest.approx(2 / 3 * 0.5)


def test_match_is_one_to_one():
    gold = [_t(0, 10)]
    system = [_t(0, 4), _t(2, 10)]
    pairs = match(gold, system)
    assert len(pairs) == 1 and pairs[0][1].start == 2  # the larger overlap wins


def test_counts_add_and_report_table():
    a, b = Counts(2, 2, 1, 2, 2, 1), Counts(1, 0, 0, 0, 0, 0)
    report = Report(corpora={"A": a, "B": b})
    assert report.overall.gold == 3 and report.overall.relaxed == 2
    table = report.table()
    assert "overall" in table and table.splitlines()[0].startswith("corpus")


def test_to_tml_roundtrip(tmp_path):
    doc = read_tml(FIXTURE)
    system = [Timex(t.start, t.end, t.text, t.type, t.value) for t in doc.timexes]
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / doc.name
    out.write_text(to_tml(doc, system), encoding="utf-8")
    again = read_tml(out)
    assert again.text == doc.text and again.dct == doc.dct
    assert [(t.start, t.end, t.value) for t in again.timexes] == [(t.start, t.end, t.value) for t in doc.timexes]
    assert "TLINK" not in out.read_text(encoding="utf-8")


def test_read_corpus_subfolders(tmp_path):
    for sub in ("A", "B"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "x.tml").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    corpora = read_corpus(tmp_path)
    assert sorted(corpora) == ["A", "B"] and len(corpora["A"]) == 1
    assert list(read_corpus(tmp_path / "A")) == ["A"]
