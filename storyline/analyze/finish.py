"""``storyline_finish``: the last component."""

from __future__ import annotations

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from storyline.analyze.extensions import forget_text


@Language.component("storyline_finish", assigns=["doc.tensor"])
def finish(doc: Doc) -> Doc:
    """Drop the token vectors once every component has used them: nothing
    downstream reads them, and they are three quarters of the bytes a worker
    process sends back."""
    doc.tensor = numpy.zeros((0,), dtype="float32")
    forget_text(doc)  # the joined text: the doc carries its own
    return doc
