"""Which B-trees a document's save dirties in a large store: WAL frames per tree.

    python research/store_ingest/wal_pages.py STORE.db SEED.db [--docs 100] [--story]

Works on STORE.db in place (copy it first). Turns off automatic checkpoints,
saves ``--docs`` new synthetic documents (benchmarks/synthetic.py), then reads the
WAL's frame headers (page number of each frame) and names the tree each page
belongs to with the ``dbstat`` virtual table. Prints frames per document per tree
and how many distinct pages each tree dirtied (what a checkpoint writes). With
``--story`` each document is also placed in the story layer (StoryEngine.add), as
``storyline ingest`` does, so the story tables' pages count too.
"""

from __future__ import annotations

import argparse
import collections
import random
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from synthetic import copies, seed  # noqa: E402

from storyline.model import Analysis, Document  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402


def frames(wal: Path) -> list[int]:
    """Page numbers of the WAL's frames, in order."""
    data = wal.read_bytes()
    page_size = struct.unpack(">I", data[8:12])[0]
    out, at = [], 32
    while at + 24 + page_size <= len(data):
        out.append(struct.unpack(">I", data[at:at + 4])[0])
        at += 24 + page_size
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("seed", type=Path)
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--story", action="store_true", help="Place each document in the story layer too.")
    args = parser.parse_args()
    pairs = seed(args.seed)
    with open_store(args.store) as store:
        engine = StoryEngine(store) if args.story else None

        def save(doc: Document, analysis: Analysis) -> None:
            if store.save(doc, analysis) and engine is not None:
                engine.add(doc, analysis)

        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.db.execute("PRAGMA wal_autocheckpoint = 0")
        docs = store.counts()["documents"]
        batch = list(copies(pairs, args.docs + 50, 16_000, random.Random(5), shift_dates=True))
        for doc, analysis in batch[:50]:  # warm the page cache first
            save(doc, analysis)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        batch = batch[50:]
        t0 = time.perf_counter()
        for doc, analysis in batch:
            save(doc, analysis)
        spent = time.perf_counter() - t0
        pages = frames(Path(str(args.store) + "-wal"))
        t0 = time.perf_counter()
        store.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        print(f"checkpointing them: {time.perf_counter() - t0:.2f} s")
        owner = dict(store.db.execute("SELECT pageno, name FROM dbstat").fetchall())
        per_tree = collections.Counter(owner.get(p, "?new/free") for p in pages)
        distinct = collections.Counter(owner.get(p, "?new/free") for p in set(pages))
        print(f"{docs:,} documents; {args.docs} saved in {spent:.2f} s (no checkpoint); "
              f"{len(pages)} frames ({len(pages) / args.docs:.1f} per document), {len(set(pages))} distinct pages")
        for name, n in per_tree.most_common():
            print(f"  {name:<40} {n / args.docs:6.1f} frames/doc  {distinct[name]:6d} distinct pages")


if __name__ == "__main__":
    main()
