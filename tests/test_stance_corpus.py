"""Slow: retrain on the claim-disjoint training part of FNC-1 train and pin the dev-split floor."""

from __future__ import annotations

import pytest

from storyline.eval.stance import score
from storyline.story.stance import read_stance_data
from storyline.story.stance.splits import split
from storyline.story.stance.train import Options, train
from tests.conftest import SHARED

FNC = SHARED / "data" / "fnc-1"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (FNC / "train_stances.csv").exists(), reason="needs ../shared/data/fnc-1"),
]


def test_claim_split_dev_floor():
    data = read_stance_data(FNC / "train_stances.csv", FNC / "train_bodies.csv", require_stance=True)
    training, _heldout = split(data, "claim")
    inner, dev = split(training, "claim", salt="dev")
    model = train([inner], Options(), log=lambda _: None)
    scores = score(dev.gold(), model.predict(dev.headlines(), dev.body_texts()))
    # Measured 73.24 / 61.95 (docs/stance.md, research/stance/probe_emb_gbdt.py); the floor leaves room for
    # LightGBM versions.
    assert scores.fnc >= 70 and 100 * scores.macro_f1 >= 58
