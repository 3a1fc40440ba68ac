"""Place resolution against LGL (Lieberman, Samet & Sankaranarayanan 2010): local news, GeoNames gold.

Two evaluations:

1. **Gold spans**: the resolver gets LGL's toponym spans (text + offsets) and
   the article; every toponym with a ``<gaztag>`` is scored.
2. **End to end**: storyline's pipeline finds the places (entities of type
   GPE/LOC/FAC and their mentions) and resolves them; a predicted mention
   matches a gold toponym when the spans overlap. Recognition precision,
   recall and F1 count every gold toponym; resolution metrics are computed on
   the matched ones that have a gaztag.

Resolution metrics: exact GeoNames id (over all scored toponyms, and over
those whose gold id the gazetteer holds), accuracy within 161 km (100 miles,
the customary threshold), mean and median error in km of resolved toponyms,
country accuracy (ISO2; for continents and oceans "no country" is right), and
coverage (toponyms given any resolution; an unresolved one counts as wrong).
"""

from __future__ import annotations

import math
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyline.analyze.places.build import km
from storyline.analyze.places.outlets import OutletProfiles
from storyline.analyze.places.resolver import Context, Resolution, Resolver, Toponym

ACCURACY_KM = 161.0


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    text: str
    geonameid: int | None = None  # None: the annotator found no gazetteer entry
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO2
    fcode: str | None = None
    name: str | None = None


@dataclass
class Article:
    id: str
    text: str
    domain: str | None
    toponyms: list[GoldToponym]
    title: str | None = None


def read_lgl(path: Path | str) -> list[Article]:
    """LGL's XML: articles with text, domain and toponyms (start/end/phrase, gaztag)."""
    from storyline.analyze.places.gazetteer import shared

    gaz = shared()
    iso_by_geonameid: dict[int, str] = {}
    for place in gaz.places(("country",)):
        if place.geonameid and place.country:
            iso_by_geonameid[place.geonameid] = place.country
    articles = []
    for node in ET.parse(path).getroot().iter("article"):
        text = node.findtext("text") or ""
        toponyms = []
        for t in node.iter("toponym"):
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            tag = t.find("gaztag")
            if tag is None:
                toponyms.append(GoldToponym(start, end, text[start:end]))
                continue
            country = tag.find("country")
            cid = country.get("geonameid") if country is not None else None
            toponyms.append(
                GoldToponym(
                    start, end, text[start:end], geonameid=int(tag.get("geonameid") or 0) or None,
                    lat=float(tag.findtext("lat") or "nan"), lon=float(tag.findtext("lon") or "nan"),
                    country=iso_by_geonameid.get(int(cid)) if cid else None,
                    fcode=tag.findtext("fcode"), name=tag.findtext("name"),
                )
            )
        articles.append(Article(node.get("docid") or "", text, node.findtext("domain"), toponyms, node.findtext("title")))
    return articles


def split(articles: Sequence[Article], part: str) -> list[Article]:
    """``dev`` (even positions: develop on these), ``test`` (odd: check only) or ``all``."""
    if part == "all":
        return list(articles)
    if part not in ("dev", "test"):
        raise ValueError(f"unknown split {part!r}: dev, test or all")
    return [a for i, a in enumerate(articles) if i % 2 == (0 if part == "dev" else 1)]


def outlet_country(domain: str | None) -> str | None:
    """The outlet's country: storyline's outlet registry, else a country-code top-level domain."""
    if not domain:
        return None
    from storyline.ingest.outlets import Outlets

    outlet = Outlets.bundled().for_domain(domain)
    if outlet and outlet.country:
        return outlet.country
    tld = domain.rsplit(".", 1)[-1].upper()
    if tld == "UK":
        return "GB"
    import pycountry

    return tld if len(tld) == 2 and pycountry.countries.get(alpha_2=tld) else None


@dataclass
class Scores:
    """Resolution metrics over a set of (gold, prediction) pairs."""

    n: int = 0
    resolved: int = 0
    exact: int = 0
    exact_known: int = 0  # gold id present in the gazetteer
    known: int = 0
    within: int = 0
    country: int = 0
    errors: list[float] = field(default_factory=list)

    def add(self, gold: GoldToponym, pred: Resolution | None, known: bool) -> float | None:
        self.n += 1
        self.known += known
        if pred is None:
            return None
        self.resolved += 1
        error = km(gold.lat, gold.lon, pred.lat, pred.lon)  # type: ignore[arg-type]
        self.errors.append(error)
        self.within += error <= ACCURACY_KM
        hit = pred.geonameid is not None and pred.geonameid == gold.geonameid
        self.exact += hit
        self.exact_known += hit and known
        self.country += pred.country == gold.country
        return error

    def table(self) -> dict[str, float | int]:
        pct = lambda a, b: round(100.0 * a / b, 1) if b else 0.0  # noqa: E731
        return {
            "toponyms": self.n,
            "coverage %": pct(self.resolved, self.n),
            "acc@161km %": pct(self.within, self.n),
            "exact id %": pct(self.exact, self.n),
            "exact id (id in gazetteer) %": pct(self.exact_known, self.known),
            "country %": pct(self.country, self.n),
            "mean error km": round(statistics.fmean(self.errors), 1) if self.errors else math.nan,
            "median error km": round(statistics.median(self.errors), 1) if self.errors else math.nan,
        }


