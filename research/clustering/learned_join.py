"""A learned join decision for the story clustering (after Miranda et al. 2018), tried on ECB+.

Instead of one weighted similarity against ``THRESHOLD`` (``storyline/story/clustering.py``),
a logistic regression (scikit-learn) scores each (document, candidate story) pair over the
separate similarities: words, all names, person, organisation and place names, the years
named (and whether both sides name any), and the story's size (log); the similarities are
halved per ``DECAY_DAYS`` outside the story's dates, as the shipped similarity is. The most
probable candidate above a probability takes the document. Candidate search is unchanged.

Training pairs: the incremental clustering replayed over the ECB+ topics with odd numbers
only, with the shipped decision; for each document, every candidate story the search returns
when it arrives (or only the N most similar, ``--top``), labelled "the candidate's majority
gold subtopic is the document's". The even topics are never trained on:

    python research/clustering/learned_join.py STORE GOLD --c 100 --probability 0.15,0.2,0.3,0.5
    python research/clustering/learned_join.py STORE GOLD --c 100 --probability 0.15 --final \\
        --reference NK_STORE NK_GOLD

STORE is a store with the ECB+ texts ingested (copied, never changed); ``--reference`` as in
``ecb_loop.py``. Result (docs/stories.md): below the shipped decision on the odd topics.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sqlite3
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from ecb_loop import reference, run, scores  # research/clustering/ecb_loop.py
from storyline.eval.clustering import read_gold_tsv, source_name
from storyline.store.sqlite import SQLiteStore
from storyline.story import clustering
from storyline.story.claims import Claims
from storyline.story.clustering import Centroid, Profile, Stories
from storyline.story.engine import StoryEngine
from storyline.story.text import cosine

FEATURES = ("words", "names", "person", "organisation", "place", "years", "years_both", "log_size")
KIND = {"person": "person", "organisation": "organisation", "source": "organisation"}  # else place
Candidate = tuple[str, str | None, str | None]


def is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and "1800" <= word <= "2099"


def features(profile: Profile, centroid: Centroid, kinds: dict[str, str], size: int, decay: float) -> list[float]:
    words, names, _ = centroid
    parts = []
    for kind in ("person", "organisation", "place"):
        mine = {k: v for k, v in profile.names.items() if KIND.get(kinds.get(k, ""), "place") == kind}
        theirs = {k: v for k, v in names.items() if KIND.get(kinds.get(k, ""), "place") == kind}
        parts.append(cosine(mine, theirs))
    my_years = {k: v for k, v in profile.words.items() if is_year(k)}
    their_years = {k: v for k, v in words.items() if is_year(k)}
    sims = [cosine(profile.words, words), cosine(profile.names, names), *parts, cosine(my_years, their_years)]
    return [x * decay for x in sims] + [float(bool(my_years and their_years)), math.log(1 + size)]


def pairs(stories: Stories, profile: Profile) -> tuple[list[Candidate], dict[str, Centroid], list[list[float]]]:
    """The document's candidates (as the shipped search finds them), their centroids and pair features."""
    candidates = stories.candidates(profile)
    if not candidates:
        return [], {}, []
    centroids = stories.centroids([c[0] for c in candidates])
    ids = sorted({k for c in centroids.values() for k in c[1]} | set(profile.names))
    kinds: dict[str, str] = {}
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        kinds.update(stories.db.execute(
            f"SELECT id, kind FROM identities WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    sizes = dict(stories.db.execute(
        f"SELECT id, documents FROM stories WHERE id IN ({','.join('?' * len(candidates))})",
        [c[0] for c in candidates]).fetchall())
    rows = [features(profile, centroids[story_id], kinds, sizes[story_id],
                     0.5 ** (clustering._gap(profile.day, first, last) / clustering.DECAY_DAYS))
            for story_id, first, last in candidates]
    return candidates, centroids, rows


