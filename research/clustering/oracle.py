"""Oracle analysis of the story clustering on ECB+ (research only; docs/stories.md, "Eighth round").

How much would fixing each remaining error gain? The story layer of a copy of a store is rebuilt
under the given settings (as ``ecb_loop.py``); then, topic by topic, B³ is scored with that
topic's documents corrected in one of three ways, every other document left as the clustering put
it:

- ``fixed``: the topic's documents grouped exactly by their gold subtopic;
- ``unmerged``: every story cut along gold subtopics (merges undone, splits kept);
- ``unsplit``: the topic's stories joined by their majority subtopic (splits undone, merges kept).

Then the same for groups of topics (the merged ones, the split ones, all).

    python research/clustering/oracle.py STORE GOLD [--set NAME=VALUE ...] [--part odd]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop  # noqa: E402

from storyline.eval.clustering import b_cubed, read_gold_tsv  # noqa: E402


def corrected(system: dict[str, str], gold: dict[str, object], topics: set[int], how: str) -> dict[str, str]:
    out = dict(system)
    members: dict[str, list[str]] = defaultdict(list)
    for f, story in system.items():
        if f in gold and int(gold[f].topic) in topics:
            members[story].append(f)
    for story, files in members.items():
        if how == "fixed":
            for f in files:
                out[f] = "gold:" + gold[f].subtopic
        elif how == "unmerged":
            for f in files:
                out[f] = f"{story}|{gold[f].subtopic}"
        elif how == "unsplit":
            majority = Counter(gold[f].subtopic for f in files).most_common(1)[0][0]
            for f in files:
                out[f] = "major:" + majority
    return out


def f1(system: dict[str, str], gold: dict[str, object], part: str) -> tuple[float, float, float]:
    keep = {"all": lambda t: True, "odd": lambda t: t % 2 == 1, "even": lambda t: t % 2 == 0}[part]
    b = b_cubed(system, {f: g.subtopic for f, g in gold.items() if keep(int(g.topic))})
    return b.precision, b.recall, b.f1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE")
    parser.add_argument("--part", choices=("odd", "even", "all"), default="odd")
    parser.add_argument("--groups", nargs="*", default=[], metavar="T1,T2",
                        help="groups of topics to correct together (besides each topic alone)")
    args = parser.parse_args(argv)
    gold = read_gold_tsv(args.gold)
    settings = {k: ecb_loop.parse_value(v) for k, v in (s.split("=", 1) for s in args.set)}
    with tempfile.TemporaryDirectory(prefix="ecb-oracle-") as tmp:
        copy = Path(tmp) / "ecb.db"
        ecb_loop.copy_store(args.store, copy)
        system, _ = ecb_loop.run(copy, settings)
    base = f1(system, gold, args.part)
    print(f"as clustered ({args.part}): P {base[0]:.3f} R {base[1]:.3f} F1 {base[2]:.3f}")
    keep = {"all": lambda t: True, "odd": lambda t: t % 2 == 1, "even": lambda t: t % 2 == 0}[args.part]
    topics = sorted({int(g.topic) for g in gold.values() if keep(int(g.topic))})
    print(f"{'topics':>12s} {'fixed':>7s} {'unmerged':>9s} {'unsplit':>8s}")
    rows = [({t}, f"T{t}") for t in topics] + [
        ({int(x) for x in g.split(",")}, "T" + "+".join(g.split(","))) for g in args.groups]
    for group, label in rows:
        cells = [f1(corrected(system, gold, group, how), gold, args.part)[2] - base[2]
                 for how in ("fixed", "unmerged", "unsplit")]
        if any(abs(c) > 0.0005 for c in cells):
            print(f"{label:>12s} " + " ".join(f"{c:+8.3f}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