@dataclass
class ErrorCase:
    article: str
    gold: GoldToponym
    pred: Resolution | None
    error_km: float | None


def contexts(
    articles: Sequence[Article], resolver: Resolver, *, use_outlet: bool = True, profiles: bool = True
) -> dict[str, Context]:
    """Each article's context: its outlet's country (from the domain) and, with ``profiles``, the
    home region its outlet's *other* articles resolve to (:class:`OutletProfiles`, no gold used)."""
    out = {a.id: Context(outlet_country=outlet_country(a.domain) if use_outlet else None) for a in articles}
    if not (use_outlet and profiles):
        return out
    profile = OutletProfiles()
    for a in articles:
        toponyms = [Toponym(t.start, t.end, t.text) for t in a.toponyms]
        profile.add(a.domain or "", a.id, resolver.resolve(toponyms, a.text, out[a.id]))
    return {
        a.id: Context(outlet_country=out[a.id].outlet_country, outlet_region=profile.region(a.domain, a.id))
        for a in articles
    }


def score_gold_spans(
    articles: Iterable[Article],
    resolver: Resolver | None = None,
    *,
    use_outlet: bool = True,
    profiles: bool = True,
    on_error: Callable[[ErrorCase], None] | None = None,
) -> tuple[Scores, int]:
    """Resolve LGL's gold toponym spans; returns the scores and how many toponyms lack a gaztag."""
    resolver = resolver or Resolver()
    articles = list(articles)
    context_of = contexts(articles, resolver, use_outlet=use_outlet, profiles=profiles)
    scores, untagged = Scores(), 0
    known_ids: dict[int, bool] = {}
    for article in articles:
        toponyms = [Toponym(t.start, t.end, t.text) for t in article.toponyms]
        predictions = resolver.resolve(toponyms, article.text, context_of[article.id])
        for gold, pred in zip(article.toponyms, predictions):
            if gold.geonameid is None:
                untagged += 1
                continue
            if gold.geonameid not in known_ids:
                known_ids[gold.geonameid] = resolver.gazetteer.by_geonameid(gold.geonameid) is not None
            error = scores.add(gold, pred, known_ids[gold.geonameid])
            if on_error and (error is None or error > ACCURACY_KM):
                on_error(ErrorCase(article.id, gold, pred, error))
    return scores, untagged


@dataclass
class Recognition:
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_pred: int = 0

    def table(self) -> dict[str, float | int]:
        p = self.matched_pred / self.predicted if self.predicted else 0.0
        r = self.matched_gold / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "gold toponyms": self.gold,
            "predicted": self.predicted,
            "precision %": round(100 * p, 1),
            "recall %": round(100 * r, 1),
            "F1 %": round(100 * f, 1),
        }


def predicted_places(analysis: object) -> list[tuple[int, int, Resolution | None]]:
    """(start, end, resolution) of every mention of a place entity in an Analysis."""
    from storyline.analyze.places.component import PLACE_TYPES

    out = []
    for entity in analysis.entities:  # type: ignore[attr-defined]
        if entity.type not in PLACE_TYPES:
            continue
        res = None
        if entity.lat is not None:
            res = Resolution(
                name=entity.canonical, lat=entity.lat, lon=entity.lon, country=entity.country, admin1=None,
                admin_level=entity.admin_level, feature_class=None, feature_code=None, population=0,
                kind="", geonameid=entity.geonameid,
            )
        for m in entity.mentions:
            out.append((m.start, m.end, res))
    return out


