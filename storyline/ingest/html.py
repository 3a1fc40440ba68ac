"""HTML pages, through trafilatura: main text, title, date, authors, site name.

The stored text is trafilatura's extraction (offsets point into it), with the
title as headline when trafilatura found one.
"""

from __future__ import annotations

from datetime import tzinfo

from storyline.ingest.dates import parse_datetime
from storyline.ingest.outlets import Outlet, Outlets
from storyline.ingest.records import BadRecord
from storyline.model import Document


MIN_WORDS = 8


def parse_html(
    markup: str,
    *,
    source: str,
    url: str | None = None,
    outlets: Outlets,
    outlet: Outlet | None = None,
    zone: tzinfo | None = None,
) -> Document:
    import trafilatura

    extracted = trafilatura.bare_extraction(
        markup, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    # A page without an article still yields its menu ("Home"): demand a sentence's worth.
    if extracted is None or len((extracted.text or "").split()) < MIN_WORDS:
        raise BadRecord("no article text found in the HTML")
    body = extracted.text.strip()
    title = (extracted.title or "").strip() or None
    url = url or extracted.url
    found = outlet or outlets.for_url(url) or outlets.for_name(extracted.sitename)
    meta: dict[str, object] = {}
    published = None
    if extracted.date:
        published, assumed = parse_datetime(extracted.date, zone or (found.zone if found else None))
        if assumed:
            meta["zone_assumed"] = "UTC"
        meta["published_precision"] = "day" if len(extracted.date) <= 10 else "time"
    text = f"{title}\n\n{body}" if title else body
    authors = [a.strip() for a in (extracted.author or "").split(";") if a.strip()]
    if extracted.sitename:
        meta["site_name"] = extracted.sitename
    return Document(
        text=text,
        url=url,
        outlet=found.name if found else extracted.sitename,
        title=title,
        published=published,
        updated=published,
        authors=authors,
        language=extracted.language or "en",
        body=[(len(text) - len(body), len(text))],
        headline=(0, len(title)) if title else None,
        source=source,
        meta=meta,
    )
