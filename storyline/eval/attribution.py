"""Score attributions (source, cue, content) against PolNeAR-style brat gold.

Metrics (each defined in docs/attribution.md):

- per element, exact span: a predicted span is right when the same (possibly
  discontinuous) span is a gold span of that element in that article; spans
  are compared as sets per article (a source shared by two attributions counts
  once);
- per element, token overlap: P = overlapping tokens / predicted tokens,
  R = overlapping tokens / gold tokens, summed over the corpus (tokens are
  ``\\w+`` runs and single other non-space characters);
- linked attributions: a predicted attribution matches a gold one when its cue
  overlaps the gold cue and its source and content each overlap theirs (no
  source on both sides also matches); one-to-one, greedy in text order;
- pronoun speakers: among gold sources that are personal pronouns and whose
  referent the article names, the share whose predicted statement has that
  name as its resolved speaker (the referent is taken from the gold: the
  nearest earlier gold source that is a name — see the docs).

Articles with several annotators' files are scored against each file and the
counts averaged, so every article weighs the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from pathlib import Path
from dataclasses import dataclass, field

from storyline.eval.brat import BratAttribution, BratSpan, Fragments, format_ann

ELEMENTS = ("source", "cue", "content")
_TOKEN = re.compile(r"\w+|[^\w\s]")
PRONOUNS = {
    "he": "m", "him": "m", "she": "f", "her": "f", "they": "p", "them": "p", "i": "s", "we": "p",
    "it": "n", "you": "s",
}


@dataclass
class Counts:
    """True positives, system total and gold total (floats: averaged over annotators)."""

    tp: float = 0.0
    predicted: float = 0.0
    gold: float = 0.0

    def add(self, other: Counts, weight: float = 1.0) -> None:
        self.tp += other.tp * weight
        self.predicted += other.predicted * weight
        self.gold += other.gold * weight

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Prediction:
    """One predicted attribution plus the speaker's resolved name (for the pronoun metric)."""

    attribution: BratAttribution
    speaker_name: str | None = None


@dataclass
class Scores:
    exact: dict[str, Counts] = field(default_factory=lambda: {e: Counts() for e in ELEMENTS})
    overlap: dict[str, Counts] = field(default_factory=lambda: {e: Counts() for e in ELEMENTS})
    linked: Counts = field(default_factory=Counts)
    pronoun: Counts = field(default_factory=Counts)  # tp = right name, gold = resolvable pronoun sources
    articles: int = 0

    def add(self, other: Scores, weight: float = 1.0) -> None:
        for e in ELEMENTS:
            self.exact[e].add(other.exact[e], weight)
            self.overlap[e].add(other.overlap[e], weight)
        self.linked.add(other.linked, weight)
        self.pronoun.add(other.pronoun, weight)

    def table(self) -> list[tuple[str, float, float, float]]:
        """(metric, P, R, F1) rows in percent."""
        rows = []
        for kind, counts in (("exact", self.exact), ("token", self.overlap)):
            for e in ELEMENTS:
                c = counts[e]
                rows.append((f"{kind} {e}", 100 * c.precision, 100 * c.recall, 100 * c.f1))
        rows.append(("linked", 100 * self.linked.precision, 100 * self.linked.recall, 100 * self.linked.f1))
        return rows

    def as_dict(self) -> dict[str, float]:
        out = {f"{m} {k}": round(v, 2) for m, p, r, f in self.table() for k, v in (("P", p), ("R", r), ("F1", f))}
        out["pronoun speaker accuracy"] = round(100 * self.pronoun.recall, 2)
        out["pronoun speakers"] = round(self.pronoun.gold, 1)
        return out


def _element(a: BratAttribution, element: str) -> BratSpan | None:
    return getattr(a, element)


