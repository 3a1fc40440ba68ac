"""Article extraction against the Article Extraction Benchmark (AEB).

The metric is the benchmark's own (``evaluate.py`` of
scrapinghub/article-extraction-benchmark): texts are split into ``\\w+``
tokens; each page's true and predicted bodies become multisets of 4-token
shingles (a text of fewer than four tokens is one shingle); TP, FP and FN
count the shingles in common, only predicted and only true, and are divided
by their sum so that every page weighs the same. Precision is the mean over
pages of TP / (TP + FP) (pages with TP + FP = 0 left out), recall likewise,
F1 their harmonic mean; accuracy is the share of pages whose token lists are
identical.

What is scored is what storyline stores: the document's body ranges, joined
by newlines (the headline, a repeated title and a dateline are not body).
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from storyline.ingest.charset import decode_html
from storyline.ingest.html import parse_html
from storyline.ingest.outlets import Outlets
from storyline.ingest.records import BadRecord

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
SHINGLE = 4
SPLITS = ("dev", "test", "all")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    return Counter(s for i in range(max(1, len(words) - n + 1)) if (s := tuple(words[i : i + n])))


def page_counts(true: str, pred: str) -> tuple[float, float, float]:
    """Normalised (TP, FP, FN) of one page's shingles."""
    gold, found = shingles(true), shingles(pred)
    tp = sum((gold & found).values())
    fp = sum((found - gold).values())
    fn = sum((gold - found).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn)


@dataclass
class Scores:
    pages: int
    precision: float
    recall: float
    f1: float
    accuracy: float

    def as_dict(self) -> dict[str, float]:
        return {"pages": self.pages, "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "accuracy": self.accuracy}


def score(pairs: Iterable[tuple[str, str]]) -> Scores:
    """Scores over ``(true body, predicted body)`` pairs, one per page."""
    counts, exact = [], []
    for true, pred in pairs:
        counts.append(page_counts(true, pred))
        exact.append(float(tokens(true) == tokens(pred)))
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    return Scores(len(counts), precision, recall, 2 * precision * recall / (precision + recall), statistics.mean(exact))


def body_text(markup: bytes, url: str | None, outlets: Outlets) -> str:
    """What storyline stores as the body of a page ("" when it rejects the page)."""
    text, _ = decode_html(markup)
    try:
        document = parse_html(text, source=url or "page", url=url, outlets=outlets)
    except BadRecord:
        return ""
    return "\n".join(document.text[start:end] for start, end in document.body)


def split_keys(keys: Iterable[str], split: str) -> list[str]:
    """dev: the even-indexed pages in name order (developed on); test: the odd ones."""
    ordered = sorted(keys)
    return {"dev": ordered[0::2], "test": ordered[1::2], "all": ordered}[split]


@dataclass
class Run:
    scores: dict[str, Scores]
    predictions: dict[str, dict[str, str]]


def evaluate_directory(directory: Path, splits: Iterable[str] = SPLITS) -> Run:
    """Extract the pages of an AEB-style folder (``html/<key>.html.gz``, ``ground-truth.json``) that the
    splits hold, and score each split."""
    truth: dict[str, dict[str, str]] = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    keys = {split: split_keys(truth, split) for split in splits}
    outlets = Outlets.bundled()
    predictions = {}
    for key in sorted({k for chosen in keys.values() for k in chosen}):
        url = truth[key].get("url")
        with gzip.open(directory / "html" / f"{key}.html.gz") as handle:
            predictions[key] = {"articleBody": body_text(handle.read(), url, outlets), "url": url or ""}
    scores = {
        split: score((truth[k].get("articleBody", ""), predictions[k]["articleBody"]) for k in chosen)
        for split, chosen in keys.items()
    }
    return Run(scores, predictions)
