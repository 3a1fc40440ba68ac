"""Countries: names, alternate names, demonyms and capitals.

Built from the ``countryinfo`` package (MIT, Natural Earth/REST Countries data)
plus ``countries_extra.json`` for the forms newsrooms use that it lacks
("U.S.", "N. Korea", "Britain"). Loaded once per process, on first use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass
class Country:
    iso2: str
    name: str
    names: set[str] = field(default_factory=set)  # every written form, the name included
    demonyms: set[str] = field(default_factory=set)
    capitals: set[str] = field(default_factory=set)
    lat: float | None = None
    lon: float | None = None
    population: int = 0


@dataclass
class Countries:
    by_iso2: dict[str, Country]
    by_name: dict[str, Country]  # exact written form → country
    by_demonym: dict[str, Country]
    by_capital: dict[str, Country]

    def lookup(self, text: str) -> Country | None:
        """The country a name, alternate name or demonym denotes ("U.S.", "North Korean")."""
        text = _normalise(text)
        return self.by_name.get(text) or self.by_demonym.get(text)

    def capital_of(self, text: str) -> Country | None:
        return self.by_capital.get(_normalise(text))


_POSSESSIVE = re.compile(r"[’']s?$")


def _normalise(text: str) -> str:
    text = _POSSESSIVE.sub("", text.strip())
    if text.lower().startswith("the "):
        text = text[4:]
    return text


def _dotted(code: str) -> str:
    return ".".join(code) + "."


@lru_cache(maxsize=1)
def countries() -> Countries:
    from countryinfo import all_countries

    by_iso2: dict[str, Country] = {}
    for entry in all_countries():
        info = entry.info()
        iso2 = (info.get("ISO") or {}).get("alpha2")
        if not iso2 or not info.get("name"):
            continue
        country = by_iso2.get(iso2)
        if country is None:
            latlng = info.get("latlng") or [None, None]
            country = by_iso2[iso2] = Country(
                iso2=iso2, name=info["name"], lat=latlng[0], lon=latlng[1], population=info.get("population") or 0
            )
        country.names.add(info["name"])
        for alt in info.get("altSpellings") or []:
            # Two- and three-letter codes are words too ("IN", "CAN"); keep the
            # well-known ones only, via countries_extra.json.
            if len(alt) > 3 and "," not in alt:
                country.names.add(_normalise(alt))
        if info.get("demonym"):
            country.demonyms.add(info["demonym"])
        capital = info.get("capital")
        for cap in capital if isinstance(capital, list) else [capital]:
            if cap:
                country.capitals.add(cap)

    extra = json.loads(resources.files("storyline.analyze.knowledge").joinpath("countries_extra.json").read_text("utf-8"))
    for iso2, add in extra["add"].items():
        country = by_iso2[iso2]
        if "name" in add:
            country.name = add["name"]
            country.names.add(add["name"])
        country.names.update(add.get("names", []))
        country.names.update(_dotted(code) for code in add.get("dotted_codes", []))
        country.demonyms.update(add.get("demonyms", []))
        country.capitals.update(add.get("capitals", []))
    for iso2, drop in extra["drop"].items():
        by_iso2[iso2].names.difference_update(drop.get("names", []))
        by_iso2[iso2].demonyms.difference_update(drop.get("demonyms", []))

    # Abbreviated compass forms headlines use: "North Korean" → "N. Korean".
    for country in by_iso2.values():
        for form in list(country.names) + list(country.demonyms):
            for word, short in (("North ", "N. "), ("South ", "S. ")):
                if form.startswith(word):
                    target = country.names if form in country.names else country.demonyms
                    target.add(short + form[len(word):])

    by_name: dict[str, Country] = {}
    by_demonym: dict[str, Country] = {}
    by_capital: dict[str, Country] = {}
    # Where forms collide ("American": US, American Samoa, …) the most populous wins.
    for country in sorted(by_iso2.values(), key=lambda c: -c.population):
        for name in country.names:
            by_name.setdefault(name, country)
        for demonym in country.demonyms:
            by_demonym.setdefault(demonym, country)
        for capital in country.capitals:
            by_capital.setdefault(capital, country)
    return Countries(by_iso2, by_name, by_demonym, by_capital)
