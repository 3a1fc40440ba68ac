"""The rows of the record tables, the same on every backend: an analysis as rows to insert,
and analyses read back from rows."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

from storyline.model import Analysis, Document, Entity, Figure, Statement, TextSpan, TimeExpression
from storyline.store.periods import days

# Tables whose rows may repeat within one document (an entity listing a mention twice):
# inserted ignoring the repeats.
MAY_REPEAT = frozenset({"mentions"})


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def document_row(doc: Document, analyzer: str) -> dict[str, Any]:
    return {
        "id": doc.id, "url": doc.url, "outlet": doc.outlet, "title": doc.title,
        "published": doc.published.isoformat() if doc.published else None,
        "updated": doc.updated.isoformat() if doc.updated else None,
        "authors": as_json(doc.authors), "language": doc.language, "text": doc.text,
        "body": as_json(doc.body), "headline": as_json(doc.headline), "source": doc.source,
        "meta": as_json(doc.meta), "analyzer": analyzer, "ingested_at": now(),
    }


def analysis_rows(document: Document, analysis: Analysis) -> list[tuple[str, list[dict[str, Any]]]]:
    """The rows of ``analysis`` by table, in the order they must be inserted (after the document's)."""
    d = document.id
    # Entities without a mention in the text (a byline name it does not repeat) have
    # no row, so nothing may point at them.
    stored = {e.id for e in analysis.entities if e.mentions}
    published = document.published.isoformat() if document.published else None
    return [
        ("entities", [
            {"doc_id": d, "id": e.id, "canonical": e.canonical, "type": e.type, "roles": as_json(e.roles),
             "country": e.country, "lat": e.lat, "lon": e.lon, "admin_level": e.admin_level,
             "geonameid": e.geonameid, "place_key": e.place_key, "start": e.first.start, "end": e.first.end,
             "text": e.first.text}
            for e in analysis.entities if e.mentions
        ]),
        ("mentions", [
            {"doc_id": d, "entity_id": e.id, "start": m.start, "end": m.end, "text": m.text}
            for e in analysis.entities if e.mentions for m in e.mentions
        ]),
        ("statements", distinct(statement_row(d, n, s, stored, published) for n, s in enumerate(analysis.statements))),
        ("times", distinct(
            {"doc_id": d, "n": n, "id": t.id(d), "start": t.start, "end": t.end, "text": t.text, "value": t.value,
             "type": t.type, "granularity": t.granularity, "anchor": t.anchor}
            for n, t in enumerate(analysis.times)
        )),
        ("figures", distinct(
            {"doc_id": d, "n": n, "id": f.id(d), "start": f.start, "end": f.end, "text": f.text, "value": f.value,
             "unit": f.unit, "approximate": int(f.approximate), "about": f.about, "qualifier": f.qualifier}
            for n, f in enumerate(analysis.figures)
        )),
        ("events", distinct(
            {"doc_id": d, "n": n, "id": e.id(d), "start": e.start, "end": e.end, "text": e.text, "type": e.type,
             "actor": e.actor or None, "actor_entity_id": known(e.actor_entity_id, stored), "object": e.object or None,
             "place": e.place or None, "place_entity_id": known(e.place_entity_id, stored), "date": e.date,
             "date_source": e.date_source, "published": published, **placed_days(e.date)}
            for n, e in enumerate(analysis.events)
        )),
    ]


def statement_row(doc_id: str, n: int, s: Statement, entities: set[str], published: str | None) -> dict[str, Any]:
    sp, cue, c = s.speaker, s.cue, s.content
    placed = s.date if s.date is not None else (published[:10] if published else None)  # as m007: COALESCE
    return {
        "doc_id": doc_id, "n": n, "id": s.id(doc_id), "start": s.start, "end": s.end, "text": s.text,
        "speaker_name": (sp.name or sp.text or None) if sp else None,
        "speaker_entity_id": known(sp.entity_id, entities) if sp else None,
        "speaker_text": sp.text if sp else None, "speaker_start": sp.start if sp else None,
        "speaker_end": sp.end if sp else None,
        "cue_text": cue.text if cue else None, "cue_start": cue.start if cue else None,
        "cue_end": cue.end if cue else None,
        "content_text": c.text, "content_start": c.start, "content_end": c.end,
        "kind": s.kind, "cue_class": s.cue_class, "date": s.date, "date_source": s.date_source,
        "stance": s.stance, "stance_reason": s.stance_reason,
        "published": published, "placed": placed, **placed_days(placed),
    }


def known(entity_id: str | None, stored: set[str]) -> str | None:
    return entity_id if entity_id in stored else None


def distinct(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with an id not seen before: two records at the same offsets are one record
    (their stable id is made of the offsets); the first is kept."""
    seen: set[str] = set()
    out = []
    for row in rows:
        if row["id"] not in seen:
            seen.add(row["id"])
            out.append(row)
    return out


def placed_days(value: str | None) -> dict[str, str | None]:
    span = days(value)
    return {"placed_first": span[0].isoformat(), "placed_last": span[1].isoformat()} if span else {
        "placed_first": None, "placed_last": None}

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
