"""Bare compass words are not regions named after them, and every region has a stable key."""

from __future__ import annotations

import re

from storyline.analyze.places.resolver import Context, Toponym, resolve


def resolutions(text: str, *names: str, outlet: str | None = None) -> dict[str, object]:
    tops = sorted(
        (Toponym(m.start(), m.end(), n) for n in names for m in re.finditer(re.escape(n), text)), key=lambda t: t.start
    )
    out: dict[str, object] = {}
    for t, r in zip(tops, resolve(tops, text, Context(outlet_country=outlet))):
        out.setdefault(t.text, r)
    return out


def test_the_south_of_korea_is_not_lebanons_south_governorate():
    text = (
        "North Korea blew up roads linking it to South Korea. The South advised its angry neighbour to stop, "
        "and the North said the South had sent drones over Pyongyang."
    )
    r = resolutions(text, "North Korea", "South Korea", "South", "North", "Pyongyang")
    assert r["South"] is None and r["North"] is None
    assert r["South Korea"].country == "KR" and r["Pyongyang"].country == "KP"


def test_a_compass_word_region_stays_when_the_text_is_about_its_country():
    text = "Israeli strikes hit Tyre and Nabatieh in Lebanon; residents fled the South towards Beirut."
    r = resolutions(text, "Tyre", "Nabatieh", "Lebanon", "South", "Beirut")
    assert r["South"] is not None and r["South"].country == "LB" and r["South"].admin_level == 1


def test_regions_get_the_same_stable_key_however_written():
    a = resolutions("Ukrainian troops entered the Kursk region of Russia.", "Kursk region", "Russia")
    b = resolutions("Fighting continued in Kursk Oblast on Monday.", "Kursk Oblast")
    assert a["Kursk region"].key == b["Kursk Oblast"].key == "iso3166-2:RU-KRS"
    assert a["Russia"].key == "geonames:2017370"
