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
        out = self._rows_sum(ids) + self.bias
        if dense is not None and len(self.dense):
            out += dense[:, : len(self.dense)].astype(np.float32) @ self.dense
        return out

    def _rows_sum(self, ids: np.ndarray) -> np.ndarray:
        """``self.weights[ids].sum(axis=1)``: numpy sums that middle axis template by template,
        in order, so adding the templates' rows one after the other is the same float32
        arithmetic (checked bit for bit); without the [items × templates × labels] gather it
        runs 3–5 times faster on a document's items. Few items: the gather is cheaper."""
        if len(ids) < 128:
            return self.weights[ids].sum(axis=1)
        cols = np.ascontiguousarray(ids.T)
        out = self.weights[cols[0]]
        row = np.empty_like(out)
        for col in cols[1:]:
            np.take(self.weights, col, axis=0, out=row)
            out += row
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
        # Longest sequence first: at step t the sequences still running are the first
        # ``running[t]`` rows, and only they are computed (the others' scores and labels
        # stay as they are, as padding would keep them).
        bounds = sorted(bounds, key=lambda b: b[0] - b[1])
        lengths = np.asarray([e - s for s, e in bounds])
        longest = int(lengths[0])
        running = np.searchsorted(-lengths, -np.arange(longest), side="left").tolist()
        emit = np.zeros((len(bounds), longest, n_labels), dtype=np.float32)
        for k, (s, e) in enumerate(bounds):
            emit[k, : e - s] = emissions[s:e]
        score = emit[:, 0].copy()
        back = np.zeros((len(bounds), longest, n_labels), dtype=np.int64)
        for t in range(1, longest):
            m = running[t]
            cand = score[:m, :, None] + self.transitions[None]  # running × previous × next
            back[:m, t] = cand.argmax(axis=1)
            # The maximum is the very element argmax points at: no gather needed.
            score[:m] = cand.max(axis=1) + emit[:m, t]
        label = score.argmax(axis=1)
        starts = np.asarray([s for s, _ in bounds])
        rows = np.arange(len(bounds))
        for t in range(longest - 1, -1, -1):
            m = running[t]
            out[starts[:m] + t] = label[:m]
            if t:
                label[:m] = back[rows[:m], t, label[:m]]
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
