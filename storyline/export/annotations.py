"""Statements as W3C Web Annotations (JSON-LD), for annotation tools and archives.

Each statement becomes one annotation. Its selectors point into the text
storyline stored, which for a fetched page or feed item is not the live page:
so every target's ``source`` is the stored document (``urn:storyline:doc:<id>``,
a ``text/plain`` resource), and the page it was read from, where known, is that
resource's ``via`` (the W3C model's "the IRI it was obtained from"). Two
selectors locate the span: a ``TextPositionSelector`` (offsets in Unicode code
points into the stored text, as the model specifies) and a ``TextQuoteSelector``
(the exact text with 32 characters of context on each side), which also finds
the span in another copy of the text, the live page included, where offsets
differ. The speaker, cue and content are further targets with their own
selectors and a ``storyline:role``. ``generator`` and ``created`` say what
analysed the document and when it was stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from storyline.model import Document, Statement, TextSpan
from storyline.export.jsonl import analysed
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


def _source(document: Document) -> dict[str, Any]:
    """The stored text the selectors point into, and the page it came from."""
    source: dict[str, Any] = {"id": f"urn:storyline:doc:{document.id}", "type": "Text", "format": "text/plain"}
    if document.language:
        source["language"] = document.language
    if document.url:
        source["via"] = document.url
    return source


def statement_annotation(document: Document, statement: Statement) -> dict[str, Any]:
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
    annotation: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:storyline:statement:{document.id}:{statement.id(document.id)}",
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
    if document.analyzer:
        annotation["generator"] = {"type": "Software", "name": document.analyzer}
    if document.ingested_at:
        annotation["created"] = document.ingested_at
    return annotation


def annotations(store: Store) -> Iterator[dict[str, Any]]:
    for document, analysis in analysed(store):
        for statement in analysis.statements:
            yield statement_annotation(document, statement)


def write_annotations(store: Store, out: IO[str]) -> int:
    n = 0
    for annotation in annotations(store):
        out.write(json.dumps(annotation, ensure_ascii=False) + "\n")
        n += 1
    return n
