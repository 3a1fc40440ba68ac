"""Research probe: what leaving wire datelines out of the body costs on AEB, whose truth keeps them.

    .venv/bin/python research/aeb_dateline_cost.py ../shared/data/aeb
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from storyline.eval.extraction import evaluate_directory

html = importlib.import_module("storyline.ingest.html")  # storyline.ingest is shadowed by the batch function


def main(directory: Path) -> None:
    shipped = evaluate_directory(directory)
    html.without_dateline = lambda document: document  # the step switched off
    kept = evaluate_directory(directory)
    for split in shipped.scores:
        print(f"{split:5s} F1 {shipped.scores[split].f1:.4f} (datelines kept in the body: {kept.scores[split].f1:.4f})")
    changed = sum(p["articleBody"] != kept.predictions[k]["articleBody"] for k, p in shipped.predictions.items())
    print(f"pages with a dateline: {changed}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/aeb"))
