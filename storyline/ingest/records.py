"""JSON Lines of articles or feed items, and RSS/Atom feeds.

Every record is validated against :class:`storyline.ingest.schema.ArticleRecord`
(the accepted fields and forms are listed there); a record that does not fit is
rejected with the field and the reason. The title and the text are stored as
``title + "\\n\\n" + text`` with the title as headline, so headline claims are
analysed too. HTML in a field is turned into text by a real parser
(:mod:`storyline.ingest.markup`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from pydantic import ValidationError

from storyline.ingest import language
from storyline.ingest.markup import html_to_text, looks_like_markup
from storyline.ingest.outlets import Outlet, Outlets
from storyline.ingest.schema import MAX_RECORD_CHARS, ArticleRecord, describe
from storyline.model import Document

__all__ = ["MAX_RECORD_CHARS", "BadRecord", "read_feed", "read_jsonl", "record_to_document"]


_SPACES = re.compile(r"[ \t]+")
# The start tag of an RSS item or Atom entry, with or without a namespace prefix.
_ENTRY_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?(?:item|entry)[\s/>]")


class BadRecord(ValueError):
    """A record that cannot become a Document; the message says why."""


def _plain(value: str) -> str:
    """Text of a field: feed descriptions often carry HTML markup and entities."""
    if looks_like_markup(value):
        return html_to_text(value)
    return _SPACES.sub(" ", value).strip()


def record_to_document(
    record: Any,
    *,
    source: str,
    item: str,
    outlets: Outlets,
    outlet: Outlet | None = None,
    zone: tzinfo | None = None,
) -> Document:
    context: dict[str, Any] = {"zone": zone or (outlet.zone if outlet else None), "outlets": outlets}
    try:
        fields = ArticleRecord.model_validate(record, context=context)
    except ValidationError as err:
        raise BadRecord(describe(err)) from err
    found = outlet or outlets.for_url(fields.url) or outlets.for_name(fields.outlet)

    title = _plain(fields.title) if fields.title else None
    body = _plain(fields.text) if fields.text else ""
    if not title and not body:
        raise BadRecord("no text: the title and text hold only markup or spaces")
    text = f"{title}\n\n{body}" if title and body else (title or body)
    headline = (0, len(title)) if title and body else None
    body_range = [(len(text) - len(body), len(text))]

    meta: dict[str, Any] = {"item": item}
    if context.get("zone_assumed"):
        meta["zone_assumed"] = "UTC"
    if fields.feed_url is not None:
        meta["feed_url"] = fields.feed_url
    if fields.provenance is not None:
        meta["provenance"] = fields.provenance
    return Document(
        text=text,
        url=fields.url,
        outlet=found.name if found else fields.outlet,
        title=title,
        published=fields.published or fields.updated,
        updated=fields.updated or fields.published,
        authors=fields.authors,
        language=fields.language,
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
    first = text.lstrip()[:1]
    if first == "[" or first == "{" and "\n" in text.strip():
        try:
            whole = json.loads(text)
        except json.JSONDecodeError as err:
            if text.lstrip().startswith("["):
                yield "", f"invalid JSON: {err.msg} at line {err.lineno} column {err.colno}"
                return
            whole = None  # several objects: JSON Lines
    if whole is not None:
        records = whole if isinstance(whole, list) else [whole]
        if not records:
            yield "", "no records: the JSON array is empty"
        for number, record in enumerate(records, 1):
            try:
                yield record_to_document(record, source=source, item=f"record {number}", outlets=outlets, outlet=outlet, zone=zone)
            except BadRecord as err:
                yield f"record {number}", str(err)
        return
    found = 0
    # Lines end at "\n" only: U+2028 and other breaks that str.splitlines() knows may stand raw in JSON strings.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        found += 1
        item = f"line {number}"
        try:
            record = json.loads(line)
            yield record_to_document(record, source=source, item=item, outlets=outlets, outlet=outlet, zone=zone)
        except json.JSONDecodeError as err:
            yield item, f"invalid JSON: {err.msg} at column {err.colno}"
        except BadRecord as err:
            yield item, str(err)
    if not found:
        yield "", "no records: the file has no JSON lines"


def feed_entry_record(entry: Any, feed_title: str | None, feed_language: str | None = None) -> dict[str, Any]:
    """A feedparser entry as a record for :func:`record_to_document`."""
    return {
        "title": entry.get("title"),
        "description": (entry.get("content") or [{}])[0].get("value") or entry.get("summary"),
        "link": entry.get("link"),
        "published": entry.get("published") or entry.get("updated"),
        "updated": entry.get("updated"),
        "authors": entry.get("authors") or entry.get("author"),
        "outlet": feed_title,
        # A feed's language metadata is often junk ("English (US)"): keep what is a language.
        "language": language.normalise((entry.get("title_detail") or {}).get("language") or feed_language),
    }


def read_feed(
    data: bytes, *, source: str, outlets: Outlets, outlet: Outlet | None = None, zone: tzinfo | None = None
) -> Iterator[Document | tuple[str, str]]:
    """Entries of an RSS or Atom feed; a feed without entries is itself a rejection."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.bozo:
            yield "", f"not a readable feed: {parsed.get('bozo_exception')}"
        elif not parsed.get("version"):
            yield "", "not an RSS or Atom feed (no channel or feed element found)"
        else:
            yield "", "feed has no items"
        return
    if parsed.bozo and (written := len(_ENTRY_TAG.findall(data))) > len(parsed.entries):
        # A malformed entry can swallow the ones after it (an unclosed element runs on):
        # feedparser then returns fewer entries than the file has. Say so.
        yield (
            f"entries {len(parsed.entries) + 1}-{written}",
            f"malformed feed ({parsed.get('bozo_exception')}): {written} items in the file, "
            f"{len(parsed.entries)} readable; fix the feed to read the rest",
        )
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, 1):
        record = feed_entry_record(entry, feed_title, parsed.feed.get("language"))
        item = f"entry {number}"
        try:
            yield record_to_document(record, source=source, item=item, outlets=outlets, outlet=outlet, zone=zone)
        except BadRecord as err:
            yield item, str(err)
