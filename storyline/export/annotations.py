"""Statements as W3C Web Annotations (JSON-LD), for annotation tools and archives.

Each statement becomes one annotation whose target is the document (its URL
where known, else ``urn:storyline:doc:<id>``) with two selectors for the
statement's span: a ``TextPositionSelector`` (offsets in Unicode code points,
as the W3C model specifies) and a ``TextQuoteSelector`` (exact text with 32
characters of context on each side), so the span can be found again even in a
copy of the text with different offsets. The speaker, cue and content are
further targets with their own selectors and a ``storyline:role``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from storyline.model import Document, Statement, TextSpan
from storyline.store import Store

CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"storyline": "urn:storyline:vocab#"}]
_AFFIX = 32


def selectors(document: Document, span: TextSpan) -> list[dict[str, Any]]:
    text = document.text
    return [
        {"type": "TextPositionSelector", "start": span.start, "end": span.end},
        {
            "type": "TextQuoteSelector",
            "exact": text[span.start : span.end],
            "prefix": text[max(0, span.start - _AFFIX) : span.start],
            "suffix": text[span.end : span.end + _AFFIX],
        },
    ]


def _source(document: Document) -> str:
    return document.url or f"urn:storyline:doc:{document.id}"


def statement_annotation(document: Document, n: int, statement: Statement) -> dict[str, Any]:
    parts = {"speaker": statement.speaker, "cue": statement.cue, "content": statement.content}
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "describing", "value": statement.content.text, "format": "text/plain"},
        {"type": "TextualBody", "purpose": "tagging", "value": f"cue_class:{statement.cue_class}"},
        {"type": "TextualBody", "purpose": "tagging", "value": f"kind:{statement.kind}"},
    ]
    if statement.speaker is not None:
        body.append({"type": "TextualBody", "purpose": "identifying", "value": statement.speaker.name})
    if statement.date:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": f"date:{statement.date}"})
    return {
        "@context": CONTEXT,
        "id": f"urn:storyline:statement:{document.id}:{n}",
        "type": "Annotation",
        "motivation": "describing",
        "body": body,
        "target": [
            {"source": _source(document), "selector": selectors(document, TextSpan(statement.start, statement.end, statement.text))},
            *(
                {"source": _source(document), "selector": selectors(document, span), "storyline:role": role}
                for role, span in parts.items()
                if span is not None
            ),
        ],
    }


def annotations(store: Store) -> Iterator[dict[str, Any]]:
    for document in store.documents():
        for n, statement in enumerate(store.analysis(document.id).statements):
            yield statement_annotation(document, n, statement)


def write_annotations(store: Store, out: IO[str]) -> int:
    n = 0
    for annotation in annotations(store):
        out.write(json.dumps(annotation, ensure_ascii=False) + "\n")
        n += 1
    return n
