"""Does the story layer stay incremental as the store grows?

    python benchmarks/story_scale.py [--sizes 1000 10000] [--add 100] [--seed-db STORE]

Builds stores of each size from synthetic copies of a seed store's documents
(by default the bundled sample, ingested once), then times adding ``--add``
more documents to each, and ``storyline story ID`` (the story page's query:
claims, series, timeline) on the largest story, in the same run. A copy gets a
new id, its publication date moved by whole 120-day epochs (so each epoch is a
new stretch of news, as in a long-running store), and a share of its words
replaced by words of another document, so copies are neither duplicates of
one another nor one story. Reported: seconds per added document at each size
and the ratio to the smallest size (bar: about the same at each size), the
story query's time (bar: under a second), and bytes per stored document.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import copies, seed  # noqa: E402

from storyline.model import Analysis, Document  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.store.sqlite import SQLiteStore  # noqa: E402
from storyline.story import views  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402


def fill(store: SQLiteStore, pairs: list[tuple[Document, Analysis]], n: int, start: int, rng: random.Random) -> float:
    """Add n copies (epochs start, start+1, …); seconds per document spent in store.save + the story layer."""
    engine = StoryEngine(store)
    elapsed = 0.0
    for doc, an in copies(pairs, n, start, rng):
        t0 = time.perf_counter()
        if store.save(doc, an):
            engine.add(doc, an)
        elapsed += time.perf_counter() - t0
    return elapsed / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--add", type=int, default=100)
    parser.add_argument("--seed-db", type=Path, default=None, help="A store to copy documents from (default: the sample).")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storyline-scale-"))
    pairs = seed(args.seed_db or work / "seed.db")
    rng = random.Random(1)
    rows = []
    for size in sorted(args.sizes):
        path = work / f"store-{size}.db"
        with open_store(path) as store:
            fill(store, pairs, size, 1, rng)
            per_doc = fill(store, pairs, args.add, 10_000, rng)
            biggest = views.stories(store, 1)[0].story_id
            t0 = time.perf_counter()
            views.claims(store, biggest, limit=30)
            views.series(store, biggest)
            views.timeline(store, biggest)
            query = time.perf_counter() - t0
            docs = store.counts()["documents"]
        size_bytes = path.stat().st_size + sum(p.stat().st_size for p in work.glob(f"store-{size}.db-*"))
        rows.append((size, per_doc, query, size_bytes / docs))
        print(f"{size:>7,} documents: adding {args.add} costs {per_doc * 1000:7.1f} ms/document; "
              f"story page query {query * 1000:6.1f} ms; {size_bytes / docs / 1024:6.1f} KB/document", flush=True)
    base = rows[0][1]
    for size, per_doc, _, _ in rows[1:]:
        print(f"cost of adding at {size:,} / at {rows[0][0]:,}: {per_doc / base:.2f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
