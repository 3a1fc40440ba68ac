"""The Python API in one object: a store, and what it takes to fill and read it.

    import storyline

    with storyline.open("story.db") as s:
        s.ingest(["samples/"])
        for row in s.statements(speaker="Putin"):
            print(row.statement.content.text)

The spaCy pipeline loads on the first ``ingest`` that has something new to
analyse, once per session. Everything here is also reachable piece by piece
(:func:`storyline.read_sources`, :func:`storyline.analyze_documents`,
:func:`storyline.open_store`).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from datetime import date, tzinfo
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from spacy.language import Language

from storyline import __version__
from storyline.analyze.pipeline import load_pipeline
from storyline.batch import BatchReport, ProgressCallback
from storyline.batch import ingest as ingest_paths
from storyline.config import Settings
from storyline.export import WRITERS
from storyline.ingest.files import ReadOptions
from storyline.ingest.outlets import Outlet, Outlets
from storyline.model import Analysis, Document
from storyline.store import Rejection, SQLiteStore, StatementQuery, StoredStatement, TimelineItem, open_store


class Session:
    """A storyline store opened for reading and ingesting; a context manager that closes it."""

    def __init__(self, store: SQLiteStore, settings: Settings, options: ReadOptions | None = None) -> None:
        self.store = store
        self.settings = settings
        self.options = options or ReadOptions()
        self._nlp: Language | None = None

    # -- filling ---------------------------------------------------------

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline (the settings' model plus storyline's components), loaded once."""
        if self._nlp is None:
            self._nlp = load_pipeline(self.settings.model)
        return self._nlp

    def ingest(
        self,
        paths: Iterable[str | Path] | str | Path,
        *,
        outlet: str | Outlet | None = None,
        zone: tzinfo | None = None,
        encoding: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> BatchReport:
        """Read, analyse and store files and folders; what is stored already is skipped.

        ``outlet`` (a domain, a name or an :class:`Outlet`) and ``zone`` force those
        of every document, as ``storyline ingest --outlet/--tz`` do.
        """
        if isinstance(paths, (str, Path)):
            paths = [paths]
        options = ReadOptions(
            outlets=self.options.outlets,
            outlet=self._outlet(outlet) if outlet is not None else self.options.outlet,
            zone=zone or self.options.zone,
            encoding=encoding or self.options.encoding,
            max_bytes=self.options.max_bytes,
        )
        return ingest_paths(paths, self.store, self.settings, options, nlp=self.nlp, progress=progress)

    def _outlet(self, outlet: str | Outlet) -> Outlet:
        if isinstance(outlet, Outlet):
            return outlet
        found = self.options.outlets.for_domain(outlet) or self.options.outlets.for_name(outlet)
        return found or Outlet(domain="", name=outlet)

    # -- reading ---------------------------------------------------------

    def statements(
        self,
        *,
        speaker: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        cue_class: str | None = None,
        search: str | None = None,
        doc: str | None = None,
        limit: int | None = None,
    ) -> list[StoredStatement]:
        """Who said what, filtered as ``storyline statements`` filters (dates as ``date`` or "YYYY-MM-DD")."""
        doc_id = self.store.resolve_id(doc) if doc else None
        if doc and doc_id is None:
            raise KeyError(f"no single document with id {doc!r}")
        return list(self.store.statements(
            StatementQuery(speaker, _day(since), _day(until), cue_class, search, doc_id, limit)
        ))

    def timeline(self, since: date | str | None = None, until: date | str | None = None) -> list[TimelineItem]:
        """Events and statements in the order they happened."""
        return list(self.store.timeline(_day(since), _day(until)))

    def documents(self) -> Iterator[Document]:
        return self.store.documents()

    def document(self, doc_id: str) -> Document | None:
        """The document with this id or unique id prefix."""
        return self.store.document(doc_id)

    def analysis(self, doc_id: str) -> Analysis:
        return self.store.analysis(self.store.resolve_id(doc_id) or doc_id)

    def rejections(self) -> list[Rejection]:
        return self.store.rejections()

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    def export(self, out: IO[str] | str | Path, format: str = "jsonl") -> int:
        """Write the record as ``jsonl``, ``csv`` or ``annotations`` to a file or path; returns the count."""
        try:
            write = WRITERS[format]
        except KeyError:
            raise ValueError(f"unknown format {format!r}: one of {', '.join(WRITERS)}") from None
        if isinstance(out, (str, Path)):
            with builtins.open(out, "w", encoding="utf-8", newline="") as handle:
                return write(self.store, handle)
        return write(self.store, out)

    # -- lifetime --------------------------------------------------------

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def open(  # noqa: A001 - storyline.open, like sqlite3.connect or shelve.open
    db: str | Path | None = None,
    *,
    model: str | None = None,
    processes: int | None = None,
    outlets: Outlets | None = None,
    nlp: Language | None = None,
) -> Session:
    """Open (creating if needed) the store at ``db`` (default: ``STORYLINE_DB`` or ``storyline.db``).

    ``model`` and ``processes`` override the settings read from the environment;
    ``outlets`` replaces the bundled outlet list; ``nlp`` shares a pipeline
    already loaded (:func:`storyline.load_pipeline`) instead of loading one.
    """
    overrides: dict[str, Any] = {k: v for k, v in {"model": model, "processes": processes}.items() if v is not None}
    settings = Settings(**overrides)
    if db is not None:
        settings.db = str(db)
    store = open_store(settings.db, analyzer=f"storyline {__version__}; {settings.model}")
    session = Session(store, settings, ReadOptions(outlets=outlets) if outlets is not None else None)
    session._nlp = nlp
    return session


def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
