"""HTML fragments (feed descriptions, JSON fields) → plain text, with lxml's HTML parser.

A real parser, not a tag-stripping pattern: entities are decoded, comments,
scripts and styles dropped, an unclosed ``<`` is text, and block elements
(paragraphs, list items, line breaks) become lines so sentences stay apart. lxml parses in linear time, whatever the input.
"""

from __future__ import annotations

import re

from lxml import etree

# Elements whose start and end separate lines of text.
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead title tr ul".split()
)
_HIDDEN = frozenset(["script", "style", "template", "noscript"])
# Markup worth parsing: a tag, a comment or declaration, or a character reference.
_MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# libxml2 refuses C0 control characters other than tab and line breaks.
_PARSER = etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True)
_CONTROLS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127], " ")


def looks_like_markup(value: str) -> bool:
    return _MARKUP.search(value) is not None


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment: paragraphs on their own lines, spaces collapsed."""
    cleaned = markup.translate(_CONTROLS)
    if not cleaned.strip():
        return ""
    root = etree.fromstring(cleaned, _PARSER)
    if root is None:  # only comments or nothing at all
        return ""
    parts: list[str] = []
    hidden = 0
    # iterwalk, not recursion: hostile input can nest thousands of elements deep.
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""  # comments, processing instructions
        if event == "start":
            if tag in _HIDDEN:
                hidden += 1
            elif tag in _BLOCKS:
                parts.append("\n")
            if not hidden and tag and element.text:
                parts.append(element.text)
        else:
            if tag in _HIDDEN:
                hidden -= 1
            elif tag in _BLOCKS:
                parts.append("\n")
            if not hidden and element.tail and element is not root:
                parts.append(element.tail)
    # Whitespace in HTML is layout: runs become one space, and each block one line.
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
