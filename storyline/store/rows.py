"""A document's analysis read back from the rows of any backend (the same tables in each)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from storyline.model import Analysis, Entity, Figure, TextSpan, TimeExpression

# rows(table, order): the rows of one document in ``table``, in the SQL order ``order``.
Rows = Callable[[str, str], Iterable[dict[str, Any]]]


def analysis_of(doc_id: str, rows: Rows, *, entity_order: str) -> Analysis:
    """The analysis of ``doc_id``; ``entity_order`` sorts entity ids e1, e2, …, e10 by number."""
    from storyline.store.sqlite import _event, _statement

    mentions: dict[str, list[TextSpan]] = {}
    for m in rows("mentions", "start"):
        mentions.setdefault(m["entity_id"], []).append(TextSpan(m["start"], m["end"], m["text"]))
    entities = [
        Entity(
            id=e["id"], canonical=e["canonical"], type=e["type"], mentions=mentions.get(e["id"], []),
            roles=json.loads(e["roles"]), country=e["country"], lat=e["lat"], lon=e["lon"],
            admin_level=e["admin_level"], geonameid=e["geonameid"], place_key=e["place_key"],
        )
        for e in rows("entities", entity_order)
    ]
    return Analysis(
        doc_id=doc_id,
        entities=entities,
        statements=[_statement(r) for r in rows("statements", "n")],
        times=[
            TimeExpression(r["start"], r["end"], r["text"], value=r["value"], type=r["type"],
                           granularity=r["granularity"], anchor=r["anchor"])
            for r in rows("times", "n")
        ],
        figures=[
            Figure(r["start"], r["end"], r["text"], value=r["value"], unit=r["unit"],
                   approximate=bool(r["approximate"]), about=r["about"], qualifier=r["qualifier"] or "exact")
            for r in rows("figures", "n")
        ],
        events=[_event(r) for r in rows("events", "n")],
    )
