"""Split probe for the story clustering on ECB+ (research only; docs/stories.md, "Eighth round").

Would a story whose members form two internally coherent groups tell itself apart? The story
layer of a copy of a store is rebuilt under the shipped settings, recording every document's
profile; then for each story of at least ``--min`` members the members' pairwise similarities (the
shipped similarity of one document against another as a story of one) are cut in two by
average-link clustering, and the probe prints, per story: its gold make-up, the two groups' gold
make-up, the mean similarity within each group and between them, and the cut's ratio
(between / mean within). A split test is worth building if the ratio tells the merged stories
(two events) from the pure ones.

    python research/clustering/split_probe.py STORE GOLD [--part odd] [--min 6]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop  # noqa: E402

from storyline.eval.clustering import read_gold_tsv, source_name  # noqa: E402
from storyline.story import clustering  # noqa: E402
from storyline.story.clustering import Profile, Stories  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402

PROFILES: dict[str, Profile] = {}
shipped_profile = Stories.profile


def recording_profile(self: Stories, document, analysis, identities):  # type: ignore[no-untyped-def]
    p = shipped_profile(self, document, analysis, identities)
    PROFILES[p.doc_id] = p
    return p


def run_loop(assign, rebuild) -> int:  # type: ignore[no-untyped-def]
    """``ecb_loop.main`` on the command line's arguments, with profiles recorded and the story
    layer's ``assign`` and ``rebuild`` replaced."""
    Stories.profile = recording_profile  # type: ignore[method-assign]
    Stories.assign = assign  # type: ignore[method-assign]
    StoryEngine.rebuild = rebuild  # type: ignore[method-assign]
    return ecb_loop.main(sys.argv[1:])


def pair(a: Profile, b: Profile) -> float:
    """The shipped similarity of a against b as a story of one, symmetrised."""
    return (clustering.similarity(a, (b.words, b.names, b.slots))
            + clustering.similarity(b, (a.words, a.names, a.slots))) / 2


def two_groups(ids: list[str], sim: dict[tuple[str, str], float]) -> tuple[list[str], list[str], float]:
    """Average-link agglomeration down to two groups; returns them and the link between them."""
    groups = [[i] for i in ids]

    def link(x: list[str], y: list[str]) -> float:
        return sum(sim[a, b] for a in x for b in y) / (len(x) * len(y))

    while len(groups) > 2:
        best = max(((link(groups[i], groups[j]), i, j) for i in range(len(groups))
                    for j in range(i + 1, len(groups))))
        _, i, j = best
        groups[i] = groups[i] + groups[j]
        del groups[j]
    return groups[0], groups[1], link(groups[0], groups[1])


def within(group: list[str], sim: dict[tuple[str, str], float]) -> float:
    pairs = [(a, b) for n, a in enumerate(group) for b in group[n + 1:]]
    return sum(sim[p] for p in pairs) / len(pairs) if pairs else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--part", choices=("odd", "even", "all"), default="odd")
    parser.add_argument("--min", type=int, default=6, help="smallest story probed")
    args = parser.parse_args(argv)
    gold = read_gold_tsv(args.gold)
    Stories.profile = recording_profile  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory(prefix="ecb-split-") as tmp:
        copy = Path(tmp) / "ecb.db"
        ecb_loop.copy_store(args.store, copy)
        system, _ = ecb_loop.run(copy, {})
        from storyline.store.sqlite import SQLiteStore
        store = SQLiteStore(copy)
        file_of = {d: source_name(s) for d, s in store.db.execute("SELECT id, source FROM documents")}
        store.db.conn.close()
    doc_of = {f: d for d, f in file_of.items()}
    keep = {"all": lambda t: True, "odd": lambda t: t % 2 == 1, "even": lambda t: t % 2 == 0}[args.part]
    stories: dict[str, list[str]] = defaultdict(list)
    for f, story in system.items():
        if f in gold and keep(int(gold[f].topic)):
            stories[story].append(doc_of[f])
    print(f"{'story (gold)':34s} {'group A':18s} {'group B':18s} {'inA':>5s} {'inB':>5s} {'btw':>5s} {'ratio':>6s}")
    for story, ids in sorted(stories.items(), key=lambda kv: min(file_of[d] for d in kv[1])):
        if len(ids) < args.min:
            continue
        sim = {}
        for n, a in enumerate(ids):
            for b in ids[n + 1:]:
                sim[a, b] = sim[b, a] = pair(PROFILES[a], PROFILES[b])

        def label(group: list[str]) -> str:
            c = Counter(gold[file_of[d]].subtopic for d in group)
            return "+".join(f"{k}:{v}" for k, v in sorted(c.items()))

        a, b, between = two_groups(ids, sim)
        wa, wb = within(a, sim), within(b, sim)
        mean_within = (wa * len(a) + wb * len(b)) / len(ids) if len(a) > 1 and len(b) > 1 else max(
            w for w in (wa, wb) if w == w)
        print(f"{label(ids):34s} {label(a):18s} {label(b):18s} {wa:5.2f} {wb:5.2f} {between:5.2f} "
              f"{between / mean_within:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
