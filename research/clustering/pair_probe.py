"""Which features tell two reports of one ECB+ event from reports of the other event of the same kind?

For every pair of documents in one topic (odd topics only unless --part says otherwise), the
cosine of several feature groups, and how well each separates same-subtopic pairs from
different-subtopic pairs (ROC AUC: 0.5 = no help, 1.0 = perfect):

    python research/clustering/pair_probe.py STORE GOLD [--part odd|even|all]
    python research/clustering/pair_probe.py STORE GOLD --embeddings /tmp/ecbembed/emb.npz --topics 9 27 35

STORE is an ingested store whose story layer is built (its identities are read). ``--embeddings``
adds the cosine of document embeddings (a file written by ``embed_cache.py``), alone and mixed
with the shipped similarity (0.7 × words + 0.3 × names); ``--topics`` also prints the AUC of every
group in those topics.
"""

from __future__ import annotations

import argparse
import itertools
import math
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from storyline.eval.clustering import read_gold_tsv, source_name
from storyline.store.sqlite import SQLiteStore
from storyline.story.clustering import Stories
from storyline.story.text import cosine


URL = {"http", "https", "www", "com", "html", "htm", "php", "aspx", "asp", "jsp", "org", "net", "co", "uk"}


def auc(pos: list[float], neg: list[float]) -> float:
    ranked = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid = (i + j + 1) / 2
        rank_sum += sum(mid for k in range(i, j) if ranked[k][1])
        i = j
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)) if pos and neg else float("nan")


def gold_documents(store: SQLiteStore, gold: dict, part: str) -> Iterator[tuple]:
    """(file name, topic, subtopic, document, analysis, identities) of each gold document of the part."""
    for doc_id, source in store.db.execute("SELECT id, source FROM documents").fetchall():
        name = source_name(source or "")
        if name not in gold:
            continue
        t = int(gold[name].topic)
        if part == "odd" and t % 2 == 0 or part == "even" and t % 2 == 1:
            continue
        identities = dict(store.db.execute(
            "SELECT entity_id, identity_id FROM entity_identities WHERE doc_id = ?", [doc_id]).fetchall())
        yield name, t, gold[name].subtopic, store.document(doc_id), store.analysis(doc_id), identities


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--part", choices=("odd", "even", "all"), default="odd")
    parser.add_argument("--per-topic", metavar="GROUP", help="also per topic, for this feature group")
    parser.add_argument("--embeddings", type=Path, help="document embeddings (embed_cache.py) to add")
    parser.add_argument("--topics", nargs="*", type=int, default=[], help="also the AUC of every group in these topics")
    args = parser.parse_args()
    gold = read_gold_tsv(args.gold)
    store = SQLiteStore(args.store)
    stories = Stories(store.db)
    df = dict(store.db.execute(
        "SELECT identity_id, count(DISTINCT doc_id) FROM entity_identities GROUP BY identity_id").fetchall())
    kinds = dict(store.db.execute("SELECT id, kind FROM identities").fetchall())
    groups: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)  # group → file → vector
    topic: dict[str, tuple[int, str]] = {}
    dense: dict[str, dict[str, np.ndarray]] = defaultdict(dict)  # variant → file → unit vector
    cache = np.load(args.embeddings) if args.embeddings else None
    row_of = {str(i): k for k, i in enumerate(cache["ids"])} if cache is not None else {}
    variants = [v for v in cache.files if v != "ids"] if cache is not None else []
    for name, t, subtopic, document, analysis, identities in gold_documents(store, gold, args.part):
        doc_id = document.id
        topic[name] = (t, subtopic)
        profile = stories.profile(document, analysis, identities)
        groups["words"][name] = profile.words
        groups["names"][name] = profile.names
        groups["words+names"][name] = profile.features()
        for kind in ("person", "organisation", "place"):
            groups[kind][name] = {k: v for k, v in profile.names.items() if kinds.get(k) == kind}
        groups["words, no url"][name] = {k: v for k, v in profile.words.items() if k not in URL}
        for cap in (50, 1000):
            groups[f"names/df<={cap}"][name] = {k: v / (1 + math.log(min(cap, df.get(k, 1)))) for k, v in profile.names.items()}
        groups["years"][name] = {k: v for k, v in profile.words.items() if k.isdigit()}
        groups["rare words"][name] = dict(sorted(profile.words.items(), key=lambda kv: -kv[1])[:20])
        for variant in variants:
            dense[variant][name] = cache[variant][row_of[doc_id]]

    def shipped(a: str, b: str) -> float:
        weight = 0.3 if groups["names"][a] and groups["names"][b] else 0.0
        return (1 - weight) * cosine(groups["words"][a], groups["words"][b]) + weight * cosine(groups["names"][a], groups["names"][b])

    # Each group is a pair score: the cosine of a sparse group, or of embeddings, or a mix.
    pair: dict[str, object] = {g: (lambda a, b, g=g: cosine(groups[g][a], groups[g][b])) for g in groups}
    pair["shipped 0.7w+0.3n"] = shipped
    for variant in variants:
        pair[f"emb {variant}"] = lambda a, b, v=variant: float(dense[v][a] @ dense[v][b])
        for w in (0.2, 0.3, 0.5):
            pair[f"{1 - w:.1f}ship+{w:.1f}{variant}"] = (
                lambda a, b, v=variant, w=w: (1 - w) * shipped(a, b) + w * float(dense[v][a] @ dense[v][b]))
        pair[f"0.5w+n+0.5{variant}"] = (
            lambda a, b, v=variant: 0.5 * cosine(groups["words+names"][a], groups["words+names"][b])
            + 0.5 * float(dense[v][a] @ dense[v][b]))
    by_topic = defaultdict(list)
    for name, (t, _) in topic.items():
        by_topic[t].append(name)
    head = "".join(f" {'T' + str(t):>6s}" for t in args.topics)
    print(f"{'group':20s} {'AUC':>6s} {'same':>6s} {'diff':>6s}{head}  (mean cosine within topic)")
    for group, score in pair.items():
        pos, neg = [], []
        per: dict[int, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
        for t, names in by_topic.items():
            for a, b in itertools.combinations(names, 2):
                v = score(a, b)
                same = topic[a][1] == topic[b][1]
                (pos if same else neg).append(v)
                per[t][0 if same else 1].append(v)
        cells = "".join(f" {auc(*per[t]):6.3f}" for t in args.topics)
        print(f"{group:20s} {auc(pos, neg):6.3f} {sum(pos) / len(pos):6.3f} {sum(neg) / len(neg):6.3f}{cells}")
    if args.per_topic:
        print(f"per topic, {args.per_topic}: AUC, mean same, mean different")
        for t, names in sorted(by_topic.items()):
            pos, neg = [], []
            for a, b in itertools.combinations(names, 2):
                v = pair[args.per_topic](a, b)
                (pos if topic[a][1] == topic[b][1] else neg).append(v)
            print(f"T{t:<3d} {auc(pos, neg):6.3f} {sum(pos) / len(pos):6.3f} {sum(neg) / len(neg):6.3f}")


if __name__ == "__main__":
    main()
