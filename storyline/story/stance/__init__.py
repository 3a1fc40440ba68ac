"""Stance of a text towards a claim: agree, disagree, discuss or unrelated (FNC-1's labels).

    from storyline.story.stance import StanceModel, LABELS
    model = StanceModel.load()   # the shipped weights, cached
    probs = model.predict_proba(headlines, bodies)   # np.ndarray (n, 4), columns in LABELS order

See docs/stance.md for the data, features, training and figures.
"""

from storyline.story.stance.data import LABELS, StanceData, StanceDataError, StancePair, read_stance_data
from storyline.story.stance.model import StanceModel, StanceModelError

__all__ = [
    "LABELS", "StanceData", "StanceDataError", "StanceModel", "StanceModelError", "StancePair", "read_stance_data",
]
