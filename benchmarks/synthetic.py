"""Synthetic stores for the scale benchmarks: copies of a seed store's documents.

A copy gets a new id, its publication date moved by whole 120-day epochs (so
each epoch is a new stretch of news, as in a long-running store), and a fifth
of its words replaced by words of another document, so copies are neither
duplicates of one another nor one story. A copy also gets its own URL: the
seed's, with the copy's id as a last path segment (same host, about the same
length). In a real store every document fetched from the web has its own URL,
so each new document's entry lands at its own place in the URL index; copies
that kept their seed's URL piled up at the seeds' few places there and
understated what a save writes (README, Performance).
"""

from __future__ import annotations

import copy
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyline.model import Analysis, Document, document_id  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.store.periods import days  # noqa: E402

EPOCH_DAYS = 120


def seed(path: Path) -> list[tuple[Document, Analysis]]:
    """The documents and analyses of the store at ``path``; the bundled sample, ingested there, if it does not exist."""
    if not path.exists():
        from storyline.batch import ingest as ingest_paths
        from storyline.config import Settings
        from storyline.ingest.files import ReadOptions

        with open_store(path) as store:
            ingest_paths([ROOT / "samples"], store, Settings(db=str(path)), ReadOptions())
    with open_store(path) as store:
        return [(d, store.analysis(d.id)) for d in store.documents()]


def words_of(pairs: list[tuple[Document, Analysis]]) -> list[str]:
    return sorted({w for d, _ in pairs for w in re.findall(r"[A-Za-z]{4,}", d.text)})


def shifted(value: str | None, shift: timedelta) -> str | None:
    """A TIMEX date value moved by ``shift``, at the same precision (a day, week, month or year)."""
    span = days(value)
    if value is None or span is None:
        return value
    first = span[0] + shift
    if re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return first.isoformat() + value[10:]
    if "-W" in value:
        year, week, _ = first.isocalendar()
        return f"{year}-W{week:02d}"
    if re.match(r"^\d{4}-\d{2}", value):
        return first.strftime("%Y-%m")
    return f"{first.year:04d}"


def copy_url(url: str | None, doc_id: str) -> str | None:
    """The seed's URL with ``doc_id`` as its last path segment; None (a document read from a file) stays None."""
    if url is None:
        return None
    parts = urlsplit(url)
    return parts._replace(path=parts.path.rstrip("/") + "/" + doc_id, query="", fragment="").geturl()


def variant(document: Document, analysis: Analysis, k: int, words: list[str], rng: random.Random,
            *, shift_dates: bool = False) -> tuple[Document, Analysis]:
    """Copy k of a document: new id and URL, later dates, a fifth of its letters-only words swapped (same lengths kept
    where possible, so every offset still points at text of the same shape). With ``shift_dates`` the dates
    of its statements, events and times move with its publication date (as later news would have them)."""
    text = list(document.text)
    tokens = [m for m in re.finditer(r"[A-Za-z]{4,}", document.text)]
    for m in rng.sample(tokens, k=len(tokens) // 5):
        candidates = [w for w in words if len(w) == m.end() - m.start()]
        if candidates:
            text[m.start():m.end()] = rng.choice(candidates)
    new_text = "".join(text)
    shift = timedelta(days=EPOCH_DAYS * k)
    new_id = document_id(new_text)
    doc = replace(document, text=new_text, id=new_id, url=copy_url(document.url, new_id),
                  published=document.published + shift if document.published else None,
                  source=f"{document.source}#copy{k}")
    # Spans keep their offsets; their text is re-read from the new text.
    for item in [*analysis.statements, *analysis.figures, *analysis.times, *analysis.events]:
        item.text = new_text[item.start:item.end]
    for s in analysis.statements:
        s.content.text = new_text[s.content.start:s.content.end]
        if s.speaker is not None:
            s.speaker.text = new_text[s.speaker.start:s.speaker.end]
        if s.cue is not None:
            s.cue.text = new_text[s.cue.start:s.cue.end]
    for e in analysis.entities:
        for m in e.mentions:
            m.text = new_text[m.start:m.end]
    if shift_dates:
        for item in [*analysis.statements, *analysis.events]:
            item.date = shifted(item.date, shift)
        for t in analysis.times:
            t.value = shifted(t.value, shift) or t.value
    return doc, replace(analysis, doc_id=doc.id)


def copies(pairs: list[tuple[Document, Analysis]], n: int, start: int, rng: random.Random,
           *, shift_dates: bool = False) -> Iterator[tuple[Document, Analysis]]:
    """n copies of the seed documents, epoch ``start`` first, then start+1, …"""
    words = words_of(pairs)
    added, k = 0, start
    while added < n:
        for document, analysis in pairs:
            if added >= n:
                return
            yield variant(document, copy.deepcopy(analysis), k, words, rng, shift_dates=shift_dates)
            added += 1
        k += 1

