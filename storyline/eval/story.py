"""Score a stories export (``storyline export --format stories``) against a story gold file.

The gold is the hand annotation of one developing story over a feed corpus
(``../shared/data/nk-feeds/story-gold-*.json``, format in docs/story-evaluation.md).
Documents are compared by key: the URL without query string or fragment
(scheme and host lower-cased, no trailing slash), or ``"title:" + title`` for a
document without URL. Export documents whose key the gold does not know are
ignored (and counted).

Metrics (defined exactly in docs/story-evaluation.md):

- membership: P/R/F1 of the export story that best matches ``story.members``
  (highest F1, optional documents removed from both sides);
- claims: for each gold claim, the one system claim, from any story, whose
  (document, stance) pairs have the highest F1 against the gold pairs, after
  removing the claim's ``ignore`` documents from the system side and its
  ``optional_pairs`` from both; per claim and micro-averaged (pooled counts);
  and whether that system claim is marked contested;
- troop figures: (document, value) pairs of the troop figures of the best
  membership story against the gold figures, ``figures_ignore`` removed from
  the system side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from storyline.eval.attribution import Counts

Pair = tuple[str, Any]  # (document key, stance or value)
T = TypeVar("T")

# Dev bars of the North Korean troops story (README, quality section): printed beside the figures.
BARS = {"membership": 0.90, "claims": 0.70, "figures": 0.80}

# A system figure counts as a troop figure when its unit or its ``about`` has one of these words.
TROOP_WORDS = re.compile(r"\b(troops?|soldiers?|forces?|fighters?|servicem[ae]n|servicemembers?|personnel)\b", re.IGNORECASE)


class InputError(ValueError):
    """A bad input file; the message is one line naming the file (and the line, for JSON Lines)."""


# --- document keys ---------------------------------------------------------------------------


def url_key(url: str) -> str:
    """The URL without query string or fragment, scheme and host lower-cased, no trailing slash."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def title_key(title: str) -> str:
    return "title:" + " ".join(title.split())


def document_key(url: str | None, title: str | None) -> str | None:
    """A document's gold key: its URL key, else ``title:`` + its title; None when it has neither.

    Only a web (http/https) URL counts: a ``file://`` URL of a local article is no URL of the gold.
    """
    if url and urlsplit(url.strip()).scheme.lower() in {"http", "https"}:
        return url_key(url)
    if title and title.strip():
        return title_key(title)
    return None


def gold_key(key: str) -> str:
    """Normalise a key written in the gold the same way as the export's keys."""
    return title_key(key[len("title:"):]) if key.startswith("title:") else url_key(key)


def number(value: float) -> float | int:
    """10000.0 and 10000 are the same figure."""
    return int(value) if float(value).is_integer() else float(value)


# --- the export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportDocument:
    doc_id: str
    key: str | None
    source: str | None


@dataclass(frozen=True)
class ExportStatement:
    doc_id: str
    stance: str | None
    own_key: str | None = None  # from the statement's own url/title
    key: str | None = None  # its document's key (by doc_id), else own_key; set by read_stories


@dataclass(frozen=True)
class ExportClaim:
    claim_id: str
    text: str
    contested: bool
    statements: list[ExportStatement]


@dataclass(frozen=True)
class ExportFigure:
    doc_id: str
    value: float | int
    unit: str | None
    about: str | None
    own_key: str | None = None
    key: str | None = None

    @property
    def is_troops(self) -> bool:
        return any(TROOP_WORDS.search(text) for text in (self.unit, self.about) if text)


@dataclass
class ExportStory:
    story_id: str
    title: str
    documents: list[ExportDocument]
    claims: list[ExportClaim]
    figures: list[ExportFigure]

    @property
    def keys(self) -> set[str]:
        return {d.key for d in self.documents if d.key is not None}


