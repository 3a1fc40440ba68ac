"""`ecb_loop.py` with a day estimated for undated documents (research only; docs/stories.md, "Sixth
round").

746 of the 772 ECB+ texts have no publication date, so the story layer's date decay and candidate
window never act on them. Many state a date themselves, in a dateline or the first lines
("September 18th, 2013"). Here such a document gets, as its profile's day, a fully specified
(year-month-day) date its analysis resolved in its lead without an anchor (as written, never a
relative one resolved against another date); the decay and the candidate window then use it, and
the stories it joins carry it as their dates. Its slots still count as an undated document's.

    python research/clustering/ecb_date_loop.py STORE GOLD --grid ESTIMATE=none,first,latest

Settings (``--set``/``--grid`` as in ecb_loop.py):

- ``ESTIMATE``: ``none`` (the shipped clustering), ``first`` (the first such date in the text),
  ``latest`` (the latest of them);
- ``ESTIMATE_LEAD``: characters of the body, from its start, read for it (default 600);
- ``ESTIMATE_SLOTS``: whether an estimated document's month and figure slots still count (default
  True: it is not dated by its publisher).
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop  # noqa: E402

from storyline.model import Analysis, Document  # noqa: E402
from storyline.story import clustering  # noqa: E402
from storyline.story.clustering import Stories  # noqa: E402

shipped_similarity = clustering.similarity
shipped_profile = Stories.profile
SETTINGS = {"ESTIMATE": "none", "ESTIMATE_LEAD": 600, "ESTIMATE_SLOTS": True}
for _name, _value in SETTINGS.items():
    setattr(clustering, _name, _value)
FULL = re.compile(r"^(\d{4}-\d{2}-\d{2})")
shipped_run = ecb_loop.run
estimated: set[str] = set()  # documents of the current run given an estimated day


def estimate(document: Document, analysis: Analysis) -> str | None:
    lead_end = (document.body[0][0] if document.body else 0) + int(getattr(clustering, "ESTIMATE_LEAD"))
    days = [m.group(1) for t in sorted(analysis.times, key=lambda t: t.start)
            if t.start < lead_end and t.anchor is None and t.type in ("DATE", "TIME")
            and (m := FULL.match(t.value or ""))]
    if not days:
        return None
    return days[0] if getattr(clustering, "ESTIMATE") == "first" else max(days)


def profile(self: Stories, document, analysis, identities):  # type: ignore[no-untyped-def]
    out = shipped_profile(self, document, analysis, identities)
    if out.day is None and getattr(clustering, "ESTIMATE") != "none":
        day = estimate(document, analysis)
        if day:
            out.day = day
            estimated.add(out.doc_id)
    return out


def similarity(profile: clustering.Profile, centroid: clustering.Centroid) -> float:
    if profile.doc_id in estimated and getattr(clustering, "ESTIMATE_SLOTS"):
        profile = dataclasses.replace(profile, day=None)  # scored as the undated document it is
    return shipped_similarity(profile, centroid)


def run(store_path: Path, settings: dict[str, object]) -> tuple[dict[str, str], float]:
    estimated.clear()
    out = shipped_run(store_path, settings)
    print(f"    {len(estimated)} documents given an estimated day", flush=True)
    return out


def main() -> int:
    clustering.similarity = similarity
    Stories.profile = profile  # type: ignore[method-assign]
    ecb_loop.run = run
    return ecb_loop.main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
