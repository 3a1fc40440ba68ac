"""An entity ruler in front of the statistical NER, fed from the gazetteers.

The small model mislabels names news uses all the time ("Kursk Oblast" as
PERSON, "N. Korean" as PERSON). Patterns for first-level regions, multi-word
country names and demonyms are set before ``ner`` runs, which then labels the
rest around them. Single-word country names stay with the model: as preset
entities they would break names like "Michael Jordan".
"""

from __future__ import annotations

import logging

from spacy.language import Language
from spacy.pipeline import EntityRuler

from storyline.analyze.knowledge.countries import countries

log = logging.getLogger(__name__)


def country_patterns() -> list[dict[str, str]]:
    """Multi-word country names (GPE) and multi-word demonyms (NORP)."""
    patterns = []
    for country in countries().by_iso2.values():
        for name in country.names:
            if " " in name.strip():
                patterns.append({"label": "GPE", "pattern": name})
        for demonym in country.demonyms:
            if " " in demonym.strip():
                patterns.append({"label": "NORP", "pattern": demonym})
    return patterns


def region_patterns() -> list[dict[str, str]]:
    """First-level regions and their alternate names, from the place gazetteer."""
    try:
        from storyline.analyze.places.gazetteer import ruler_patterns

        return list(ruler_patterns())
    except ImportError:  # the gazetteer is optional for a ruler
        log.warning("no place gazetteer: the entity ruler has no region patterns")
        return []


@Language.factory(
    "storyline_entity_ruler",
    assigns=["doc.ents"],
    default_config={"regions": True},
)
def make_entity_ruler(nlp: Language, name: str, regions: bool) -> EntityRuler:
    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr="ORTH", overwrite_ents=False)
    patterns = country_patterns() + (region_patterns() if regions else [])
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    log.debug("entity ruler: %d patterns", len(patterns))
    return ruler
