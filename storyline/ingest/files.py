"""Files and folders → Documents, with a clear reason for every file that is not one.

Text, HTML, JSON Lines and RSS/Atom files are recognised by extension, or by
their first characters when the extension says nothing. Folders are read
recursively, in name order, skipping hidden entries.

A byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides the encoding,
before any other check; without one, ``ReadOptions.encoding`` does. A file
whose decoded text holds a NUL character anywhere is rejected as binary: NUL
is never text, and stripping it would shift every offset after it.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from storyline.ingest import language
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


_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]


@dataclass
class Rejected:
    """A source (or one record of it) that did not become a Document, and why."""

    source: str
    item: str
    reason: str


@dataclass
class ReadOptions:
    """How sources are read; every field has a default (the bundled outlets, UTF-8)."""

    outlets: Outlets = field(default_factory=Outlets.bundled)
    outlet: Outlet | None = None  # force the outlet of every document
    zone: tzinfo | None = None  # force the time zone of datelines that give none
    encoding: str = "utf-8"
    max_bytes: int = MAX_FILE_BYTES


def expand(paths: Iterable[str | Path]) -> Iterator[Path | Rejected]:
    """The files the paths name, and a Rejected for each entry that is not a regular file.

    Hidden entries inside folders are skipped; symbolic links that lead nowhere,
    named pipes, sockets and devices are rejected (and never opened: a named pipe
    would block the read).
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                children = sorted(path.rglob("*"))
            except OSError as err:
                yield Rejected(str(path), "", f"cannot list the folder: {err.strerror or err}")
                continue
            found = 0
            for child in children:
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or child.is_dir():
                    continue
                found += 1
                yield child if child.is_file() else Rejected(str(child), "", _not_regular(child))
            if not found:
                yield Rejected(str(path), "", "no files in the folder (hidden entries are skipped)")
        elif path.is_file():
            yield path
        else:
            yield Rejected(str(path), "", _not_regular(path))


def _not_regular(path: Path) -> str:
    """Why a path that is not a regular file (nor a folder) cannot be read."""
    if path.is_symlink() and not path.exists():
        return f"symbolic link to a missing file ({os.readlink(path)})"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "no such file or folder"
    except OSError as err:
        return f"cannot read: {err.strerror or err}"
    for test, kind in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return f"not a regular file ({kind})"
    return "not a regular file"


def sniff(path: Path, head: str) -> str:
    """The kind of a file, from its extension or, when that says nothing, its first characters."""
    kind = KINDS.get(path.suffix.lower())
    if kind:
        return kind
    start = head.lstrip("\ufeff \t\r\n")[:512].lower()
    lower = head.lower()
    if start.startswith(("{", "[")):
        return "jsonl"
    if start.startswith("<?xml") and ("<rss" in lower or "<feed" in lower or "<rdf:rdf" in lower) or start.startswith(("<rss", "<feed")):
        return "feed"
    if start.startswith(("<!doctype html", "<html")) or "<body" in start:
        return "html"
    return "text"


def byte_order_mark(data: bytes) -> str | None:
    """The encoding a byte-order mark announces (UTF-32 is tested first: its LE mark starts like UTF-16's)."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return encoding
    return None


def _binary(text: str) -> str | None:
    """Why decoded text is not text: NUL characters anywhere, or many control characters at the start."""
    if (nul := text.find("\x00")) >= 0:
        return f"binary file (NUL character at character {nul:,})"
    head = text[:8192]
    controls = sum(1 for c in head if c < " " and c not in "\t\n\f\r\x1b")
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


def _read_bytes(path: Path, options: ReadOptions) -> tuple[bytes, str, str | None] | Rejected:
    """The file's bytes, its kind and the encoding its byte-order mark names; a Rejected when unreadable.

    Opened without blocking and checked to be a regular file once open, so a
    file swapped for a named pipe after the folder was listed cannot hang the batch.
    """
    source = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        return Rejected(source, "", f"cannot read: {err.strerror or err}")
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Rejected(source, "", _not_regular(path))
        try:
            head = handle.read(8192)
            bom = byte_order_mark(head)
            kind = sniff(path, head.decode(bom or "utf-8", errors="replace"))
            limit = MAX_JSONL_BYTES if kind == "jsonl" else options.max_bytes
            if info.st_size > limit:
                return Rejected(source, "", f"file too large ({info.st_size / 1e6:.1f} MB > {limit / 1e6:.0f} MB limit)")
            return head + handle.read(), kind, bom
        except OSError as err:
            return Rejected(source, "", f"cannot read: {err.strerror or err}")


def read_file(path: Path, options: ReadOptions) -> Iterator[Document | Rejected]:
    source = str(path)
    read = _read_bytes(path, options)
    if isinstance(read, Rejected):
        yield read
        return
    data, kind, bom = read
    if not data.strip():
        yield Rejected(source, "", "empty file")
        return
    encoding = bom or options.encoding  # a byte-order mark says what the bytes are, whatever --encoding says
    # In every other encoding a NUL byte is a NUL character: say "binary" before "not valid UTF-8".
    if not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")) and (why := _binary(data[:8192].decode("latin-1"))):
        yield Rejected(source, "", why)
        return
    try:
        text = _decode(data, encoding)
    except BadRecord as err:
        if kind != "feed":  # XML declares its own encoding: feedparser reads it
            yield Rejected(source, "", str(err))
            return
        text = data.decode("utf-8", errors="replace")
    if (why := _binary(text)) is not None:
        yield Rejected(source, "", why)
        return
    if not text.strip():
        yield Rejected(source, "", "empty file (only whitespace)")
        return
    for result in _parse(kind, text, data, source, options):
        if isinstance(result, Document):
            language.settle(result)
        yield result


def _parse(kind: str, text: str, data: bytes, source: str, options: ReadOptions) -> Iterator[Document | Rejected]:
    where = {"source": source, "outlets": options.outlets, "outlet": options.outlet, "zone": options.zone}
    try:
        if kind == "text":
            yield parse_article_text(text, **where)
        elif kind == "html":
            yield parse_html(text, **where)
        else:
            reader = read_jsonl(text, **where) if kind == "jsonl" else read_feed(data, **where)
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
