"""The stance pair features that look at word positions: classes of words near the claim's words."""

from __future__ import annotations

import numpy as np

from storyline.story.stance.features import FEATURE_NAMES, Featurizer, _content, _near, _stems
from storyline.story.stance.text import tokens

CLAIM = frozenset(_stems(_content(tokens("Shark bit a surfer off Florida"))))


def test_near_counts_class_words_close_to_the_claim_and_negations_before_it():
    # negation, denial, hedge, confirm; then negations just before a claim word
    assert _near(tokens("Officials denied that a shark bit the surfer"), CLAIM) == [0, 1, 0, 0, 0]
    assert _near(tokens("No shark was seen"), CLAIM) == [1, 0, 0, 0, 1]
    far = "Nobody denied anything at the meeting held on a long and tiring Tuesday afternoon about shark sightings"
    assert _near(tokens(far), CLAIM) == [0, 0, 0, 0, 0]
    assert _near(tokens("Officials denied it"), CLAIM) == [0, 0, 0, 0, 0]  # no claim word: nothing is near


def test_near_features_in_the_pair_matrix():
    featurizer = Featurizer(np.ones(2**18, dtype=np.float32))
    head = "Shark bit a surfer off Florida"
    deny = "The beach patrol denied that a shark bit a surfer. Nobody was hurt. The beach is open."
    plain = "A shark bit a surfer off Florida. He was taken to hospital. The beach is closed."
    x = featurizer.transform([head, head], [deny, plain])
    col = {name: i for i, name in enumerate(FEATURE_NAMES)}
    assert x.shape == (2, len(FEATURE_NAMES))
    assert x[0, col["top_near_denial"]] == 1 and x[1, col["top_near_denial"]] == 0
    assert x[0, col["related_sentences"]] == 1 and x[1, col["related_sentences"]] == 1
    assert np.isclose(x[1, col["related_share"]], 1 / 3)