def replay(store_path: Path, subtopic: dict[str, str], top: int) -> tuple[list[list[float]], list[int]]:
    """Features and labels of the (document, candidate story) pairs met while placing the documents."""
    X: list[list[float]] = []
    y: list[int] = []
    store = SQLiteStore(store_path)
    source_of = {doc_id: source_name(src or "") for doc_id, src in store.db.execute("SELECT id, source FROM documents")}
    keep = {doc_id for doc_id, name in source_of.items() if name in subtopic}
    assign, pending, link = Stories.assign, StoryEngine.pending, Claims.link

    def recording_assign(self: Stories, profile: Profile) -> tuple[str, float, list[str]]:
        candidates, centroids, rows = pairs(self, profile)
        nearest = sorted(range(len(candidates)),
                         key=lambda i: -clustering.similarity(profile, centroids[candidates[i][0]]))[:top]
        for i in nearest:
            members = Counter(subtopic[source_of[d]] for (d,) in self.db.execute(
                "SELECT doc_id FROM story_documents WHERE story_id = ?", [candidates[i][0]]))
            majority = sorted(members.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            X.append(rows[i])
            y.append(int(majority == subtopic[source_of[profile.doc_id]]))
        return assign(self, profile)

    Stories.assign = recording_assign  # type: ignore[method-assign]
    StoryEngine.pending = lambda self: [d for d in pending(self) if d in keep]  # type: ignore[method-assign]
    Claims.link = lambda *a, **k: None  # type: ignore[method-assign]  # claims do not change the stories
    try:
        StoryEngine(store).rebuild()
    finally:
        Stories.assign, StoryEngine.pending, Claims.link = assign, pending, link  # type: ignore[method-assign]
        store.db.conn.close()
    return X, y


@contextlib.contextmanager
def learned(model: LogisticRegression, probability: float, used: list[int]) -> Iterator[None]:
    """Stories.assign decides by the model: the shipped code runs with the pair probability standing in
    for its similarity (time decay already inside the features) and ``probability`` for its threshold."""
    assign, similarity = Stories.assign, clustering.similarity

    def learned_assign(self: Stories, profile: Profile) -> tuple[str, float, list[str]]:
        candidates, centroids, rows = pairs(self, profile)
        p = dict(zip((id(centroids[c[0]]) for c in candidates), model.predict_proba([[r[i] for i in used] for r in rows])[:, 1])) if rows else {}
        saved = (Stories.candidates, Stories.centroids, clustering.DECAY_DAYS, clustering.THRESHOLD)
        Stories.candidates = lambda self, profile: candidates  # type: ignore[method-assign]
        Stories.centroids = lambda self, ids: centroids  # type: ignore[method-assign]
        clustering.similarity = lambda pr, c: float(p[id(c)]) if id(c) in p else similarity(pr, c)
        clustering.DECAY_DAYS, clustering.THRESHOLD = math.inf, probability
        try:
            return assign(self, profile)
        finally:
            Stories.candidates, Stories.centroids, clustering.DECAY_DAYS, clustering.THRESHOLD = saved  # type: ignore[method-assign]
            clustering.similarity = similarity

    Stories.assign = learned_assign  # type: ignore[method-assign]
    try:
        yield
    finally:
        Stories.assign = assign  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("gold", type=Path, help="ECB+ gold.tsv")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--top", type=int, default=clustering.CANDIDATES,
                        help="pairs from only the N candidates most similar to the document")
    parser.add_argument("--features", nargs="*", default=list(FEATURES), choices=FEATURES,
                        help="the features the model uses (default: all)")
    parser.add_argument("--probability", default="0.5", help="join probabilities to try, comma-separated")
    parser.add_argument("--final", action="store_true", help="also score the even topics and all")
    parser.add_argument("--reference", nargs=2, type=Path, metavar=("STORE", "GOLD"))
    args = parser.parse_args(argv)
    gold = read_gold_tsv(args.gold)
    subtopic = {name: g.subtopic for name, g in gold.items() if int(g.topic) % 2 == 1}
    with tempfile.TemporaryDirectory(prefix="learned-join-") as tmp:
        copy = Path(tmp) / "ecb.db"
        source, target = sqlite3.connect(args.store), sqlite3.connect(copy)
        source.backup(target)
        source.close()
        target.close()
        X, y = replay(copy, subtopic, args.top)
        used = [FEATURES.index(name) for name in args.features]
        X = [[x[i] for i in used] for x in X]
        model = LogisticRegression(C=args.c, max_iter=1000).fit(X, y)
        print(f"{len(y)} pairs ({sum(y)} same story) from {len(subtopic)} documents of the odd topics; "
              f"training AUC {roc_auc_score(y, model.predict_proba(X)[:, 1]):.3f}")
        print("  " + ", ".join(f"{n} {c:+.2f}" for n, c in zip(args.features, model.coef_[0]))
              + f", intercept {model.intercept_[0]:+.2f}")
        for probability in (float(x) for x in args.probability.split(",")):
            with learned(model, probability, used):
                system, _ = run(copy, {})
                s = scores(system, gold)
                line = f"p > {probability}: odd P/R/F1 {s['odd'][0]:.3f} {s['odd'][1]:.3f} {s['odd'][2]:.3f}"
                if args.final:
                    line += f"; even F1 {s['even'][2]:.3f}; all P/R/F1 {s['all'][0]:.3f} {s['all'][1]:.3f} {s['all'][2]:.3f}"
                print(line + f"; {len(set(system.values()))} stories", flush=True)
                if args.reference:
                    print("    " + reference(*args.reference, {}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
