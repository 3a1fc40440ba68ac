"""Web pages and feeds → Documents, for :func:`storyline.batch.ingest_items`.

Pages are stored under their canonical URL (the page's rel=canonical when it is
on the same site, else the final URL; tracking parameters stripped), and a URL
whose canonical form is stored is not fetched again. Feed items are new when
the store has not seen them; each is read from its page, or from the feed's
own summary when the page cannot be had. What was seen, and the validators for
conditional GET, live in the store, so state survives restarts; an item only
counts as seen once its document is stored, so a run killed half-way loses
nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from storyline.ingest.charset import decode_html
from storyline.ingest.dateline import without_dateline
from storyline.ingest.fetch import FetchError, Fetcher
from storyline.ingest.files import ReadOptions, Rejected
from storyline.ingest.html import parse_html
from storyline.ingest.records import BadRecord, feed_entry_record, record_to_document
from storyline.ingest.urls import canonical_url, same_site, unfetchable
from storyline.model import Document
from storyline.store import FetchState, Store

PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"


@dataclass
class WebOptions:
    read: ReadOptions
    refresh: bool = False  # fetch URLs already stored again (conditionally), storing a changed page anew


def _stored(store: Store, doc_id: str | None) -> Document | None:
    """A stored document, handed to the batch so that it reports it as skipped."""
    return store.document(doc_id) if doc_id and store.has_document(doc_id) else None


def fetch_page(url: str, fetcher: Fetcher, store: Store, options: WebOptions) -> Document | Rejected:
    if (why := unfetchable(url)) is not None:
        return Rejected(url, "", why)
    key = canonical_url(url)
    if not options.refresh and (known := _stored(store, store.url_document(key))):
        return known
    state = store.fetch_state(key)
    validators: dict[str, str | None] = {}
    if state and _stored(store, state.doc_id):  # a 304 is only useful when the page's document is stored
        validators = {"etag": state.etag, "last_modified": state.last_modified}
    try:
        response = fetcher.get(url, accept=PAGE_ACCEPT, **validators)  # type: ignore[arg-type]
    except FetchError as err:
        return Rejected(url, "", str(err))
    if response.not_modified and state is not None and (known := _stored(store, state.doc_id)):
        return known
    kind = response.content_type
    if kind in FEED_TYPES or (kind.endswith("+xml") and kind not in PAGE_TYPES):
        return Rejected(url, "", f"a feed or XML document ({kind}), not a page: use storyline watch for feeds")
    if kind and kind not in PAGE_TYPES:
        return Rejected(url, "", f"not an HTML page (content type {kind})")
    text, _ = decode_html(response.content, response.charset)
    try:
        document = parse_html(text, source=url, url=response.url, outlets=options.read.outlets,
                              outlet=options.read.outlet, zone=options.read.zone)
    except BadRecord as err:
        return Rejected(url, "", str(err))
    declared = document.meta.pop("page_url", None)
    canonical = canonical_url(declared if isinstance(declared, str) and same_site(response.url, declared) else response.url)
    meta = dict(document.meta)
    if response.url != canonical:
        meta["fetched_url"] = response.url
    document = replace(document, url=canonical, meta=meta)
    store.save_fetch_state(
        FetchState(key, response.headers.get("etag"), response.headers.get("last-modified"), document.id)
    )
    if not options.refresh and canonical != key and (known := _stored(store, store.url_document(canonical))):
        return known
    return document


def fetch_pages(urls: Iterable[str], fetcher: Fetcher, store: Store, options: WebOptions) -> Iterator[Document | Rejected]:
    for url in urls:
        yield fetch_page(url, fetcher, store, options)


# -- feeds --------------------------------------------------------------------


def _item_key(entry: Any) -> str:
    key = entry.get("id") or entry.get("link")
    if key:
        return str(key)
    digest = hashlib.sha256(f"{entry.get('title')}\n{entry.get('summary')}".encode()).hexdigest()[:16]
    return f"sha256:{digest}"


def _summary_document(entry: Any, feed_url: str, feed_title: str | None, item: str, options: WebOptions) -> Document:
    r = options.read
    record = feed_entry_record(entry, feed_title)
    return without_dateline(record_to_document(record, source=feed_url, item=item, outlets=r.outlets, outlet=r.outlet, zone=r.zone))


def poll_feed(feed_url: str, fetcher: Fetcher, store: Store, options: WebOptions) -> Iterator[Document | Rejected]:
    """The new items of one feed, each from its page or, failing that, from the feed's summary."""
    import feedparser

    if (why := unfetchable(feed_url)) is not None:
        yield Rejected(feed_url, "", why)
        return
    state = store.fetch_state(feed_url)
    validators: dict[str, str | None] = {}
    if state and store.feed_items_unstored(feed_url) == 0:  # a 304 must not hide items still unstored
        validators = {"etag": state.etag, "last_modified": state.last_modified}
    try:
        response = fetcher.get(feed_url, accept=FEED_ACCEPT, **validators)  # type: ignore[arg-type]
    except FetchError as err:
        yield Rejected(feed_url, "", str(err))
        return
    if response.not_modified:
        return
    # Content-Location lets feedparser resolve relative item links against the feed's URL.
    headers = {"content-type": response.headers.get("content-type", ""), "content-location": response.url}
    parsed = feedparser.parse(response.content, response_headers=headers)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no entries"
        yield Rejected(feed_url, "", f"not a readable feed ({response.content_type or 'no content type'}): {reason}")
        return
    store.save_fetch_state(FetchState(feed_url, response.headers.get("etag"), response.headers.get("last-modified")))
    feed_title = parsed.feed.get("title")
    for entry in parsed.entries:
        item = _item_key(entry)
        if _stored(store, store.feed_item_document(feed_url, item)):
            continue  # seen and stored: not new
        link = entry.get("link")
        page = fetch_page(link, fetcher, store, options) if link else Rejected(feed_url, item, "the item has no link")
        if isinstance(page, Document):
            document = replace(page, meta={**page.meta, "feed_url": feed_url, "feed_item": item})
        else:
            try:
                document = _summary_document(entry, feed_url, feed_title, item, options)
            except BadRecord as err:
                yield Rejected(feed_url, item, f"page: {page.reason}; summary: {err}")
                continue
            document.meta.update({"feed_url": feed_url, "feed_item": item, "page_error": page.reason})
        store.save_feed_item(feed_url, item, document.id)
        yield document


def poll_feeds(feeds: Iterable[str], fetcher: Fetcher, store: Store, options: WebOptions) -> Iterator[Document | Rejected]:
    for feed in feeds:
        yield from poll_feed(feed, fetcher, store, options)
