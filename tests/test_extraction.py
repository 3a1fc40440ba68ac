"""The AEB extraction scorer: the benchmark's metric, checked against its own evaluate.py."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from storyline.eval.extraction import evaluate_directory, page_counts, score, shingles, split_keys
from tests.conftest import SHARED

AEB = SHARED / "data" / "aeb"
needs_aeb = pytest.mark.skipif(not (AEB / "evaluate.py").is_file(), reason="needs ../shared/data/aeb")


def test_shingles_and_counts():
    assert sum(shingles("one two three four five").values()) == 2
    assert list(shingles("just three words")) == [("just", "three", "words")]  # a short text is one shingle
    assert not shingles("")
    tp, fp, fn = page_counts("a b c d e", "a b c d x")
    assert (tp, fp, fn) == (1 / 3, 1 / 3, 1 / 3)


def test_empty_prediction_counts_in_recall_only():
    scores = score([("a b c d e", "a b c d e"), ("a b c d e", "")])
    assert scores.precision == 1.0 and scores.recall == 0.5 and scores.accuracy == 0.5


def test_splits_are_even_and_odd_pages_in_name_order():
    keys = ["d", "b", "a", "c"]
    assert split_keys(keys, "dev") == ["a", "c"] and split_keys(keys, "test") == ["b", "d"]


@needs_aeb
def test_same_numbers_as_the_benchmark_script(tmp_path):
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:6]
    predictions = {
        k: {"articleBody": truth[k]["articleBody"][: len(truth[k]["articleBody"]) // (i + 1)] + " extra words here" * i}
        for i, k in enumerate(keys)
    }
    predictions[keys[-1]]["articleBody"] = ""
    (tmp_path / "output").mkdir()
    (tmp_path / "ground-truth.json").write_text(json.dumps({k: truth[k] for k in keys}))
    (tmp_path / "output" / "storyline.json").write_text(json.dumps(predictions))
    subprocess.run(
        [sys.executable, str(AEB / "evaluate.py"), "--n-bootstrap", "2", "--output", "scores.json"],
        cwd=tmp_path, check=True, capture_output=True,
    )
    theirs = json.loads((tmp_path / "scores.json").read_text())["storyline"]
    ours = score((truth[k]["articleBody"], predictions[k]["articleBody"]) for k in keys)
    for metric in ("precision", "recall", "f1", "accuracy"):
        assert getattr(ours, metric) == theirs[metric]


@needs_aeb
@pytest.mark.slow
def test_aeb_floor():
    run = evaluate_directory(AEB)
    # Measured 0.970 on dev, held-out test and all (docs/extraction.md); the bar is 0.965.
    for split in ("dev", "test", "all"):
        assert run.scores[split].f1 >= 0.965, (split, run.scores[split])
