"""`ecb_loop.py` with a slot vote before a document joins a story of one document (research only;
docs/stories.md, "Fifth round").

A story of one document is the weakest evidence the clustering acts on: when a document would
join it, compare the two documents slot by slot (`slot_probe.py`: +1 a slot agrees, −1 it
conflicts, 0 either side leaves it empty) over what each states about its event: its main person,
the people of its lead, the places of its lead, the years it writes, the months it names (year or
not) and its figures by counted noun. When at least ``VOTE_MIN`` slots conflict and more conflict
than agree, the similarity loses ``VOTE_PENALTY`` (for undated documents only, like the shipped
slots). Stories of two members or more are scored as shipped.

    python research/clustering/ecb_vote_loop.py STORE GOLD --grid VOTE_PENALTY=0.1,0.2 VOTE_MIN=1,2,3
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop  # noqa: E402
import ecb_slot_loop  # noqa: E402  # records each document's slots and each story's members
from slot_probe import compare  # noqa: E402

from storyline.story import clustering  # noqa: E402
from storyline.story.clustering import Stories  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402

VOTED = ("person main", "person lead", "place lead", "year written", "calendar month", "figure")
clustering.VOTE_PENALTY = 0.0  # type: ignore[attr-defined]
clustering.VOTE_MIN = 2  # type: ignore[attr-defined]
clustering.VOTE_MAX_MEMBERS = 1  # type: ignore[attr-defined]
clustering.VOTE_SLOTS = ",".join(s.replace(" ", "_") for s in VOTED)  # type: ignore[attr-defined]


def vote(doc_id: str, story_id: str) -> tuple[int, int]:
    """(agreeing, conflicting) slots between a document and every member of a small story."""
    mine = ecb_slot_loop.SLOTS.get(doc_id, {})
    agree = conflict = 0
    for member in ecb_slot_loop.MEMBERS.get(story_id, []):
        theirs = ecb_slot_loop.SLOTS.get(member, {})
        for slot in clustering.VOTE_SLOTS.split(","):  # type: ignore[attr-defined]
            v = compare(mine.get(slot.replace("_", " ")), theirs.get(slot.replace("_", " ")))
            agree += v > 0
            conflict += v < 0
    return agree, conflict


def similarity(profile: clustering.Profile, centroid: clustering.Centroid) -> float:
    score = ecb_slot_loop.shipped_similarity(profile, centroid)
    story_id = getattr(centroid, "story_id", None)
    penalty = clustering.VOTE_PENALTY  # type: ignore[attr-defined]
    if not penalty or story_id is None or profile.day is not None or not profile.slots:
        return score
    if 0 < len(ecb_slot_loop.MEMBERS.get(story_id, [])) <= clustering.VOTE_MAX_MEMBERS:  # type: ignore[attr-defined]
        agree, conflict = vote(profile.doc_id, story_id)
        if conflict >= clustering.VOTE_MIN and conflict > agree:  # type: ignore[attr-defined]
            score -= penalty
    return score


def main() -> int:
    clustering.similarity = similarity
    Stories.centroids = ecb_slot_loop.centroids  # type: ignore[method-assign]
    Stories.profile = ecb_slot_loop.profile  # type: ignore[method-assign]
    Stories.assign = ecb_slot_loop.assign  # type: ignore[method-assign]
    StoryEngine.rebuild = ecb_slot_loop.rebuild  # type: ignore[method-assign]
    return ecb_loop.main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
