"""Reading FNC-1-format files: hostile input gets one clear line naming the file."""

from __future__ import annotations

import pytest

from storyline.story.stance import StanceDataError, read_stance_data
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "stance"
BODIES = FIXTURES / "bodies.csv"


def test_reads_pairs_in_order():
    data = read_stance_data(FIXTURES / "stances.csv", BODIES, require_stance=True)
    assert [p.body_id for p in data.pairs] == ["10", "20", "30", "10", "20"]
    assert data.pairs[4].headline == 'Manchester United beat Chelsea, "a tense match"'
    assert data.gold() == ["agree", "unrelated", "disagree", "unrelated", "agree"]
    assert data.body_texts()[2].startswith("Reports that the singer")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("unknown_body.csv", "line 2: Body ID '99' is not in the bodies file"),
        ("missing_column.csv", "missing column(s) Headline"),
        ("bad_quote.csv", "bad CSV"),
        ("bad_label.csv", "unknown stance 'agreed'"),
        ("extra_field.csv", "line 2: wrong number of fields"),
        ("not_utf8.csv", "not UTF-8"),
        ("no_such_file.csv", "no such file"),
    ],
)
def test_bad_stance_files(name, message):
    with pytest.raises(StanceDataError) as err:
        read_stance_data(FIXTURES / name, BODIES, require_stance=True)
    text = str(err.value)
    assert text.startswith(str(FIXTURES / name)) and message in text and "\n" not in text


def test_bad_bodies_file(tmp_path):
    bodies = tmp_path / "bodies.csv"
    bodies.write_text('Body ID,articleBody\n1,"one"\n1,"another"\n', encoding="utf-8")
    with pytest.raises(StanceDataError, match="Body ID 1 repeated with a different text"):
        read_stance_data(FIXTURES / "stances.csv", bodies)
    with pytest.raises(StanceDataError, match=r"stances\.csv.*missing column\(s\) articleBody"):
        read_stance_data(FIXTURES / "bodies.csv", FIXTURES / "stances.csv")


def test_stance_column_is_optional_for_prediction(tmp_path):
    stances = tmp_path / "s.csv"
    stances.write_text("Headline,Body ID\nA claim,10\n", encoding="utf-8")
    data = read_stance_data(stances, BODIES)
    assert data.pairs[0].stance is None and not data.labelled
    with pytest.raises(StanceDataError, match="missing column"):
        read_stance_data(stances, BODIES, require_stance=True)
