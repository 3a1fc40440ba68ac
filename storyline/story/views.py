"""Reading the story layer: stories, a story's claim matrix, figure series and timeline.

What the CLI, the exports and (later) the HTTP API show. Every cell and point
keeps the statement or figure it comes from, so the text behind it is one
lookup away.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from storyline.store.base import Store, TimelineItem
from storyline.store.sql import SQL, marks
from storyline.store.sqlite import _event_item, _statement, _statement_item
from storyline.story.claims import countries_in, restated
from storyline.story.sources import in_timeline
from storyline.story.text import fold, stem, word_kind


def _sql(store: Store) -> SQL:
    return store.sql


_VAGUE = re.compile(r"\b(?:dozens|scores|hundreds|thousands|millions|billions)\b", re.IGNORECASE)


@dataclass
class StorySummary:
    story_id: str
    title: str | None
    first_date: str | None
    last_date: str | None
    documents: int
    claims: int
    contested: int

    def dates(self) -> str:
        """"2024-10-08 – 2024-10-26", one day alone, or "undated" (no document or statement gave a date)."""
        if self.first_date == self.last_date:
            return self.first_date or "undated"
        return f"{self.first_date or '?'} – {self.last_date or '?'}"


@dataclass
class ClaimStatement:
    statement_id: str
    doc_id: str
    url: str | None
    title: str | None
    outlet: str | None
    speaker: str | None
    speaker_entity_id: str | None  # the cross-document identity
    cue: str | None
    stance: str
    date: str | None
    start: int
    end: int
    text: str
    independent: bool


@dataclass
class Claim:
    claim_id: str
    story_id: str
    text: str
    contested: bool
    first_date: str | None
    last_date: str | None
    statements: list[ClaimStatement] = field(default_factory=list)


@dataclass
class SeriesPoint:
    figure_id: str
    doc_id: str
    url: str | None
    title: str | None
    value: float
    unit: str | None
    about: str | None
    qualifier: str
    approximate: bool
    speaker: str | None
    date: str | None
    start: int
    end: int
    text: str

    @property
    def increment(self) -> bool:
        """An addition to an earlier count, not a total: "1,500 more troops", "another 2,000 soldiers"."""
        return bool(self.about and _INCREMENT.match(self.about)) or bool(_ANOTHER.match(self.text))


_INCREMENT = re.compile(r"(?:more|additional|extra|further)\b", re.IGNORECASE)
_ANOTHER = re.compile(r"(?:another|an additional|a further)\b", re.IGNORECASE)


@dataclass
class Step:
    """Reports of one figure on one day (a headline and its body, two outlets): one step of a series."""
    qualifier: str
    value: float
    date: str | None
    speakers: list[str]
    reports: list[SeriesPoint]
    increment: bool = False  # "+1,500": more of the thing, not how many there are in all

    def label(self) -> str:
        """"at least 1,500 (2024-10-18, South Korea, 2 reports)"; an increment "+1,500 (…)"."""
        told = ", ".join([self.date or "?", *self.speakers] + ([f"{len(self.reports)} reports"] if len(self.reports) > 1 else []))
        sign = "+" if self.increment else ""
        return f"{'' if self.qualifier == 'exact' else self.qualifier + ' '}{sign}{self.value:,g} ({told})"


def steps(points: list[SeriesPoint]) -> list[Step]:
    """A series' points (oldest first) with same-day reports of the same figure folded into one step."""
    out = []
    key = lambda p: (p.qualifier, p.value, p.date, p.increment)  # noqa: E731
    for (qualifier, value, day, increment), same in itertools.groupby(points, key=key):
        reports = list(same)
        out.append(Step(qualifier, value, day, list(dict.fromkeys(p.speaker for p in reports if p.speaker)), reports,
                        increment))
    return out


@dataclass
class Series:
    quantity: str  # what is counted: "North Korean troops"
    points: list[SeriesPoint]


