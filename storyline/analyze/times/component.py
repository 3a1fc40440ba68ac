"""The ``storyline_times`` spaCy component: writes ``doc._.times``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from storyline.analyze import extensions
from storyline.analyze.extensions import text_of
from storyline.analyze.times.recognize import find_times


class TimeTagger:
    """Tag and normalise the time expressions of a ``Doc``, anchored on ``doc._.published``.

    Stateless: the grammar is compiled once per process at import, so nothing
    large is pickled into ``nlp.pipe`` workers.
    """

    def __call__(self, doc: Doc) -> Doc:
        doc._.times = find_times(text_of(doc), doc._.published, doc)
        return doc


@Language.factory("storyline_times", assigns=["doc._.times"], requires=["token.dep", "token.tag"])
def make_time_tagger(nlp: Language, name: str) -> TimeTagger:
    extensions.register()
    return TimeTagger()
