"""`ecb_loop.py` with a second look at a batch's small stories once the batch is in (research only;
docs/stories.md, "Eighth round").

A document placed early in a batch saw only the stories of the documents before it; one that
started a story of its own may fit a story that grew after it. Once the batch is placed, each story
of at most ``LOOK_MAX`` members that the batch founded (in the order they were founded) is
compared, as one profile (its centroid, or its one document's profile with its slots), with the
candidate stories of the inverted index other than itself; if the best reaches ``LOOK_THRESHOLD``
the small story is merged into it (the merge of `Stories.merge`: the larger keeps its id, the
smaller's id stays an alias). Nothing outside the batch moves.

    python research/clustering/ecb_second_look.py STORE GOLD --grid LOOK_MAX=1,2 LOOK_THRESHOLD=0.28,0.32,0.36
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from split_probe import PROFILES, run_loop  # noqa: E402

from storyline.story import clustering  # noqa: E402
from storyline.story.clustering import Profile, Stories  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402
from storyline.story.text import normalised  # noqa: E402

clustering.SECOND_LOOK = False  # the shipped second look (which this loop led to) off: this loop's own instead
clustering.LOOK_MAX = 0  # type: ignore[attr-defined]  # 0: no second look (the clustering before the eighth round)
clustering.LOOK_THRESHOLD = 0.28  # type: ignore[attr-defined]
clustering.LOOK_UNDATED = False  # type: ignore[attr-defined]  # True: only stories with no dated member
FOUNDED: list[str] = []  # story ids in the order the batch founded them
MOVES: list[int] = []
shipped_assign = Stories.assign
shipped_rebuild = StoryEngine.rebuild


def assign(self: Stories, p: Profile):  # type: ignore[no-untyped-def]
    story_id, score, merged = shipped_assign(self, p)
    if score == 1.0 and story_id not in FOUNDED:
        FOUNDED.append(story_id)
    return story_id, score, merged


def second_look(stories: Stories) -> None:
    for story_id in FOUNDED:
        row = stories.db.one("SELECT documents FROM stories WHERE id = {p}", [story_id])
        if not row or row[0] > clustering.LOOK_MAX:  # type: ignore[attr-defined]
            continue  # merged away already, or grown past a small story
        members = [r[0] for r in stories.db.rows("SELECT doc_id FROM story_documents WHERE story_id = {p}", [story_id])]
        if clustering.LOOK_UNDATED and any(PROFILES[d].day for d in members):  # type: ignore[attr-defined]
            continue  # placed in publication order already: a stream would place it the same way
        if len(members) == 1:
            p = PROFILES[members[0]]
        else:
            words, names, counts = stories.centroid(story_id)
            days = [PROFILES[d].day for d in members if PROFILES[d].day]
            p = Profile(story_id, min(days) if days else None, None, normalised(words), normalised(names), counts)
        candidates = [c for c in stories.candidates(p) if c[0] != story_id]
        if not candidates:
            continue
        centroids = stories.centroids([c[0] for c in candidates])
        scored = sorted(((clustering.similarity(p, centroids[s]) * 0.5 ** (clustering._gap(p.day, first, last)
                          / clustering.DECAY_DAYS), s) for s, first, last in candidates), reverse=True)
        best, target = scored[0]
        if best >= clustering.LOOK_THRESHOLD:  # type: ignore[attr-defined]
            stories.merge(target, story_id)
            MOVES.append(len(members))


def rebuild(self: StoryEngine, *args, **kwargs):  # type: ignore[no-untyped-def]
    FOUNDED.clear()
    MOVES.clear()
    n = shipped_rebuild(self, *args, **kwargs)
    if clustering.LOOK_MAX:  # type: ignore[attr-defined]
        with self.db.exclusive():
            second_look(self.stories)
    print(f"    second look moved {len(MOVES)} small stories ({sum(MOVES)} documents)", flush=True)
    return n


def main() -> int:
    return run_loop(assign, rebuild)


if __name__ == "__main__":
    raise SystemExit(main())