_SUMMARY = (
    "SELECT s.id, s.title, s.first_date, s.last_date, s.documents, "
    "(SELECT count(*) FROM claims c WHERE c.story_id = s.id AND c.statements > 1), "
    "(SELECT count(*) FROM claims c WHERE c.story_id = s.id AND c.contested = 1) FROM stories s"
)


def stories(store: Store, limit: int | None = None) -> list[StorySummary]:
    """Stories, largest first (at most ``limit``)."""
    sql = _SUMMARY + " ORDER BY s.documents DESC, s.last_date DESC NULLS LAST, s.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [StorySummary(*row) for row in _sql(store).rows(sql)]


def resolve_story(store: Store, prefix: str) -> list[str]:
    """Story ids starting with ``prefix`` (one when it is unique)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    merged = _sql(store).one("SELECT story_id FROM story_aliases WHERE old_id = {p}", [prefix])
    if merged:  # a story merged into another answers to its old id
        return [merged[0]]
    return [r[0] for r in _sql(store).rows(
        "SELECT id FROM stories WHERE id LIKE {p} ESCAPE '\\' ORDER BY id LIMIT 10", [escaped + "%"]
    )]


def story_summary(store: Store, story_id: str) -> StorySummary | None:
    row = _sql(store).one(_SUMMARY + " WHERE s.id = {p}", [story_id])
    return StorySummary(*row) if row else None


def documents(store: Store, story_id: str) -> list[dict[str, Any]]:
    return _sql(store).dicts(
        "SELECT d.id AS doc_id, d.url, d.title, d.outlet, d.published, d.source, c.original_id AS copy_of "
        "FROM story_documents sd JOIN documents d ON d.id = sd.doc_id LEFT JOIN copies c ON c.doc_id = d.id "
        "WHERE sd.story_id = {p} ORDER BY d.published NULLS FIRST, d.id",
        [story_id],
    )


def claims(store: Store, story_id: str | None = None, *, contested: bool = False, source: str | None = None,
           min_statements: int = 1, limit: int | None = None) -> list[Claim]:
    """Claims, most-made first (at most ``limit``), each with its statements."""
    where, params = ["c.statements >= {p}"], [min_statements]
    if story_id:
        where.append("c.story_id = {p}")
        params.append(story_id)
    if contested:
        where.append("c.contested = 1")
    out: dict[str, Claim] = {}
    for row in _sql(store).dicts(
        f"SELECT * FROM claims c WHERE {' AND '.join(where)} ORDER BY c.statements DESC, c.first_date NULLS FIRST, c.id"
        + (f" LIMIT {int(limit)}" if limit else ""), params
    ):
        out[row["id"]] = Claim(row["id"], row["story_id"], row["text"], bool(row["contested"]), row["first_date"],
                               row["last_date"])
    if not out:
        return []
    for r in _sql(store).dicts(
        "SELECT cs.claim_id, cs.stance, cs.date AS claim_date, cs.independent, ss.identity_id, i.name AS identity_name, "
        "s.*, d.url, d.title, d.outlet FROM claim_statements cs JOIN documents d ON d.id = cs.doc_id "
        "JOIN statements s ON s.{rows_key} = d.{documents_key} AND s.id = cs.statement_id "
        "LEFT JOIN statement_speakers ss ON ss.statement_id = s.id "
        f"LEFT JOIN identities i ON i.id = ss.identity_id WHERE cs.claim_id IN ({marks(len(out))}) "
        "ORDER BY cs.date NULLS FIRST, d.published NULLS FIRST, s.doc_id, s.start, s.n",
        list(out),
    ):
        st = _statement(r)
        speaker = r["identity_name"] or (st.speaker.name if st.speaker else None)
        out[r["claim_id"]].statements.append(ClaimStatement(
            r["id"], r["doc_id"], r["url"], r["title"], r["outlet"], speaker, r["identity_id"],
            st.cue.text if st.cue else None, r["stance"], r["claim_date"], st.start, st.end, st.text,
            bool(r["independent"]),
        ))
    result = list(out.values())
    if source:
        result = [c for c in result if any(spoken_by(s, source) for s in c.statements)]
    return result


def spoken_by(statement: ClaimStatement, name: str) -> bool:
    """Whether the statement's source name contains ``name`` (case and accents aside)."""
    return fold(name) in fold(statement.speaker or "")


