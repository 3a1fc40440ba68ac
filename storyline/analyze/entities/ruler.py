"""An entity ruler in front of the statistical NER, fed from the gazetteers.

The small model mislabels names news uses all the time ("Kursk Oblast" as
PERSON, "N. Korean" as PERSON, "Kyiv" missed). Patterns for first-level
regions, multi-word country names and demonyms, and capitals are set before
``ner`` runs, which then labels the rest around them. Single-word country
names stay with the model: as preset entities they would break names like
"Michael Jordan"; so do capitals that are common names of people.
"""

from __future__ import annotations

import logging

from spacy.language import Language
from spacy.pipeline import EntityRuler

from storyline.analyze.knowledge.countries import countries

log = logging.getLogger(__name__)


# Capitals that are also common names of people.
_CAPITALS_NAMING_PEOPLE = {
    "Washington", "Victoria", "Kingston", "Georgetown", "Hamilton", "Douglas", "Stanley", "Sofia", "Santiago",
    "Nassau", "Lima", "Jamestown", "Charlotte Amalie", "Adamstown", "Castries", "Roseau", "Victoria",
}


def country_patterns() -> list[dict[str, str]]:
    """Multi-word country names (GPE), multi-word demonyms (NORP) and capitals (GPE)."""
    patterns = []
    for country in countries().by_iso2.values():
        for capital in country.capitals:
            if capital not in _CAPITALS_NAMING_PEOPLE and capital[:1].isupper():
                patterns.append({"label": "GPE", "pattern": capital})
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
