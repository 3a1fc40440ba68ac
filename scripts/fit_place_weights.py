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
import sys
from collections import defaultdict

import numpy as np
from scipy.optimize import minimize

from storyline.analyze.places.build import km
from storyline.analyze.places.features import START_WEIGHTS
from storyline.analyze.places.resolver import Context, Options, Resolver, Toponym
from storyline.eval.places import outlet_country, read_lgl, split

L2 = 0.5
ROUNDS = 3


def training_sets(resolver: Resolver, articles) -> list[tuple[list[dict[str, float]], int]]:
    sets = []
    for article in articles:
        toponyms = [Toponym(t.start, t.end, t.text) for t in article.toponyms]
        members, groups = resolver.groups(toponyms, article.text)
        resolver.run(groups, outlet_country(article.domain))
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


def fit(sets, names: list[str], start: dict[str, float]) -> dict[str, float]:
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
        total, grad = L2 * w @ w, 2 * L2 * w
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


def main(path: str) -> None:
    articles = split(read_lgl(path), "dev")
    weights = dict(START_WEIGHTS)
    names = sorted(START_WEIGHTS)
    for r in range(ROUNDS):
        resolver = Resolver(options=Options(weights=weights))
        sets = training_sets(resolver, articles)
        weights = fit(sets, names, weights)
        print(f"round {r + 1}: {len(sets)} groups", file=sys.stderr)
    json.dump({"about": "fitted by scripts/fit_place_weights.py on the even-indexed half of LGL", "weights": weights},
              sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/geo/lgl.xml")
