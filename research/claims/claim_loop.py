"""Research loop for claim linking: rebuild the story layer of copies of ingested stores under
other ``storyline.story.claims`` settings; score the reference story and describe the claims of
other stores (which have no claim gold) by their sizes and contested flags.

    python research/claims/claim_loop.py NK_STORE GOLD [--other STORE ...] --grid THRESHOLD=0.35,0.45 ANCHOR=0,0.2
    python research/claims/claim_loop.py NK_STORE GOLD --other PN_STORE --set ANCHOR=0.2 --show 5

NK_STORE: ``storyline ingest samples/``; GOLD: the reference story gold. ``--show N`` prints the N
largest contested claims of each other store, ``--sample N`` N claims that span several documents
drawn at random (seed 1), for reading.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "clustering"))

from ecb_loop import parse_value, patched  # noqa: E402

from storyline.eval.story import read_stories, read_story_gold, score  # noqa: E402
from storyline.export.stories import write_stories  # noqa: E402
from storyline.store.sqlite import SQLiteStore  # noqa: E402
from storyline.story import claims  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402


def rebuilt(path: Path, tmp: Path) -> SQLiteStore:
    copy = tmp / path.name
    source, target = sqlite3.connect(path), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    store = SQLiteStore(copy)
    StoryEngine(store).rebuild()
    return store


def reference(path: Path, gold: Path, tmp: Path) -> str:
    store = rebuilt(path, tmp)
    out = tmp / "s.jsonl"
    with out.open("w", encoding="utf-8") as f:
        write_stories(store, f)
    store.db.conn.close()
    r = score(read_story_gold(gold), read_stories(out)).as_dict()
    per = " ".join(f"{c['claim']} {c['f1']:.3f}" for c in r["claims"])
    return (f"membership {r['membership']['f1']:.3f} claim pairs {r['claims_micro']['f1']:.3f} ({per}) "
            f"figures {r['troop_figures']['f1']:.3f} contested {r['all_claims_contested']}")


def statements_of(db: sqlite3.Connection, claim_id: str) -> list[str]:
    return [f"      {stance:6s} {said[:110]}" for stance, said in db.execute(
        "SELECT cs.stance, s.text FROM claim_statements cs JOIN statements s ON s.id = cs.statement_id "
        "WHERE cs.claim_id = ? ORDER BY cs.stance", [claim_id])]


def describe(path: Path, tmp: Path, show: int, sample: int) -> str:
    store = rebuilt(path, tmp)
    db = store.db.conn
    n, multi, mean, contested = db.execute(
        "SELECT count(*), sum(statements > 1), avg(CASE WHEN statements > 1 THEN statements END), sum(contested) "
        "FROM claims").fetchone()
    docs = db.execute("SELECT avg(n) FROM (SELECT count(DISTINCT doc_id) AS n FROM claim_statements GROUP BY claim_id "
                      "HAVING n > 1)").fetchone()[0]
    lines = [f"{path.name}: {n} claims, {multi} with >1 statement (mean {mean or 0:.1f} statements, "
             f"{docs or 0:.1f} documents), {contested} contested"]
    for cid, text, k in db.execute("SELECT id, text, statements FROM claims WHERE contested = 1 "
                                   "ORDER BY statements DESC LIMIT ?", [show]):
        lines += [f"  {cid} ({k}): {text[:100]}", *statements_of(db, cid)]
    spanning = [r[0] for r in db.execute("SELECT claim_id FROM claim_statements GROUP BY claim_id "
                                         "HAVING count(DISTINCT doc_id) > 1 ORDER BY claim_id")]
    random.Random(1).shuffle(spanning)
    for cid in spanning[:sample]:
        lines += [f"  sample {cid}", *statements_of(db, cid)]
    store.db.conn.close()
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--other", nargs="*", type=Path, default=[])
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE")
    parser.add_argument("--grid", nargs="*", default=[], metavar="NAME=V1,V2")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--sample", type=int, default=0)
    args = parser.parse_args(argv)
    fixed = {k: parse_value(v) for k, v in (s.split("=", 1) for s in args.set)}
    axes = [(k, [parse_value(x) for x in v.split(",")]) for k, v in (g.split("=", 1) for g in args.grid)]
    for combo in itertools.product(*[values for _, values in axes]) if axes else [()]:
        settings = {**fixed, **{name: value for (name, _), value in zip(axes, combo)}}
        print(" ".join(f"{k}={v}" for k, v in settings.items()) or "(defaults)", flush=True)
        with patched(settings, claims), tempfile.TemporaryDirectory(prefix="claim-loop-") as tmp:
            print("  nk dev: " + reference(args.store, args.gold, Path(tmp)), flush=True)
            for other in args.other:
                print("  " + describe(other, Path(tmp), args.show, args.sample).replace("\n", "\n  "), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
