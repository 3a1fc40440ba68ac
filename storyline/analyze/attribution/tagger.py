"""Linear-chain CRF inference from exported weights (trained by python-crfsuite).

Features are hashed buckets (see :mod:`features`), so a model is a weight row
per bucket and label, a transition matrix and, optionally, weights for the
spaCy model's token vectors. The weights ship as JSON inside the package and
load lazily once per process; decoding runs Viterbi over all sequences of a
document at once.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from storyline.analyze.attribution.features import BUCKETS

WEIGHTS = Path(__file__).resolve().parent / "weights"
DENSE_PREFIX = "vec"  # feature names of the real-valued dimensions: vec0, vec1, …


class CrfTagger:
    """Viterbi decoding of a linear-chain CRF over hashed features."""

    def __init__(
        self, labels: list[str], transitions: list[list[float]], state: dict[str, dict[str, float]], bias: dict[str, float] | None = None
    ):
        self.labels = labels
        # Added to every item's label scores at decoding: the cue tagger's positive "B" bias
        # trades precision for recall (chosen on held-out train, stored with the weights).
        self.bias = np.asarray([float((bias or {}).get(label, 0.0)) for label in labels], dtype=np.float32)
        self.transitions = np.asarray(transitions, dtype=np.float32)
        n = len(labels)
        self.weights = np.zeros((BUCKETS + 1, n), dtype=np.float32)  # the last row: absent feature
        dense: dict[int, np.ndarray] = {}
        for attr, weights in state.items():
            row = np.zeros(n, dtype=np.float32)
            for k, w in weights.items():
                row[int(k)] = w
            if attr.startswith(DENSE_PREFIX):
                dense[int(attr[len(DENSE_PREFIX) :])] = row
            else:
                self.weights[int(attr)] = row
        self.dense = np.zeros((max(dense) + 1 if dense else 0, n), dtype=np.float32)
        for k, row in dense.items():
            self.dense[k] = row

        self.default = labels.index("O") if "O" in labels else None
        spread = float(self.transitions.max() - self.transitions.min()) if self.transitions.size else 0.0
        self.margin = 2 * spread

    @classmethod
    def load(cls, path: Path) -> CrfTagger:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["labels"], data["transitions"], data["state"], data.get("bias"))

    def emissions(self, ids: np.ndarray, dense: np.ndarray | None = None) -> np.ndarray:
        """Scores [items × labels] from bucket ids [items × templates] (and token vectors)."""
        out = self.weights[ids].sum(axis=1) + self.bias
        if dense is not None and len(self.dense):
            out += dense[:, : len(self.dense)].astype(np.float32) @ self.dense
        return out

    def decode(self, emissions: np.ndarray, bounds: list[tuple[int, int]]) -> np.ndarray:
        """Best label index per item, each (start, end) of ``bounds`` being one sequence."""
        out = np.zeros(len(emissions), dtype=np.int64)
        bounds = [(s, e) for s, e in bounds if e > s]
        if self.default is not None:
            # A sequence whose every item prefers the default label ("O") by more than any
            # transitions could make up decodes to all-default: skip its Viterbi.
            d = self.default
            others = np.delete(emissions, d, axis=1).max(axis=1)
            sure = emissions[:, d] - others > self.margin
            out[:] = d
            bounds = [(s, e) for s, e in bounds if not sure[s:e].all()]
        if not bounds:
            return out
        n_labels = len(self.labels)
        longest = max(e - s for s, e in bounds)
        # Pad every sequence to the longest; padding positions keep the previous label's score.
        emit = np.zeros((len(bounds), longest, n_labels), dtype=np.float32)
        lengths = np.asarray([e - s for s, e in bounds])
        for k, (s, e) in enumerate(bounds):
            emit[k, : e - s] = emissions[s:e]
        score = emit[:, 0].copy()
        back = np.zeros((len(bounds), longest, n_labels), dtype=np.int64)
        for t in range(1, longest):
            cand = score[:, :, None] + self.transitions[None]  # batch × previous × next
            best = cand.argmax(axis=1)
            # The maximum is the very element argmax points at: no gather needed.
            new = cand.max(axis=1) + emit[:, t]
            active = (t < lengths)[:, None]
            score = np.where(active, new, score)
            back[:, t] = np.where(active, best, np.arange(n_labels)[None])
        label = score.argmax(axis=1)
        starts = np.asarray([s for s, _ in bounds])
        rows = np.arange(len(bounds))
        for t in range(longest - 1, -1, -1):
            active = t < lengths
            out[starts[active] + t] = label[active]
            if t:
                label = back[rows, t, label]
        return out

    def tag(self, ids: np.ndarray, bounds: list[tuple[int, int]], dense: np.ndarray | None = None) -> list[str]:
        """Labels for items ``ids`` made of the sequences ``bounds``."""
        if len(ids) == 0:
            return []
        return [self.labels[k] for k in self.decode(self.emissions(ids, dense), bounds).tolist()]


@lru_cache(maxsize=8)
def load_tagger(name: str, directory: str = str(WEIGHTS)) -> CrfTagger:
    """The tagger ``name`` ("cue" or "role"), loaded once per process."""
    return CrfTagger.load(Path(directory) / f"{name}.json")
