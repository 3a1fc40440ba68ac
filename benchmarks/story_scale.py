"""Does the story layer stay incremental as the store grows?

    python benchmarks/story_scale.py [--sizes 1000 10000 100000] [--add 100] [--rounds 10]
                                     [--cache DIR] [--seed-db STORE]

Builds stores of each size from synthetic copies of a seed store's documents
(by default the bundled sample, ingested once), then times adding ``--add``
more documents to each, and ``storyline story ID`` (the story page: claims,
series, timeline) on the largest story. A copy gets a new id and URL, its
publication date moved by whole 120-day epochs (so each epoch is a new stretch
of news, as in a long-running store), and a share of its words replaced by
words of another document, so copies are neither duplicates of one another nor
one story.

The added documents go in ``--rounds`` rounds, a slice to each store in turn
(the order rotating), so a change in the machine's load falls on every size
alike: the ratio to the smallest size is of the same run, per round, and its
median is reported. Every store gets the same added documents. ``--cache DIR``
keeps the built stores (``story-SIZE.db``) and measures on copies of them, so
the 100,000-document store (about an hour to build) is built once.

Reported: milliseconds per added document at each size and its ratio to the
smallest size, in all and in the median round (bar: about the same at each
size; a round that holds a WAL checkpoint costs more in a larger file, so the
two differ), the story page's
query time (median of 5) and ``storyline story ID`` as a command, start-up
included (bar: under a second), and bytes per stored document.
"""

from __future__ import annotations

import argparse
import copy
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import copies, seed  # noqa: E402

from storyline.model import Analysis, Document  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.store.sqlite import SQLiteStore  # noqa: E402
from storyline.story import views  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402


def built(cache: Path, size: int, pairs: list[tuple[Document, Analysis]]) -> Path:
    """The store of ``size`` copies in ``cache``, built if it is missing or was left half-built."""
    path = cache / f"story-{size}.db"
    if path.exists():
        with open_store(path) as store:
            if store.counts()["documents"] == size:
                return path
    for old in cache.glob(f"story-{size}.db*"):
        old.unlink()
    t0 = time.perf_counter()
    with open_store(path) as store:
        fill(store, StoryEngine(store), copies(pairs, size, 1, random.Random(size)))
    print(f"built {size:,} documents in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


def fill(store: SQLiteStore, engine: StoryEngine, documents: Iterable[tuple[Document, Analysis]]) -> tuple[float, int]:
    """Save and place each document; seconds spent in store.save + the story layer, and how many."""
    elapsed, n = 0.0, 0
    for doc, an in documents:
        t0 = time.perf_counter()
        if store.save(doc, an):
            engine.add(doc, an)
        elapsed += time.perf_counter() - t0
        n += 1
    return elapsed, n


def story_page(path: Path) -> tuple[str, float, float]:
    """The largest story's id, the median of 5 timings of its page's queries, and ``storyline story ID``'s wall time."""
    with open_store(path) as store:
        biggest = views.stories(store, 1)[0].story_id
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            views.claims(store, biggest, limit=30)
            views.series(store, biggest)
            views.timeline(store, biggest)
            times.append(time.perf_counter() - t0)
    command = [sys.executable, "-c", "from storyline.cli import main; main()", "--db", str(path), "story", biggest]
    t0 = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return biggest, statistics.median(times), time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--add", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10, help="Add the documents in this many slices, each store in turn.")
    parser.add_argument("--cache", type=Path, default=None, help="Keep the built stores here between runs.")
    parser.add_argument("--seed-db", type=Path, default=None, help="A store to copy documents from (default: the sample).")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    work = Path(tempfile.mkdtemp(prefix="storyline-scale-"))
    cache = args.cache or work
    cache.mkdir(parents=True, exist_ok=True)
    pairs = seed(args.seed_db or cache / "seed.db")
    paths = {}
    for size in sizes:
        paths[size] = work / f"measure-{size}.db"
        shutil.copyfile(built(cache, size, pairs), paths[size])
    added = list(copies(pairs, args.add, 10_000, random.Random(0)))
    with open_store(work / "warm-up.db") as store:  # the first placing loads word frequencies and caches
        fill(store, StoryEngine(store), copy.deepcopy(added[:5]))
    cut = [len(added) * r // args.rounds for r in range(args.rounds + 1)]
    spent = {size: [] for size in sizes}
    stores = {size: open_store(paths[size]) for size in sizes}
    engines = {size: StoryEngine(store) for size, store in stores.items()}
    try:
        for r in range(args.rounds):
            for size in sizes[r % len(sizes):] + sizes[:r % len(sizes)]:
                # Each store gets its own copies of the same documents (placing writes into the analysis).
                spent[size].append(fill(stores[size], engines[size], copy.deepcopy(added[cut[r]:cut[r + 1]])))
    finally:
        for store in stores.values():
            store.close()
    base = sizes[0]
    for size in sizes:
        seconds = sum(e for e, _ in spent[size]) / sum(n for _, n in spent[size])
        ratios = [(e / n) / (b / m) for (e, n), (b, m) in zip(spent[size], spent[base]) if n and m]
        story_id, query, command = story_page(paths[size])
        with open_store(paths[size]) as store:
            docs = store.counts()["documents"]
        size_bytes = sum(p.stat().st_size for p in work.glob(f"measure-{size}.db*"))
        whole = seconds / (sum(e for e, _ in spent[base]) / sum(n for _, n in spent[base]))
        ratio = (f"; {whole:.2f} x the {base:,} store in all, {statistics.median(ratios):.2f} x "
                 f"in the median of {len(ratios)} rounds") if size != base else ""
        print(f"{size:>7,} documents: adding costs {seconds * 1000:6.1f} ms/document{ratio}; story {story_id[:12]} "
              f"page query {query * 1000:6.1f} ms, 'storyline story' {command:5.2f} s; "
              f"{size_bytes / docs / 1024:5.1f} KB/document", flush=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
