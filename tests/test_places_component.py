"""The storyline_places component on a small spaCy pipeline (entity ruler + places)."""

from __future__ import annotations

import spacy

import storyline.analyze.extensions  # noqa: F401 — registers the Doc extensions
import storyline.analyze.places.component  # noqa: F401 — registers the factory
from storyline.model import Entity, TextSpan

TEXT = "Soldiers from Kazan, Tatarstan arrived in Kursk Oblast. Kazan officials said nothing. The French were silent."


def small_pipeline():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [{"label": "GPE", "pattern": p} for p in ("Kazan", "Tatarstan", "Kursk Oblast")]
        + [{"label": "NORP", "pattern": "French"}]
    )
    nlp.add_pipe("storyline_places")
    return nlp


def by_name(doc):
    return {e.canonical: e for e in doc._.entities}


def test_places_from_doc_ents_without_the_entity_component():
    doc = small_pipeline()(TEXT)
    places = by_name(doc)
    assert set(places) == {"Kazan", "Tatarstan", "Kursk Oblast"}  # NORP is no place
    kazan = places["Kazan"]
    assert len(kazan.mentions) == 2 and all(TEXT[m.start : m.end] == m.text for m in kazan.mentions)
    assert (kazan.country, kazan.geonameid, kazan.admin_level) == ("RU", 551487, None)
    assert abs(kazan.lat - 55.79) < 0.1 and abs(kazan.lon - 49.12) < 0.1
    assert (places["Tatarstan"].country, places["Tatarstan"].admin_level) == ("RU", 1)
    assert (places["Kursk Oblast"].country, places["Kursk Oblast"].admin_level) == ("RU", 1)


def test_an_entitys_mentions_resolve_together():
    nlp = spacy.blank("en")
    nlp.add_pipe("storyline_places")
    text = "North Korea sent troops. North Korean soldiers left Pyongyang."
    doc = nlp.make_doc(text)
    mentions = [TextSpan(m, m + len(t), t) for t, m in (("North Korea", 0), ("North Korean", 25), ("Pyongyang", 52))]
    doc._.entities = [
        Entity(id="e1", canonical="North Korea", type="GPE", mentions=mentions),
        Entity(id="e2", canonical="soldiers", type="NORP", mentions=[TextSpan(38, 46, "soldiers")]),
    ]
    doc = nlp(doc)
    korea, other = doc._.entities
    assert (korea.country, korea.admin_level) == ("KP", 0)
    assert other.country is None and other.lat is None


def test_outlet_country_is_a_prior():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": "Cambridge"}])
    nlp.add_pipe("storyline_places")
    doc = nlp.make_doc("Police in Cambridge said the road was closed.")
    assert by_name(nlp(doc))["Cambridge"].country == "GB"
    doc = nlp.make_doc("Police in Cambridge said the road was closed.")
    doc._.outlet_country = "US"
    assert by_name(nlp(doc))["Cambridge"].country == "US"


def test_two_processes_give_the_same_places():
    nlp = small_pipeline()
    texts = [TEXT, "Rain fell on Kazan.", "Tatarstan voted."] * 2
    one = [[(e.canonical, e.country, e.lat) for e in d._.entities] for d in nlp.pipe(texts)]
    two = [[(e.canonical, e.country, e.lat) for e in d._.entities] for d in nlp.pipe(texts, n_process=2)]
    assert one == two


def test_a_local_outlets_home_region_is_a_prior(nlp):
    from storyline.analyze.pipeline import make_doc
    from storyline.ingest.outlets import Outlet
    from storyline.model import Document

    text = "Alexandria police arrested a man on Main Street on Friday."
    document = Document(text=text)
    local = Outlet(domain="example-la.com", name="Example LA Paper", country="US", region="US-LA")
    doc = nlp(make_doc(nlp, document, local))
    alexandria = next(e for e in doc._.entities if e.canonical == "Alexandria")
    assert alexandria.country == "US" and 30 < alexandria.lat < 32.5  # Alexandria, Louisiana
