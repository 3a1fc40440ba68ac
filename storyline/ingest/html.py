"""HTML pages → Documents: the article's text through trafilatura, its metadata
from the page.

The stored text is ``title + "\\n\\n" + extracted text``; the headline range
covers the title, the body range the extracted text less what is not the
article's own words: the title when the page repeats it as the first line, and
a wire dateline ("SEOUL, Oct. 23 (Reuters) -"), which goes to ``meta``. Offsets
always point into the stored text.

trafilatura runs in precision mode with tables (see ``docs/extraction.md``
for the measurements behind the choice). When it finds no article but the page
has text — broken markup, nesting deeper than lxml builds, a page of bare
text — the page's plain text is taken instead (``meta["extractor"]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from storyline.ingest.dateline import without_dateline
from storyline.ingest.dates import parse_datetime
from storyline.ingest.outlets import Outlet, Outlets
from storyline.ingest.pagetimes import PageTimes, has_time_of_day, page_times
from storyline.ingest.plaintext import plain_text
from storyline.ingest.records import BadRecord
from storyline.model import Document

MIN_WORDS = 8  # a page without an article still yields its menu ("Home"): demand a sentence's worth
EXTRACTION = {"favor_precision": True, "include_comments": False, "include_tables": True}
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class Page:
    """What a page holds before it becomes a Document."""

    title: str | None
    body: str
    extractor: str  # "trafilatura" or "plain text"
    url: str | None = None  # the URL the page declares for itself (rel=canonical, og:url)
    site_name: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    times: PageTimes = field(default_factory=lambda: PageTimes([], []))
    day: str | None = None  # htmldate's publication day, when the page declares no time


def _words(text: str | None) -> int:
    return len((text or "").split())


def read_page(markup: str, url: str | None = None) -> Page:
    """Extract the article of a page; :class:`BadRecord` when it has no text worth keeping."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(markup)
    extracted = None
    if tree is not None:
        times = page_times(tree)
        extracted = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **EXTRACTION)
    else:
        times = PageTimes([], [])
    if extracted is not None and _words(extracted.text) >= MIN_WORDS:
        return Page(
            title=(extracted.title or "").strip() or None,
            body=extracted.text.strip(),
            extractor="trafilatura",
            url=extracted.url,
            site_name=extracted.sitename,
            authors=[a.strip() for a in (extracted.author or "").split(";") if a.strip()],
            language=extracted.language,
            times=times,
            day=extracted.date,
        )
    plain = plain_text(markup)
    if not any(_words(block) >= MIN_WORDS for block in plain.text.split("\n")):
        raise BadRecord("no article text found in the HTML")
    title = (extracted.title if extracted is not None else None) or plain.title
    return Page(title=title.strip() if title else None, body=plain.text, extractor="plain text", times=times)


def _same_heading(line: str, title: str) -> bool:
    """The line repeats the title (up to punctuation, case and a site name after it)."""
    a, b = _NOT_WORD.sub(" ", line).strip().casefold(), _NOT_WORD.sub(" ", title).strip().casefold()
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return a == b or (long_.startswith(short) and len(short) >= 0.6 * len(long_))


def _published(page: Page, zone: tzinfo | None, meta: dict[str, object]) -> tuple[datetime | None, datetime | None]:
    published = updated = None
    assumed = False
    for value, where in page.times.published:
        published, assumed = parse_datetime(value, zone)
        if published is not None:
            meta["published_from"] = where
            meta["published_precision"] = "time" if has_time_of_day(value) else "day"
            break
    if published is None and page.day:
        published, assumed = parse_datetime(page.day, zone)
        meta["published_from"] = "htmldate"
        meta["published_precision"] = "time" if has_time_of_day(page.day) else "day"
    if published is not None and assumed:
        meta["zone_assumed"] = "UTC"
    for value, _ in page.times.updated:
        updated, _assumed = parse_datetime(value, zone)
        if updated is not None:
            break
    return published, updated


def parse_html(
    markup: str,
    *,
    source: str,
    url: str | None = None,
    outlets: Outlets,
    outlet: Outlet | None = None,
    zone: tzinfo | None = None,
) -> Document:
    page = read_page(markup, url)
    title = page.title
    body = page.body
    skip = 0
    first_line = body.split("\n", 1)[0]
    if title and _same_heading(first_line, title) and "\n" in body:
        skip = len(first_line) + 1
    text = f"{title}\n\n{body}" if title else body
    start = len(text) - len(body) + skip
    if page.url and url and page.url != url:
        meta_url = {"page_url": page.url}  # rel=canonical / og:url: the fetcher de-duplicates on it
    else:
        meta_url = {}
    url = url or page.url
    found = outlet or outlets.for_url(url) or outlets.for_name(page.site_name)
    zone = zone or (found.zone if found else None)
    meta: dict[str, object] = {"extractor": page.extractor, **meta_url}
    if page.site_name:
        meta["site_name"] = page.site_name
    published, updated = _published(page, zone, meta)
    document = Document(
        text=text,
        url=url,
        outlet=found.name if found else page.site_name,
        title=title,
        published=published,
        updated=updated or published,
        authors=page.authors,
        language=page.language or "en",
        body=[(start + len(body[skip:]) - len(body[skip:].lstrip()), len(text))],
        headline=(0, len(title)) if title else None,
        source=source,
        meta=meta,
    )
    return without_dateline(document)
