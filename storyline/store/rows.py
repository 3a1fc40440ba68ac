"""Analyses read back from the rows of any backend (the same tables in each)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from storyline.model import Analysis, Entity, Figure, TextSpan, TimeExpression

# rows(table, order): the rows in ``table`` of the documents asked for, by doc_id, then in the SQL order ``order``.
Rows = Callable[[str, str], Iterable[dict[str, Any]]]


def analyses_of(doc_ids: Sequence[str], rows: Rows, *, entity_order: str) -> dict[str, Analysis]:
    """The analyses of ``doc_ids`` (an empty one for a document without rows), one read per table;
    ``entity_order`` sorts entity ids e1, e2, …, e10 by number."""
    from storyline.store import sqlite

    out = {d: Analysis(doc_id=d) for d in dict.fromkeys(doc_ids)}
    if not out:
        return out
    mentions: dict[tuple[str, str], list[TextSpan]] = {}
    for m in rows("mentions", "start"):
        mentions.setdefault((m["doc_id"], m["entity_id"]), []).append(TextSpan(m["start"], m["end"], m["text"]))
    for e in rows("entities", entity_order):
        out[e["doc_id"]].entities.append(Entity(
            id=e["id"], canonical=e["canonical"], type=e["type"], mentions=mentions.get((e["doc_id"], e["id"]), []),
            roles=json.loads(e["roles"]), country=e["country"], lat=e["lat"], lon=e["lon"],
            admin_level=e["admin_level"], geonameid=e["geonameid"], place_key=e["place_key"],
        ))
    for r in rows("statements", "n"):
        out[r["doc_id"]].statements.append(sqlite._statement(r))
    for r in rows("times", "n"):
        out[r["doc_id"]].times.append(TimeExpression(
            r["start"], r["end"], r["text"], value=r["value"], type=r["type"], granularity=r["granularity"],
            anchor=r["anchor"],
        ))
    for r in rows("figures", "n"):
        out[r["doc_id"]].figures.append(Figure(
            r["start"], r["end"], r["text"], value=r["value"], unit=r["unit"], approximate=bool(r["approximate"]),
            about=r["about"], qualifier=r["qualifier"] or "exact",
        ))
    for r in rows("events", "n"):
        out[r["doc_id"]].events.append(sqlite._event(r))
    return out
