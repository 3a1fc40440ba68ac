"""What the gazetteer offers the entity ruler: place-name patterns and a demonym map.

The small English model mislabels names news uses all the time ("Kursk
Oblast" as PERSON, "Kursk" as PRODUCT); EntityRuler patterns built from the
gazetteer's countries, first-level regions (with the alternate names the
gazetteer generates: "Kursk Oblast", "Kursk region", "Kurskaya oblast'",
"Republic of Tatarstan") and named features ("Black Sea", "Middle East")
correct that by a general mechanism.

The sources carry demonyms for countries only (countryinfo), plus the few
irregular forms in ``data/aliases.tsv`` ("Briton", "Scottish");
:func:`demonyms` returns them. Adjectives of regions ("Dagestani") are
resolved by suffix rules at look-up time instead (:func:`.names.adjective_stems`).
"""

from __future__ import annotations

from functools import lru_cache

from storyline.analyze.places.gazetteer import Gazetteer, shared

_LABELS = {"country": "GPE", "admin1": "GPE", "continent": "LOC", "feature": "LOC"}
_TYPE_WORDS = {"Region", "Oblast", "Province", "Krai", "Territory", "Republic", "Governorate", "Prefecture", "State"}


@lru_cache(maxsize=4)
def _patterns(path: str, single_words: bool) -> tuple[tuple[str, str], ...]:
    gaz = Gazetteer(path, rebuild_stale=False)  # the shared one has just been checked
    rows = gaz.db.execute(
        "SELECT p.kind, w.text FROM written w JOIN place p ON p.id = w.place "
        "WHERE p.kind IN ('country', 'admin1', 'continent', 'feature') AND w.type IN ('name', 'base')"
    ).fetchall()
    out = set()
    for kind, text in rows:
        if not text[:1].isupper() or text.isupper():
            continue
        if " " not in text and not single_words:
            continue
        out.add((_LABELS[kind], text))
        head, _, last = text.rpartition(" ")
        if head and last in _TYPE_WORDS:  # news writes "Kursk region" as often as "Kursk Region"
            out.add((_LABELS[kind], f"{head} {last.lower()}"))
    return tuple(sorted(out))


def ruler_patterns(gazetteer: Gazetteer | None = None, *, single_words: bool = False) -> list[dict[str, object]]:
    """Phrase patterns (``{"label": "GPE", "pattern": "Kursk Oblast"}``) for ``EntityRuler``.

    Countries and first-level regions are GPE, continents and named features
    LOC. Single-word names are left out by default: as preset entities they
    would break names like "Michael Jordan" or "Georgia Smith"; the model gets
    those right from context more often than not.
    """
    gaz = gazetteer or shared()
    gaz.db  # noqa: B018 — builds the file, or rebuilds a stale one, before reading it
    return [{"label": label, "pattern": text} for label, text in _patterns(str(gaz.path), single_words)]


@lru_cache(maxsize=4)
def _demonyms(path: str) -> tuple[tuple[str, str], ...]:
    gaz = Gazetteer(path, rebuild_stale=False)  # the shared one has just been checked
    rows = gaz.db.execute(
        "SELECT w.text, p.country, p.population FROM written w JOIN place p ON p.id = w.place "
        "WHERE p.kind = 'country' AND w.type = 'adj' ORDER BY p.population DESC"
    ).fetchall()
    out: dict[str, str] = {}
    for text, country, _ in rows:
        out.setdefault(text, country)  # "American": the United States, not American Samoa
    return tuple(out.items())


def demonyms(gazetteer: Gazetteer | None = None) -> dict[str, str]:
    """Demonym → ISO2 of its country ("North Korean" → "KP", "Russian" → "RU")."""
    gaz = gazetteer or shared()
    gaz.db  # noqa: B018
    return dict(_demonyms(str(gaz.path)))
