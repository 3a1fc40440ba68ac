"""Train the stance model on FNC-1-format data and save its weights.

    python -m storyline.story.stance.train \
        --data ../shared/data/fnc-1/train_stances.csv ../shared/data/fnc-1/train_bodies.csv \
        --data ../shared/data/arc/arc_stances_train.csv ../shared/data/arc/arc_bodies.csv \
        --out storyline/story/stance/weights/stance.npz

reproduces the shipped weights. Steps: inverse document frequencies over the
training bodies and headlines; pair features; LightGBM (fixed seeds, one
thread, so the result is the same on every run); then the class biases
(constants added to each class's log-probability) are chosen on out-of-fold
predictions: the data is cut into ``--folds`` claim-disjoint folds
(:mod:`storyline.story.stance.splits`), a model is trained on all folds but
one and predicts the one left out, and the biases that maximise the mean of
the FNC-1 score and the macro-F1 over those predictions are kept. Nothing
outside the training files is looked at.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from storyline.story.stance.data import LABELS, StanceData, read_stance_data
from storyline.story.stance.features import FEATURE_NAMES, Featurizer, HeadlineWords, fit_idf
from storyline.story.stance.model import WEIGHTS, StanceModel, apply_bias
from storyline.story.stance.splits import claims

# Per-pair FNC-1 score of gold (rows) × predicted (columns), in LABELS order; see storyline.eval.stance.
_FNC = np.array([[1, 0.25, 0.25, 0], [0.25, 1, 0.25, 0], [0.25, 0.25, 1, 0], [0, 0, 0, 0.25]])


@dataclass(frozen=True)
class Options:
    trees: int = 600
    learning_rate: float = 0.05
    leaves: int = 31
    min_child: int = 20
    feature_fraction: float = 0.8
    bagging_fraction: float = 0.8
    headline_words: int = 500
    class_weight_power: float = 0.0  # 0: none; 1: inverse frequency; between: a mix
    folds: int = 3
    short_copies: bool = False  # also train on each pair with its body cut to its 1 or 2 closest sentences
    bias_grid: tuple[float, ...] = tuple(np.round(np.arange(-3.0, 5.01, 0.25), 2))
    seed: int = 7


def _params(options: Options) -> dict[str, object]:
    return {
        "objective": "multiclass", "num_class": len(LABELS), "learning_rate": options.learning_rate,
        "num_leaves": options.leaves, "min_data_in_leaf": options.min_child,
        "feature_fraction": options.feature_fraction, "bagging_fraction": options.bagging_fraction,
        "bagging_freq": 1, "seed": options.seed, "deterministic": True, "num_threads": 1, "verbose": -1,
    }


@dataclass
class Corpus:
    """Training pairs as texts and labels (several FNC-1-format sets concatenated)."""

    headlines: list[str]
    bodies: list[str]
    labels: np.ndarray
    groups: np.ndarray  # claim of each pair (for claim-disjoint folds), unique across sets

    @classmethod
    def of(cls, sets: Sequence[StanceData]) -> Corpus:
        headlines: list[str] = []
        bodies: list[str] = []
        labels: list[int] = []
        groups: list[str] = []
        for n, data in enumerate(sets):
            head_key, body_key = claims(data.pairs)
            for pair in data.pairs:
                headlines.append(pair.headline)
                bodies.append(data.bodies[pair.body_id])
                labels.append(LABELS.index(pair.stance or ""))
                # An unrelated pair joins two claims; it goes with its headline's.
                groups.append(f"{n}:{head_key[pair.headline]}")
        _, group_ids = np.unique(np.asarray(groups), return_inverse=True)
        return cls(headlines, bodies, np.asarray(labels), group_ids)


def with_short_copies(corpus: Corpus, featurizer: Featurizer, seed: int) -> Corpus:
    """The corpus plus a copy of every pair whose body is cut to its one or two sentences most similar to
    the headline (at random), with the same label: storyline asks about single statements, not articles."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 3, size=len(corpus.labels))
    cut = [featurizer.closest_sentences(h, b, int(n)) for h, b, n in zip(corpus.headlines, corpus.bodies, sizes)]
    return Corpus(corpus.headlines * 2, corpus.bodies + cut, np.concatenate([corpus.labels] * 2),
                  np.concatenate([corpus.groups] * 2))


def _weights(labels: np.ndarray, power: float) -> np.ndarray:
    counts = np.bincount(labels, minlength=len(LABELS)).astype(float)
    per_class = (counts.sum() / np.maximum(counts, 1) / len(LABELS)) ** power
    return per_class[labels]


def fit_trees(features: sp.csr_matrix, labels: np.ndarray, options: Options, names: list[str]) -> object:
    import lightgbm

    data = lightgbm.Dataset(features, labels, weight=_weights(labels, options.class_weight_power),
                            feature_name=names, free_raw_data=False)
    return lightgbm.train(_params(options), data, num_boost_round=options.trees)


