"""`ecb_loop.py` with a people slot in the story similarity (research only; storyline/story/ is not
changed; docs/stories.md, "Fifth round").

A document's people slot is either its main person (``PERSON_KIND=p``: the person identity the
text names most often, the first named on a tie: ``person main`` of `slot_probe.py`) or the
people of its lead (``PERSON_KIND=q``: every person identity named in the first 600 body
characters). The slot is counted into the story's centroid like the shipped month slot (``p`` and
``p:ID``) and scored the same way, for undated documents only: the mean over the story's members
that fill it, +1 each that shares a value, −1 each that fills it with other values only.

    python research/clustering/ecb_person_loop.py STORE GOLD --grid PERSON_WEIGHT=0.05,0.1,0.2

Settings (``--set``/``--grid`` as in ecb_loop.py):

- ``PERSON_WEIGHT``: added × the slot score (default 0: the shipped clustering);
- ``PERSON_MODE``: ``mean`` (as above), ``agree`` (the bonus only), ``conflict`` (the penalty only),
  ``unnamed`` (−1 when no member of the story names the document's main person at all, else 0);
- ``PERSON_MAX_MEMBERS``: score only against stories with at most this many members filling the
  slot (1: a veto on joining a one-document story whose person conflicts);
- ``PERSON_RANK``: among the stories the document could join (shipped similarity ≥ THRESHOLD), rank
  by similarity + PERSON_RANK × the mean slot score (chooses between candidates, never decides
  whether to join).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop  # noqa: E402
from slot_probe import slots as probe_slots  # noqa: E402

from storyline.story import clustering  # noqa: E402
from storyline.story.clustering import Stories  # noqa: E402

shipped_similarity = clustering.similarity
shipped_profile = Stories.profile
SETTINGS = {"PERSON_WEIGHT": 0.0, "PERSON_MODE": "mean", "PERSON_MAX_MEMBERS": 1e9, "PERSON_RANK": 0.0,
            "PERSON_KIND": "p"}
for _name, _value in SETTINGS.items():
    setattr(clustering, _name, _value)


def number(name: str) -> float:
    return float(getattr(clustering, name))


def text(name: str) -> str:
    return str(getattr(clustering, name))


def evidence(mine: dict[str, float], story: dict[str, float], kind: str) -> float:
    """The mean over the story's members that fill the slot: +1 each that agrees, −1 each that conflicts."""
    if kind not in mine or not story.get(kind):
        return 0.0
    filled = story[kind]
    agree = min(sum(story.get(k, 0.0) for k in mine if k.startswith(kind + ":")), filled)
    return (2 * agree - filled) / filled


def person_term(profile: clustering.Profile, centroid: clustering.Centroid) -> float:
    kind, mode, counts = text("PERSON_KIND"), text("PERSON_MODE"), centroid[2]
    if profile.day is not None or counts.get(kind, 0.0) > number("PERSON_MAX_MEMBERS"):
        return 0.0
    if mode == "unnamed":
        main = [k[2:] for k in profile.slots if k.startswith("p:")]
        return -1.0 if main and counts.get("p") and main[0] not in centroid[1] else 0.0
    score = evidence(profile.slots, counts, kind)
    return max(0.0, score) if mode == "agree" else min(0.0, score) if mode == "conflict" else score


def similarity(profile: clustering.Profile, centroid: clustering.Centroid) -> float:
    score = shipped_similarity(profile, centroid) + number("PERSON_WEIGHT") * person_term(profile, centroid)
    rank = number("PERSON_RANK")
    if rank and profile.slots and profile.day is None and score >= clustering.THRESHOLD:  # not story against story
        # Reorders the stories the document could join, all lifted above any it cannot join (so it
        # never un-joins; the similarity stored for the join is off by 1, which only moves titles).
        score = 1 + score + rank * evidence(profile.slots, centroid[2], "p")
    return score


def profile(self: Stories, document, analysis, identities):  # type: ignore[no-untyped-def]
    out = shipped_profile(self, document, analysis, identities)
    found = probe_slots(document, analysis, identities)
    for kind, slot in (("p", "person main"), ("q", "person lead")):
        for value in sorted(found.get(slot, ())):
            out.slots[kind] = out.slots[f"{kind}:{value}"] = 1.0
    return out


def main() -> int:
    clustering.similarity = similarity
    Stories.profile = profile  # type: ignore[method-assign]
    return ecb_loop.main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
