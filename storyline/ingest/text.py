"""Plain-text articles as saved from a news site.

The stored text is the file's text exactly as decoded; the page furniture is
recognised as metadata and left out of the body ranges:

    Go to contents                                    navigation
    Putin acknowledges N. Korean troop deployment …   headline (title)
    Posted October. 26, 2024 07:51,                   dateline (published)
    Updated October. 26, 2024 07:51                   dateline (updated)
    한국어                                             language switch (other edition)
    …body paragraphs…
    Eun-A Cho achim@donga.com                         byline (authors, e-mail → outlet)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache

from storyline.casing import Caser, news_usage
from storyline.ingest import language
from storyline.ingest.dates import parse_datetime
from storyline.ingest.outlets import Outlet, Outlets
from storyline.model import Document

_NAVIGATION = re.compile(
    r"^(go to (main )?contents?|skip to (main )?content|skip navigation|menu|search|share( this)?( article)?"
    r"|print|advertisement|subscribe|sign in|log in|home|top|back to top|close)$",
    re.IGNORECASE,
)
# Other editions of the page, named in their own language.
_LANGUAGE_SWITCH = {
    "한국어": "ko", "日本語": "ja", "中文": "zh", "简体中文": "zh", "繁體中文": "zh", "Русский": "ru",
    "Українська": "uk", "العربية": "ar", "Français": "fr", "Español": "es", "Deutsch": "de",
    "Português": "pt", "Italiano": "it", "Türkçe": "tr", "Tiếng Việt": "vi", "English": "en",
}
# Every pattern here runs on lines of hostile input: no nested or adjacent
# quantifiers over the same characters (no backtracking blow-up), and the
# short-line patterns run only on lines already known to be short.
MAX_DATELINE_CHARS = 80
MAX_BYLINE_CHARS = 100
MAX_TITLE_WORDS = 20  # a Title Case first line this short is a headline, closing period or not
_DATELINE = re.compile(
    r"(?P<label>posted|published|updated|last updated|modified|first published|date)"
    r"(?:\s+(?:on|at))?(?:\s*:)?\s+(?P<date>\S.*)",
    re.IGNORECASE,
)
# Starts only where a run of address characters starts (the look-behind), and the
# parts are bounded as RFC 5321 bounds them, so each start costs a constant.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_BYLINE_TOP = re.compile(r"by\s+(?P<names>[a-z][\w.'’\s,-]*)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…\"”’)]$")


@dataclass
class _Line:
    start: int
    end: int  # without trailing whitespace
    text: str


def _lines(text: str) -> list[_Line]:
    lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.rstrip()
        lead = len(raw) - len(raw.lstrip())
        if stripped.strip():
            lines.append(_Line(pos + lead, pos + len(stripped), stripped.strip()))
        pos += len(raw)
    return lines


def _is_closing_byline(line: _Line) -> bool:
    if "@" not in line.text or len(line.text) > 4 * MAX_BYLINE_CHARS:
        return False
    words = _EMAIL.sub("", line.text).split()
    return bool(_EMAIL.search(line.text)) and len(words) <= 8


def _dateline(line: _Line) -> re.Match[str] | None:
    return _DATELINE.fullmatch(line.text) if len(line.text) < MAX_DATELINE_CHARS else None


def parse_article_text(
    text: str,
    *,
    source: str | None = None,
    outlets: Outlets | None = None,
    outlet: Outlet | None = None,
    zone: tzinfo | None = None,
) -> Document:
    """Read a plain-text article; ``outlet`` and ``zone`` override what the text suggests."""
    outlets = outlets or Outlets.bundled()
    lines = _lines(text)
    furniture: set[int] = set()
    meta: dict[str, object] = {}
    datelines: dict[str, str] = {}
    authors: list[str] = []
    emails: list[str] = []
    other_languages: list[str] = []

    for i, line in enumerate(lines):
        if _NAVIGATION.match(line.text):
            furniture.add(i)
        elif line.text in _LANGUAGE_SWITCH:
            furniture.add(i)
            other_languages.append(_LANGUAGE_SWITCH[line.text])
        elif m := _dateline(line):
            label = m["label"].lower()
            datelines["updated" if label in {"updated", "last updated", "modified"} else "published"] = m["date"]
            furniture.add(i)
    # Closing byline: the last line, names plus e-mail addresses.
    if lines and _is_closing_byline(lines[-1]):
        last = lines[-1]
        emails = [m.group(0) for m in _EMAIL.finditer(last.text)]
        names = _EMAIL.sub("|", last.text)
        authors = [n.strip(" ,;|") for n in re.split(r"[|,;]|\band\b", names) if n.strip(" ,;|")]
        furniture.add(len(lines) - 1)
    # Top byline ("By Jane Doe").
    for i, line in enumerate(lines[:6]):
        if i not in furniture and len(line.text) < MAX_BYLINE_CHARS and (m := _BYLINE_TOP.fullmatch(line.text)):
            authors = authors or [n.strip() for n in re.split(r",|\band\b", m["names"]) if n.strip()]
            furniture.add(i)

    # Headline: the first line that is not furniture, when it comes before the
    # first dateline or reads like a title (short, no closing punctuation, or in
    # Title Case: some archives end every headline with a period).
    headline: tuple[int, int] | None = None
    title = None
    content = [i for i in range(len(lines)) if i not in furniture]
    if content:
        first = lines[content[0]]
        dateline_after = any(i in furniture and i > content[0] and _dateline(lines[i]) for i in range(len(lines)))
        if len(content) > 1 and len(first.text) < 250 and (
                dateline_after or not _SENTENCE_END.search(first.text) or _title_cased(first.text)):
            headline = (first.start, first.end)
            title = first.text
            content = content[1:]

    found = outlet or next((o for e in emails if (o := outlets.for_email(e))), None)
    zone = zone or (found.zone if found else None)
    published = updated = None
    for key, value in datelines.items():
        parsed, assumed = parse_datetime(value, zone)
        if assumed:
            meta["zone_assumed"] = "UTC"
        if key == "published":
            published = parsed
        else:
            updated = parsed
    if emails:
        meta["author_emails"] = emails
    if other_languages:
        meta["other_languages"] = other_languages

    body = [(lines[i].start, lines[i].end) for i in content]
    document = Document(
        text=text,
        outlet=found.name if found else None,
        title=title,
        published=published or updated,
        updated=updated or published,
        authors=authors,
        language=None,  # plain text declares none: identified from the text below
        body=body,
        headline=headline,
        source=source,
        meta=meta,
    )
    language.settle(document)
    return document


@lru_cache(maxsize=1)
def _caser() -> Caser:
    return Caser(news_usage())


def _title_cased(line: str) -> bool:
    """A short line in Title Case ("Pence Gives GOP A Boost With Solid Debate Win Over Kaine."), which a
    sentence of the body is not, however many names it holds: capitalised common words decide (storyline/casing.py)."""
    return len(line.split()) <= MAX_TITLE_WORDS and _caser().sentence_case(line) is not None