UNATTRIBUTED = "(unattributed)"


def matrix_sources(claims: list[Claim], limit: int) -> tuple[list[str], Counter[str]]:
    """The sources a claim matrix shows as columns, and every source's statement count.

    Sources that deny come first — who contradicts whom is what the matrix is for —
    then the most active.
    """
    weight: Counter[str] = Counter(s.speaker or UNATTRIBUTED for c in claims for s in c.statements)
    denies = {s.speaker or UNATTRIBUTED for c in claims for s in c.statements if s.stance == "deny"}
    return sorted(weight, key=lambda k: (k not in denies, -weight[k], k))[:limit], weight


def quantity_of(about: str | None, unit: str | None, text: str) -> str | None:
    """What a figure counts, as a series key: "North Korean troops" (unit, with its country when named)."""
    base = about or unit
    if not base:
        return None
    head_part = re.split(r"\s+(?:from|of|in|to|for)\s+", base, maxsplit=1)[0]  # "troops from North Korea"
    words = [w for w in re.findall(r"[\w'-]+", head_part) if not w[0].isdigit()]
    if not words:
        return None
    head = word_kind(stem(fold(words[-1])))
    codes = countries_in(about or text)
    return " ".join(sorted(codes) + [head])


def countries_in_names(codes: list[str]) -> list[str]:
    """ISO codes → the countries' adjectives where known ("KP" → "North Korean")."""
    from storyline.analyze.knowledge.countries import countries

    table = countries()
    out = []
    for code in codes:
        country = table.by_iso2.get(code)
        if country is not None:
            # the full adjective, not an abbreviation: "North Korean", not "N. Korean"
            out.append(max(country.demonyms, key=lambda d: ("." not in d, len(d))) if country.demonyms else country.name)
    return out


