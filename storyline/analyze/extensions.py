"""The ``Doc`` extensions storyline's components read and write.

Inputs, set before the pipeline runs (see :func:`storyline.analyze.pipeline.make_doc`):

- ``doc._.doc_id``: the Document id.
- ``doc._.published``: publication time as an ISO 8601 string (the anchor for
  relative dates), or None.
- ``doc._.outlet_country``: ISO 3166-1 alpha-2 country of the outlet, or None
  (a prior for place resolution);
- ``doc._.outlet_region``: ISO 3166-2 home region of a local outlet, or None.

Outputs, each a list of :mod:`storyline.model` records with character offsets
into ``doc.text`` (which has the Document's offsets):

- ``doc._.entities`` (Entity), ``doc._.statements`` (Statement),
  ``doc._.times`` (TimeExpression), ``doc._.figures`` (Figure),
  ``doc._.events`` (Event).

The records travel between ``nlp.pipe`` worker processes inside
``Doc.to_bytes``, so they get a msgpack encoder and decoder here.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import srsly
from spacy.tokens import Doc, Span

from storyline import model

INPUTS = ("doc_id", "published", "outlet_country", "outlet_region")
OUTPUTS = ("entities", "statements", "times", "figures", "events")

_RECORDS: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        model.TextSpan,
        model.Speaker,
        model.Entity,
        model.Statement,
        model.TimeExpression,
        model.Figure,
        model.Event,
    )
}
_TAG = "__storyline__"


_TEXT = "storyline_text"


def text_of(doc: Doc) -> str:
    """``doc.text``, joined once: spaCy joins every token's text each time it is read, and
    several components read it. Kept in ``doc.user_data`` until ``storyline_finish`` drops it
    (retokenizing a doc never changes its text)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def keep_text(doc: Doc, text: str) -> Doc:
    """Note ``text`` as ``doc``'s, for :func:`text_of`: the tokenizer's own input, which its
    tokens spell out exactly (spaCy's tokenizer never alters a character), so the join of
    the tokens that ``doc.text`` would make is not needed at all."""
    doc.user_data[_TEXT] = text
    return doc


def forget_text(doc: Doc) -> None:
    doc.user_data.pop(_TEXT, None)


def register() -> None:
    """Register the extensions (idempotent)."""
    for name in INPUTS + OUTPUTS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    # The canonical entity a named-entity span belongs to ("e1", …).
    if not Span.has_extension("entity_id"):
        Span.set_extension("entity_id", default=None)


def _encode(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    cls = type(obj)
    if dataclasses.is_dataclass(obj) and _RECORDS.get(cls.__name__) is cls:
        data = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
        data[_TAG] = cls.__name__
        return data
    return obj if chain is None else chain(obj)


def _decode(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, dict) and _TAG in obj:
        data = dict(obj)
        return _RECORDS[data.pop(_TAG)](**data)
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("storyline_records", func=_encode)
srsly.msgpack_decoders.register("storyline_records", func=_decode)
register()