def _tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _covered(fragments: Iterable[Fragments], tokens: Sequence[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for frags in fragments:
        for s, e in frags:
            out.update(i for i, (ts, te) in enumerate(tokens) if ts < e and s < te)
    return out


def _overlaps(a: BratSpan | None, b: BratSpan | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.fragments for s2, e2 in b.fragments)


def _name_like(text: str) -> bool:
    words = [w for w in re.findall(r"[\w’'.-]+", text) if w.lower() not in {"the", "of", "and", "'s", "’s"}]
    return bool(words) and text.split()[0].lower() not in PRONOUNS and any(w[:1].isupper() for w in words)


def _same_name(predicted: str, gold: str) -> bool:
    """The predicted name and the gold referent share their last name-like word."""
    def last(text: str) -> str:
        words = [w.strip("’'s.,").lower() for w in re.findall(r"[A-Z][\w’'.-]*", text)]
        return words[-1] if words else ""
    p, g = last(predicted), last(gold)
    return bool(p) and (p == g or p in gold.lower() or g in predicted.lower())


def score_article(text: str, gold: Sequence[BratAttribution], predicted: Sequence[Prediction]) -> Scores:
    """Score one article against one annotator's attributions."""
    scores = Scores(articles=1)
    tokens = _tokens(text)
    system = [p.attribution for p in predicted]
    for element in ELEMENTS:
        g = {s.fragments for a in gold if (s := _element(a, element)) is not None}
        p = {s.fragments for a in system if (s := _element(a, element)) is not None}
        scores.exact[element] = Counts(len(g & p), len(p), len(g))
        gt, pt = _covered(g, tokens), _covered(p, tokens)
        scores.overlap[element] = Counts(len(gt & pt), len(pt), len(gt))
    # Linked: one-to-one, greedy in the system's order.
    used: set[int] = set()
    tp = 0
    for a in system:
        for i, g_a in enumerate(gold):
            if i in used or a.cue is None or g_a.cue is None:
                continue
            if _overlaps(a.cue, g_a.cue) and _overlaps(a.source, g_a.source) and _overlaps(a.content, g_a.content):
                used.add(i)
                tp += 1
                break
    scores.linked = Counts(tp, len(system), len(gold))
    scores.pronoun = _pronoun_counts(text, gold, predicted)
    return scores


def _pronoun_counts(text: str, gold: Sequence[BratAttribution], predicted: Sequence[Prediction]) -> Counts:
    named = sorted(
        (a.source.start, a.source.text or text[a.source.start : a.source.end])
        for a in gold
        if a.source is not None and _name_like(a.source.text or text[a.source.start : a.source.end])
    )
    counts = Counts()
    seen: set[Fragments] = set()
    for a in gold:
        source = a.source
        if source is None or source.fragments in seen:
            continue
        surface = text[source.start : source.end].strip().lower()
        if surface not in PRONOUNS or surface in {"i", "we", "you", "it"}:
            continue
        seen.add(source.fragments)
        earlier = [name for start, name in named if start < source.start]
        if not earlier:
            continue  # the article does not name the referent before the pronoun
        referent = earlier[-1]
        counts.gold += 1
        match = next((p for p in predicted if p.attribution.source is not None and _overlaps(p.attribution.source, source)), None)
        if match is not None:
            counts.predicted += 1
            if match.speaker_name and _same_name(match.speaker_name, referent):
                counts.tp += 1
    return counts


def score_corpus(
    articles: Iterable[tuple[str, Sequence[Sequence[BratAttribution]], Sequence[Prediction]]],
) -> Scores:
    """Score (text, [one gold list per annotator], predictions) triples; annotators averaged per article."""
    total = Scores()
    for text, golds, predicted in articles:
        if not golds:
            continue
        for gold in golds:
            total.add(score_article(text, gold, predicted), 1 / len(golds))
        total.articles += 1
    return total


def statement_predictions(doc: Any) -> list[Prediction]:
    """A parsed doc's statements as brat attributions, with the spans the tagger marked
    (``doc._.statement_parts``: PolNeAR's conventions, e.g. a relative pronoun as source).
    Cue-less continuation quotes are left out: PolNeAR links every attribution to a cue."""
    statements = doc._.statements or []
    parts = doc._.statement_parts if doc.has_extension("statement_parts") else None
    out = []
    for k, s in enumerate(statements):
        if s.cue is None:
            continue
        part = parts[k] if parts and k < len(parts) else {}
        pieces = tuple((a, b) for a, b in part.get("content") or [(s.content.start, s.content.end)])
        source_at = part.get("source") if part else ((s.speaker.start, s.speaker.end) if s.speaker else None)
        source = BratSpan((tuple(source_at),), doc.text[source_at[0] : source_at[1]]) if source_at else None
        cue_at = tuple(part.get("cue") or (s.cue.start, s.cue.end))
        out.append(
            Prediction(
                BratAttribution(BratSpan((cue_at,), doc.text[cue_at[0] : cue_at[1]]), source, BratSpan(pieces, s.content.text)),
                s.speaker.name if s.speaker else None,
            )
        )
    return out


@dataclass
class Evaluation:
    scores: Scores
    seconds: float
    words: int


def write_ann_files(out: Path, names: Iterable[str], predicted: Sequence[Prediction], text: str) -> None:
    """Write an article's predicted attributions as brat into ``out``, under each of ``names``
    (one per gold annotator file, so any scorer pairs them by name)."""
    written = format_ann([p.attribution for p in predicted], text)
    for name in names:
        (out / name).write_text(written, encoding="utf-8")


def evaluate_directory(nlp: object, directory: Path, write_ann: Path | None = None, batch_size: int = 16) -> Evaluation:
    """Run the pipeline over ``directory/text``, score against ``directory/attributions``."""
    import time

    from storyline.analyze.pipeline import make_doc
    from storyline.eval.brat import article_name, read_ann
    from storyline.ingest.text import parse_article_text

    files = sorted((directory / "text").glob("*.txt"))
    texts = {f.stem: f.read_text(encoding="utf-8") for f in files}
    golds: dict[str, list[list[BratAttribution]]] = {name: [] for name in texts}
    ann_names: dict[str, list[str]] = {name: [] for name in texts}
    for ann in sorted((directory / "attributions").glob("*.ann")):
        name = article_name(ann.stem, texts)
        if name is not None:
            golds[name].append(read_ann(ann).attributions)
            ann_names[name].append(ann.name)
    documents = [parse_article_text(texts[f.stem], source=str(f)) for f in files]
    started = time.perf_counter()
    docs = list(nlp.pipe((make_doc(nlp, d) for d in documents), batch_size=batch_size))  # type: ignore[attr-defined]
    seconds = time.perf_counter() - started
    triples = []
    if write_ann is not None:
        write_ann.mkdir(parents=True, exist_ok=True)
    for f, doc in zip(files, docs):
        predicted = statement_predictions(doc)
        triples.append((texts[f.stem], golds[f.stem], predicted))
        if write_ann is not None:
            write_ann_files(write_ann, ann_names[f.stem] or [f.stem + ".ann"], predicted, texts[f.stem])
    words = sum(len(t.split()) for t in texts.values())
    return Evaluation(score_corpus(triples), seconds, words)


@dataclass
class Speed:
    words: int
    model_seconds: float  # the spaCy model alone (nlp.pipe)
    component_seconds: float  # storyline_statements alone, on the model's output docs

    @property
    def share(self) -> float:
        """The component's cost as a share of the bare model's time."""
        return self.component_seconds / self.model_seconds


def measure_speed(model: str, texts: Sequence[str], repeats: int = 3) -> Speed:
    """The bare model's time vs the statements component's own time on the model's docs, in
    this process (best of ``repeats`` each, so other load on the machine counts least)."""
    import time

    import spacy

    import storyline.analyze.attribution.component  # noqa: F401  (registers the factory)

    nlp = spacy.load(model)
    component = nlp.add_pipe("storyline_statements")
    model_times, component_times = [], []
    docs = []
    for _ in range(repeats):
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=16, disable=["storyline_statements"]))
        model_times.append(time.perf_counter() - started)
    component(docs[0])  # load the weights before timing
    for _ in range(repeats):
        started = time.perf_counter()
        for doc in docs:
            component(doc)
        component_times.append(time.perf_counter() - started)
    return Speed(sum(len(t.split()) for t in texts), min(model_times), min(component_times))


def annotator_agreement(directory: Path) -> Scores:
    """The scorer applied to the annotators: on articles with several annotators' files, each
    file is scored as a system against the others (a ceiling for the figures)."""
    from storyline.eval.brat import article_name, read_ann

    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((directory / "text").glob("*.txt"))}
    golds: dict[str, list[list[BratAttribution]]] = {}
    for ann in sorted((directory / "attributions").glob("*.ann")):
        name = article_name(ann.stem, texts)
        if name is not None:
            golds.setdefault(name, []).append(read_ann(ann).attributions)
    triples = []
    for name, files in golds.items():
        for k, mine in enumerate(files):
            others = [g for j, g in enumerate(files) if j != k]
            if others:
                triples.append((texts[name], others, [Prediction(a) for a in mine]))
    return score_corpus(triples)


if __name__ == "__main__":  # python -m storyline.eval.attribution agreement DIR
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "agreement":
        sys.exit("usage: python -m storyline.eval.attribution agreement DIR")
    agreed = annotator_agreement(Path(sys.argv[2]))
    print(f"annotators against each other ({agreed.articles} annotator files)")
    for metric, p, r, f in agreed.table():
        print(f"{metric:16s} {p:6.1f} {r:6.1f} {f:6.1f}")
