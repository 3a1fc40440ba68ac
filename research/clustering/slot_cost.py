"""What the event slots cost the story layer: rebuild it on a copy of a store with the slots and
without (no slot features at all, as before they were added), sides alternated, and report the
milliseconds per document and the ratio of the medians:

    python research/clustering/slot_cost.py STORE [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ecb_loop import copy_store  # noqa: E402

from storyline.store.sqlite import SQLiteStore  # noqa: E402
from storyline.story import clustering  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402


def rebuild(path: Path, with_slots: bool) -> tuple[float, int]:
    shipped = clustering.slots
    if not with_slots:
        clustering.slots = lambda document, analysis: {}  # type: ignore[assignment]
    try:
        store = SQLiteStore(path)
        start = time.perf_counter()
        StoryEngine(store).rebuild()
        seconds = time.perf_counter() - start
        documents = store.db.execute("SELECT count(*) FROM story_documents").fetchone()[0]
        store.db.conn.close()
    finally:
        clustering.slots = shipped
    return seconds, documents


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    times: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory(prefix="slot-cost-") as tmp:
        copy = Path(tmp) / "store.db"
        copy_store(args.store, copy)
        for round_ in range(args.rounds):
            for side in (round_ % 2 == 0, round_ % 2 == 1):
                seconds, documents = rebuild(copy, side)
                times[side].append(1000 * seconds / documents)
    for side, label in ((False, "without slots"), (True, "with slots")):
        print(f"{label:14s} ms per document: {' '.join(f'{t:.2f}' for t in times[side])}  "
              f"median {statistics.median(times[side]):.2f}")
    print(f"ratio (with / without, medians): {statistics.median(times[True]) / statistics.median(times[False]):.3f}")


if __name__ == "__main__":
    main()
