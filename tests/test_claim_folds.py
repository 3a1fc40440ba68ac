"""claims.folds: the indexed search folds a merged story's claims exactly as comparing every pair does."""

from __future__ import annotations

import copy
import random

from storyline.story.claims import THRESHOLD, folds
from storyline.story.text import VectorIndex, cosine, norm


def pairwise(claims: list[tuple[str, dict[str, float]]]) -> list[tuple[str, str, dict[str, float]]]:
    """The definition: each claim against every kept one, the best (the earliest on a tie) if at the threshold."""
    kept: list[tuple[str, dict[str, float]]] = []
    out = []
    for claim_id, feats in claims:
        best = max(((cosine(feats, f), cid, f) for cid, f in kept), default=(0.0, "", {}), key=lambda x: x[0])
        if best[0] < THRESHOLD:
            kept.append((claim_id, feats))
            continue
        for k, v in feats.items():
            best[2][k] = best[2].get(k, 0.0) + v
        out.append((claim_id, best[1], dict(best[2])))
    return out


def test_folds_match_pairwise_comparison() -> None:
    rng = random.Random(7)
    vocabulary = [f"w:{n}" for n in range(40)] + ["c:KP", "c:RU", "e:i1"]
    claims = [
        (f"c{n}", {k: float(rng.randint(1, 3)) for k in rng.sample(vocabulary, rng.randint(0, 6))})
        for n in range(300)
    ]
    claims += [("dup-a", {"w:1": 1.0, "w:2": 1.0}), ("dup-b", {"w:1": 1.0, "w:2": 1.0})]  # a tie
    expected = pairwise(copy.deepcopy(claims))
    got = [(c, t, dict(f)) for c, t, f in folds(copy.deepcopy(claims))]
    assert len(expected) > 50  # the sample folds often enough to test something
    assert got == expected


def test_folded_centroid_is_updated_before_the_next_claim() -> None:
    claims = [("a", {"w:x": 1.0, "w:y": 1.0}), ("b", {"w:x": 1.0, "w:z": 1.0}), ("c", {"w:z": 2.0, "w:q": 1.0})]
    got = [(c, t, dict(f)) for c, t, f in folds(copy.deepcopy(claims))]
    assert got == pairwise(copy.deepcopy(claims))
    assert got[0] == ("b", "a", {"w:x": 2.0, "w:y": 1.0, "w:z": 1.0})


def test_index_finds_what_comparing_every_vector_finds() -> None:
    """Widely held features ("v:other" in every claim, a story's country in most) are left out of
    the search only while they cannot lift a vector to the threshold alone: the same keys, the same
    scores, as a cosine with every vector; also after vectors grew in place."""
    rng = random.Random(11)
    vocabulary = [f"w:{n}" for n in range(30)]
    index: VectorIndex[int] = VectorIndex()
    vectors: dict[int, dict[str, float]] = {}

    def vector() -> dict[str, float]:
        v = {k: float(rng.randint(1, 3)) for k in rng.sample(vocabulary, rng.randint(1, 5))}
        v["v:other"] = 1e-3 * rng.randint(1, 40)
        if rng.random() < 0.8:
            v["c:KP"] = float(rng.randint(1, 6))
        return v

    skipped = 0
    for n in range(400):
        query = vector()
        for threshold in (0.2, THRESHOLD, 0.6):
            expected = {k: s for k, v in vectors.items() if (s := cosine(query, v, norm(query), norm(v))) >= threshold}
            assert index.near(query, threshold) == expected
        if n % 3 and vectors:  # grow a vector in place, as a claim's centroid grows
            key = rng.choice(sorted(vectors))
            for k, w in query.items():
                vectors[key][k] = vectors[key].get(k, 0.0) + w
            index.put(key, vectors[key], query)
        else:
            vectors[n] = query
            index.put(n, query)
        skipped += "v:other" not in index.searched(query, THRESHOLD * norm(query))[0]
    assert skipped > 300  # the ubiquitous feature was left out of most searches

