"""The numpy CRF decoder agrees with crfsuite's own tagger on a small trained model."""

from __future__ import annotations

import random

import numpy as np
import pytest

pycrfsuite = pytest.importorskip("pycrfsuite")

from storyline.analyze.attribution.features import ABSENT, BUCKETS  # noqa: E402
from storyline.analyze.attribution.tagger import CrfTagger  # noqa: E402
from storyline.analyze.attribution.training import export_weights  # noqa: E402


def test_decoder_matches_crfsuite(tmp_path):
    rng = random.Random(7)
    labels = ["O", "B", "I"]
    sequences = []
    for _ in range(200):
        n = rng.randint(3, 12)
        ids = np.asarray([[rng.randrange(50), rng.randrange(50, 80), ABSENT] for _ in range(n)])
        y = ["B" if row[0] % 7 == 0 else ("I" if row[0] % 5 == 0 else "O") for row in ids]
        y = [("O" if lab == "I" and (k == 0 or y[k - 1] == "O") else lab) for k, lab in enumerate(y)]
        sequences.append((ids, y))
    trainer = pycrfsuite.Trainer(verbose=False)
    for ids, y in sequences:
        trainer.append([[str(b) for b in row if b != ABSENT] for row in ids.tolist()], y)
    trainer.set_params({"c1": 0.01, "c2": 0.01, "max_iterations": 50, "feature.possible_transitions": True})
    model = tmp_path / "toy.crfsuite"
    trainer.train(str(model))
    export_weights(model, tmp_path / "toy.json")
    ours = CrfTagger.load(tmp_path / "toy.json")
    theirs = pycrfsuite.Tagger()
    theirs.open(str(model))
    batch = sequences[:40]
    stacked = np.concatenate([ids for ids, _ in batch])
    bounds, at = [], 0
    for ids, _ in batch:
        bounds.append((at, at + len(ids)))
        at += len(ids)
    got = ours.tag(stacked, bounds)
    expected = [lab for ids, _ in batch for lab in theirs.tag([[str(b) for b in row if b != ABSENT] for row in ids.tolist()])]
    assert got == expected
    assert ours.weights.shape == (BUCKETS + 1, len(labels))


def test_bias_from_the_weights_file_shifts_decoding(tmp_path):
    """A "bias" entry in the weights JSON is added to the label scores before decoding."""
    import json

    labels = ["B", "I", "O"]
    state = {"1": {"0": 0.4, "2": 0.6}}  # bucket 1: O a little more likely than B
    transitions = [[0.0] * 3 for _ in labels]
    path = tmp_path / "w.json"
    ids = np.asarray([[1, ABSENT]])
    path.write_text(json.dumps({"labels": labels, "transitions": transitions, "state": state}))
    assert CrfTagger.load(path).tag(ids, [(0, 1)]) == ["O"]
    path.write_text(json.dumps({"labels": labels, "transitions": transitions, "state": state, "bias": {"B": 0.5}}))
    assert CrfTagger.load(path).tag(ids, [(0, 1)]) == ["B"]
