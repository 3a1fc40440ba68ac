"""Time-stretched dev: how the story layer copes with a sparser stream.

The reference sample's 80 reports fall within 20 days, so the date decay
(``clustering.DECAY_DAYS``) is never tested on gaps of a week or more between
reports of one story, which a developing story has once the first burst is
over. This copies a store, spreads its publication dates out by a factor
(each date's distance from the earliest one multiplied, so the order and the
relative gaps stay), rebuilds the story layer and scores the story gold.

    python research/story_time/stretch.py STORE GOLD [--factors 1,2,3,4] [--grid NAME=v1,v2]

STORE: a store made with ``storyline ingest samples/``. ``--grid`` patches a
constant of ``storyline.story.clustering`` (``DECAY_DAYS=14,28``), or
``GRACE_DAYS=7``: days after a story's dates before the decay starts (a probe setting).
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from storyline.story import clustering


def stretch(db: Path, factor: float) -> None:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT id, published FROM documents WHERE published IS NOT NULL").fetchall()
    first = min(datetime.fromisoformat(p) for _, p in rows)
    for doc_id, published in rows:
        when = datetime.fromisoformat(published)
        con.execute("UPDATE documents SET published = ? WHERE id = ?", ((first + (when - first) * factor).isoformat(), doc_id))
    con.commit()
    con.close()


def score(store: Path, gold: Path, settings: dict[str, float]) -> dict:
    from storyline.store import open_store
    from storyline.story.engine import StoryEngine

    saved = {k: getattr(clustering, k) for k in settings if k != "GRACE_DAYS"}
    gap, grace = clustering._gap, settings.get("GRACE_DAYS", 0.0)
    try:
        for k, v in settings.items():
            if k != "GRACE_DAYS":
                setattr(clustering, k, v)
        # GRACE_DAYS (probe only): no decay for the first days after a story's last report.
        clustering._gap = lambda day, first, last: max(0.0, gap(day, first, last) - grace)
        store_ = open_store(store)
        StoryEngine(store_).rebuild()
    finally:
        for k, v in saved.items():
            setattr(clustering, k, v)
        clustering._gap = gap
    out = store.with_suffix(".jsonl")
    subprocess.run([str(Path(sys.executable).with_name("storyline")), "--db", str(store), "export", "--format", "stories", "-o", str(out)],
                   check=True, capture_output=True)
    res = subprocess.run([str(Path(sys.executable).with_name("storyline")), "eval", "story", str(gold), str(out), "--json"],
                         check=True, capture_output=True, text=True)
    return json.loads(res.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("store", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--factors", default="1,2,3,4")
    ap.add_argument("--grid", nargs="*", default=[])
    args = ap.parse_args()
    grid = {k: [float(x) for x in v.split(",")] for k, v in (g.split("=") for g in args.grid)}
    combos = [dict(zip(grid, vals)) for vals in itertools.product(*grid.values())] or [{}]
    with tempfile.TemporaryDirectory() as tmp:
        for n, (factor, settings) in enumerate(itertools.product([float(f) for f in args.factors.split(",")], combos)):
            if True:
                db = Path(tmp) / f"s{n}.db"
                shutil.copy(args.store, db)
                stretch(db, factor)
                r = score(db, args.gold, settings)
                m = r["membership"]
                # Only membership: statement dates come from the analysis (resolved against the
                # original publication dates), so claims and figures of a stretched store are not
                # comparable with the unstretched ones.
                print(f"x{factor:g} {settings or 'shipped'}: {r['stories']} stories; membership {m['f1']:.3f} "
                      f"(P {m['precision']:.3f} R {m['recall']:.3f})", flush=True)


if __name__ == "__main__":
    main()
