"""Research loop for the story clustering on ECB+: rebuild the story layer of a copy of an
ingested store under different module settings and score B³ on all, odd and even topics.

Ingest the 772 texts once (slow), then iterate here (about half a minute per setting):

    storyline --db /tmp/wt-ecb/ecb.db -j 1 ingest ../shared/data/ecbplus/text
    python research/clustering/ecb_loop.py /tmp/wt-ecb/ecb.db ../shared/data/ecbplus/gold.tsv
    python research/clustering/ecb_loop.py STORE GOLD --grid THRESHOLD=0.25,0.3,0.35 NAME_WEIGHT=0.3,0.4
    python research/clustering/ecb_loop.py STORE GOLD --set THRESHOLD=0.3 --confusion odd

Settings are chosen on the odd topics only; the even topics are reported, never tuned on.
``--confusion odd|even|all`` prints, per topic, the system stories with their gold
subtopic counts (which subtopics are split, which merged).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from storyline.eval.clustering import b_cubed, read_gold_tsv, source_name
from storyline.eval.story import read_stories, read_story_gold, score
from storyline.export.stories import write_stories
from storyline.store.sqlite import SQLiteStore
from storyline.story import clustering
from storyline.story.claims import Claims
from storyline.story.engine import StoryEngine


def parse_value(text: str) -> object:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"True": True, "False": False, "None": None}.get(text, text)


def assignments(store: SQLiteStore) -> dict[str, str]:
    """Gold file name → story id, from the rebuilt story layer."""
    rows = store.db.execute(
        "SELECT d.source, sd.story_id FROM story_documents sd JOIN documents d ON d.id = sd.doc_id"
    )
    return {source_name(source): story for source, story in rows if source}


def scores(system: dict[str, str], gold: dict[str, object]) -> dict[str, tuple[float, float, float]]:
    out = {}
    for part, keep in (("all", lambda t: True), ("odd", lambda t: t % 2 == 1), ("even", lambda t: t % 2 == 0)):
        sub = {f: g.subtopic for f, g in gold.items() if keep(int(g.topic))}
        b = b_cubed(system, sub)
        out[part] = (b.precision, b.recall, b.f1)
    return out


def confusion(system: dict[str, str], gold: dict[str, object], part: str) -> str:
    by_topic: dict[int, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    topic_of_story: dict[str, set[int]] = defaultdict(set)
    for f, g in gold.items():
        story = system.get(f, "missing:" + f)
        by_topic[int(g.topic)][story][g.subtopic] += 1
        topic_of_story[story].add(int(g.topic))
    lines = []
    for topic in sorted(by_topic):
        if part == "odd" and topic % 2 == 0 or part == "even" and topic % 2 == 1:
            continue
        cells = []
        for story, counts in sorted(by_topic[topic].items(), key=lambda kv: -sum(kv[1].values())):
            label = "+".join(f"{s.removeprefix(str(topic))}:{n}" for s, n in sorted(counts.items()))
            other = topic_of_story[story] - {topic}
            cells.append(f"[{label}{' also T' + ','.join(map(str, sorted(other))) if other else ''}]")
        lines.append(f"T{topic:<3d} " + " ".join(cells))
    return "\n".join(lines)


def copy_store(source_path: Path, target_path: Path) -> None:
    """A consistent copy of a SQLite store, WAL included."""
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    source.backup(target)
    source.close()
    target.close()


def reference(store_path: Path, gold_path: Path, settings: dict[str, object]) -> str:
    """The reference story (North Korean troops dev set) under the same settings, claims included."""
    with tempfile.TemporaryDirectory(prefix="nk-loop-") as tmp:
        copy = Path(tmp) / "nk.db"
        copy_store(store_path, copy)
        with patched(settings):
            store = SQLiteStore(copy)
            StoryEngine(store).rebuild()
            out = Path(tmp) / "s.jsonl"
            with out.open("w", encoding="utf-8") as f:
                write_stories(store, f)
            store.db.conn.close()
        report = score(read_story_gold(gold_path), read_stories(out)).as_dict()
    m, c, fig = report["membership"], report["claims_micro"], report["troop_figures"]
    return (f"nk dev: membership {m['f1']:.3f}, claim pairs {c['f1']:.3f}, figures {fig['f1']:.3f}, "
            f"all contested {report['all_claims_contested']}")


@contextlib.contextmanager
def patched(settings: dict[str, object], module: ModuleType = clustering) -> Iterator[None]:
    defaults = {name: getattr(module, name) for name in settings if hasattr(module, name)}
    for name, value in settings.items():
        if name not in defaults:
            raise SystemExit(f"{module.__name__} has no setting {name}")
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in defaults.items():
            setattr(module, name, value)


def run(store_path: Path, settings: dict[str, object]) -> tuple[dict[str, str], float]:
    link = Claims.link
    with patched(settings):
        store = SQLiteStore(store_path)
        # Claims do not change which story a document joins: skip them to iterate faster.
        Claims.link = lambda *a, **k: None  # type: ignore[method-assign]
        try:
            start = time.perf_counter()
            StoryEngine(store).rebuild()
            seconds = time.perf_counter() - start
        finally:
            Claims.link = link  # type: ignore[method-assign]
        system = assignments(store)
        store.db.conn.close()
    return system, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="a store with the ECB+ texts ingested (copied, never changed)")
    parser.add_argument("gold", type=Path, help="ECB+ gold.tsv")
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE", help="fixed module settings")
    parser.add_argument("--grid", nargs="*", default=[], metavar="NAME=V1,V2", help="settings to vary")
    parser.add_argument("--final", action="store_true",
                        help="also score the even topics and all (tuning shows the odd topics only)")
    parser.add_argument("--reference", nargs=2, type=Path, metavar=("STORE", "GOLD"),
                        help="also score the reference story: a store with samples/ ingested, and its story gold")
    parser.add_argument("--confusion", choices=("odd", "even", "all"), help="print the per-topic confusion")
    args = parser.parse_args(argv)
    gold = read_gold_tsv(args.gold)
    fixed = {k: parse_value(v) for k, v in (s.split("=", 1) for s in args.set)}
    axes = [(k, [parse_value(x) for x in v.split(",")]) for k, v in (g.split("=", 1) for g in args.grid)]
    with tempfile.TemporaryDirectory(prefix="ecb-loop-") as tmp:
        copy = Path(tmp) / "ecb.db"
        copy_store(args.store, copy)
        head = "odd P/R/F1" if not args.final else "all P/R/F1"
        print(f"{'setting':50s} {head:>20s} {'odd F1':>7s} {'even F1' if args.final else '':>7s} {'stories':>7s} {'s':>5s}")
        for combo in itertools.product(*[values for _, values in axes]) if axes else [()]:
            settings = {**fixed, **{name: value for (name, _), value in zip(axes, combo)}}
            system, seconds = run(copy, settings)
            s = scores(system, gold)
            label = " ".join(f"{k}={v}" for k, v in settings.items()) or "(defaults)"
            p, r, f = s["all" if args.final else "odd"]
            even = f"{s['even'][2]:7.3f}" if args.final else " " * 7
            print(f"{label:50s} {p:6.3f} {r:6.3f} {f:6.3f} {s['odd'][2]:7.3f} {even} "
                  f"{len(set(system.values())):7d} {seconds:5.0f}", flush=True)
            if args.reference:
                print("    " + reference(*args.reference, settings), flush=True)
            if args.confusion:
                print(confusion(system, gold, args.confusion))
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
