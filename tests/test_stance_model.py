"""The shipped stance model: loading, shapes, determinism and a handful of plain cases."""

from __future__ import annotations

import time

import numpy as np
import pytest

from storyline.story.stance import LABELS, StanceModel, StanceModelError

CLAIM = "A surfer was bitten by a shark off the coast of Florida"
AGREE = ("A man was bitten by a shark while surfing off the coast of Florida on Sunday, officials confirmed. "
         "The 32-year-old surfer was taken to hospital with leg injuries. The beach was closed after the attack.")
DENY = ("Reports that a surfer was bitten by a shark off Florida are false, the beach patrol said. "
        "The story is a hoax: no shark attack took place and nobody was hurt, officials said, dismissing the rumour.")
OTHER = ("Manchester United beat Chelsea 2-1 on Saturday in a tense Premier League match. The winning goal "
         "came in the 89th minute. The manager praised his team's spirit after the game.")


@pytest.fixture(scope="module")
def model():
    return StanceModel.load()


def test_labels():
    assert LABELS == ("agree", "disagree", "discuss", "unrelated")


def test_loads_fast_and_is_cached():
    from storyline.story.stance import model as module

    module._load.cache_clear()
    started = time.perf_counter()
    first = StanceModel.load()
    assert time.perf_counter() - started < 5  # < 1 s on an idle machine; generous for a loaded CI
    assert StanceModel.load() is first


def test_shape_sum_and_determinism(model):
    heads = [CLAIM, CLAIM, CLAIM, ""]
    bodies = [AGREE, DENY, OTHER, ""]
    probs = model.predict_proba(heads, bodies)
    assert probs.shape == (4, 4) and np.allclose(probs.sum(axis=1), 1)
    assert np.array_equal(probs, model.predict_proba(heads, bodies))
    # A pair's probabilities do not depend on the rest of the batch.
    assert np.allclose(model.predict_proba(heads[1:2], bodies[1:2]), probs[1:2])
    assert model.predict_proba([], []).shape == (0, 4)
    with pytest.raises(ValueError):
        model.predict_proba([CLAIM], [])


def test_plain_cases(model):
    predicted = model.predict([CLAIM, CLAIM, CLAIM], [AGREE, OTHER, DENY])
    assert predicted[0] in ("agree", "discuss")
    assert predicted[1] == "unrelated"
    assert predicted[2] == "disagree"


def test_missing_weights(tmp_path):
    with pytest.raises(StanceModelError, match="no such weights file"):
        StanceModel.load(tmp_path / "none.npz")
