"""brat standoff (``.ann``) files of attributions, as PolNeAR ships them.

PolNeAR's files hold ``T`` lines (a type, character offsets, possibly
discontinuous ``start end;start end``, and the text) and ``E`` lines that link
one Cue with its Source and Content into an ``Attribution`` (or an
``Attribution-no-source``). Only spans that take part in an ``E`` line count as
gold: ``Discuss``/``Discard`` notes and orphan spans are the annotators' own
bookkeeping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

Fragments = tuple[tuple[int, int], ...]  # sorted (start, end) pieces of one span

_ELEMENTS = ("Source", "Cue", "Content")


@dataclass(frozen=True)
class BratSpan:
    """One (possibly discontinuous) span."""

    fragments: Fragments
    text: str = field(default="", compare=False)

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass
class BratAttribution:
    """A cue linked with its source (None when the text names none) and content."""

    cue: BratSpan | None
    source: BratSpan | None
    content: BratSpan | None


@dataclass
class BratDocument:
    """The attributions of one ``.ann`` file."""

    name: str  # the file's stem
    attributions: list[BratAttribution] = field(default_factory=list)


def parse_fragments(offsets: str) -> Fragments:
    """``"3 7;9 12"`` → ``((3, 7), (9, 12))``."""
    pieces = []
    for part in offsets.split(";"):
        start, end = part.split()
        pieces.append((int(start), int(end)))
    return tuple(sorted(pieces))


def parse_ann(text: str, name: str = "") -> BratDocument:
    """Read the attributions of one ``.ann`` file's text."""
    spans: dict[str, tuple[str, BratSpan]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, BratSpan(parse_fragments(offsets), parts[2] if len(parts) > 2 else ""))
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            args = [tuple(a.split(":", 1)) for a in parts[1].split()]
            events.append([(role, ref) for role, ref in args])
    document = BratDocument(name)
    for args in events:
        if not args or not args[0][0].startswith("Attribution"):
            continue
        roles: dict[str, BratSpan] = {}
        for role, ref in args[1:]:
            role = re.sub(r"\d+$", "", role)  # "Content2" is a second content piece
            if ref not in spans or role not in _ELEMENTS:
                continue
            span = spans[ref][1]
            if role in roles:  # merge a second piece into one discontinuous span
                span = BratSpan(tuple(sorted(roles[role].fragments + span.fragments)), roles[role].text + " " + span.text)
            roles[role] = span
        document.attributions.append(BratAttribution(roles.get("Cue"), roles.get("Source"), roles.get("Content")))
    return document


def read_ann(path: Path) -> BratDocument:
    return parse_ann(path.read_text(encoding="utf-8"), path.stem)


def article_name(ann_stem: str, texts: Iterable[str]) -> str | None:
    """The text a ``.ann`` belongs to: PolNeAR adds ``_<annotator>`` to the text's stem."""
    names = set(texts)
    if ann_stem in names:
        return ann_stem
    base = re.sub(r"_[0-9a-f]{4}$", "", ann_stem)
    return base if base in names else None


def _span_line(ident: int, label: str, span: BratSpan, text: str) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in span.fragments)
    covered = " ".join(text[s:e] for s, e in span.fragments).replace("\n", " ")
    return f"T{ident}\t{label} {offsets}\t{covered}"


def format_ann(attributions: Iterable[BratAttribution], text: str) -> str:
    """Write attributions as PolNeAR-style brat standoff (shared spans written once)."""
    lines: list[str] = []
    ids: dict[tuple[str, Fragments], int] = {}
    counter = 0
    event = 0

    def ref(label: str, span: BratSpan) -> str:
        nonlocal counter
        key = (label, span.fragments)
        if key not in ids:
            counter += 1
            ids[key] = counter
            lines.append(_span_line(counter, label, span, text))
        return f"T{ids[key]}"

    for attribution in attributions:
        if attribution.cue is None or attribution.content is None:
            continue
        label = "Attribution" if attribution.source is not None else "Attribution-no-source"
        args = [f"{label}:{ref(label, attribution.cue)}", f"Cue:{ref('Cue', attribution.cue)}"]
        if attribution.source is not None:
            args.append(f"Source:{ref('Source', attribution.source)}")
        args.append(f"Content:{ref('Content', attribution.content)}")
        event += 1
        lines.append(f"E{event}\t" + " ".join(args))
    return "\n".join(lines) + ("\n" if lines else "")
