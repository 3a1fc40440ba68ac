"""The text of any HTML, however broken or deeply nested: the fallback when the
article extractor finds nothing.

lxml (and so trafilatura) stops building the tree 256 elements deep and
gives up on some malformed markup; the standard library's tokenizer builds no
tree at all, so neither depth nor unclosed tags stop it. Text is gathered in
blocks (paragraphs, list items, cells, …); scripts, styles, navigation,
headers, footers, forms and blocks that are mostly link text (menus, link
lists) are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_SKIP = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "select",
    "svg", "iframe", "object", "canvas", "head", "menu", "dialog",
}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "section", "article", "main", "blockquote", "pre", "figure", "figcaption", "hr", "address", "body",
}
_SPACE = re.compile(r"\s+")
_STRAY_TAG = re.compile(r"^<[^<>]*>$")  # a tag the tokenizer gave up on and passed on as text
MAX_LINK_SHARE = 0.5  # a block more than half link text is navigation


@dataclass
class PlainText:
    title: str | None
    text: str  # blocks separated by newlines


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: dict[str, int] = {}
        self.in_link = 0
        self.in_title = False
        self.title: list[str] = []
        self.blocks: list[str] = []
        self.parts: list[str] = []
        self.link_chars = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag == "body":  # a <head> left open ends where the body begins
            self.skipping.pop("head", None)
        elif tag in _SKIP:
            self.skipping[tag] = self.skipping.get(tag, 0) + 1
        elif tag == "a":
            self.in_link += 1
        if tag in _BLOCK:
            self._close_block()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP and self.skipping.get(tag):
            self.skipping[tag] -= 1
        elif tag == "a" and self.in_link:
            self.in_link -= 1
        if tag in _BLOCK:
            self._close_block()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not any(self.skipping.values()):
            self.parts.append(data)
            if self.in_link:
                self.link_chars += len(data.strip())

    def _close_block(self) -> None:
        block = _SPACE.sub(" ", "".join(self.parts)).strip()
        if block and self.link_chars <= MAX_LINK_SHARE * len(block) and not _STRAY_TAG.match(block):
            self.blocks.append(block)
        self.parts = []
        self.link_chars = 0

    def close(self) -> None:
        super().close()
        self._close_block()


def plain_text(markup: str) -> PlainText:
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    title = _SPACE.sub(" ", "".join(collector.title)).strip() or None
    return PlainText(title=title, text="\n".join(collector.blocks))
