"""Which features tell two reports of one ECB+ event from reports of the other event of the same kind?

For every pair of documents in one topic (odd topics only unless --part says otherwise), the
cosine of several feature groups, and how well each separates same-subtopic pairs from
different-subtopic pairs (ROC AUC: 0.5 = no help, 1.0 = perfect):

    python research/clustering/pair_probe.py STORE GOLD [--part odd|even|all]

STORE is an ingested store whose story layer is built (its identities are read).
"""

from __future__ import annotations

import argparse
import itertools
import math
from collections import defaultdict
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--part", choices=("odd", "even", "all"), default="odd")
    parser.add_argument("--per-topic", metavar="GROUP", help="also per topic, for this feature group")
    args = parser.parse_args()
    gold = read_gold_tsv(args.gold)
    store = SQLiteStore(args.store)
    stories = Stories(store.db)
    df = dict(store.db.execute(
        "SELECT identity_id, count(DISTINCT doc_id) FROM entity_identities GROUP BY identity_id").fetchall())
    kinds = dict(store.db.execute("SELECT id, kind FROM identities").fetchall())
    groups: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)  # group → file → vector
    topic: dict[str, tuple[int, str]] = {}
    for doc_id, source in store.db.execute("SELECT id, source FROM documents").fetchall():
        name = source_name(source or "")
        if name not in gold:
            continue
        t = int(gold[name].topic)
        if args.part == "odd" and t % 2 == 0 or args.part == "even" and t % 2 == 1:
            continue
        topic[name] = (t, gold[name].subtopic)
        document, analysis = store.document(doc_id), store.analysis(doc_id)
        identities = dict(store.db.execute(
            "SELECT entity_id, identity_id FROM entity_identities WHERE doc_id = ?", [doc_id]).fetchall())
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
    by_topic = defaultdict(list)
    for name, (t, _) in topic.items():
        by_topic[t].append(name)
    print(f"{'group':14s} {'AUC':>6s} {'same':>6s} {'diff':>6s}  (mean cosine within topic)")
    for group, vectors in groups.items():
        pos, neg = [], []
        for names in by_topic.values():
            for a, b in itertools.combinations(names, 2):
                (pos if topic[a][1] == topic[b][1] else neg).append(cosine(vectors[a], vectors[b]))
        print(f"{group:14s} {auc(pos, neg):6.3f} {sum(pos) / len(pos):6.3f} {sum(neg) / len(neg):6.3f}")
    if args.per_topic:
        print(f"per topic, {args.per_topic}: AUC, mean same, mean different")
        for t, names in sorted(by_topic.items()):
            pos, neg = [], []
            for a, b in itertools.combinations(names, 2):
                v = cosine(groups[args.per_topic][a], groups[args.per_topic][b])
                (pos if topic[a][1] == topic[b][1] else neg).append(v)
            print(f"T{t:<3d} {auc(pos, neg):6.3f} {sum(pos) / len(pos):6.3f} {sum(neg) / len(neg):6.3f}")


if __name__ == "__main__":
    main()
