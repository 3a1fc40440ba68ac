"""Where a large store's extra saving time goes: each table's inserts, the commit and the
checkpoint, timed in a copy of a cached store and in an empty store side by side.

    python research/store_ingest/parts.py CACHE_DIR WORK_DIR [--rounds 6]

Copies CACHE_DIR/store.db into WORK_DIR (flushed to disk first, as ratio.py does), then
saves 100 new synthetic documents (benchmarks/synthetic.py) into it and 100 into an empty
store, 10 at a time into each in turn, and checkpoints both; the first round warms the
caches and is left out. Prints milliseconds per 100 documents for each part.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import random
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from synthetic import copies, seed  # noqa: E402

from storyline.model import Analysis, Document  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.store.rows import MAY_REPEAT, analysis_rows, document_row  # noqa: E402
from storyline.store.sqlite import SQLiteStore  # noqa: E402

SPENT: dict[str, collections.Counter[str]] = {}  # store path -> part -> seconds


@contextlib.contextmanager
def timed(store: SQLiteStore, part: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    SPENT[store.path][part] += time.perf_counter() - t0


def save(store: SQLiteStore, document: Document, analysis: Analysis) -> None:
    """SQLiteStore.save, each statement timed."""
    with timed(store, "begin"):
        store.db.execute("BEGIN IMMEDIATE")
    with timed(store, "documents"):
        key = store.db["documents"].insert(document_row(document, store.analyzer)).last_rowid
    for table, rows in analysis_rows(document, analysis):
        with timed(store, table):
            store.db[table].insert_all(({**row, "doc_key": key} for row in rows), ignore=table in MAY_REPEAT)
    with timed(store, "commit"):
        store.db.execute("COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cache", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    pairs = seed(args.cache / "seed.db")
    args.work.mkdir(parents=True, exist_ok=True)
    for p in args.work.glob("parts*.db*"):
        p.unlink()
    path = args.work / "parts.db"
    shutil.copyfile(args.cache / "store.db", path)
    with open(path, "rb+") as f:
        os.fsync(f.fileno())
    rng = random.Random(1000)
    with open_store(path) as store, open_store(args.work / "parts-empty.db") as empty:
        for rnd in range(args.rounds):
            if rnd < 2:  # round 0 warms the caches: counted from round 1 on
                SPENT.update({store.path: collections.Counter(), empty.path: collections.Counter()})
            epoch = 10_000 + 50 * (store.counts()["documents"] // 1000) + 10 * rnd
            batch = [p for p in copies(pairs, 400, epoch, rng, shift_dates=True) if not store.has_document(p[0].id)][:100]
            other = list(copies(pairs, 100, 20_000 + 10 * rnd, rng, shift_dates=True))
            for chunk in range(0, 100, 10):
                for target, docs in ((store, batch), (empty, other)):
                    for doc, analysis in docs[chunk:chunk + 10]:
                        save(target, doc, analysis)
            for target in (store, empty):
                with timed(target, "checkpoint"):
                    target.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        size = store.counts()["documents"]
    full, base = SPENT[store.path], SPENT[empty.path]
    n = args.rounds - 1
    print(f"ms per 100 documents, mean of {n} rounds: this store ({size:,} documents) / empty")
    for part in sorted(full, key=lambda k: base[k] - full[k]):
        print(f"  {part:<12} {full[part] * 1000 / n:7.1f} {base[part] * 1000 / n:7.1f}   +{(full[part] - base[part]) * 1000 / n:5.1f}")
    total, total_empty = sum(full.values()), sum(base.values())
    print(f"  {'total':<12} {total * 1000 / n:7.1f} {total_empty * 1000 / n:7.1f}   ratio {total / total_empty:.2f}")


if __name__ == "__main__":
    main()
