"""Which stories documents join, and how much of each join rests on place names.

Rebuilds the story layer of a copy of a store under module settings and prints, for each document
that joined an existing story, the story's size before it joined, the similarity, its words' and
names' part, and what that part is with the place features of the document (and, for a story of
``PLACE_MIN_DOCS`` documents or more, of the story's documents) left out of both sides
(``clustering.without``, what ``PLACE_FLOOR`` is compared with), then the non-place features that
give most of the match. With ``--gold`` (the dev story gold, and the probe's) each line says whether
the document (first mark) and the story it joined (second) are in the gold story.

    python research/later_reports/place_trace.py STORE --set PLACE_FLOOR=0 --gold DEV_GOLD research/later_reports/gold.json

STORE: a fresh ingest of samples/ and research/later_reports/items.jsonl (copied, never changed).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "clustering"))
from ecb_loop import copy_store, parse_value, patched  # noqa: E402

from storyline.eval.story import document_key, gold_key  # noqa: E402
from storyline.store.sqlite import SQLiteStore  # noqa: E402
from storyline.story import clustering  # noqa: E402
from storyline.story.claims import Claims  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402


def shared(profile: clustering.Profile, centroid: clustering.Centroid) -> str:
    """The non-place features that give most of the place-free part, with their products."""
    words, names, _ = centroid
    products = [(v * words.get(k, 0.0), k) for k, v in profile.words.items() if "t:" + k not in profile.places]
    products += [(v * names.get(k, 0.0), "e:" + k) for k, v in profile.names.items() if "e:" + k not in profile.places]
    places = sorted(k for k in profile.places if k[2:] in words or k[2:] in names)
    return (" ".join(f"{k}={p:.3f}" for p, k in sorted(products, reverse=True)[:4] if p > 0)
            + "  [places: " + " ".join(places[:6]) + "]")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE")
    parser.add_argument("--gold", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    settings = {k: parse_value(v) for k, v in (s.split("=", 1) for s in args.set)}
    members: set[str] = set()
    for path in args.gold:
        members |= {gold_key(k) for k in json.loads(path.read_text("utf-8"))["story"]["members"]}
    rows: list[tuple[str, ...]] = []
    assign = clustering.Stories.assign

    def traced(self: clustering.Stories, profile: clustering.Profile) -> tuple[str, float, list[str]]:
        scored = self.scored(profile)
        if scored and scored[0][0] >= clustering.THRESHOLD:
            story = scored[0][1]
            centroid = self.centroids([story])[story]
            size = self.db.one("SELECT documents FROM stories WHERE id = {p}", [story])[0]
            places = profile.places | self.places([story]).get(story, frozenset())
            rows.append((profile.doc_id, story, str(size), f"{scored[0][0]:.3f}",
                         f"{clustering.resemblance(profile, centroid):.3f}",
                         f"{clustering.without(profile, centroid, places):.3f}", (profile.title or "")[:60],
                         shared(profile, centroid)))
        return assign(self, profile)

    link = Claims.link
    with tempfile.TemporaryDirectory() as tmp, patched(settings):
        copy = Path(tmp) / "s.db"
        copy_store(args.store, copy)
        store = SQLiteStore(copy)
        clustering.Stories.assign = traced  # type: ignore[method-assign]
        Claims.link = lambda *a, **k: None  # type: ignore[method-assign]
        try:
            StoryEngine(store).rebuild()
        finally:
            clustering.Stories.assign = assign  # type: ignore[method-assign]
            Claims.link = link  # type: ignore[method-assign]
        key = {r[0]: document_key(r[1], r[2]) for r in store.db.execute("SELECT id, url, title FROM documents")}
        final = dict(store.db.execute("SELECT doc_id, story_id FROM story_documents"))
        alias = dict(store.db.execute("SELECT old_id, story_id FROM story_aliases"))
        gold_story = {final[d] for d in final if key.get(d) in members}
        print("doc in gold | story in gold | size | score | words+names | without places | title | shared")
        for doc, story, *rest in rows:
            story = alias.get(story, story)
            print(f"{'M' if key.get(doc) in members else '-'} {'M' if story in gold_story else '-'} " + " | ".join(rest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
