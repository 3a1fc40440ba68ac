"""List the attributed statements of a store that assert armed force was used (``v:force`` in
``story/claims.py``), to read how the force rule behaves on news it was not designed on.

    python research/claims/force_statements.py STORE [--triggers]

``--triggers`` also lists statements whose content holds a force trigger that the rule did not
count (a figurative use without armed context), with the trigger's type.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from storyline.analyze.events import lexicon
from storyline.store.sqlite import SQLiteStore
from storyline.story.claims import features


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--triggers", action="store_true", help="also list uncounted force triggers")
    args = parser.parse_args()
    if not args.store.is_file():
        print(f"force_statements: {args.store}: no such store", file=sys.stderr)
        return 2
    classes = lexicon().classes
    counted = uncounted = 0
    with SQLiteStore(args.store) as store:
        ids = [d.id for d in store.documents()]
        for doc_id, analysis in store.analyses(ids).items():
            for statement in analysis.statements:
                content = statement.content
                if content is None:
                    continue
                force = "v:force" in features(statement, analysis, {})
                triggers = [e.type for e in analysis.events if classes.get(e.type) == "force"
                            and content.start <= e.start and e.end <= content.end]
                if force:
                    counted += 1
                    print(f"FORCE  {doc_id}  {','.join(triggers)}  {content.text[:150]}")
                elif triggers and args.triggers:
                    uncounted += 1
                    print(f"other  {doc_id}  {','.join(triggers)}  {content.text[:150]}")
    print(f"{counted} statements assert force" + (f"; {uncounted} hold an uncounted trigger" if args.triggers else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
