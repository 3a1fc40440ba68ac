"""Ingest a batch: read sources, analyse what is new, store each document atomically.

Resumable by construction: a document is stored with all its rows in one
transaction, documents already in the store are skipped before analysis, so a
re-run after Ctrl-C or a kill finishes the batch without losing or duplicating
anything. A file or record that cannot be read, analysed or stored is recorded
with its reason and the batch goes on.

Streamed: files are read as analysis goes, up to ``PLACE_AHEAD`` documents
ahead, so stored work grows from the first window and memory does not grow
with the batch. Each window is analysed in publication order, and each
document joins the story layer as soon as it is stored, while the workers
analyse the next ones: a stream's documents join stories in the order they
were published, and no serial story step is left for the end of the batch.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.config import Settings
from storyline.ingest.files import ReadOptions, Rejected, expand, read_file
from storyline.ingest.language import not_analysed_reason
from storyline.model import Analysis, Document
from storyline.store import InvalidRecord, Rejection, Store, StoreError
from storyline.story.engine import StoryEngine

if TYPE_CHECKING:
    from spacy.language import Language

    from storyline.analyze.pipeline import Outcome


@dataclass
class Ingested:
    doc_id: str
    source: str  # file, or file:item for a record of a JSON Lines file or feed
    file: str
    title: str | None
    statements: int
    not_analysed: str | None = None  # why it was stored without analysis (a language the pipeline cannot read)


@dataclass
class BatchReport:
    ingested: list[Ingested] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, file, why)
    rejected: list[Rejected] = field(default_factory=list)


# Documents read ahead and put in publication order before analysis (about 50 MB of text at
# 24 KB a document): a batch up to this size joins stories exactly as if placed after the fact.
PLACE_AHEAD = 2000

# (event, amount). Events: "files" (how many input files, once), "file" (one more
# opened), "model" (0: loading starts, 1: loaded), "advance" (one more document
# analysed and stored or rejected), "skipped", "rejected" (one more, before analysis).
ProgressCallback = Callable[[str, int], None]
# Analysis elsewhere (storyline.analyze.ray_pool): documents in, their outcomes out, in order.
Analyzer = Callable[[Iterable[Document]], Iterator["Outcome"]]


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings,
    options: ReadOptions,
    *,
    nlp: Language | None = None,
    progress: ProgressCallback | None = None,
    analyzer: Analyzer | None = None,
) -> BatchReport:
    """Ingest files and folders (see :func:`storyline.ingest.files.read_sources`);
    the store's own files, when among them, are skipped. ``analyzer``, when given,
    analyses instead of the local pipeline (``nlp``)."""
    report = BatchReport()
    entries = list(expand(paths))  # names only: the contents are read as analysis goes
    if progress:
        progress("files", sum(1 for e in entries if not isinstance(e, Rejected)))

    def items() -> Iterator[Document | Rejected]:
        own = [Path(f) for f in store.files()]
        for entry in entries:
            if isinstance(entry, Rejected):
                yield entry
                continue
            if progress:
                progress("file", 1)
            if _is_one_of(entry, own):
                report.skipped.append(("", str(entry), f"{entry}: the store's own file"))
                continue
            yield from read_file(entry, options)

    return ingest_items(items(), store, settings, nlp=nlp, progress=progress, report=report, analyzer=analyzer)


def ingest_items(
    items: Iterable[Document | Rejected],
    store: Store,
    settings: Settings,
    *,
    nlp: Language | None = None,
    progress: ProgressCallback | None = None,
    report: BatchReport | None = None,
    analyzer: Analyzer | None = None,
) -> BatchReport:
    """Ingest documents from any source (files, fetched pages, feeds): rejections are
    recorded, stored documents skipped, the rest analysed and stored one by one."""
    report = report if report is not None else BatchReport()
    note = progress or (lambda event, amount: None)
    seen: dict[str, str] = {}
    # The story layer runs on any store with the SQL seam (storyline.store.sql): SQLite and PostgreSQL.
    stories = StoryEngine(store) if getattr(store, "sql", None) is not None else None
    if stories is not None:
        stories.catch_up()  # documents an interrupted run stored but did not place in a story

    def reject(rejected: Rejected) -> None:
        report.rejected.append(rejected)
        store.reject(Rejection(rejected.source, rejected.item, rejected.reason))

    def new_documents() -> Iterator[Document]:
        for item in items:
            if isinstance(item, Rejected):
                reject(item)
                note("rejected", 1)
                continue
            source = _label(item)
            if item.id in seen:
                report.skipped.append((item.id, item.source or "", f"{source}: same text as {seen[item.id]}"))
                note("skipped", 1)
            elif store.has_document(item.id):
                report.skipped.append((item.id, item.source or "", f"{source}: already stored"))
                store.forget_rejection(item.source or "", str(item.meta.get("item", "")))
                note("skipped", 1)
            else:
                seen[item.id] = source
                # Language hook (storyline.ingest.language): stored with its text, not analysed as English.
                if (why := not_analysed_reason(item)) is not None:
                    item.meta["not_analysed"] = why
                    if store.save(item, Analysis(doc_id=item.id)):
                        report.ingested.append(Ingested(item.id, source, item.source or "", item.title, 0, not_analysed=why))
                    continue
                yield item

    # The first new document, as read: with none there is no model to load. The window is put in
    # publication order only once the workers exist, so that they load while it is read.
    fresh = new_documents()
    first = next(fresh, None)
    if first is None:
        if stories is not None:
            stories.catch_up()  # documents stored without analysis (a language it cannot read)
        return report
    documents = _publication_order(itertools.chain([first], fresh), PLACE_AHEAD)
    if analyzer is not None:
        outcomes = analyzer(documents)
    else:
        if nlp is None:
            from storyline.analyze.pipeline import load_pipeline

            note("model", 0)
            nlp = load_pipeline(settings.model)
            note("model", 1)
        from storyline.analyze.pipeline import analyze

        outcomes = analyze(
            nlp, documents, processes=settings.processes, batch_size=settings.batch_size,
            watchdog=settings.watchdog,
        )
    # Closed on the way out, whatever the way: that ends the worker processes.
    with contextlib.closing(outcomes):
        for outcome in outcomes:
            document = outcome.document
            if outcome.analysis is None:
                reject(_rejected(document, outcome.error or "analysis failed"))
                note("advance", 1)
                continue
            try:
                stored = store.save(document, outcome.analysis)
            except InvalidRecord as err:
                reject(_rejected(document, str(err)))
            except StoreError as err:  # the database went away: not stored, a re-run stores it; the batch goes on
                report.rejected.append(_rejected(document, f"not stored: {err}"))
            else:
                if stored:
                    report.ingested.append(
                        Ingested(document.id, _label(document), document.source or "", document.title,
                                 len(outcome.analysis.statements))
                    )
                    if stories is not None:
                        stories.place(document, outcome.analysis)
                else:  # another process stored it meanwhile
                    report.skipped.append((document.id, document.source or "", f"{_label(document)}: already stored"))
            note("advance", 1)
    if stories is not None:
        stories.catch_up()  # what could not be placed above, and documents stored without analysis
    return report


def _publication_order(documents: Iterable[Document], window: int) -> Iterator[Document]:
    """``documents`` in windows of ``window``, each in the order the story layer places a
    store's documents (:meth:`StoryEngine.pending`): by publication, undated last, ties as read."""
    chunk: list[Document] = []

    def ordered() -> list[Document]:
        return sorted(chunk, key=lambda d: (d.published is None, d.published.isoformat() if d.published else ""))

    for document in documents:
        chunk.append(document)
        if len(chunk) >= window:
            yield from ordered()
            chunk = []
    yield from ordered()


def _rejected(document: Document, reason: str) -> Rejected:
    return Rejected(document.source or document.id, str(document.meta.get("item", "")), reason)


def _is_one_of(path: Path, files: list[Path]) -> bool:
    """Whether ``path`` is one of ``files`` (the same file, by device and inode, whatever its name)."""
    try:
        mine = path.stat()
    except OSError:
        return False
    for other in files:
        try:
            theirs = other.stat()
        except OSError:
            continue
        if (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino):
            return True
    return False


def _label(document: Document) -> str:
    item = document.meta.get("item")
    return f"{document.source}:{item}" if item else (document.source or document.id)


