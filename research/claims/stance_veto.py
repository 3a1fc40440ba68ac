"""Could the FNC-1 stance model decide which statements belong to a claim?

For every statement of a story's claims (claims of two statements or more), the model reads the
claim's text as the headline and the statement's content as the body; a statement the model
calls ``unrelated`` is one a veto would take out of its claim. Prints each statement with the
model's four probabilities (agree, disagree, discuss, unrelated) and the claim's own stance:

    python research/claims/stance_veto.py STORE STORY_ID_PREFIX
"""

from __future__ import annotations

import argparse
from pathlib import Path

from storyline.store import open_store
from storyline.story.stance import LABELS, StanceModel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("story", help="a story id or its first characters")
    args = parser.parse_args()
    if "://" not in args.store and not Path(args.store).is_file():
        parser.error(f"{args.store}: no such store (ingest the sample into it first)")
    store = open_store(args.store)
    rows = store.sql.rows(
        "SELECT c.id, c.text, s.content_text, cs.stance FROM claim_statements cs JOIN claims c ON c.id = cs.claim_id "
        "JOIN documents d ON d.id = cs.doc_id JOIN statements s ON s.{rows_key} = d.{documents_key} "
        "AND s.id = cs.statement_id WHERE c.story_id LIKE {p} AND c.statements > 1 ORDER BY c.id",
        [args.story + "%"],
    )
    probs = StanceModel.load().predict_proba([r[1] for r in rows], [r[2] for r in rows])
    vetoed = 0
    for (claim_id, _, content, stance), p in zip(rows, probs):
        unrelated = p[LABELS.index("unrelated")] > 0.5
        vetoed += unrelated
        print(f"{claim_id[:8]} {stance:6} {' '.join(f'{x:.2f}' for x in p)} {'VETO' if unrelated else '    '} {content[:90]!r}")
    print(f"{len(rows)} statements in claims of two or more; the model calls {vetoed} unrelated")


if __name__ == "__main__":
    main()