def series(store: Store, story_id: str) -> list[Series]:
    """The story's figures grouped by what they count, each point with its speaker and date, oldest first."""
    groups: dict[str, list[SeriesPoint]] = {}
    labels: dict[str, str] = {}
    # Ordered outside: PostgreSQL reads no output name (said, day) inside an ORDER BY expression.
    for r in _sql(store).dicts(
        "SELECT * FROM (SELECT f.*, d.url, d.title, substr(d.published, 1, 10) AS day, "
        "(SELECT COALESCE(i.name, s.speaker_name) FROM statements s LEFT JOIN statement_speakers ss ON ss.statement_id = s.id "
        " LEFT JOIN identities i ON i.id = ss.identity_id WHERE s.{rows_key} = f.{rows_key} AND s.content_start <= f.start "
        " AND f.\"end\" <= s.content_end ORDER BY s.content_end - s.content_start LIMIT 1) AS speaker, "
        "(SELECT s.date FROM statements s WHERE s.{rows_key} = f.{rows_key} AND s.content_start <= f.start "
        " AND f.\"end\" <= s.content_end AND length(s.date) >= 10 ORDER BY s.content_end - s.content_start LIMIT 1) AS said "
        "FROM story_documents sd JOIN documents d ON d.id = sd.doc_id JOIN figures f ON f.{rows_key} = d.{documents_key} "
        "WHERE sd.story_id = {p} AND f.unit IS NOT NULL) x ORDER BY COALESCE(said, day) NULLS FIRST, doc_id, start, n",
        [story_id],
    ):
        if r["unit"] in {"percent"} or len(r["unit"]) == 3 and r["unit"].isupper():
            continue  # shares and money are not counts of a thing the story follows
        if _VAGUE.search(r["text"]) and not re.search(r"\d", r["text"]):
            continue  # "thousands of troops" is not a count a series can plot
        key = quantity_of(r["about"], r["unit"], r["text"])
        if key is None:
            continue
        labels.setdefault(key, r["about"] or r["unit"])
        groups.setdefault(key, []).append(SeriesPoint(
            r["id"], r["doc_id"], r["url"], r["title"], r["value"], r["unit"], r["about"], r["qualifier"] or "exact",
            bool(r["approximate"]), r["speaker"], (r["said"] or r["day"]), r["start"], r["end"], r["text"],
        ))
    # A count that names no country ("1,500 special forces troops") belongs to the story's one
    # series of that thing with a country, when there is exactly one.
    for key in [k for k in groups if " " not in k]:
        owners = [k for k in groups if k != key and k.endswith(" " + key)]
        if len(owners) == 1:
            groups[owners[0]].extend(groups.pop(key))
            groups[owners[0]].sort(key=lambda p: (p.date or "", p.doc_id, p.start))
    for key, points in groups.items():
        named = [p.about for p in points if p.about and countries_in(p.about)]
        totals = [p.about for p in points if p.about and countries_in(p.about) and not p.increment]
        named = totals or named
        if named:
            labels[key] = max(sorted(set(named)), key=named.count)  # sorted: a tie gives the same label every run
        elif " " in key:
            codes = key.split()[:-1]
            labels[key] = " ".join(countries_in_names(codes) + [labels[key]])
    ordered = sorted(groups.items(), key=lambda kv: (-len({p.doc_id for p in kv[1]}), kv[0]))
    return [Series(labels[k], points) for k, points in ordered]


def timeline(store: Store, story_id: str) -> list[TimelineItem]:
    """The story's events and dated statements by when they happened."""
    items: list[TimelineItem] = []
    said: dict[str, list[TimelineItem]] = {}
    for r in _sql(store).dicts(
        "SELECT e.*, d.outlet, d.published FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
        "JOIN events e ON e.{rows_key} = d.{documents_key} WHERE sd.story_id = {p} AND e.date IS NOT NULL ORDER BY e.doc_id, e.n",
        [story_id],
    ):
        items.append(_event_item(r))
    for r in _sql(store).dicts(
        "SELECT s.*, d.outlet, d.published, en.type AS speaker_type FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
        "JOIN statements s ON s.{rows_key} = d.{documents_key} "
        "LEFT JOIN entities en ON en.{rows_key} = s.{rows_key} AND en.id = s.speaker_entity_id "
        "WHERE sd.story_id = {p} AND s.date IS NOT NULL ORDER BY s.doc_id, s.n",
        [story_id],
    ):
        item = _statement_item(r)
        if in_timeline(item.record, r["speaker_type"]):  # type: ignore[arg-type]  # sources.py: what a story lists as said
            said.setdefault(r["doc_id"], []).append(item)
    for doc_items in said.values():
        # As in the claims: "Austin told reporters there was evidence indicating that X" is one
        # assertion, not a second "Austin indicating: X" line under the first.
        nested = restated([i.record for i in doc_items])  # type: ignore[misc]
        items.extend(i for i in doc_items if id(i.record) not in nested)
    items.sort(key=lambda i: (i.date, i.published or "", i.doc_id, i.start))
    return items


def main_identities(store: Store, story_id: str, limit: int = 8) -> list[dict[str, Any]]:
    """The story's main people, organisations and places, strongest first."""
    return _sql(store).dicts(
        "SELECT i.id, i.kind, i.name, i.country, f.weight FROM story_features f JOIN identities i "
        "ON i.id = substr(f.feature, 3) WHERE f.story_id = {p} AND f.feature LIKE {p} ORDER BY f.weight DESC, i.id "
        "LIMIT {p}",
        [story_id, "e:%", limit],
    )
