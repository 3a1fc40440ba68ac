"""Toponym resolution: which gazetteer place each place name in a document denotes.

A pure API, usable without spaCy: :func:`resolve` takes the toponyms (text and
offsets) of one document, the document text and what is known of its outlet,
and returns one :class:`Resolution` (or None) per toponym.

Method. Every toponym gets candidates from the gazetteer (:mod:`.candidates`).
A candidate's score is a weighted sum of features (:mod:`.features`):

- prior: population (log), kind of place (countries and first-level regions
  are what a bare name usually means), how the name matched (official name,
  abbreviation, adjective, alternate name, name without its division word),
  capital, whether the text asks for a division ("Laurel County");
- qualifiers: "Alexandria, La.", "Kazan, Tatarstan", "Paris, Texas" — a place
  inside the region named right after it;
- support: how many other toponyms of the document could denote a place in
  the same region or nearby, whichever of their candidates that is;
- context: the other toponyms' current resolutions — same country, same
  first- and second-level region, distance to the nearest — and the outlet's
  country and, for a local outlet, its home region (:mod:`.outlets`);
- one sense per document: all mentions of a name (or of one entity) share one
  resolution and pool their evidence.

Resolutions start from prior and support and are revised a few rounds
against each other until they settle.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from storyline.analyze.places.candidates import Candidate, candidates
from storyline.analyze.places.features import WEIGHTS, Group, context_features, static_features, support_features
from storyline.analyze.places.gazetteer import Gazetteer, PlaceRecord, shared, stable_key
from storyline.analyze.places.names import key


@dataclass(frozen=True)
class Toponym:
    """A place name in a document: offsets into the text, end exclusive."""

    start: int
    end: int
    text: str
    group: str | None = None  # mentions of one group share a resolution (default: same name)


@dataclass(frozen=True)
class Context:
    """What is known of the document besides its text."""

    outlet_country: str | None = None  # ISO2 of the outlet
    outlet_region: str | None = None  # admin1 key ("US-LA") of a local outlet's home region


@dataclass(frozen=True)
class Resolution:
    """The place a toponym denotes."""

    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    admin_level: int | None  # 0 country, 1 first-level region, 2 second-level; None for other places
    feature_class: str | None
    feature_code: str | None
    population: int
    kind: str
    geonameid: int | None = None
    place_id: int | None = None
    score: float = 0.0
    key: str | None = None  # stable across builds (gazetteer.stable_key): geonames:…, iso3166-2:…


@dataclass
class Options:
    weights: dict[str, float] = field(default_factory=lambda: dict(WEIGHTS))
    rounds: int = 4
    max_candidates: int = 60


_QUALIFIER = re.compile(r"^\s*,\s*(?:the\s+)?((?:[A-Z][\w.'’-]*\.?)(?:\s+[A-Z][\w.'’-]*\.?){0,3})")
_REGION_KINDS = {"country", "admin1", "admin2"}


class Resolver:
    def __init__(self, gazetteer: Gazetteer | None = None, options: Options | None = None) -> None:
        self.gazetteer = gazetteer or shared()
        self.options = options or Options()

    def qualifiers(self, text: str, toponym: Toponym) -> list[PlaceRecord]:
        """Regions named right after a toponym: "Alexandria, La." → Louisiana."""
        m = _QUALIFIER.match(text[toponym.end : toponym.end + 60])
        if not m:
            return []
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            phrase = " ".join(words[:n]).rstrip(",")
            for form in dict.fromkeys((phrase, phrase.rstrip("."))):
                found = [c.place for c in candidates(self.gazetteer, form) if c.place.kind in _REGION_KINDS]
                if found:
                    return found
        return []

    def groups(self, toponyms: Sequence[Toponym], text: str) -> tuple[dict[str, list[int]], list[Group]]:
        """Toponyms grouped (one sense per group) with their candidates and static features."""
        members: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(toponyms):
            members[t.group or key(t.text)].append(i)
        groups = []
        for g, idx in members.items():
            pooled: dict[int, tuple[Candidate, dict[str, float]]] = {}
            matched: Counter[int] = Counter()  # how many of the group's mentions can denote the place
            for i in idx:
                t = toponyms[i]
                quals = self.qualifiers(text, t)
                found = candidates(self.gazetteer, t.text, self.options.max_candidates)
                top = max((c.place.population for c in found), default=0)
                for cand in found:
                    matched[cand.place.id] += 1
                    feats = static_features(cand, t.text, quals, top)
                    old = pooled.get(cand.place.id)
                    if old is None or _total(feats, self.options.weights) > _total(old[1], self.options.weights):
                        pooled[cand.place.id] = (cand, feats)
            for place_id, (_, feats) in pooled.items():
                # "North Korea", "North Korean" ×9 and "Pyongyang" name one entity: the country.
                feats["share"] = matched[place_id] / len(idx)
            if pooled:
                groups.append(Group(g, [c for c, _ in pooled.values()], [f for _, f in pooled.values()], len(idx)))
        support_features(groups)
        return dict(members), groups

    def run(self, groups: list[Group], context: Context) -> list[int]:
        """Index of the chosen candidate of each group, after the rounds of revision."""
        w = self.options.weights
        chosen = [max(range(len(g.candidates)), key=lambda j: _total(g.features[j], w)) for g in groups]
        for _ in range(self.options.rounds):
            changed = False
            for gi, g in enumerate(groups):
                others = [(groups[h].candidates[chosen[h]].place, groups[h].mentions) for h in range(len(groups)) if h != gi]
                best, best_score = chosen[gi], -math.inf
                for j, cand in enumerate(g.candidates):
                    g.context[j] = context_features(cand.place, others, context.outlet_country, context.outlet_region)
                    score = _total(g.features[j], w) + _total(g.context[j], w)
                    if score > best_score:
                        best, best_score = j, score
                changed |= best != chosen[gi]
                chosen[gi] = best
            if not changed:
                break
        return chosen

    def resolve(self, toponyms: Sequence[Toponym], text: str, context: Context | None = None) -> list[Resolution | None]:
        context = context or Context()
        members, groups = self.groups(toponyms, text)
        chosen = self.run(groups, context)
        w = self.options.weights
        out: list[Resolution | None] = [None] * len(toponyms)
        bare = [all(_is_direction(toponyms[i].text) for i in members[g.key]) for g in groups]
        # Countries the document's other (not bare-compass) names resolved to.
        named = {g.candidates[j].place.country for g, j, b in zip(groups, chosen, bare) if not b}
        for g, j, b in zip(groups, chosen, bare):
            place = g.candidates[j].place
            if b and place.country not in named and place.country != context.outlet_country:
                continue  # "the South" (of Korea) is not Lebanon's South Governorate without Lebanon in sight
            score = _total(g.features[j], w) + _total(g.context.get(j, {}), w)
            res = to_resolution(g.candidates[j].place, score)
            for i in members[g.key]:
                out[i] = res
        return out


# Compass words: as a bare name ("the South", "the North") they name a part of whatever
# the story is about far more often than the region some country calls by that word.
_DIRECTIONS = frozenset(
    "north south east west northeast northwest southeast southwest north-east north-west south-east "
    "south-west centre center central midwest".split()
)


def _is_direction(name: str) -> bool:
    words = name.lower().split()
    if words and words[0] == "the":
        words = words[1:]
    return len(words) == 1 and words[0] in _DIRECTIONS


def _total(features: dict[str, float], weights: dict[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in features.items())


def to_resolution(place: PlaceRecord, score: float = 0.0) -> Resolution:
    return Resolution(
        name=place.name, lat=place.lat, lon=place.lon, country=place.country, admin1=place.admin1,
        admin_level=place.level, feature_class=place.fclass, feature_code=place.fcode,
        population=place.population, kind=place.kind, geonameid=place.geonameid, place_id=place.id, score=score,
        key=stable_key(place),
    )


def resolve(
    toponyms: Sequence[Toponym], text: str, context: Context | None = None, *, resolver: Resolver | None = None
) -> list[Resolution | None]:
    """Resolve the toponyms of one document (see the module docstring)."""
    return (resolver or Resolver()).resolve(toponyms, text, context)
