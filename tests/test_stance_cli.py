"""``storyline eval stance`` end to end on a tiny fixture, with the shipped model."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "stance"
STANCES = str(FIXTURES / "stances.csv")
BODIES = str(FIXTURES / "bodies.csv")
runner = CliRunner()


def test_scores_and_writes_predictions_in_input_order(tmp_path):
    out = tmp_path / "predictions.csv"
    result = runner.invoke(app, ["eval", "stance", STANCES, BODIES, "--write-predictions", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 pairs" in result.output and "FNC-1 score" in result.output and "macro-F1" in result.output
    assert any(line.split()[:1] == ["disagree"] for line in result.output.splitlines())  # a confusion matrix row
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Headline", "Body ID", "Stance"]
    with open(STANCES, encoding="utf-8", newline="") as handle:
        given = list(csv.reader(handle))[1:]
    assert [r[:2] for r in rows[1:]] == [g[:2] for g in given]
    assert all(r[2] in ("agree", "disagree", "discuss", "unrelated") for r in rows[1:])


def test_json_scores_match_the_written_predictions(tmp_path):
    out = tmp_path / "p.csv"
    result = runner.invoke(app, ["eval", "stance", STANCES, BODIES, "--json", "--write-predictions", str(out)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    with open(out, encoding="utf-8", newline="") as handle:
        predicted = [r["Stance"] for r in csv.DictReader(handle)]
    with open(STANCES, encoding="utf-8", newline="") as handle:
        gold = [r["Stance"] for r in csv.DictReader(handle)]
    right = sum(g == p for g, p in zip(gold, predicted))
    assert scores["pairs"] == 5 and scores["accuracy"] == pytest.approx(100 * right / 5, abs=0.01)


@pytest.mark.parametrize(
    ("stances", "bodies", "named", "message"),
    [
        ("unknown_body.csv", "bodies.csv", "unknown_body.csv", "Body ID '99' is not in the bodies file"),
        ("missing_column.csv", "bodies.csv", "missing_column.csv", "missing column(s) Headline"),
        ("bad_quote.csv", "bodies.csv", "bad_quote.csv", "bad CSV"),
        ("stances.csv", "stances.csv", "stances.csv", "missing column(s) articleBody"),
        ("stances.csv", "nothing_here.csv", "nothing_here.csv", "no such file"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(stances, bodies, named, message):
    result = runner.invoke(app, ["eval", "stance", str(FIXTURES / stances), str(FIXTURES / bodies)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and message in lines[0], result.output


def test_bad_model_file_is_reported(tmp_path):
    fake = tmp_path / "weights.npz"
    fake.write_bytes(b"not a zip file")
    result = runner.invoke(app, ["eval", "stance", STANCES, BODIES, "--model", str(fake)])
    assert result.exit_code == 2 and str(fake) in result.output and "not a stance weights file" in result.output


def test_unlabelled_input_is_predicted_not_scored(tmp_path):
    stances = tmp_path / "unlabelled.csv"
    stances.write_text("Headline,Body ID\nSurfer bitten by shark off Florida coast,10\nSinger dies in car crash,20\n", encoding="utf-8")
    out = tmp_path / "p.csv"
    result = runner.invoke(app, ["eval", "stance", str(stances), BODIES, "--write-predictions", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 pairs predicted" in result.output and "nothing scored" in result.output
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [r[:2] for r in rows] == [["Headline", "Body ID"], ["Surfer bitten by shark off Florida coast", "10"], ["Singer dies in car crash", "20"]]
    # Without --write-predictions there is nothing to do with unlabelled input.
    result = runner.invoke(app, ["eval", "stance", str(stances), BODIES])
    assert result.exit_code == 2 and "missing column(s) Stance" in result.output
