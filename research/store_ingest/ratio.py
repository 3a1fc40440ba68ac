"""The ingest ratio of benchmarks/store_scale.py on fresh copies of a cached store, with and without
extra connection settings, alternating so a load on the machine falls on each.

    python research/store_ingest/ratio.py CACHE_DIR WORK_DIR [--pragma "PRAGMA cache_size=-65536"]...
                                          [--rounds 2] [--warm N]

Each variant gets its own copy of CACHE_DIR/store.db (ingest_ratio adds 300 documents to it), flushed
to disk before it is measured. To compare two versions of the code, run this file from a checkout
of each (benchmarks/synthetic.py puts its own checkout first on sys.path), alternating, each
with its own CACHE_DIR (opening the seed store migrates it).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from store_scale import ingest_ratio  # noqa: E402
from synthetic import seed  # noqa: E402

from storyline.store import open_store  # noqa: E402
from storyline.store.sqlite import SQLiteStore  # noqa: E402

EXTRA: list[str] = []
_init = SQLiteStore.__init__


def _patched(self: SQLiteStore, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    _init(self, *args, **kwargs)
    for pragma in EXTRA:
        self.db.execute(pragma)


SQLiteStore.__init__ = _patched  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cache", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--pragma", action="append", default=[], help="variant: ';'-separated SQL run on opening each store ('' = none)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--warm", type=int, default=0, help="documents saved (untimed) before measuring")
    args = parser.parse_args()
    pairs = seed(args.cache / "seed.db")
    variants = args.pragma or [""]
    for r in range(args.rounds):
        for variant in variants:
            EXTRA[:] = [p for p in variant.split(";") if p.strip()]
            path = args.work / "ratio.db"
            for p in args.work.glob("ratio.db*"):
                p.unlink()
            shutil.copyfile(args.cache / "store.db", path)
            # Else the copy's 500 MB are still being written back, and the first fsync (a checkpoint's) waits for them.
            with open(path, "rb+") as f:
                os.fsync(f.fileno())
            with open_store(path) as store:
                if args.warm:  # save some documents first, untimed
                    from synthetic import copies
                    for doc, analysis in copies(pairs, args.warm, 17_000, random.Random(99 + r), shift_dates=True):
                        store.save(doc, analysis)
                    store.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                full, empty = ingest_ratio(store, pairs, args.work, random.Random(1000 + r))
            print(f"round {r} [{variant or 'as is'}]: {full * 1000:.0f} ms here, {empty * 1000:.0f} ms empty, "
                  f"ratio {full / empty:.2f}", flush=True)
    for p in args.work.glob("ratio.db*"):
        p.unlink()


if __name__ == "__main__":
    main()