def _field(obj: Any, name: str, kind: type | tuple[type, ...], where: str, optional: bool = False) -> Any:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected an object, got {type(obj).__name__}")
    value = obj.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):  # JSON true is no number
        raise InputError(f"{where}: {name!r} is missing or not a {_kind_name(kind)}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join({str: "string", list: "list", dict: "object", bool: "boolean", int: "number", float: "number"}[k] for k in kinds)


def _items(obj: dict[str, Any], name: str, where: str, read: Callable[[Any, str], T]) -> list[T]:
    return [read(item, f"{where}, {name}[{i}]") for i, item in enumerate(_field(obj, name, list, where))]


def _doc_id(obj: Any, where: str) -> str:
    return str(_field(obj, "doc_id", (str, int), where))


def _own_key(obj: Any, where: str) -> str | None:
    return document_key(_field(obj, "url", str, where, optional=True), _field(obj, "title", str, where, optional=True))


def _document(obj: Any, where: str) -> ExportDocument:
    return ExportDocument(_doc_id(obj, where), _own_key(obj, where), _field(obj, "source", str, where, optional=True))


def _statement(obj: Any, where: str) -> ExportStatement:
    return ExportStatement(_doc_id(obj, where), _field(obj, "stance", str, where, optional=True), _own_key(obj, where))


def _claim(obj: Any, where: str) -> ExportClaim:
    return ExportClaim(
        str(_field(obj, "claim_id", (str, int), where)),
        _field(obj, "text", str, where, optional=True) or "",
        _field(obj, "contested", bool, where),
        _items(obj, "statements", where, _statement),
    )


def _figure(obj: Any, where: str) -> ExportFigure:
    return ExportFigure(
        _doc_id(obj, where),
        number(_field(obj, "value", (int, float), where)),
        _field(obj, "unit", str, where, optional=True),
        _field(obj, "about", str, where, optional=True),
        _own_key(obj, where),
    )


def read_stories(path: Path | str) -> list[ExportStory]:
    """Read a stories export (JSON Lines, one story per line); InputError on the first bad line."""
    path = Path(path)
    stories: list[ExportStory] = []
    for n, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{where}: not JSON ({err.msg}, column {err.colno})") from err
        story = ExportStory(
            str(_field(obj, "story_id", (str, int), where)),
            _field(obj, "title", str, where, optional=True) or "",
            _items(obj, "documents", where, _document),
            _items(obj, "claims", where, _claim),
            _items(obj, "figures", where, _figure),
        )
        stories.append(story)
    # Statements and figures take their document's key by doc_id (from any story); their own url/title is the fallback.
    by_id = {d.doc_id: d.key for s in stories for d in s.documents}
    for s in stories:
        s.claims = [
            replace(c, statements=[replace(st, key=by_id.get(st.doc_id) or st.own_key) for st in c.statements]) for c in s.claims
        ]
        s.figures = [replace(f, key=by_id.get(f.doc_id) or f.own_key) for f in s.figures]
    return stories


def _lines(path: Path) -> Iterator[str]:
    try:
        with path.open(encoding="utf-8") as lines:
            yield from lines
    except FileNotFoundError as err:
        raise InputError(f"{path}: no such file") from err
    except IsADirectoryError as err:
        raise InputError(f"{path}: is a directory, not a file") from err
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from err


# --- the gold --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldClaim:
    id: str
    proposition: str
    pairs: frozenset[Pair]
    ignore: frozenset[str]
    optional_pairs: frozenset[Pair]


@dataclass(frozen=True)
class StoryGold:
    name: str
    members: frozenset[str]
    optional: frozenset[str]
    documents: frozenset[str]  # every key the gold knows: documents ∪ members ∪ optional
    claims: list[GoldClaim]
    figures: frozenset[Pair]
    figures_ignore: frozenset[Pair]


def read_story_gold(path: Path | str) -> StoryGold:
    """Read a story gold JSON file; InputError naming the file and the faulty part."""
    path = Path(path)
    text = "".join(_lines(path))
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: not JSON ({err.msg}, line {err.lineno})") from err
    where = f"{path}: not a story gold file"
    story = _field(obj, "story", dict, where)
    members = _keys(_field(story, "members", list, f"{where}, story"), f"{where}, story.members")
    optional = _keys(story.get("optional") or [], f"{where}, story.optional")
    documents = _field(obj, "documents", dict, where)
    claims = [_gold_claim(c, f"{where}, claims[{i}]") for i, c in enumerate(_field(obj, "claims", list, where))]
    figures = [_gold_figure(f, f"{where}, figures[{i}]") for i, f in enumerate(_field(obj, "figures", list, where))]
    ignored = [_gold_figure(f, f"{where}, figures_ignore[{i}]") for i, f in enumerate(obj.get("figures_ignore") or [])]
    return StoryGold(
        name=story.get("name") or "",
        members=frozenset(members),
        optional=frozenset(optional),
        documents=frozenset(gold_key(k) for k in documents) | members | optional,
        claims=claims,
        figures=frozenset(figures),
        figures_ignore=frozenset(ignored),
    )


def _keys(values: Any, where: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(f"{where}: expected a list of document keys")
    return frozenset(gold_key(v) for v in values)


def _pair(obj: Any, where: str) -> Pair:
    return gold_key(_field(obj, "doc", str, where)), _field(obj, "stance", str, where)


def _gold_claim(obj: Any, where: str) -> GoldClaim:
    return GoldClaim(
        id=str(_field(obj, "id", (str, int), where)),
        proposition=_field(obj, "proposition", str, where, optional=True) or "",
        pairs=frozenset(_pair(s, f"{where}, stances[{i}]") for i, s in enumerate(_field(obj, "stances", list, where))),
        ignore=_keys(obj.get("ignore") or [], f"{where}, ignore"),
        optional_pairs=frozenset(_pair(s, f"{where}, optional_pairs[{i}]") for i, s in enumerate(obj.get("optional_pairs") or [])),
    )


def _gold_figure(obj: Any, where: str) -> Pair:
    return gold_key(_field(obj, "doc", str, where)), number(_field(obj, "value", (int, float), where))


# --- scoring ---------------------------------------------------------------------------------


def compare(system: Iterable[Any], gold: Iterable[Any]) -> Counts:
    """Set comparison: true positives, system size, gold size."""
    system, gold = set(system), set(gold)
    return Counts(tp=len(system & gold), predicted=len(system), gold=len(gold))


def _best(candidates: Iterable[tuple[T, Counts]]) -> tuple[T | None, Counts | None]:
    """The candidate with the highest F1 (ties: more true positives, then the earliest); None if none scores."""
    best: tuple[T | None, Counts | None] = (None, None)
    for item, counts in candidates:
        if counts.tp and (best[1] is None or (counts.f1, counts.tp) > (best[1].f1, best[1].tp)):
            best = (item, counts)
    return best


@dataclass
class ClaimResult:
    gold: GoldClaim
    counts: Counts
    story_id: str | None = None
    claim: ExportClaim | None = None
    missed: list[Pair] = field(default_factory=list)
    extra: list[Pair] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "claim": self.gold.id,
            "proposition": self.gold.proposition,
            "system_claim": self.claim.claim_id if self.claim else None,
            "system_story": self.story_id,
            "system_text": self.claim.text if self.claim else None,
            "contested": bool(self.claim and self.claim.contested),
            **_scores(self.counts),
            "missed": [list(p) for p in self.missed],
            "extra": [list(p) for p in self.extra],
        }


@dataclass
class StoryReport:
    stories: int
    documents: int  # export documents with a key
    ignored: int  # export documents the gold does not know (or without url and title)
    missing: int  # gold documents absent from the export
    membership: Counts
    story: ExportStory | None
    members_missed: list[str]
    members_extra: list[str]
    claims: list[ClaimResult]
    figures: Counts
    figures_missed: list[Pair]
    figures_extra: list[Pair]

    @property
    def claims_micro(self) -> Counts:
        pooled = Counts()
        for c in self.claims:
            pooled.add(c.counts)
        return pooled

    @property
    def all_contested(self) -> bool:
        return all(c.claim is not None and c.claim.contested for c in self.claims)

    def as_dict(self) -> dict[str, Any]:
        return {
            "stories": self.stories,
            "documents": self.documents + self.ignored,
            "documents_ignored": self.ignored,
            "gold_documents_missing": self.missing,
            "membership": {
                "story": self.story.story_id if self.story else None, **_scores(self.membership),
                "missed": self.members_missed, "extra": self.members_extra,
            },
            "claims": [c.as_dict() for c in self.claims],
            "claims_micro": _scores(self.claims_micro),
            "all_claims_contested": self.all_contested,
            "troop_figures": {
                **_scores(self.figures), "missed": [list(p) for p in self.figures_missed], "extra": [list(p) for p in self.figures_extra],
            },
            "bars": {**{f"{k}_f1": v for k, v in BARS.items()}, "all_claims_contested": True},
        }

    def table(self) -> str:
        story = f"story {self.story.story_id} {_short(self.story.title)}" if self.story else "no story matches"
        rows = [("membership", story, self.membership, BARS["membership"])]
        for c in self.claims:
            target = f"claim {c.claim.claim_id} (story {c.story_id}), contested: {'yes' if c.claim.contested else 'no'}" if c.claim else "no claim matches"
            rows.append((f"claim {c.gold.id}", target, c.counts, None))
        rows.append(("claims, micro", f"pooled pairs of {len(self.claims)} claims", self.claims_micro, BARS["claims"]))
        rows.append(("troop figures", "(document, value) pairs in the story", self.figures, BARS["figures"]))
        lines = [
            f"export: {self.stories} stories, {self.documents + self.ignored} documents, {self.ignored} not in the gold (ignored); "
            f"{self.missing} gold documents missing from the export",
            f"{'':14s} {'P':>6s} {'R':>6s} {'F1':>6s} {'tp':>4s} {'sys':>4s} {'gold':>4s}  {'dev bar':13s} matched",
        ]
        for name, target, counts, bar in rows:
            verdict = "" if bar is None else f"F1 ≥ {bar:.2f} {'met' if counts.f1 >= bar else 'NOT'}"
            lines.append(
                f"{name:14s} {counts.precision:6.3f} {counts.recall:6.3f} {counts.f1:6.3f} "
                f"{counts.tp:4.0f} {counts.predicted:4.0f} {counts.gold:4.0f}  {verdict:13s} {target}"
            )
        met = "met" if self.all_contested else "NOT"
        lines.append(f"all claims contested: {'yes' if self.all_contested else 'no'} (dev bar: yes, {met})")
        return "\n".join(lines)


def _short(text: str, width: int = 50) -> str:
    return json.dumps(text if len(text) <= width else text[: width - 1] + "…", ensure_ascii=False)


def _scores(c: Counts) -> dict[str, Any]:
    return {"precision": c.precision, "recall": c.recall, "f1": c.f1, "tp": int(c.tp), "system": int(c.predicted), "gold": int(c.gold)}


def score(gold: StoryGold, stories: list[ExportStory]) -> StoryReport:
    """Score an export against the gold (see the module docstring and docs/story-evaluation.md)."""
    known = gold.documents
    exported = [d.key for s in stories for d in s.documents]
    ignored = sum(1 for k in exported if k is None or k not in known)

    members = gold.members - gold.optional
    story, membership = _best((s, compare((s.keys & known) - gold.optional, members)) for s in stories)
    held = (story.keys & known) - gold.optional if story else set()

    claims = [_score_claim(gold_claim, stories, known) for gold_claim in gold.claims]

    figures: set[Pair] = set()
    if story is not None:
        figures = {(f.key, f.value) for f in story.figures if f.is_troops and f.key in known} - gold.figures_ignore
    return StoryReport(
        stories=len(stories),
        documents=len(exported) - ignored,
        ignored=ignored,
        missing=len(known - {k for k in exported if k}),
        membership=membership or compare((), members),
        story=story,
        members_missed=sorted(members - held),
        members_extra=sorted(held - members),
        claims=claims,
        figures=compare(figures, gold.figures),
        figures_missed=sorted(gold.figures - figures, key=str),
        figures_extra=sorted(figures - gold.figures, key=str),
    )


def _score_claim(gold: GoldClaim, stories: list[ExportStory], known: frozenset[str]) -> ClaimResult:
    wanted = gold.pairs - gold.optional_pairs

    def pairs(claim: ExportClaim) -> set[Pair]:
        found = {(st.key, st.stance) for st in claim.statements if st.key in known and st.key not in gold.ignore}
        return found - gold.optional_pairs

    candidates = (((s.story_id, c, pairs(c)), compare(pairs(c), wanted)) for s in stories for c in s.claims)
    best, counts = _best(candidates)
    if best is None or counts is None:
        return ClaimResult(gold, compare((), wanted), missed=sorted(wanted, key=str))
    story_id, claim, found = best
    return ClaimResult(gold, counts, story_id, claim, sorted(wanted - found, key=str), sorted(found - wanted, key=str))
