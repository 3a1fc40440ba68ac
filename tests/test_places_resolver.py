"""Context disambiguation by the resolver (pure API, no spaCy)."""

from __future__ import annotations

import re

from storyline.analyze.places.resolver import Context, Toponym, resolve


def toponyms(text: str, *names: str) -> list[Toponym]:
    out = []
    for name in names:
        for m in re.finditer(re.escape(name), text):
            out.append(Toponym(m.start(), m.end(), name))
    return sorted(out, key=lambda t: t.start)


def resolved(text: str, *names: str, outlet: str | None = None, region: str | None = None) -> dict[str, tuple]:
    tops = toponyms(text, *names)
    out = {}
    for t, r in zip(tops, resolve(tops, text, Context(outlet_country=outlet, outlet_region=region))):
        out.setdefault(t.text, (r.country, r.admin1, r.kind, r.admin_level) if r else None)
    return out


def test_kazan_with_tatarstan_is_in_russia():
    text = "Troops trained near Kazan, the capital of Tatarstan, before moving to Kursk Oblast."
    r = resolved(text, "Kazan", "Tatarstan", "Kursk Oblast")
    assert r["Kazan"][:3] == ("RU", r["Tatarstan"][1], "city")
    assert r["Tatarstan"][3] == 1 and r["Kursk Oblast"][:1] == ("RU",) and r["Kursk Oblast"][3] == 1


def test_qualifier_picks_the_small_namesake():
    text = "The market in Kazan, Ankara drew farmers from the region."
    assert resolved(text, "Kazan", "Ankara")["Kazan"][0] == "TR"


def test_alexandria_in_a_louisiana_paper():
    text = (
        "Alexandria woman charged in connection with fire. The woman, of Alexandria, was arrested. "
        "Both the Sheriff's Office and Rapides Parish Fire District 2 investigated the fire."
    )
    r = resolved(text, "Alexandria", "Rapides Parish", outlet="US")
    assert r["Alexandria"] == ("US", "US-LA", "city", None)


def test_alexandria_alone_in_a_louisiana_paper():
    text = "An Alexandria woman was charged on Friday."
    assert resolved(text, "Alexandria")["Alexandria"][0] == "EG"
    assert resolved(text, "Alexandria", outlet="US", region="US-LA")["Alexandria"][:2] == ("US", "US-LA")


def test_alexandria_without_context_is_egypts():
    assert resolved("Protesters gathered in Alexandria on Friday.", "Alexandria")["Alexandria"][0] == "EG"


def test_abbreviated_state_qualifier():
    text = "Gainesville, Ga. — The Hall County commission met on Tuesday."
    r = resolved(text, "Gainesville", "Ga.", "Hall County")
    assert r["Gainesville"][:2] == ("US", "US-GA")
    assert r["Hall County"][:3] == ("US", "US-GA", "admin2")


def test_georgia_the_state_or_the_country_by_context():
    us = resolved("Officials in Atlanta said Georgia would appeal.", "Atlanta", "Georgia")
    assert us["Georgia"][:3] == ("US", "US-GA", "admin1")
    caucasus = resolved("Russian troops moved from Tbilisi toward Georgia's border with Russia.", "Tbilisi", "Georgia", "Russia")
    assert caucasus["Georgia"][:3] == ("GE", None, "country")


def test_paris_texas_by_county_and_one_sense_per_document():
    text = "Paris police said the Lamar County man was arrested in Paris on Friday."
    tops = toponyms(text, "Paris", "Lamar County")
    results = resolve(tops, text)
    paris = [r for t, r in zip(tops, results) if t.text == "Paris"]
    assert paris[0] == paris[1] and paris[0].admin1 == "US-TX"


def test_adjective_toponym():
    r = resolved("Dagestani police detained two men.", "Dagestani")
    assert r["Dagestani"][:2] == ("RU", "RU-DA")


def test_unknown_name_is_unresolved():
    assert resolved("He went to Xqzzyville.", "Xqzzyville")["Xqzzyville"] is None
