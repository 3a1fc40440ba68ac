"""JSON Lines of articles or feed items, and RSS/Atom feeds.

A JSON Lines record needs text (``text``, ``content``, ``body``, ``description``
or ``summary``) and may carry ``title``, ``url``/``link``, ``published``
(/``date``/``pubDate``), ``updated``, ``outlet``/``source``, ``authors``/``author``,
``language``. The title and the text are stored as ``title + "\\n\\n" + text``
with the title as headline, so headline claims are analysed too.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from storyline.ingest.dates import parse_datetime
from storyline.ingest.outlets import Outlet, Outlets
from storyline.model import Document

TEXT_FIELDS = ("text", "content", "body", "description", "summary")
_TAG = re.compile(r"<[^>]+>")
MAX_RECORD_CHARS = 2_000_000


class BadRecord(ValueError):
    """A record that cannot become a Document; the message says why."""


def _plain(value: str) -> str:
    """Feed descriptions often carry HTML markup and entities."""
    if "<" in value or "&" in value:
        value = html.unescape(_TAG.sub(" ", value))
    return re.sub(r"[ \t]+", " ", value).strip()


def record_to_document(
    record: dict[str, Any],
    *,
    source: str,
    item: str,
    outlets: Outlets,
    outlet: Outlet | None = None,
    zone: tzinfo | None = None,
) -> Document:
    if not isinstance(record, dict):
        raise BadRecord(f"expected a JSON object, got {type(record).__name__}")
    body_text = next((record[f] for f in TEXT_FIELDS if isinstance(record.get(f), str) and record[f].strip()), None)
    title = record.get("title") if isinstance(record.get("title"), str) else None
    if body_text is None and not title:
        raise BadRecord(f"no text: none of {', '.join(TEXT_FIELDS)} or title is a non-empty string")
    url = record.get("url") or record.get("link")
    url = url if isinstance(url, str) else None
    named = record.get("outlet") or record.get("source")
    found = outlet or outlets.for_url(url) or outlets.for_name(named if isinstance(named, str) else None)
    zone = zone or (found.zone if found else None)

    title = _plain(title) if title else None
    body = _plain(body_text) if body_text else ""
    if len(body) > MAX_RECORD_CHARS:
        raise BadRecord(f"text too long ({len(body):,} characters > {MAX_RECORD_CHARS:,})")
    text = f"{title}\n\n{body}" if title and body else (title or body)
    headline = (0, len(title)) if title and body else None
    body_range = [(len(text) - len(body), len(text))] if body else [(0, len(text))]

    meta: dict[str, Any] = {"item": item}
    dates = {}
    for key, names in (("published", ("published", "date", "pubDate", "published_at")), ("updated", ("updated", "modified"))):
        raw = next((record[n] for n in names if isinstance(record.get(n), str) and record[n].strip()), None)
        if raw:
            parsed, assumed = parse_datetime(raw, zone)
            if parsed is None:
                raise BadRecord(f"unreadable {key} date {raw!r}")
            if assumed:
                meta["zone_assumed"] = "UTC"
            dates[key] = parsed
    authors = record.get("authors") or ([record["author"]] if isinstance(record.get("author"), str) else [])
    for key in ("feed_url", "provenance"):
        if key in record:
            meta[key] = record[key]
    return Document(
        text=text,
        url=url,
        outlet=found.name if found else (named if isinstance(named, str) else None),
        title=title,
        published=dates.get("published") or dates.get("updated"),
        updated=dates.get("updated") or dates.get("published"),
        authors=[a for a in authors if isinstance(a, str)],
        language=record.get("language") if isinstance(record.get("language"), str) else "en",
        body=body_range,
        headline=headline,
        source=source,
        meta=meta,
    )


def read_jsonl(
    text: str, *, source: str, outlets: Outlets, outlet: Outlet | None = None, zone: tzinfo | None = None
) -> Iterator[Document | tuple[str, str]]:
    """Documents, or ``(item, reason)`` for each line that cannot be one.

    A file holding a single JSON value (an array of records, or one record
    spread over several lines) is read as that value.
    """
    whole: Any = None
    if text.lstrip()[:1] in "[{" and "\n" in text.strip():
        try:
            whole = json.loads(text)
        except json.JSONDecodeError as err:
            if text.lstrip().startswith("["):
                yield "", f"invalid JSON: {err.msg} at line {err.lineno} column {err.colno}"
                return
            whole = None  # several objects: JSON Lines
    if whole is not None:
        records = whole if isinstance(whole, list) else [whole]
        for number, record in enumerate(records, 1):
            try:
                yield record_to_document(record, source=source, item=f"record {number}", outlets=outlets, outlet=outlet, zone=zone)
            except BadRecord as err:
                yield f"record {number}", str(err)
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        item = f"line {number}"
        try:
            record = json.loads(line)
            yield record_to_document(record, source=source, item=item, outlets=outlets, outlet=outlet, zone=zone)
        except json.JSONDecodeError as err:
            yield item, f"invalid JSON: {err.msg} at column {err.colno}"
        except BadRecord as err:
            yield item, str(err)


def feed_entry_record(entry: Any, feed_title: str | None) -> dict[str, Any]:
    """A feedparser entry as a record for :func:`record_to_document`."""
    return {
        "title": entry.get("title"),
        "description": (entry.get("content") or [{}])[0].get("value") or entry.get("summary"),
        "link": entry.get("link"),
        "published": entry.get("published") or entry.get("updated"),
        "updated": entry.get("updated"),
        "author": entry.get("author"),
        "outlet": feed_title,
    }


def read_feed(
    data: bytes, *, source: str, outlets: Outlets, outlet: Outlet | None = None, zone: tzinfo | None = None
) -> Iterator[Document | tuple[str, str]]:
    """Entries of an RSS or Atom feed."""
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        yield "", f"not a readable feed: {parsed.get('bozo_exception')}"
        return
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, 1):
        record = feed_entry_record(entry, feed_title)
        item = f"entry {number}"
        try:
            yield record_to_document(record, source=source, item=item, outlets=outlets, outlet=outlet, zone=zone)
        except BadRecord as err:
            yield item, str(err)
