"""Trace the story layer's joins on ECB+, document by document (docs/stories.md, "Fifth round").

Rebuilds the story layer of a copy of an ingested store with the shipped settings (``--set`` to
change them, as in ecb_loop.py) and prints, for each document of the given topics in the order the
layer places it, its two best candidate stories: the similarity and its parts (words cosine, names
cosine, month, figure and main-person evidence, −1 … 1) and the story's gold make-up before the
join; ``<<<`` marks a join to a story whose majority is the other event. ``--singles`` prints, for
every join to a story of one document in the odd topics, whether the two are one event and how
their slots of `slot_probe.py` compare (+1 / −1 / 0).

    python research/clustering/join_trace.py STORE GOLD --topics 9 27 35
    python research/clustering/join_trace.py STORE GOLD --singles
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop  # noqa: E402
from slot_probe import compare  # noqa: E402
from slot_probe import slots as probe_slots  # noqa: E402

from storyline.eval.clustering import read_gold_tsv, source_name  # noqa: E402
from storyline.store.sqlite import SQLiteStore  # noqa: E402
from storyline.story import clustering  # noqa: E402
from storyline.story.claims import Claims  # noqa: E402
from storyline.story.clustering import Stories  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402
from storyline.story.slots import figure_evidence, month_evidence  # noqa: E402
from storyline.story.text import cosine  # noqa: E402

COMPARED = ("person main", "person lead", "place lead", "year written", "calendar month", "calendar month lead",
            "figure")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--topics", nargs="*", type=int, default=[9, 27, 35])
    parser.add_argument("--singles", action="store_true", help="every join to a one-document story, odd topics")
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    gold = read_gold_tsv(args.gold)
    names: dict[str, str] = {}
    found: dict[str, dict[str, set[str]]] = {}
    members: dict[str, list[str]] = defaultdict(list)
    shipped_assign, shipped_profile = Stories.assign, Stories.profile

    def makeup(story_id: str, topic: str) -> str:
        counts = Counter(gold[m].subtopic.removeprefix(topic) for m in members[story_id] if m in gold)
        return "+".join(f"{k}:{v}" for k, v in sorted(counts.items()))

    def profile(self: Stories, document, analysis, identities):  # type: ignore[no-untyped-def]
        found[names.get(document.id, "")] = probe_slots(document, analysis, identities)
        out = shipped_profile(self, document, analysis, identities)
        person = found[names.get(document.id, "")].get("person main")
        if person:  # the main person, counted like the month slot, to show its evidence
            out.slots["p"] = out.slots[f"p:{min(person)}"] = 1.0
        return out

    def assign(self: Stories, p: clustering.Profile):  # type: ignore[no-untyped-def]
        name = names.get(p.doc_id, "")
        g = gold.get(name)
        candidates = self.candidates(p)
        centroids = self.centroids([c[0] for c in candidates]) if candidates else {}
        rows = []
        for story_id, *_ in candidates:
            words, people, counts = centroids[story_id]
            mine = [k for k in p.slots if k.startswith("p:")]
            person = ((2 * min(sum(counts.get(k, 0.0) for k in mine), counts["p"]) - counts["p"]) / counts["p"]
                      if mine and counts.get("p") else 0.0)
            rows.append((clustering.similarity(p, centroids[story_id]), story_id, cosine(p.words, words),
                         cosine(p.names, people) if p.names else 0.0, month_evidence(p.slots, counts),
                         figure_evidence(p.slots, counts), person))
        rows.sort(reverse=True)
        story_id, score, merged = shipped_assign(self, p)
        if g and args.singles and int(g.topic) % 2 == 1 and rows and rows[0][1] == story_id \
                and len(members[story_id]) == 1:
            other = members[story_id][0]
            same = "SAME" if other in gold and gold[other].subtopic == g.subtopic else "DIFF"
            votes = " ".join(f"{compare(found[name].get(s), found[other].get(s)):+d}" for s in COMPARED)
            print(f"{same} {name:20s} -> {other:20s} {rows[0][0]:.3f} {votes}")
        elif g and not args.singles and int(g.topic) in args.topics:
            majority = Counter(gold[m].subtopic for m in members[story_id] if m in gold).most_common(1)
            wrong = "  <<<" if majority and majority[0][0] != g.subtopic else ""
            print(f"{name:22s} {g.subtopic.removeprefix(g.topic)}")
            for r in rows[:2]:
                print(f"    {r[0]:.3f} words {r[2]:.2f} names {r[3]:.2f} month {r[4]:+.1f} figure {r[5]:+.1f} "
                      f"person {r[6]:+.1f} [{makeup(r[1], g.topic)}]{wrong if r[1] == story_id else ''}")
        members[story_id].append(name)
        for old in merged:
            members[story_id].extend(members.pop(old, []))
        return story_id, score, merged

    if args.singles:
        print("one event?  document -> the story's one document  similarity  " + " ".join(COMPARED))
    Stories.profile = profile  # type: ignore[method-assign]
    Stories.assign = assign  # type: ignore[method-assign]
    Claims.link = lambda *a, **k: None  # type: ignore[method-assign]
    settings = {k: ecb_loop.parse_value(v) for k, v in (kv.split("=", 1) for kv in args.set)}
    with tempfile.TemporaryDirectory(prefix="join-trace-") as tmp, ecb_loop.patched(settings):
        copy = Path(tmp) / "store.db"
        ecb_loop.copy_store(args.store, copy)
        store = SQLiteStore(copy)
        for doc_id, source in store.db.execute("SELECT id, source FROM documents"):
            names[doc_id] = source_name(source)
        StoryEngine(store).rebuild()
        store.db.conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
