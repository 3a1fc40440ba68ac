"""The evidence a candidate place gets, as named features, and their weights.

Static features depend on the toponym and the candidate alone; support
features on which places the document's other toponyms *could* denote;
context features on what they currently *do* denote. The score of a
candidate is the weighted sum of its features (:data:`WEIGHTS`, fitted as a
conditional logit on the even half of LGL by ``scripts/fit_place_weights.py``
into ``data/weights.json``).
"""

from __future__ import annotations

import json
import math
import re
from importlib import resources
from dataclasses import dataclass, field

from storyline.analyze.places.build import km
from storyline.analyze.places.candidates import Candidate
from storyline.analyze.places.names import DIVISION_WORD
from storyline.analyze.places.gazetteer import PlaceRecord

_LOCAL = ("city", "admin2", "feature")
_ACRONYM = re.compile(r"^[A-Z]{2,4}$|^(?:[A-Z]\.){2,4}$")
_DIVISIONS = ("admin1", "admin2")


@dataclass
class Group:
    """The mentions of one name (or one entity) in a document and their candidates."""

    key: str
    candidates: list[Candidate]
    features: list[dict[str, float]]
    mentions: int = 1
    context: dict[int, dict[str, float]] = field(default_factory=dict)


def contains(region: PlaceRecord, place: PlaceRecord) -> bool:
    """Whether ``place`` lies in ``region`` (a country, first- or second-level region)."""
    if region.id == place.id:
        return False
    if region.kind == "country":
        return place.country == region.country
    if region.kind == "admin1":
        return place.admin1 is not None and place.admin1 == region.admin1 and place.kind != "admin1"
    if region.kind == "admin2":
        return place.admin2 is not None and place.admin2 == region.admin2 and place.kind == "city"
    return False


def static_features(cand: Candidate, text: str, qualifiers: list[PlaceRecord], top_population: int) -> dict[str, float]:
    place = cand.place
    f: dict[str, float] = {"population": math.log10(1 + place.population)}
    if place.kind != "city":
        f[f"kind:{place.kind}"] = 1.0
    if cand.name_type != "name":
        f[f"name:{cand.name_type}"] = 1.0
    if cand.form != "exact":
        f[f"form:{cand.form}"] = 1.0
    if place.fcode == "PPLC":
        f["capital"] = 1.0
    if place.population >= top_population:
        f["most_populous"] = 1.0
    if _ACRONYM.match(text) and cand.name_type not in ("abbr", "code"):
        f["acronym_as_word"] = 1.0  # "EU" is the European Union, not Eu in Normandy
    if DIVISION_WORD.search(text):
        f["division_asked" if place.kind in _DIVISIONS else "division_not_given"] = 1.0
    if qualifiers:
        f["qualified" if any(contains(q, place) for q in qualifiers) else "unqualified"] = 1.0
    return f


def _cells(place: PlaceRecord) -> tuple[int, int]:
    return int(math.floor(place.lat * 2)), int(math.floor(place.lon * 2))


def support_features(groups: list[Group]) -> None:
    """How many other groups could denote a place in the candidate's region or near it (≤ ~60 km)."""
    admin1s, admin2s, cells = [], [], []
    for g in groups:
        admin1s.append({c.place.admin1 for c in g.candidates if c.place.admin1})
        admin2s.append({c.place.admin2 for c in g.candidates if c.place.admin2})
        cells.append({_cells(c.place) for c in g.candidates if c.place.kind in _LOCAL})
    for gi, g in enumerate(groups):
        for cand, f in zip(g.candidates, g.features):
            place = cand.place
            a1 = a2 = near = 0
            ci, cj = _cells(place)
            around = {(ci + di, cj + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1)}
            for h in range(len(groups)):
                if h == gi:
                    continue
                a1 += bool(place.admin1 and place.admin1 in admin1s[h])
                a2 += bool(place.admin2 and place.admin2 in admin2s[h])
                near += bool(place.kind in _LOCAL and around & cells[h])
            if a1:
                f["support_admin1"] = math.log1p(a1)
            if a2:
                f["support_admin2"] = math.log1p(a2)
            if near:
                f["support_near"] = math.log1p(near)


def context_features(
    place: PlaceRecord, others: list[tuple[PlaceRecord, int]], outlet_country: str | None,
    outlet_region: str | None = None,
) -> dict[str, float]:
    """Evidence from the other groups' current resolutions, each with its number of mentions."""
    country = admin1 = admin2 = named_region = named_country = 0
    nearest = math.inf
    for other, mentions in others:
        if other.id == place.id:
            continue
        country += mentions * bool(place.country and other.country == place.country)
        admin1 += mentions * bool(place.admin1 and other.admin1 == place.admin1)
        admin2 += mentions * bool(place.admin2 and other.admin2 == place.admin2)
        if other.kind in _DIVISIONS and contains(other, place):
            named_region += mentions  # "Kentucky" named in the text holds its counties
        elif other.kind == "country" and contains(other, place):
            named_country += mentions
        if place.kind in _LOCAL and other.kind in ("city", "admin2"):
            nearest = min(nearest, km(place.lat, place.lon, other.lat, other.lon))
    f: dict[str, float] = {}
    for name, n in (("same_country", country), ("same_admin1", admin1), ("same_admin2", admin2),
                    ("in_named_region", named_region), ("in_named_country", named_country)):
        if n:
            f[name] = math.log1p(n)
    if nearest < math.inf:
        f["near"] = math.exp(-nearest / 100.0)
    if outlet_country and place.country == outlet_country:
        f["outlet_country"] = 1.0
    if outlet_region and place.admin1 == outlet_region:
        f["outlet_region"] = 1.0
    return f


# Hand-set starting weights for fitting; the resolver uses the fitted ones (data/weights.json).
START_WEIGHTS: dict[str, float] = {
    "population": 0.55,
    "kind:continent": 3.0,
    "kind:country": 3.0,
    "kind:admin1": 2.0,
    "kind:admin2": -0.5,
    "kind:feature": 1.5,
    "name:alt": -1.5,
    "name:base": -1.5,
    "name:adj": 0.0,
    "name:abbr": 0.0,
    "name:code": 0.0,
    "form:adjective": -0.5,
    "form:stripped": -1.0,
    "capital": 1.0,
    "acronym_as_word": -2.0,
    "most_populous": 0.5,
    "division_asked": 2.5,
    "division_not_given": -0.5,
    "qualified": 4.0,
    "unqualified": -0.5,
    "support_admin1": 0.5,
    "support_admin2": 0.5,
    "support_near": 0.5,
    "same_country": 0.8,
    "same_admin1": 1.2,
    "same_admin2": 1.2,
    "in_named_region": 1.5,
    "in_named_country": 0.5,
    "near": 2.0,
    "outlet_country": 1.0,
    "outlet_region": 1.0,
}


# Set, not fitted: in LGL every group is one name, so the share is always 1 there.
FIXED_WEIGHTS: dict[str, float] = {
    "share": 8.0,  # fraction of an entity's mentions (and its canonical name) that can denote the place
    "form:partial": -1.0,  # rare in LGL's gold spans; as costly as a dropped division word
}


def fitted_weights() -> dict[str, float]:
    data = json.loads(resources.files("storyline.analyze.places").joinpath("data", "weights.json").read_text("utf-8"))
    return {**START_WEIGHTS, **data["weights"], **FIXED_WEIGHTS}


WEIGHTS = fitted_weights()