def objective(gold: np.ndarray, predicted: np.ndarray) -> float:
    """Mean of the FNC-1 relative score and the macro-F1 (both in [0, 1]) of label indices."""
    k = len(LABELS)
    confusion = np.bincount(gold * k + predicted, minlength=k * k).reshape(k, k)
    fnc = (confusion * _FNC).sum() / (np.bincount(gold, minlength=k) * np.diag(_FNC)).sum()
    tp = np.diag(confusion)
    f1 = np.divide(2 * tp, confusion.sum(0) + confusion.sum(1), out=np.zeros(k), where=(confusion.sum(0) + confusion.sum(1)) > 0)
    return float((fnc + f1.mean()) / 2)


def tune_bias(proba: np.ndarray, gold: np.ndarray, grid: Sequence[float], rounds: int = 4) -> np.ndarray:
    """Log-probability offsets for agree, disagree and discuss (unrelated fixed at 0) maximising ``objective``:
    coordinate ascent, each class's offset searched over ``grid`` in turn, until nothing changes."""
    log_p = np.log(np.clip(proba, 1e-12, 1))
    bias = np.zeros(len(LABELS))
    best = objective(gold, log_p.argmax(axis=1))
    for _ in range(rounds):
        changed = False
        for k in range(len(LABELS) - 1):
            for value in grid:
                trial = bias.copy()
                trial[k] = value
                score = objective(gold, (log_p + trial).argmax(axis=1))
                if score > best + 1e-9:
                    best, bias, changed = score, trial, True
        if not changed:
            break
    return bias


def folds(groups: np.ndarray, k: int, seed: int) -> np.ndarray:
    """A fold number for each pair: whole claims are assigned to folds at random."""
    rng = np.random.default_rng(seed)
    fold_of_group = rng.integers(0, k, size=groups.max() + 1)
    return fold_of_group[groups]


def train(sets: Sequence[StanceData], options: Options = Options(), log=print) -> StanceModel:
    corpus = Corpus.of(sets)
    started = time.perf_counter()
    texts = sorted(set(corpus.bodies)) + sorted(set(corpus.headlines))
    featurizer = Featurizer(fit_idf(texts))
    headline_words = HeadlineWords.fit(featurizer, corpus.headlines, options.headline_words)
    model = StanceModel(featurizer, headline_words, booster=None)
    if options.short_copies:
        corpus = with_short_copies(corpus, featurizer, options.seed)
    features = model.features(corpus.headlines, corpus.bodies)
    names = list(FEATURE_NAMES) + headline_words.names
    log(f"{len(corpus.labels)} pairs, {features.shape[1]} features, {time.perf_counter() - started:.0f}s")
    out_of_fold = np.zeros((len(corpus.labels), len(LABELS)))
    if options.folds > 1:
        fold = folds(corpus.groups, options.folds, options.seed)
        for k in range(options.folds):
            inside = fold != k
            model.booster = fit_trees(features[inside], corpus.labels[inside], options, names)
            out_of_fold[~inside] = model.raw_proba(features[~inside])
            log(f"fold {k + 1}/{options.folds} done, {time.perf_counter() - started:.0f}s")
        model.log_bias = tune_bias(out_of_fold, corpus.labels, options.bias_grid)
        before = objective(corpus.labels, out_of_fold.argmax(axis=1))
        after = objective(corpus.labels, apply_bias(out_of_fold, model.log_bias).argmax(axis=1))
        log(f"class log-biases {dict(zip(LABELS, model.log_bias.round(2).tolist()))}: "
            f"out-of-fold objective {before:.4f} -> {after:.4f}")
    model.booster = fit_trees(features, corpus.labels, options, names)
    model.meta = {"options": {k: v for k, v in vars(options).items() if k != "bias_grid"},
                  "pairs": int(len(corpus.labels)), "seconds": round(time.perf_counter() - started)}
    log(f"trained in {time.perf_counter() - started:.0f}s")
    return model


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", nargs=2, action="append", required=True, metavar=("STANCES", "BODIES"),
                        help="an FNC-1-format training set (repeat for several)")
    parser.add_argument("--out", type=Path, default=WEIGHTS, help=f"weights file to write (default {WEIGHTS})")
    defaults = Options()
    parser.add_argument("--trees", type=int, default=defaults.trees)
    parser.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    parser.add_argument("--leaves", type=int, default=defaults.leaves)
    parser.add_argument("--headline-words", type=int, default=defaults.headline_words)
    parser.add_argument("--class-weight-power", type=float, default=defaults.class_weight_power)
    parser.add_argument("--short-copies", action="store_true", help="also train on copies of the pairs with the body cut to its 1-2 sentences closest to the headline")
    parser.add_argument("--folds", type=int, default=defaults.folds, help="claim-disjoint folds to tune the class biases on (1: no tuning)")
    args = parser.parse_args(argv)
    options = Options(trees=args.trees, learning_rate=args.learning_rate, leaves=args.leaves,
                      headline_words=args.headline_words, class_weight_power=args.class_weight_power, folds=args.folds,
                      short_copies=args.short_copies)
    sets = [read_stance_data(stances, bodies, require_stance=True) for stances, bodies in args.data]
    model = train(sets, options)
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
