"""The storage interface every backend implements (SQLite now, PostgreSQL later)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from storyline.model import Analysis, Document, Event, Statement
from storyline.store.sql import SQL


@dataclass
class StatementQuery:
    """Filters for :meth:`Store.statements`; all optional, combined with AND."""

    speaker: str | None = None  # substring of the canonical speaker name (LIKE: any case for ASCII letters) or of the speaker span
    since: date | None = None  # statements made (or, undated, published) on or after
    until: date | None = None  # … on or before
    cue_class: str | None = None
    search: str | None = None  # words, or an FTS5 query, over content, speaker and cue
    doc_id: str | None = None
    limit: int | None = None
    offset: int = 0  # skip this many (with limit: pages in the statements' order)


@dataclass
class StoredStatement:
    statement: Statement
    doc_id: str
    outlet: str | None
    title: str | None
    url: str | None
    published: str | None  # ISO 8601


@dataclass
class TimelineItem:
    """An event or statement placed at the date it happened."""

    date: str  # ISO date/month/year value, as precise as the text allows
    kind: str  # "event" or "statement"
    summary: str
    doc_id: str
    start: int
    end: int
    text: str
    outlet: str | None
    published: str | None
    date_source: str | None
    record: Event | Statement


class InvalidRecord(ValueError):
    """A document whose analysis the store cannot hold; the document is rejected, the batch goes on."""


class BadQuery(ValueError):
    """A search the full-text index cannot parse."""


class StoreError(RuntimeError):
    """The store cannot be used: not a store, damaged, locked for too long. One line, for the user."""


@dataclass
class Rejection:
    source: str
    item: str  # "" for a whole file, "line 7" for one record of a JSON Lines file
    reason: str


@dataclass
class FetchState:
    """Conditional-GET validators of a URL, and the document its last fetch gave."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    doc_id: str | None = None


class Store(Protocol):
    sql: SQL  # what the story layer reads and writes through

    def has_document(self, doc_id: str) -> bool: ...

    def save(self, document: Document, analysis: Analysis) -> bool:
        """Store a document and its analysis atomically; False if it was already stored
        (by this process or another). Raises :class:`InvalidRecord` for records it cannot hold."""
        ...

    def files(self) -> list[str]:
        """The files the store keeps its data in (none for a database server)."""
        ...

    def reject(self, rejection: Rejection) -> None: ...

    def forget_rejection(self, source: str, item: str = "") -> None: ...

    def rejections(self) -> list[Rejection]: ...

    def document(self, doc_id: str) -> Document | None:
        """The document with this id (or unique id prefix)."""
        ...

    def document_ids(self, prefix: str, limit: int = 10) -> list[str]:
        """Ids of the documents whose id starts with ``prefix`` (at most ``limit``), in order."""
        ...

    def documents(self) -> Iterator[Document]: ...

    def analysis(self, doc_id: str) -> Analysis: ...

    def analyses(self, doc_ids: Sequence[str]) -> dict[str, Analysis]:
        """The analyses of several documents at once (for exports: a few queries per batch)."""
        ...

    def statements(self, query: StatementQuery) -> Iterator[StoredStatement]:
        """Matching statements in the order they were made, read as the caller iterates."""
        ...

    def timeline(
        self, since: date | None = None, until: date | None = None, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[TimelineItem]:
        """Dated events and statements in the order they happened, read as the caller iterates."""
        ...

    def not_analysed(self) -> list[tuple[str, str, str | None]]:
        """(doc_id, why, title) of the documents stored without analysis."""
        ...

    def counts(self) -> dict[str, int]: ...

    def search_documents(self, match: str, limit: int = 20) -> list[dict[str, Any]]:
        """Documents whose title or text match ``match`` (the ``--search`` query language), best first:
        doc_id, url, outlet, title, published, language, source. Raises :class:`BadQuery`."""
        ...

    # -- fetching: what survives between runs --------------------------------

    def url_document(self, url: str) -> str | None:
        """The id of a stored document with this (canonical) URL."""
        ...

    def fetch_state(self, url: str) -> FetchState | None: ...

    def save_fetch_state(self, state: FetchState) -> None: ...

    def feed_item_document(self, feed_url: str, item: str) -> str | None:
        """The document a feed item was read into, if it was seen before."""
        ...

    def save_feed_item(self, feed_url: str, item: str, doc_id: str) -> None: ...

    def feed_items_unstored(self, feed_url: str) -> int:
        """Items of the feed seen but whose documents are not (yet) stored."""
        ...

    def close(self) -> None: ...
