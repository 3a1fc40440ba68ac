"""``storyline_entities``: one canonical entity per person, organisation and place."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from storyline.analyze.entities.canonical import Clusterer, mention_span
from storyline.analyze.entities.mentions import corrected_entities
from storyline.analyze.entities.roles import roles_of
from storyline.model import Entity, TextSpan


@Language.factory(
    "storyline_entities",
    assigns=["doc.ents", "doc._.entities", "span._.entity_id"],
    requires=["doc.ents", "token.dep"],
)
def make_entities(nlp: Language, name: str) -> "EntityLinker":
    return EntityLinker()


class EntityLinker:
    def __call__(self, doc: Doc) -> Doc:
        ents = corrected_entities(doc)
        doc.ents = ents
        clusterer = Clusterer([e for e in ents])
        for span in doc.ents:
            clusterer.add(span)
        entities: list[Entity] = []
        for n, cluster in enumerate(clusterer.clusters, 1):
            entity = Entity(id=f"e{n}", canonical=cluster.canonical, type=cluster.type)
            for span in cluster.spans:
                span._.entity_id = entity.id
                mention = mention_span(span)
                entity.mentions.append(TextSpan(mention.start_char, mention.end_char, mention.text))
                if cluster.type == "PERSON":
                    for role in roles_of(mention):
                        if role not in entity.roles:
                            entity.roles.append(role)
            if cluster.country is not None:
                entity.country = cluster.country.iso2
                if cluster.type == "GPE":  # the country itself, not one of its institutions
                    entity.lat, entity.lon = cluster.country.lat, cluster.country.lon
                    entity.admin_level = 0
            entities.append(entity)
        doc._.entities = entities
        return doc
