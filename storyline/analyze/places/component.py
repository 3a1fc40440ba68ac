"""``storyline_places``: resolve the document's place entities against the gazetteer.

For each entity of type GPE, LOC or FAC in ``doc._.entities`` it fills
``country``, ``lat``, ``lon``, ``admin_level``, ``geonameid`` and ``place_key``. All mentions
of an entity (and its canonical name) are one toponym group: they share one
resolution and pool their evidence. Nationalities (NORP) are not places.

Until ``storyline_entities`` has run (or when it is disabled), the component
groups ``doc.ents`` of those types by text and writes the entities itself.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from storyline.analyze.extensions import text_of
from storyline.analyze.places.gazetteer import Gazetteer
from storyline.analyze.places.resolver import Context, Resolution, Resolver, Toponym
from storyline.model import Entity, TextSpan

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


@Language.factory(
    "storyline_places",
    assigns=["doc._.entities"],
    requires=["doc.ents"],
    default_config={"gazetteer": None},
)
def make_places(nlp: Language, name: str, gazetteer: str | None) -> PlaceResolver:
    return PlaceResolver(Gazetteer(gazetteer) if gazetteer else None)


class PlaceResolver:
    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.resolver = Resolver(gazetteer)
        # Build (if missing) and open the file now, in the parent process, so
        # worker processes never race to build it.
        self.resolver.gazetteer.db  # noqa: B018

    def __call__(self, doc: Doc) -> Doc:
        entities = doc._.entities
        if entities is None:
            entities = doc._.entities = _entities_from_ents(doc)
        places = [e for e in entities if e.type in PLACE_TYPES and e.mentions]
        if not places:
            return doc
        toponyms: list[Toponym] = []
        for entity in places:
            for m in entity.mentions:
                toponyms.append(Toponym(m.start, m.end, m.text, group=entity.id))
            if entity.canonical not in {m.text for m in entity.mentions}:
                first = entity.mentions[0]
                toponyms.append(Toponym(first.start, first.end, entity.canonical, group=entity.id))
        resolutions = self.resolver.resolve(toponyms, text_of(doc), Context(outlet_country=doc._.outlet_country, outlet_region=doc._.outlet_region))
        by_group: dict[str, Resolution] = {}
        for t, res in zip(toponyms, resolutions):
            if res is not None and t.group is not None:
                by_group.setdefault(t.group, res)
        for entity in places:
            res = by_group.get(entity.id)
            if res is None:
                continue
            entity.country, entity.lat, entity.lon = res.country, res.lat, res.lon
            entity.admin_level, entity.geonameid, entity.place_key = res.admin_level, res.geonameid, res.key
        return doc


def _entities_from_ents(doc: Doc) -> list[Entity]:
    """Place entities from ``doc.ents``, one per distinct text (without storyline_entities)."""
    by_text: dict[str, Entity] = {}
    for ent in doc.ents:
        if ent.label_ not in PLACE_TYPES:
            continue
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        entity = by_text.get(text)
        if entity is None:
            entity = by_text[text] = Entity(id=f"e{len(by_text) + 1}", canonical=text, type=ent.label_)
        entity.mentions.append(TextSpan(ent.start_char, ent.end_char, ent.text))
    return list(by_text.values())
