"""When a page says it was published and updated, to the second and with its
time zone where the page gives them.

Sources, most trusted first: JSON-LD ``datePublished``/``dateModified`` of the
article, then meta tags and microdata (``article:published_time``,
``itemprop=datePublished``, Dublin Core, …). A value with a time of day wins
over a bare date. The caller falls back on htmldate's day (trafilatura's
``date``) when the page has none of these.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

PUBLISHED = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "article.published", "pubdate", "publishdate", "publish-date", "publish_date", "pub_date",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "datecreated", "dc.date", "date",
)
UPDATED = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified", "article.updated",
    "dcterms.modified", "dc.date.modified", "last-modified",
)
_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|NewsArticle|LiveBlogPosting", re.IGNORECASE)
_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")


@dataclass(frozen=True)
class PageTimes:
    """Candidate values, best first: ``(value as the page writes it, where it was found)``."""

    published: list[tuple[str, str]]
    updated: list[tuple[str, str]]


def has_time_of_day(value: str) -> bool:
    return bool(_TIME_OF_DAY.search(value))


def _json_ld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity", "mainEntityOfPage") and v)


def _candidates(tree: HtmlElement, names: tuple[str, ...], ld_key: str) -> list[tuple[str, str]]:
    """(value, where) pairs in order of trust."""
    found: list[tuple[str, str]] = []
    articles, others = [], []
    for item in _json_ld(tree):
        value = item.get(ld_key)
        if isinstance(value, str) and value.strip():
            kind = item.get("@type")
            kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
            (articles if _ARTICLE_TYPES.search(kinds) else others).append((value.strip(), f"json-ld {ld_key}"))
    found += articles + others
    by_name: dict[str, list[str]] = {}
    for element in tree.iter("meta", "time", "span", "div", "abbr"):
        name = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        if name in names:
            value = element.get("content") or element.get("datetime") or ""
            if value.strip():
                by_name.setdefault(name, []).append(value.strip())
    for name in names:
        found += [(value, f"meta {name}") for value in by_name.get(name, [])]
    return found


def _ranked(candidates: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Values with a time of day first, each group in order of trust."""
    return sorted(candidates, key=lambda c: not has_time_of_day(c[0]))


def page_times(tree: HtmlElement) -> PageTimes:
    return PageTimes(
        published=_ranked(_candidates(tree, PUBLISHED, "datePublished")),
        updated=_ranked(_candidates(tree, UPDATED, "dateModified")),
    )
