# The FNC-1 score of a confusion matrix with its gold rows reweighted to FNC-1 train's class mix (the claim split's
# held-out part has far fewer unrelated pairs, which lowers its FNC score by itself; docs/stance.md, Held-out).
# Usage: reweight.py 16 counts, rows gold, columns predicted, both in order agree disagree discuss unrelated.
import sys
import numpy as np

SCORE = np.array([[1, .25, .25, 0], [.25, 1, .25, 0], [.25, .25, 1, 0], [0, 0, 0, .25]])
MIX = np.array([3678, 840, 8909, 36545.0])  # FNC-1 train: agree, disagree, discuss, unrelated
confusion = np.array([float(x) for x in sys.argv[1:17]]).reshape(4, 4)
weight = MIX / confusion.sum(axis=1)
print(f"{100 * (weight[:, None] * confusion * SCORE).sum() / (weight * confusion.sum(axis=1) * np.diag(SCORE)).sum():.2f}")
