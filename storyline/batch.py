"""Ingest a batch: read sources, analyse what is new, store each document atomically.

Resumable by construction: a document is stored with all its rows in one
transaction, documents already in the store are skipped before analysis, so a
re-run after Ctrl-C or a kill finishes the batch without losing or duplicating
anything. A file or record that cannot be read is recorded with its reason and
the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from storyline.analyze.pipeline import analyze, load_pipeline
from storyline.config import Settings
from storyline.ingest.files import ReadOptions, Rejected, read_sources
from storyline.ingest.language import not_analysed_reason
from storyline.model import Analysis, Document
from storyline.store import Rejection, SQLiteStore, Store
from storyline.story.engine import StoryEngine


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


ProgressCallback = Callable[[str, int], None]  # (event, amount): "total" n, "advance" 1


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings,
    options: ReadOptions,
    *,
    nlp: Language | None = None,
    progress: ProgressCallback | None = None,
) -> BatchReport:
    """Ingest files and folders (see :func:`storyline.ingest.files.read_sources`)."""
    return ingest_items(read_sources(paths, options), store, settings, nlp=nlp, progress=progress)


def ingest_items(
    items: Iterable[Document | Rejected],
    store: Store,
    settings: Settings,
    *,
    nlp: Language | None = None,
    progress: ProgressCallback | None = None,
) -> BatchReport:
    """Ingest documents from any source (files, fetched pages, feeds): rejections are
    recorded, stored documents skipped, the rest analysed and stored one by one."""
    report = BatchReport()
    stories = StoryEngine(store) if isinstance(store, SQLiteStore) else None
    if stories is not None:
        stories.catch_up()  # documents an interrupted run stored but did not place in a story
    pending: list[Document] = []
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Rejected):
            report.rejected.append(item)
            store.reject(Rejection(item.source, item.item, item.reason))
            continue
        source = _label(item)
        if item.id in seen:
            report.skipped.append((item.id, item.source or "", f"{source}: same text as {seen[item.id]}"))
        elif store.has_document(item.id):
            report.skipped.append((item.id, item.source or "", f"{source}: already stored"))
            store.forget_rejection(item.source or "", str(item.meta.get("item", "")))
        else:
            seen[item.id] = source
            # Language hook (storyline.ingest.language): stored with its text, not analysed as English.
            if (why := not_analysed_reason(item)) is not None:
                item.meta["not_analysed"] = why
                if store.save(item, Analysis(doc_id=item.id)):
                    report.ingested.append(Ingested(item.id, source, item.source or "", item.title, 0, not_analysed=why))
                continue
            pending.append(item)
    if not pending:
        return report
    if progress:
        progress("total", len(pending))
    nlp = nlp or load_pipeline(settings.model)
    for outcome in analyze(nlp, pending, processes=settings.processes, batch_size=settings.batch_size):
        document = outcome.document
        if outcome.analysis is None:
            rejected = Rejected(document.source or document.id, str(document.meta.get("item", "")), outcome.error or "analysis failed")
            report.rejected.append(rejected)
            store.reject(Rejection(rejected.source, rejected.item, rejected.reason))
        elif store.save(document, outcome.analysis):
            report.ingested.append(
                Ingested(document.id, _label(document), document.source or "", document.title, len(outcome.analysis.statements))
            )
        else:
            report.skipped.append((document.id, document.source or "", f"{_label(document)}: already stored"))
        if progress:
            progress("advance", 1)
    if stories is not None:
        # The batch's documents join stories in publication order, as a stream would bring them.
        stories.catch_up()
    return report


def _label(document: Document) -> str:
    item = document.meta.get("item")
    return f"{document.source}:{item}" if item else (document.source or document.id)
