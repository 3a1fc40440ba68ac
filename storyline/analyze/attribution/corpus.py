"""PolNeAR-style corpora for training: parsed texts with their gold attributions as token spans."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from storyline.eval.brat import BratAttribution, BratSpan, article_name, read_ann

TokenSpan = tuple[int, int]


@dataclass
class GoldAttribution:
    cue: TokenSpan
    source: TokenSpan | None
    content: TokenSpan | None


@dataclass
class Article:
    name: str
    text: str
    golds: list[list[BratAttribution]] = field(default_factory=list)  # one list per annotator file


def read_gold(directory: Path) -> dict[str, Article]:
    """Texts of ``directory/text`` with the attributions of ``directory/attributions``."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((directory / "text").glob("*.txt"))}
    articles = {name: Article(name, text) for name, text in texts.items()}
    for ann in sorted((directory / "attributions").glob("*.ann")):
        name = article_name(ann.stem, texts)
        if name is not None:
            articles[name].golds.append(read_ann(ann).attributions)
    return articles


def token_span(doc: Doc, span: BratSpan | None) -> TokenSpan | None:
    """The tokens a (possibly discontinuous) character span covers, as one contiguous range."""
    if span is None:
        return None
    s = doc.char_span(span.start, span.end, alignment_mode="expand")
    if s is None or len(s) == 0:
        return None
    return s.start, s.end


def token_pieces(doc: Doc, span: BratSpan | None) -> tuple[TokenSpan, ...]:
    """The tokens of each fragment of a (possibly discontinuous) character span."""
    if span is None:
        return ()
    out = []
    for start, end in span.fragments:
        s = doc.char_span(start, end, alignment_mode="expand")
        if s is not None and len(s):
            out.append((s.start, s.end))
    return tuple(out)


def gold_token_attributions(doc: Doc, gold: list[BratAttribution]) -> Iterator[GoldAttribution]:
    for a in gold:
        cue = token_span(doc, a.cue)
        if cue is None:
            continue
        yield GoldAttribution(cue, token_span(doc, a.source), token_span(doc, a.content))
