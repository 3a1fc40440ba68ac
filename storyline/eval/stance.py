"""Stance scoring as in the Fake News Challenge (FNC-1), plus macro-F1 over the four classes.

FNC-1's score (the organisers' ``scorer.py``), per pair of gold label g and
predicted label p:

- +0.25 if g and p are both ``unrelated`` or both related (agree, disagree or
  discuss): the related/unrelated decision is right;
- +0.75 more if g is related and p == g: the stance is right.

So a related pair earns 1.0 for the exact label, 0.25 for another related
label and 0 for ``unrelated``; an unrelated pair earns 0.25 if predicted
unrelated, else 0. The *relative* score reported by the competition and here
is 100 × score / the score of the gold labels themselves (the maximum).

Macro-F1 is the unweighted mean of the four per-class F1 scores (F1 of a
class with no gold and no predicted pair counts as 0), as in Hanselowski et
al. (2018), who showed the FNC score rewards a system that never predicts
``disagree``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline.story.stance.data import LABELS, RELATED


def pair_score(gold: str, predicted: str) -> float:
    """FNC-1's score of one pair."""
    score = 0.0
    if (gold in RELATED) == (predicted in RELATED):
        score += 0.25
        if gold in RELATED and predicted == gold:
            score += 0.75
    return score


@dataclass(frozen=True)
class StanceScores:
    """Scores of predicted against gold stance labels."""

    confusion: np.ndarray  # [gold, predicted] counts in LABELS order
    score: float  # FNC-1's raw score
    max_score: float  # the gold labels' own score

    @property
    def n(self) -> int:
        return int(self.confusion.sum())

    @property
    def fnc(self) -> float:
        """FNC-1's relative score, in percent of the maximum."""
        return 100 * self.score / self.max_score if self.max_score else 0.0

    def f1(self, label: str) -> float:
        k = LABELS.index(label)
        tp = self.confusion[k, k]
        gold = self.confusion[k].sum()
        predicted = self.confusion[:, k].sum()
        return float(2 * tp / (gold + predicted)) if gold + predicted else 0.0

    @property
    def macro_f1(self) -> float:
        return float(np.mean([self.f1(label) for label in LABELS]))

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.confusion) / self.n) if self.n else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "pairs": self.n,
            "fnc_score": round(self.fnc, 2),
            "macro_f1": round(100 * self.macro_f1, 2),
            "accuracy": round(100 * self.accuracy, 2),
            "f1": {label: round(100 * self.f1(label), 2) for label in LABELS},
            "confusion": {"labels": list(LABELS), "gold_by_predicted": self.confusion.tolist()},
        }

    def table(self) -> str:
        """The scores, the per-class F1 and the confusion matrix as printable text."""
        lines = [
            f"{self.n} pairs",
            f"FNC-1 score {self.fnc:6.2f}  ({self.score:g} of {self.max_score:g})",
            f"macro-F1    {100 * self.macro_f1:6.2f}",
            f"accuracy    {100 * self.accuracy:6.2f}",
            "",
            f"{'gold / predicted':>16s} " + " ".join(f"{label:>9s}" for label in LABELS) + f" {'F1':>7s}",
        ]
        for k, label in enumerate(LABELS):
            row = " ".join(f"{int(c):9d}" for c in self.confusion[k])
            lines.append(f"{label:>16s} {row} {100 * self.f1(label):7.2f}")
        return "\n".join(lines)


def score(gold: Sequence[str], predicted: Sequence[str]) -> StanceScores:
    """FNC-1 score, macro-F1 and confusion matrix of ``predicted`` against ``gold`` (labels from LABELS)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    index = {label: k for k, label in enumerate(LABELS)}
    confusion = np.zeros((len(LABELS), len(LABELS)), dtype=np.int64)
    for g, p in zip(gold, predicted):
        confusion[index[g], index[p]] += 1
    total = sum(pair_score(g, p) for g, p in zip(gold, predicted))
    best = sum(pair_score(g, g) for g in gold)
    return StanceScores(confusion=confusion, score=total, max_score=best)


@dataclass(frozen=True)
class StanceRun:
    scores: StanceScores | None  # None when the stances file has no Stance column (predictions only)
    predicted: list[str]
    seconds: float  # prediction time, loading excluded


def evaluate_files(
    stances: str, bodies: str, *, model: str | None = None, write_predictions: str | None = None,
    cut_bodies: int | None = None,
) -> StanceRun:
    """Predict the stances of an FNC-1-format pair of files with the stance model and score them.

    A stances file without a Stance column is accepted only with ``write_predictions``: then nothing is scored."""
    import csv
    import time

    from storyline.story.stance import StanceModel, read_stance_data

    data = read_stance_data(stances, bodies, require_stance=write_predictions is None)
    stance_model = StanceModel.load(model)
    headlines = data.headlines()
    texts = data.body_texts()
    if cut_bodies:
        texts = [stance_model.featurizer.closest_sentences(h, t, cut_bodies) for h, t in zip(headlines, texts)]
    started = time.perf_counter()
    predicted = stance_model.predict(headlines, texts)
    seconds = time.perf_counter() - started
    if write_predictions:
        try:
            with open(write_predictions, "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["Headline", "Body ID", "Stance"])
                writer.writerows((p.headline, p.body_id, label) for p, label in zip(data.pairs, predicted))
        except OSError as err:
            from storyline.story.stance import StanceDataError

            raise StanceDataError(f"{write_predictions}: cannot write: {err.strerror or err}") from err
    return StanceRun(score(data.gold(), predicted) if data.labelled else None, predicted, seconds)
