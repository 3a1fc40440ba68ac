"""Fit the place resolver's feature weights on the *dev* half of LGL (even-indexed articles).

A conditional logit: for every group of toponyms with a gold place among its
candidates, the probability of the right candidate is the softmax of the
candidates' scores. Context features depend on the other toponyms' current
resolutions, so fitting alternates with resolving (a few rounds).

    python scripts/fit_place_weights.py /work/shared/data/geo/lgl.xml \
        > storyline/analyze/places/data/weights.json

Never fit on the test half: its figures are the held-out check.
"""

from __future__ import annotations

import json
import math
import os
import sys

import numpy as np
from scipy.optimize import minimize

from storyline.analyze.places.build import km
from storyline.analyze.places.features import FIXED_WEIGHTS, START_WEIGHTS
from storyline.analyze.places.resolver import Options, Resolver, Toponym
from storyline.eval.places import contexts, read_lgl, score_gold_spans, split

L2_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
ROUNDS = 3
FOLDS = 4
PROFILES = os.environ.get("PROFILES", "1") == "1"  # outlet profiles in the context (as the evaluation)


def training_sets(resolver: Resolver, articles) -> list[tuple[list[dict[str, float]], int]]:
    sets = []
    context_of = contexts(articles, resolver, profiles=PROFILES)
    for article in articles:
        toponyms = [Toponym(t.start, t.end, t.text) for t in article.toponyms]
        members, groups = resolver.groups(toponyms, article.text)
        resolver.run(groups, context_of[article.id])
        for g in groups:
            golds = [article.toponyms[i] for i in members[g.key] if article.toponyms[i].geonameid]
            if not golds:
                continue
            gold = golds[0]
            best, best_d = None, 161.0
            for j, cand in enumerate(g.candidates):
                if cand.place.geonameid == gold.geonameid:
                    best, best_d = j, -1.0
                    break
                d = km(gold.lat, gold.lon, cand.place.lat, cand.place.lon)
                if d < best_d:
                    best, best_d = j, d
            if best is None or len(g.candidates) < 2:
                continue
            rows = [{**g.features[j], **g.context.get(j, {})} for j in range(len(g.candidates))]
            sets.append((rows, best))
    return sets


def fit(sets, names: list[str], start: dict[str, float], l2: float) -> dict[str, float]:
    index = {n: i for i, n in enumerate(names)}
    mats = []
    for rows, y in sets:
        X = np.zeros((len(rows), len(names)))
        for r, feats in enumerate(rows):
            for n, v in feats.items():
                if n in index:
                    X[r, index[n]] = v
        mats.append((X, y))

    def loss(w):
        total, grad = l2 * w @ w, 2 * l2 * w
        for X, y in mats:
            s = X @ w
            s -= s.max()
            p = np.exp(s)
            p /= p.sum()
            total -= math.log(max(p[y], 1e-300))
            grad -= X[y] - p @ X
        return total, grad

    w0 = np.array([start.get(n, 0.0) for n in names])
    res = minimize(loss, w0, jac=True, method="L-BFGS-B")
    return {n: round(float(v), 3) for n, v in zip(names, res.x)}


def train(articles, l2: float) -> dict[str, float]:
    weights = dict(START_WEIGHTS)
    names = sorted(START_WEIGHTS)
    for _ in range(ROUNDS):
        resolver = Resolver(options=Options(weights={**weights, **FIXED_WEIGHTS}))
        weights = fit(training_sets(resolver, articles), names, weights, l2)
    return weights


def accuracy(articles, weights: dict[str, float]) -> float:
    resolver = Resolver(options=Options(weights={**weights, **FIXED_WEIGHTS}))
    scores, _ = score_gold_spans(articles, resolver, profiles=PROFILES)
    return scores.within / scores.n


def main(path: str) -> None:
    articles = split(read_lgl(path), "dev")
    folds = [articles[k::FOLDS] for k in range(FOLDS)]
    best_l2, best_acc = L2_GRID[0], -1.0
    for l2 in L2_GRID:  # cross-validation inside the dev half picks the regularisation
        accs = []
        for k in range(FOLDS):
            train_part = [a for j, fold in enumerate(folds) if j != k for a in fold]
            accs.append(accuracy(folds[k], train(train_part, l2)))
        acc = sum(accs) / len(accs)
        print(f"L2 {l2}: cross-validated acc@161km {100 * acc:.1f}%", file=sys.stderr)
        if acc > best_acc:
            best_l2, best_acc = l2, acc
    weights = train(articles, best_l2)
    json.dump(
        {"about": f"fitted by scripts/fit_place_weights.py on the even-indexed half of LGL, L2 {best_l2} "
                  f"({FOLDS}-fold cross-validated acc@161km {100 * best_acc:.1f}%)", "weights": weights},
        sys.stdout, indent=1, sort_keys=True,
    )
    print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/geo/lgl.xml")
