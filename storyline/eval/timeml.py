"""TimeML (TempEval-3 TBAQ) files: raw text with character offsets and the gold TIMEX3s.

The ``<TEXT>`` element's tags are stripped; every offset is a Python str index
into that stripped text. ``<DCT>`` gives the document creation time, the anchor
for relative expressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>\s*<TIMEX3([^>]*)>(.*?)</TIMEX3>\s*</DCT>", re.S)
_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)))


@dataclass
class Timex:
    """A TIMEX3 annotation: offsets into the stripped text, type and value."""

    start: int
    end: int
    text: str
    type: str
    value: str
    tid: str = ""
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class TimeMLDocument:
    """One TimeML file: its raw text, creation time and TIMEX3s."""

    name: str
    text: str
    dct: str  # TIMEX3 value of the document creation time, e.g. "1998-02-06"
    timexes: list[Timex]
    source: str = ""  # the file's full markup, to write system output back


def _unescape(text: str) -> str:
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)


def strip_text(markup: str) -> tuple[str, list[Timex]]:
    """Strip inline tags from a ``<TEXT>`` body; return the text and its TIMEX3s."""
    out: list[str] = []
    length = 0
    timexes: list[Timex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for tag in _TAG.finditer(markup):
        chunk = _unescape(markup[pos : tag.start()])
        out.append(chunk)
        length += len(chunk)
        pos = tag.end()
        closing, name, attrs, selfclosing = tag.groups()
        if name != "TIMEX3" or selfclosing:
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attrs)))
        elif open_timex is not None:
            start, attributes = open_timex
            text = "".join(out)[start:length]
            timexes.append(
                Timex(start, length, text, attributes.get("type", ""), attributes.get("value", ""), attributes.get("tid", ""), attributes)
            )
            open_timex = None
    out.append(_unescape(markup[pos:]))
    return "".join(out), timexes


def read_tml(path: Path) -> TimeMLDocument:
    source = path.read_text(encoding="utf-8")
    body = _TEXT.search(source)
    if body is None:
        raise ValueError(f"{path}: no <TEXT> element")
    text, timexes = strip_text(body.group(1))
    dct = _DCT.search(source)
    dct_value = dict(_ATTR.findall(dct.group(1))).get("value", "") if dct else ""
    return TimeMLDocument(path.name, text, dct_value, timexes, source)


def read_corpus(directory: Path) -> dict[str, list[TimeMLDocument]]:
    """``*.tml`` files by subcorpus: DIR's own files, or one entry per subfolder holding some."""
    directory = Path(directory)
    corpora: dict[str, list[TimeMLDocument]] = {}
    own = sorted(directory.glob("*.tml"))
    if own:
        corpora[directory.name] = [read_tml(p) for p in own]
    for sub in sorted(p for p in directory.iterdir() if p.is_dir()):
        files = sorted(sub.glob("*.tml"))
        if files:
            corpora[sub.name] = [read_tml(p) for p in files]
    return corpora


def to_tml(document: TimeMLDocument, timexes: list[Timex]) -> str:
    """The document's TimeML with ``<TEXT>`` replaced by the text and ``timexes`` as TIMEX3 tags.

    Everything outside ``<TEXT>`` (DOCID, the gold DCT, …) is kept as it was;
    links and events inside the TEXT are dropped, as TempEval-3's timex scorer
    reads only TIMEX3 there.
    """
    text = document.text
    parts: list[str] = []
    pos = 0
    for i, t in enumerate(sorted(timexes, key=lambda t: t.start)):
        if t.start < pos:  # overlapping output cannot be written inline
            continue
        parts.append(escape(text[pos : t.start]))
        attrs = f'tid="t{i + 1}" type="{t.type}" value="{escape(t.value)}"'
        parts.append(f"<TIMEX3 {attrs}>{escape(text[t.start : t.end])}</TIMEX3>")
        pos = t.end
    parts.append(escape(text[pos:]))
    body = "".join(parts)
    source = document.source
    match = _TEXT.search(source)
    assert match is not None
    without_links = re.sub(r"<(MAKEINSTANCE|TLINK|SLINK|ALINK)\b[^>]*/>\s*", "", source[match.end() :])
    return source[: match.start()] + "<TEXT>" + body + "</TEXT>" + without_links
