"""Where a story rebuild's SQL time goes: each statement of the story layer's SQL seam, by its
text, with its calls and seconds, while the story layer of a copy of a store is rebuilt.

    python research/story_speed/sql_time.py STORE.db [--top 25]

The SQL seam's methods (``execute``, ``executemany``, ``rows``) are wrapped with a timer; the
store's own reads (documents, analyses) are not counted. Seconds are wall time: compare the call
counts between versions, and the seconds only within one run.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from storyline.store import open_store  # noqa: E402
from storyline.store.sql import SQLiteSQL  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402

Timings = dict[tuple[str, str], list[float]]  # (method, SQL) → [calls, seconds]


def _timed(method: Callable[..., Any], name: str, timings: Timings) -> Callable[..., Any]:
    def wrapper(self: SQLiteSQL, sql: str, params: Any = ()) -> Any:
        start = time.perf_counter()
        try:
            return method(self, sql, params)
        finally:
            entry = timings[(name, " ".join(sql.split()))]
            entry[0] += 1
            entry[1] += time.perf_counter() - start
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path, help="an ingested SQLite store (a copy is rebuilt)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if not args.store.is_file():
        sys.exit(f"{args.store}: no such store")
    timings: Timings = collections.defaultdict(lambda: [0, 0.0])
    for name in ("execute", "executemany", "rows"):
        setattr(SQLiteSQL, name, _timed(getattr(SQLiteSQL, name), name, timings))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rebuilt.db"
        shutil.copy(args.store, path)
        cpu = time.process_time()
        with open_store(path) as store:
            StoryEngine(store).rebuild()
        cpu = time.process_time() - cpu
    print(f"rebuild: {cpu:.2f} s CPU; SQL seam {sum(t[1] for t in timings.values()):.2f} s")
    for (name, sql), (calls, seconds) in sorted(timings.items(), key=lambda kv: -kv[1][1])[: args.top]:
        print(f"{seconds:7.2f} s {int(calls):>8} {name:<11} {sql[:140]}")


if __name__ == "__main__":
    main()
