"""The stance model: which stance a body takes towards a headline (claim), with probabilities.

    from storyline.story.stance import StanceModel, LABELS
    model = StanceModel.load()
    probs = model.predict_proba(["North Korean troops are in Russia"],
                                ["The Kremlin dismissed reports of North Korean troops as fake news."])

The weights are one ``.npz`` file read with ``allow_pickle=False`` (arrays,
the LightGBM model as text and a JSON header): loading runs no code from it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from storyline.story.stance.data import LABELS
from storyline.story.stance.features import FEATURE_NAMES, Featurizer, HeadlineWords

WEIGHTS = Path(__file__).with_name("weights") / "stance.npz"
FORMAT = 1


class StanceModelError(ValueError):
    """A weights file that cannot be used, with a message naming it."""


@dataclass
class StanceModel:
    """Pair features → gradient-boosted trees (LightGBM) → four stance probabilities."""

    featurizer: Featurizer
    headline_words: HeadlineWords
    booster: object  # lightgbm.Booster
    log_bias: np.ndarray = field(default_factory=lambda: np.zeros(len(LABELS)))  # added to log-probabilities
    meta: dict[str, object] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> StanceModel:
        """The shipped model (cached), or the one saved at ``path``."""
        return _load(str(path or WEIGHTS))

    def save(self, path: str | Path) -> None:
        meta = {**self.meta, "format": FORMAT, "labels": list(LABELS), "features": list(FEATURE_NAMES)}
        text = self.booster.model_to_string()  # type: ignore[attr-defined]
        np.savez_compressed(
            path,
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            idf=self.featurizer.idf,
            headline_buckets=self.headline_words.buckets,
            booster=np.frombuffer(text.encode(), dtype=np.uint8),
            log_bias=self.log_bias.astype(np.float64),
        )

    def features(self, headlines: Sequence[str], bodies: Sequence[str]) -> sp.csr_matrix:
        """What the trees read: the pair features and the headline's words."""
        dense = self.featurizer.transform(headlines, bodies)
        return sp.hstack([sp.csr_matrix(dense), self.headline_words.transform(headlines)], format="csr")

    def raw_proba(self, features: sp.csr_matrix) -> np.ndarray:
        """The trees' probabilities, before the class bias."""
        return np.asarray(self.booster.predict(features), dtype=np.float64).reshape(-1, len(LABELS))  # type: ignore[attr-defined]

    def predict_proba(self, headlines: Sequence[str], bodies: Sequence[str]) -> np.ndarray:
        """(n, 4) probabilities of LABELS (agree, disagree, discuss, unrelated) for each headline × body pair."""
        if len(headlines) != len(bodies):
            raise ValueError(f"{len(headlines)} headlines but {len(bodies)} bodies")
        if not len(headlines):
            return np.zeros((0, len(LABELS)))
        return apply_bias(self.raw_proba(self.features(headlines, bodies)), self.log_bias)

    def predict(self, headlines: Sequence[str], bodies: Sequence[str]) -> list[str]:
        """The most probable label of each pair."""
        return [LABELS[k] for k in self.predict_proba(headlines, bodies).argmax(axis=1)]


def apply_bias(proba: np.ndarray, log_bias: np.ndarray) -> np.ndarray:
    """Shift each class's log-probability by a constant and renormalise (decision thresholds tuned on folds)."""
    logits = np.log(np.clip(proba, 1e-12, 1)) + log_bias
    logits -= logits.max(axis=1, keepdims=True)
    out = np.exp(logits)
    return out / out.sum(axis=1, keepdims=True)


@lru_cache(maxsize=4)
def _load(path: str) -> StanceModel:
    import lightgbm

    try:
        with np.load(path, allow_pickle=False) as weights:
            meta = json.loads(weights["meta"].tobytes().decode())
            if meta.get("format") != FORMAT or meta.get("labels") != list(LABELS) or meta.get("features") != list(FEATURE_NAMES):
                raise StanceModelError(f"{path}: weights of another format or feature set; retrain them")
            idf = weights["idf"]
            buckets = weights["headline_buckets"]
            booster = lightgbm.Booster(model_str=weights["booster"].tobytes().decode())
            log_bias = weights["log_bias"]
    except FileNotFoundError as err:
        raise StanceModelError(f"{path}: no such weights file") from err
    except (OSError, ValueError, KeyError, lightgbm.basic.LightGBMError) as err:
        if isinstance(err, StanceModelError):
            raise
        raise StanceModelError(f"{path}: not a stance weights file ({err})") from err
    featurizer = Featurizer(idf)
    return StanceModel(featurizer, HeadlineWords(featurizer, buckets), booster, log_bias, meta)
