"""Files and folders → Documents, with a clear reason for every file that is not one.

Text, HTML, JSON Lines and RSS/Atom files are recognised by extension, or by
their first bytes when the extension says nothing. Folders are read
recursively, in name order, skipping hidden entries.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from storyline.ingest.html import parse_html
from storyline.ingest.outlets import Outlet, Outlets
from storyline.ingest.records import BadRecord, read_feed, read_jsonl
from storyline.ingest.text import parse_article_text
from storyline.model import Document

MAX_FILE_BYTES = 20_000_000  # larger than any article; JSON Lines batches may be bigger
MAX_JSONL_BYTES = 500_000_000

KINDS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}


@dataclass
class Rejected:
    """A source (or one record of it) that did not become a Document, and why."""

    source: str
    item: str
    reason: str


@dataclass
class ReadOptions:
    outlets: Outlets
    outlet: Outlet | None = None  # force the outlet of every document
    zone: tzinfo | None = None  # force the time zone of datelines that give none
    encoding: str = "utf-8"
    max_bytes: int = MAX_FILE_BYTES


def expand(paths: Iterable[str | Path]) -> Iterator[Path | Rejected]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield child
        elif path.is_file():
            yield path
        elif path.exists():
            yield Rejected(str(path), "", "not a regular file")
        else:
            yield Rejected(str(path), "", "no such file or folder")


def sniff(path: Path, head: bytes) -> str:
    kind = KINDS.get(path.suffix.lower())
    if kind:
        return kind
    start = head.lstrip()[:512].lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<?xml") and (b"<rss" in head.lower() or b"<feed" in head.lower()) or start.startswith((b"<rss", b"<feed")):
        return "feed"
    if start.startswith((b"<!doctype html", b"<html")) or b"<body" in start:
        return "html"
    return "text"


def _binary(head: bytes) -> str | None:
    if b"\x00" in head:
        return "binary file (contains NUL bytes)"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if head and controls / len(head) > 0.05:
        return "binary file (control characters)"
    return None


def _decode(data: bytes, encoding: str) -> str:
    codec = codecs.lookup(encoding)
    if codec.name == "utf-8":
        encoding = "utf-8-sig"  # a byte-order mark is not text
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise BadRecord(
            f"not valid {codec.name} (byte 0x{data[err.start]:02x} at offset {err.start}); "
            f"convert the file or pass --encoding"
        ) from err


def read_file(path: Path, options: ReadOptions) -> Iterator[Document | Rejected]:
    source = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8192)
            kind = sniff(path, head)
            limit = MAX_JSONL_BYTES if kind == "jsonl" else options.max_bytes
            if size > limit:
                yield Rejected(source, "", f"file too large ({size / 1e6:.1f} MB > {limit / 1e6:.0f} MB limit)")
                return
            data = head + handle.read()
    except OSError as err:
        yield Rejected(source, "", f"cannot read: {err.strerror or err}")
        return
    if not data.strip():
        yield Rejected(source, "", "empty file")
        return
    if (why := _binary(head)) is not None:
        yield Rejected(source, "", why)
        return
    try:
        text = _decode(data, options.encoding)
    except BadRecord as err:
        yield Rejected(source, "", str(err))
        return
    if not text.strip():
        yield Rejected(source, "", "empty file (only whitespace)")
        return
    try:
        if kind == "text":
            yield parse_article_text(text, source=source, outlets=options.outlets, outlet=options.outlet, zone=options.zone)
        elif kind == "html":
            yield parse_html(text, source=source, outlets=options.outlets, outlet=options.outlet, zone=options.zone)
        else:
            reader = read_jsonl(text, source=source, outlets=options.outlets, outlet=options.outlet, zone=options.zone) if kind == "jsonl" else read_feed(
                data, source=source, outlets=options.outlets, outlet=options.outlet, zone=options.zone
            )
            for result in reader:
                yield Rejected(source, *result) if isinstance(result, tuple) else result
    except BadRecord as err:
        yield Rejected(source, "", str(err))


def read_sources(paths: Iterable[str | Path], options: ReadOptions) -> Iterator[Document | Rejected]:
    """Every Document the paths hold, and a Rejected for everything that is not one."""
    for entry in expand(paths):
        if isinstance(entry, Rejected):
            yield entry
        else:
            yield from read_file(entry, options)
