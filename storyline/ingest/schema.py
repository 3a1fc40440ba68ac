"""The declared schema of a JSON record (a JSON Lines line, a JSON array item, a feed entry).

Validated with pydantic, so a wrong value is reported by field ("published:
expected a date string or a Unix time, got true") instead of being dropped.
Accepted forms, beyond the obvious:

- text: the first non-empty string of ``text``, ``content``, ``content_text``,
  ``content_html``, ``body``, ``description``, ``summary`` (HTML is turned into
  text); a record needs text or a ``title``;
- ``url`` or ``link``;
- ``published`` (or ``date``, ``pubDate``, ``published_at``, ``date_published``)
  and ``updated`` (or ``modified``, ``date_modified``): a date string (ISO 8601
  or as written, e.g. "Thu, 24 Oct 2024 10:49:18 GMT") or a Unix time in seconds
  (a number above 10^11 is taken as milliseconds, as JavaScript writes them);
- ``authors`` or ``author``: a name, a list of names, or objects with a ``name``
  (JSON Feed, schema.org); a single string is one author, never split;
- ``outlet`` or ``source``: a name, or an object with a ``name``;
- ``language``: a language tag or name ("en", "fr-CA", "French"), stored as
  its ISO 639-1 code ("fr").

Other fields are ignored, except ``feed_url`` and ``provenance``, which are kept
in the document's metadata.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from storyline.ingest import language
from storyline.ingest.dates import parse_datetime

TEXT_FIELDS = ("text", "content", "content_text", "content_html", "body", "description", "summary")
ALIASES = {
    "url": ("url", "link"),
    "published": ("published", "date", "pubDate", "published_at", "date_published"),
    "updated": ("updated", "modified", "date_modified"),
    "authors": ("authors", "author"),
    "outlet": ("outlet", "source"),
}
MAX_NAME_CHARS = 200
MAX_RECORD_CHARS = 2_000_000
_MILLISECONDS = 10**11  # as seconds, a date in the year 5138


class ArticleRecord(BaseModel):
    """One article or feed item, as a JSON object."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    # Field order matters: the date validators read the url and outlet already validated.
    title: str | None = None
    text: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = Field(default_factory=list)
    language: str | None = None
    feed_url: str | None = None
    provenance: Any = None

    @model_validator(mode="before")
    @classmethod
    def _gather(cls, data: Any) -> Any:
        """Map the accepted field names onto the schema's; the first usable one wins."""
        if not isinstance(data, dict):
            raise ValueError(f"expected a JSON object, got {_json_type(data)}")
        out = {k: v for k, v in data.items() if k in ("title", "language", "feed_url", "provenance")}
        present = [f for f in TEXT_FIELDS if data.get(f) is not None]
        text = next((data[f] for f in present if isinstance(data[f], str) and data[f].strip()), None)
        if text is None and present and not isinstance(data[present[0]], str):
            text = data[present[0]]  # let the type check name what is wrong
        out["text"] = text
        for name, keys in ALIASES.items():
            value = next((data[k] for k in keys if _given(data.get(k))), None)
            if value is not None:
                out[name] = value
        return out

    @field_validator("title", "text", "url", "outlet", "language", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("title", "text")
    @classmethod
    def _text_is_text(cls, value: str | None) -> str | None:
        # Checked before any markup is parsed, so size costs nothing more than reading.
        if value is not None and len(value) > MAX_RECORD_CHARS:
            raise ValueError(f"too long ({len(value):,} characters > {MAX_RECORD_CHARS:,})")
        if value is not None and "\x00" in value:
            raise ValueError(f"NUL character at character {value.index(chr(0)):,} (NUL is never text)")
        return value

    @field_validator("language")
    @classmethod
    def _language_tag(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if (code := language.normalise(value)) is None:
            raise ValueError(f"{value[:40]!r} is not a language tag or name ('en', 'fr-CA', 'French')")
        return code

    @field_validator("outlet", mode="before")
    @classmethod
    def _outlet_name(cls, value: Any) -> Any:
        return _name_of(value)

    @field_validator("authors", mode="before")
    @classmethod
    def _author_list(cls, value: Any) -> Any:
        values = value if isinstance(value, list) else [value]
        names = [_name_of(v) for v in values]
        # Non-strings stay, for the type check to name them; blanks and nameless objects go.
        return [n.strip() if isinstance(n, str) else n for n in names if _given(n)]

    @field_validator("authors")
    @classmethod
    def _short_names(cls, value: list[str]) -> list[str]:
        for name in value:
            if len(name) > MAX_NAME_CHARS:
                raise ValueError(f"an author name of {len(name):,} characters (at most {MAX_NAME_CHARS})")
        return value

    @field_validator("published", "updated", mode="before")
    @classmethod
    def _date(cls, value: Any, info: ValidationInfo) -> datetime:
        context = info.context if isinstance(info.context, dict) else {}
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValueError(f"expected a date string or a Unix time, got {_json_type(value)}")
        if isinstance(value, (int, float)):
            seconds = value / 1000 if abs(value) >= _MILLISECONDS else value
            try:
                return datetime.fromtimestamp(seconds, timezone.utc)
            except (OverflowError, OSError, ValueError) as err:
                raise ValueError(f"Unix time {value} is out of range") from err
        zone: tzinfo | None = context.get("zone")
        if zone is None and (outlets := context.get("outlets")) is not None:
            found = outlets.for_url(info.data.get("url")) or outlets.for_name(info.data.get("outlet"))
            zone = found.zone if found else None
        parsed, assumed = parse_datetime(value, zone)
        if parsed is None:
            raise ValueError(f"unreadable date {value[:80]!r}")
        if assumed:
            context.setdefault("zone_assumed", set()).add(info.field_name)
        return parsed

    @model_validator(mode="after")
    def _has_text(self) -> ArticleRecord:
        if self.text is None and self.title is None:
            raise ValueError(f"no text: none of {', '.join(TEXT_FIELDS)} or title is a non-empty string")
        return self


def _given(value: Any) -> bool:
    return value is not None and value != [] and not (isinstance(value, str) and not value.strip())


def _name_of(value: Any) -> Any:
    """A name given as a string, or as an object with a name (JSON Feed, schema.org)."""
    if isinstance(value, dict):  # {"name": …, "email": …}; without a name it names no one
        return value.get("name")
    return value


def _json_type(value: Any) -> str:
    return {
        bool: "true" if value is True else "false", type(None): "null", dict: "an object", list: "an array",
        str: "a string", int: "a number", float: "a number",
    }.get(type(value), type(value).__name__)


def describe(error: ValidationError) -> str:
    """One line naming each wrong field: ``published: unreadable date 'soon'; authors.1: …``."""
    parts = []
    for e in error.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in e["loc"])
        message = e["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)
