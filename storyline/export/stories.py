"""The stories export: JSON Lines, one story per line (schema: docs/schema/story.schema.json).

Each story carries its documents, its claims with every statement and the
stance of its source, its figure series flattened to points, and its
timeline; every item keeps ``doc_id``, ``start`` and ``end`` into the stored
document text, and every id is stable across re-runs.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import IO, Any

from storyline.store.base import Store
from storyline.story import views


def story_record(store: Store, summary: views.StorySummary) -> dict[str, Any]:
    sid = summary.story_id
    figures = [
        {**dataclasses.asdict(point), "quantity": s.quantity, "increment": point.increment}
        for s in views.series(store, sid) for point in s.points
    ]
    return {
        "story_id": sid,
        "title": summary.title,
        "first_date": summary.first_date,
        "last_date": summary.last_date,
        "entities": [
            {"entity_id": e["id"], "kind": e["kind"], "name": e["name"], "country": e["country"]}
            for e in views.main_identities(store, sid)
        ],
        "documents": [
            {k: d[k] for k in ("doc_id", "url", "title", "outlet", "published", "source", "copy_of")}
            for d in views.documents(store, sid)
        ],
        "claims": [
            {
                "claim_id": c.claim_id, "text": c.text, "contested": c.contested,
                "first_date": c.first_date, "last_date": c.last_date,
                "statements": [dataclasses.asdict(s) for s in c.statements],
            }
            for c in views.claims(store, sid)
        ],
        "figures": figures,
        "timeline": [
            {k: v for k, v in vars(item).items() if k != "record"} for item in views.timeline(store, sid)
        ],
    }


def story_records(store: Store) -> Iterator[dict[str, Any]]:
    for summary in views.stories(store):
        yield story_record(store, summary)


def write_stories(store: Store, out: IO[str]) -> int:
    n = 0
    for record in story_records(store):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n
