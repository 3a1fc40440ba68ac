"""A document's text cut into segments, each marked by the innermost extraction covering it.

The template escapes every segment and wraps marked ones in ``<mark>``: spans may
overlap or nest (a figure inside a statement's content), and flat segments keep
the HTML well formed whatever the spans are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from storyline.model import Analysis


@dataclass
class Span:
    start: int
    end: int
    kind: str  # speaker, cue, content, time, figure, event
    label: str  # shown on hover


@dataclass
class Segment:
    text: str
    start: int
    kind: str | None = None
    label: str = ""


def spans_of(analysis: Analysis) -> list[Span]:
    out: list[Span] = []
    for n, s in enumerate(analysis.statements, 1):
        who = s.speaker.name if s.speaker else "unattributed"
        for kind, span in (("speaker", s.speaker), ("cue", s.cue), ("content", s.content)):
            if span is not None:
                out.append(Span(span.start, span.end, kind, f"S{n} {kind}: {who} ({s.cue_class}, {s.date or 'undated'})"))
    out += [Span(t.start, t.end, "time", f"time: {t.value}") for t in analysis.times]
    out += [Span(f.start, f.end, "figure", f"figure: {f.value:g} {f.unit or ''} {f.about or ''}".strip())
            for f in analysis.figures]
    # An event's trigger word: the story page's timeline links to it.
    out += [Span(e.start, e.end, "event", f"event: {e.summary()} ({e.date or 'undated'})") for e in analysis.events]
    return out


def segments(text: str, spans: list[Span], anchors: Iterable[int] = ()) -> list[Segment]:
    """Segments cut at every span's ends and at ``anchors`` (offsets links point at: ``#at{offset}``)."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid),
                   *(a for a in anchors if 0 < a < len(text))})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [s for s in valid if s.start <= a and b <= s.end]
        inner = min(covering, key=lambda s: s.end - s.start, default=None)
        out.append(Segment(text[a:b], a, inner.kind if inner else None,
                           " · ".join(s.label for s in covering)))
    return out