def score_end_to_end(
    articles: Sequence[Article], model: str, *, processes: int = 1, use_outlet: bool = True
) -> tuple[Recognition, Scores]:
    """Run storyline's pipeline over the articles and score recognition and resolution."""
    from storyline.analyze.pipeline import STORYLINE_COMPONENTS, analyze, load_pipeline
    from storyline.ingest.outlets import Outlets
    from storyline.model import Document

    # The components after storyline_places cannot change the places: leave them out.
    names = [name for name, _, _ in STORYLINE_COMPONENTS]
    later = names[names.index("storyline_places") + 1 :] if "storyline_places" in names else []
    nlp = load_pipeline(model, exclude=later)
    documents = [Document(text=a.text, outlet=a.domain) for a in articles]
    outlets = Outlets()
    if use_outlet:  # the pipeline takes the outlet's country from the registry, by outlet name
        outlets.update({a.domain: {"name": a.domain, "country": c} for a in articles if a.domain and (c := outlet_country(a.domain))})
    recognition, scores = Recognition(), Scores()
    known_ids: dict[int, bool] = {}
    from storyline.analyze.places.gazetteer import shared

    gaz = shared()
    by_id = {d.id: a for d, a in zip(documents, articles)}
    for outcome in analyze(nlp, documents, processes=processes, outlets=outlets):
        article = by_id[outcome.document.id]
        predicted = predicted_places(outcome.analysis) if outcome.analysis else []
        recognition.gold += len(article.toponyms)
        recognition.predicted += len(predicted)
        matched_pred: set[int] = set()
        for gold in article.toponyms:
            hits = [i for i, (s, e, _) in enumerate(predicted) if s < gold.end and gold.start < e]
            if not hits:
                continue
            recognition.matched_gold += 1
            matched_pred.update(hits)
            if gold.geonameid is None:
                continue
            if gold.geonameid not in known_ids:
                known_ids[gold.geonameid] = gaz.by_geonameid(gold.geonameid) is not None
            scores.add(gold, predicted[hits[0]][2], known_ids[gold.geonameid])
        recognition.matched_pred += len(matched_pred)
    return recognition, scores




@dataclass
class Report:
    """Gold-span resolution per split, and optionally end-to-end scores."""

    resolution: dict[str, Scores]
    untagged: dict[str, int]
    recognition: Recognition | None = None
    end_to_end: Scores | None = None
    end_to_end_split: str | None = None
    setting: str = ""

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "setting": self.setting,
            "gold_spans": {part: {**s.table(), "untagged (skipped)": self.untagged[part]} for part, s in self.resolution.items()}
        }
        if self.recognition is not None and self.end_to_end is not None:
            out["end_to_end"] = {
                "split": self.end_to_end_split, "recognition": self.recognition.table(), "resolution": self.end_to_end.table()
            }
        return out

    def table(self) -> str:
        lines = [f"Resolution on gold toponym spans (LGL; dev = even articles, test = odd; {self.setting})"]
        columns = list(next(iter(self.resolution.values())).table())
        lines.append(f"{'split':6s} " + " ".join(f"{c:>{max(9, len(c))}s}" for c in columns))
        for part, scores in self.resolution.items():
            row = scores.table()
            lines.append(f"{part:6s} " + " ".join(f"{row[c]:>{max(9, len(c))}}" for c in columns))
        lines.append(f"(toponyms without a gaztag, skipped: " + ", ".join(f"{p} {n}" for p, n in self.untagged.items()) + ")")
        if self.recognition is not None and self.end_to_end is not None:
            lines.append("")
            lines.append(f"End to end ({self.end_to_end_split}): recognition (overlapping spans)")
            lines.append("  " + "  ".join(f"{k} {v}" for k, v in self.recognition.table().items()))
            lines.append("  resolution of matched toponyms with a gaztag")
            lines.append("  " + "  ".join(f"{k} {v}" for k, v in self.end_to_end.table().items()))
        return "\n".join(lines)


def evaluate(
    path: Path | str,
    *,
    splits: Sequence[str] = ("dev", "test", "all"),
    end_to_end: str | None = None,
    model: str | None = None,
    processes: int = 1,
    use_outlet: bool = True,
    profiles: bool = True,
    on_error: Callable[[ErrorCase], None] | None = None,
) -> Report:
    """Score resolution on LGL's gold spans for each split; with ``end_to_end`` (a split), the pipeline too."""
    articles = read_lgl(path)
    resolver = Resolver()
    resolution, untagged = {}, {}
    for part in splits:
        resolution[part], untagged[part] = score_gold_spans(
            split(articles, part), resolver, use_outlet=use_outlet, profiles=profiles,
            on_error=on_error if part == splits[-1] else None,
        )
    setting = "outlet country and profiles" if use_outlet and profiles else "outlet country" if use_outlet else "no outlet"
    report = Report(resolution, untagged, setting=setting)
    if end_to_end:
        if model is None:
            raise ValueError("end-to-end evaluation needs a spaCy model")
        report.recognition, report.end_to_end = score_end_to_end(
            split(articles, end_to_end), model, processes=processes, use_outlet=use_outlet
        )
        report.end_to_end_split = end_to_end
    return report
