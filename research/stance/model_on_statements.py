"""Would the FNC-1 stance model read a statement's stance better than the rules do?

storyline reads each statement's stance (affirm / deny / hedge) with rules over the parse
(docs/stance-of-statements.md). The FNC-1 model (claim × text → agree / disagree / discuss /
unrelated) could do the same job: the content is the claim, the sentence the text, and agree,
disagree and discuss map to affirm, deny and hedge (unrelated, which the task never is, to the
most probable of the other three). Scored on the same hand-labelled statements as the rules:

    python research/stance/model_on_statements.py tests/fixtures/stance/polnear-train-statements.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

import numpy as np

from storyline.story.stance import LABELS, StanceModel

MAP = {"agree": "affirm", "disagree": "deny", "discuss": "hedge"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", help="hand-labelled statements (JSON Lines, tests/fixtures/stance/)")
    args = parser.parse_args()
    try:
        with open(args.gold, encoding="utf-8") as lines:
            rows = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as err:
        parser.error(f"{args.gold}: {err}")
    claims = [" ".join(row["text"][a:b] for a, b in row["content"]) for row in rows]
    probs = StanceModel.load().predict_proba(claims, [row["text"] for row in rows])
    related = [LABELS.index(label) for label in MAP]
    predicted = [MAP[LABELS[related[int(np.argmax(p[related]))]]] for p in probs]
    for split in ("dev", "test"):
        pairs = [(row["stance"], p) for row, p in zip(rows, predicted) if row["split"] == split]
        accuracy = sum(g == p for g, p in pairs) / len(pairs)
        f1s = []
        for c in ("affirm", "deny", "hedge"):
            tp = sum(g == p == c for g, p in pairs)
            prec = tp / max(1, sum(p == c for _, p in pairs))
            rec = tp / max(1, sum(g == c for g, _ in pairs))
            f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        print(f"{split}: {len(pairs)} statements, accuracy {100 * accuracy:.1f} %, macro F1 {100 * np.mean(f1s):.1f} "
              f"(affirm {100 * f1s[0]:.1f}, deny {100 * f1s[1]:.1f}, hedge {100 * f1s[2]:.1f}); "
              f"predicted {dict(Counter(p for _, p in pairs))}, gold {dict(Counter(g for g, _ in pairs))}")
    print("predicted unrelated (argmax over all four):", sum(LABELS[int(np.argmax(p))] == "unrelated" for p in probs))


if __name__ == "__main__":
    main()
