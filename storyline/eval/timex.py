"""Time-expression evaluation on TimeML (TempEval-3 TBAQ): span, type and value scores.

Metrics, as TempEval-3 defines them:

- strict span P/R/F1: a system expression matches a gold one with exactly the same offsets;
- relaxed span P/R/F1: they overlap (matched one to one, largest overlap first);
- type and value accuracy: the share of relaxed matches whose TIMEX3 type / value equals the gold one;
- type F1 and value F1: relaxed F1 × type / value accuracy (the attribute is right *and* the span found).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from storyline.eval.timeml import Timex, TimeMLDocument, read_corpus, to_tml


@dataclass
class Counts:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def add(self, other: Counts) -> None:
        for name in ("gold", "system", "strict", "relaxed", "type_ok", "value_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _f1(hits: float, system: int, gold: int) -> tuple[float, float, float]:
        p = hits / system if system else 0.0
        r = hits / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def strict_prf(self) -> tuple[float, float, float]:
        return self._f1(self.strict, self.system, self.gold)

    @property
    def relaxed_prf(self) -> tuple[float, float, float]:
        return self._f1(self.relaxed, self.system, self.gold)

    @property
    def type_accuracy(self) -> float:
        return self.type_ok / self.relaxed if self.relaxed else 0.0

    @property
    def value_accuracy(self) -> float:
        return self.value_ok / self.relaxed if self.relaxed else 0.0

    @property
    def type_f1(self) -> float:
        return self.relaxed_prf[2] * self.type_accuracy

    @property
    def value_f1(self) -> float:
        return self.relaxed_prf[2] * self.value_accuracy

    def as_dict(self) -> dict[str, float]:
        sp, sr, sf = self.strict_prf
        rp, rr, rf = self.relaxed_prf
        return {
            "gold": self.gold, "system": self.system, "strict_p": sp, "strict_r": sr, "strict_f1": sf,
            "relaxed_p": rp, "relaxed_r": rr, "relaxed_f1": rf, "type_accuracy": self.type_accuracy,
            "value_accuracy": self.value_accuracy, "type_f1": self.type_f1, "value_f1": self.value_f1,
        }


def match(gold: list[Timex], system: list[Timex]) -> list[tuple[Timex, Timex]]:
    """One-to-one pairs of overlapping gold and system expressions, largest overlap first."""
    pairs = []
    for g in gold:
        for s in system:
            shared = min(g.end, s.end) - max(g.start, s.start)
            if shared > 0:
                pairs.append((shared, g.start, s.start, g, s))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_g: set[int] = set()
    used_s: set[int] = set()
    out = []
    for _, _, _, g, s in pairs:
        if id(g) in used_g or id(s) in used_s:
            continue
        used_g.add(id(g))
        used_s.add(id(s))
        out.append((g, s))
    return out


def score(gold: list[Timex], system: list[Timex]) -> Counts:
    """The counts for one document."""
    counts = Counts(gold=len(gold), system=len(system))
    for g, s in match(gold, system):
        counts.relaxed += 1
        counts.strict += (g.start, g.end) == (s.start, s.end)
        counts.type_ok += g.type == s.type
        counts.value_ok += g.value == s.value
    return counts


def tag(nlp: Language, documents: Iterable[TimeMLDocument], batch_size: int = 16) -> Iterable[list[Timex]]:
    """Run the pipeline over the documents' raw text, anchored on each DCT; yield their expressions."""
    docs = list(documents)

    def make(document: TimeMLDocument):  # type: ignore[no-untyped-def]
        doc = nlp.make_doc(document.text)
        doc._.doc_id = document.name
        doc._.published = document.dct or None
        return doc

    for doc in nlp.pipe((make(d) for d in docs), batch_size=batch_size):
        yield [Timex(t.start, t.end, t.text, t.type, t.value) for t in doc._.times or []]


@dataclass
class Report:
    """Counts per subcorpus and overall; the system output per file."""

    corpora: dict[str, Counts] = field(default_factory=dict)
    output: dict[str, list[Timex]] = field(default_factory=dict)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.corpora.values():
            total.add(counts)
        return total

    def table(self) -> str:
        head = (f"{'corpus':<12}{'gold':>6}{'sys':>6}  {'strict P/R/F1':>20}  {'relaxed P/R/F1':>20}"
                f"{'type acc':>9}{'val acc':>9}{'type F1':>9}{'val F1':>8}")
        rows = [head, "-" * len(head)]
        items = list(self.corpora.items())
        if len(items) > 1:
            items.append(("overall", self.overall))
        for name, c in items:
            d = c.as_dict()
            rows.append(
                f"{name:<12}{c.gold:>6}{c.system:>6}  "
                f"{100 * d['strict_p']:>6.1f}{100 * d['strict_r']:>7.1f}{100 * d['strict_f1']:>7.1f}  "
                f"{100 * d['relaxed_p']:>6.1f}{100 * d['relaxed_r']:>7.1f}{100 * d['relaxed_f1']:>7.1f}"
                f"{100 * d['type_accuracy']:>9.1f}{100 * d['value_accuracy']:>9.1f}"
                f"{100 * d['type_f1']:>9.1f}{100 * d['value_f1']:>8.1f}"
            )
        return "\n".join(rows)


def evaluate(nlp: Language, corpora: dict[str, list[TimeMLDocument]]) -> Report:
    """Score the pipeline on each subcorpus."""
    report = Report()
    for name, documents in corpora.items():
        counts = Counts()
        for document, system in zip(documents, tag(nlp, documents)):
            counts.add(score(document.timexes, system))
            report.output[document.name] = system
        report.corpora[name] = counts
    return report


def write_tml(corpora: dict[str, list[TimeMLDocument]], report: Report, out: Path) -> int:
    """Write the system output as TimeML (gold DCT kept) under ``out/<subcorpus>/``; return the file count."""
    n = 0
    for name, documents in corpora.items():
        folder = Path(out) / name if len(corpora) > 1 else Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for document in documents:
            (folder / document.name).write_text(to_tml(document, report.output.get(document.name, [])), encoding="utf-8")
            n += 1
    return n


def load_timeml(directory: Path) -> dict[str, list[TimeMLDocument]]:
    corpora = read_corpus(directory)
    if not corpora:
        raise FileNotFoundError(f"no .tml files in {directory} or its subfolders")
    return corpora


@dataclass
class Run:
    """An evaluation run: the report, the words read and the pipeline's time."""

    report: Report
    words: int
    seconds: float


def evaluate_directory(model: str, directory: Path, write_to: Path | None = None, *, batch_size: int = 16) -> Run:
    """Score storyline's pipeline (up to and including ``storyline_times``) on the TimeML under ``directory``.

    The components after ``storyline_times`` cannot change ``doc._.times``, so
    they are left out to save time; everything before it runs as users run it.
    """
    import time

    from storyline.analyze.pipeline import STORYLINE_COMPONENTS, load_pipeline

    names = [name for name, _, _ in STORYLINE_COMPONENTS]
    after = names[names.index("storyline_times") + 1 :] if "storyline_times" in names else []
    nlp = load_pipeline(model, exclude=after)
    corpora = load_timeml(directory)
    started = time.perf_counter()
    report = evaluate(nlp, corpora)
    seconds = time.perf_counter() - started
    words = sum(len(d.text.split()) for docs in corpora.values() for d in docs)
    if write_to is not None:
        write_tml(corpora, report, write_to)
    return Run(report, words, seconds)
