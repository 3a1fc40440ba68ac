"""Research probe (not shipped): readability as a second opinion beside trafilatura on AEB dev.

Takes trafilatura's bundled readability port's text instead of storyline's body when nearly all of it lies
inside storyline's (shingle containment) and it covers at least a share of it; prints dev P/R/F1 for a grid of
thresholds, storyline alone, readability alone and the per-page oracle. docs/extraction.md reports the result.

    .venv/bin/python research/aeb_second_opinion.py ../shared/data/aeb
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from lxml import html as lxml_html
from trafilatura.readability_lxml import Document as Readability
from trafilatura.utils import load_html

from storyline.eval.extraction import body_text, page_counts, score, shingles, split_keys
from storyline.ingest.outlets import Outlets


def readability_text(markup: bytes) -> str:
    try:
        summary = Readability(load_html(markup)).summary()
    except Exception:  # the port raises on some pages; they count as empty
        return ""
    return lxml_html.fromstring(summary).text_content() if summary else ""


def main(directory: Path) -> None:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    outlets = Outlets.bundled()
    pages = []
    for key in split_keys(truth, "dev"):
        markup = gzip.open(directory / "html" / f"{key}.html.gz").read()
        pages.append((truth[key]["articleBody"], body_text(markup, truth[key]["url"], outlets), readability_text(markup)))

    def size(text: str) -> int:
        return sum(shingles(text).values())

    def contained(inner: str, outer: str) -> float:
        a, b = shingles(inner), shingles(outer)
        return sum((a & b).values()) / max(1, sum(a.values()))

    def show(name: str, predictions: list[str]) -> None:
        s = score((true, pred) for (true, _, _), pred in zip(pages, predictions))
        print(f"{name:32s} P {s.precision:.4f} R {s.recall:.4f} F1 {s.f1:.4f}")

    show("storyline", [ours for _, ours, _ in pages])
    show("readability", [theirs for _, _, theirs in pages])

    def f1(true: str, pred: str) -> float:
        tp, fp, fn = page_counts(true, pred)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    show("oracle (better of the two)", [max((o, r), key=lambda t: f1(true, t)) for true, o, r in pages])
    for containment in (0.9, 0.95, 0.98):
        for cover in (0.5, 0.6, 0.7, 0.8):
            chosen = [
                r if r and contained(r, o) >= containment and size(r) >= cover * size(o) else o for _, o, r in pages
            ]
            show(f"second opinion {containment} / {cover}", chosen)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/aeb"))
