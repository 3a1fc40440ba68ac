"""The JSON Lines export, storyline's reference format (documented in the README).

One JSON object per line. ``type`` is one of document, entity, statement, time,
figure, event. Every record that comes from text has ``doc_id``, ``start``,
``end`` (character offsets into the document's ``text``, Unicode code points,
end exclusive) and ``text`` (= the document text between them).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import IO, Any

from storyline.model import Analysis, Document, Statement, TextSpan
from storyline.store import Store


def _span(span: TextSpan | None) -> dict[str, Any] | None:
    return None if span is None else {"text": span.text, "start": span.start, "end": span.end}


def document_record(doc: Document) -> dict[str, Any]:
    return {
        "type": "document", "doc_id": doc.id, "url": doc.url, "outlet": doc.outlet, "title": doc.title,
        "published": doc.published.isoformat() if doc.published else None,
        "updated": doc.updated.isoformat() if doc.updated else None,
        "authors": doc.authors, "language": doc.language, "source": doc.source,
        "headline": list(doc.headline) if doc.headline else None,
        "body": [list(r) for r in doc.body], "meta": doc.meta,
        "analyzer": doc.analyzer, "ingested_at": doc.ingested_at, "text": doc.text,
    }


def statement_record(doc_id: str, s: Statement) -> dict[str, Any]:
    speaker = None
    if s.speaker is not None:
        speaker = {"name": s.speaker.name, "entity_id": s.speaker.entity_id, **(_span(s.speaker) or {})}
    return {
        "type": "statement", "id": s.id(doc_id), "doc_id": doc_id, "start": s.start, "end": s.end, "text": s.text,
        "speaker": speaker, "cue": _span(s.cue), "content": _span(s.content),
        "kind": s.kind, "cue_class": s.cue_class, "stance": s.stance, "stance_reason": s.stance_reason,
        "date": s.date, "date_source": s.date_source,
    }


def analysis_records(analysis: Analysis) -> Iterator[dict[str, Any]]:
    d = analysis.doc_id
    for e in analysis.entities:
        if not e.mentions:
            continue
        record: dict[str, Any] = {
            "type": "entity", "doc_id": d, "start": e.first.start, "end": e.first.end, "text": e.first.text,
            "id": e.id, "canonical": e.canonical, "entity_type": e.type, "roles": e.roles,
            "mentions": [_span(m) for m in e.mentions],
        }
        if e.lat is not None or e.country is not None:
            record.update(lat=e.lat, lon=e.lon, country=e.country, admin_level=e.admin_level, geonameid=e.geonameid,
                          place_key=e.place_key)
        yield record
    for s in analysis.statements:
        yield statement_record(d, s)
    for t in analysis.times:
        yield {"type": "time", "id": t.id(d), "doc_id": d, "start": t.start, "end": t.end, "text": t.text, "value": t.value,
               "time_type": t.type, "granularity": t.granularity, "anchor": t.anchor}
    for f in analysis.figures:
        yield {"type": "figure", "id": f.id(d), "doc_id": d, "start": f.start, "end": f.end, "text": f.text,
               "value": f.value, "unit": f.unit, "about": f.about, "qualifier": f.qualifier, "approximate": f.approximate}
    for ev in analysis.events:
        yield {"type": "event", "id": ev.id(d), "doc_id": d, "start": ev.start, "end": ev.end, "text": ev.text,
               "event_type": ev.type, "actor": ev.actor, "actor_entity_id": ev.actor_entity_id,
               "object": ev.object, "place": ev.place, "place_entity_id": ev.place_entity_id,
               "date": ev.date, "date_source": ev.date_source}


BATCH = 200  # documents whose analyses are read together: one query per table per batch


def analysed(store: Store, doc_ids: list[str] | None = None) -> Iterator[tuple[Document, Analysis]]:
    """Every stored document (or those of ``doc_ids``) with its analysis, in the store's order."""
    wanted = set(doc_ids) if doc_ids else None
    documents = (d for d in store.documents() if wanted is None or d.id in wanted)
    while batch := list(itertools.islice(documents, BATCH)):
        found = store.analyses([d.id for d in batch])
        for doc in batch:
            yield doc, found[doc.id]


def records(store: Store, doc_ids: list[str] | None = None) -> Iterator[dict[str, Any]]:
    for doc, analysis in analysed(store, doc_ids):
        yield document_record(doc)
        yield from analysis_records(analysis)


def write_jsonl(store: Store, out: IO[str], doc_ids: list[str] | None = None) -> int:
    n = 0
    for record in records(store, doc_ids):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n
