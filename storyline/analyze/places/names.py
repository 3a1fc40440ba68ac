"""Place-name normalisation and the name variants the gazetteer indexes.

One key function, :func:`key`, maps a written name to its lookup key: case,
accents, punctuation and the usual abbreviations ("St.", "Mt.", "Ft.") are
folded, so "St. Marys", "Saint Mary's" and "ST MARYS" meet. The rest builds
the alternate names sources lack: "Kursk" + oblast → "Kursk Oblast",
"Kursk Region", "Kurskaya oblast'" (from ISO 3166-2), "Tatarstan, Respublika"
→ "Respublika Tatarstan", and adjectival forms ("Dagestani" → "Dagestan").
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "´": "'"})
_EXPAND = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point", "twp": "township"}
_NON_WORD = re.compile(r"[^\w']+")


def fold(text: str) -> str:
    """Lower case without accents ("Kazań" → "kazan")."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def key(name: str) -> str:
    """The lookup key of a place name: folded words joined by single spaces.

    Dots, hyphens and apostrophes do not separate words the way spaces do
    ("U.S." → "us", "Kabardino-Balkaria" → "kabardino balkaria",
    "Marys'" → "marys"); common abbreviations are expanded.
    """
    text = fold(name).replace(".", " ").replace("'", "")
    words = [w for w in _NON_WORD.split(text) if w]
    # "U S" from "U.S." and "N Y" from "N.Y.": single letters join up again.
    joined: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1:
            run += word
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(_EXPAND.get(word, word))
    if run:
        joined.append(run)
    return " ".join(joined)


def is_latin(name: str) -> bool:
    """Written in Latin script (with accents), the only names an English text uses."""
    for ch in name:
        if ord(ch) < 0x250:
            continue
        if unicodedata.category(ch)[0] in "MZPS":
            continue
        return False
    return True


# Type words of administrative divisions as sources write them (English,
# ISO 3166-2 transliterations), with the English forms a news text uses.
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "administrative region": ("Oblast", "Region", "Province"),
    "autonomous region": ("Autonomous Region", "Region"),
    "region": ("Region",),
    "oblast": ("Oblast", "Region", "Province"),
    "administrative territory": ("Krai", "Kray", "Territory", "Region"),
    "krai": ("Krai", "Kray", "Territory", "Region"),
    "republic": ("Republic",),
    "autonomous republic": ("Autonomous Republic", "Republic"),
    "autonomous district": ("Autonomous Okrug", "Okrug"),
    "autonomous okrug": ("Autonomous Okrug", "Okrug"),
    "province": ("Province",),
    "state": ("State",),
    "governorate": ("Governorate", "Province"),
    "prefecture": ("Prefecture",),
    "county": ("County",),
    "district": ("District",),
    "department": ("Department",),
    "metropolitan department": ("Department",),
    "parish": ("Parish",),
    "canton": ("Canton",),
    "municipality": ("Municipality",),
    "emirate": ("Emirate",),
    "voivodship": ("Voivodeship", "Province"),
    "territory": ("Territory",),
    "union territory": ("Territory",),
    "capital district": ("Capital District",),
    "federal district": ("Federal District",),
}

# Words that name the type of a division inside its name, in any position.
_TYPE_IN_NAME = re.compile(
    r"^(?:(?:the )?(?:republic|province|county|state|region|district|department|governorate|prefecture|"
    r"municipality|city|parish|borough|canton|oblast|krai|kray|okrug|provincia|departement|comte|"
    r"respublika|muhafazat|wilayat|velayat|ostan|ustan|mohafazat) (?:of |de |di |du |del |e )?)"
    r"|(?: (?:republic|province|county|state|region|district|department|governorate|prefecture|"
    r"municipality|city|parish|borough|census area|city and borough|oblast|oblast'|krai|kray|okrug|"
    r"autonomous okrug|avtonomnyy okrug|autonomous oblast|avtonomnaya oblast'|shi|sheng|zizhiqu|"
    r"respublika|wilayat|governorate|prefecture|county borough))$",
    re.IGNORECASE,
)


def base_name(name: str) -> str:
    """The name without the type word: "Rapides Parish" → "Rapides", "Republic of Tatarstan" → "Tatarstan"."""
    stripped = name.strip()
    for _ in range(2):
        new = _TYPE_IN_NAME.sub("", stripped).strip(" ,")
        if not new or new == stripped:
            break
        stripped = new
    return stripped


def division_names(name: str, kind: str | None) -> set[str]:
    """Written forms of a division from one source name and its type ("republic")."""
    forms = {name}
    if ", " in name:  # ISO 3166-2 "Tatarstan, Respublika"
        head, _, tail = name.partition(", ")
        forms.add(f"{tail} {head}")
        forms.add(head)
    base = base_name(name)
    forms.add(base)
    for word in TYPE_WORDS.get((kind or "").casefold(), ()):
        forms.add(f"{base} {word}")
        if word in ("Republic", "Province", "State", "Region", "Territory"):
            forms.add(f"{word} of {base}")
    return {f for f in forms if len(key(f)) > 1}


# Adjectival and inhabitant forms: suffix of the adjective → endings to try on
# the stem ("Russian" - "n" + "" = "Russia"; "Lebanese" - "ese" + "on").
_ADJECTIVE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ians", ("ia", "", "a", "e", "io", "y")),
    ("ians", ("ium",)),
    ("ans", ("a", "", "o")),
    ("ites", ("",)),
    ("ese", ("", "a", "on", "o", "al", "e")),
    ("ian", ("ia", "", "a", "e", "io", "y", "ium")),
    ("an", ("a", "", "o", "e")),
    ("ish", ("", "ey", "and", "ain", "en")),
    ("i", ("", "istan", "stan", "ia")),
    ("is", ("", "istan", "stan", "ia")),
    ("ese", ("",)),
    ("er", ("",)),
    ("ers", ("",)),
    ("s", ("",)),
    ("", ("istan", "stan", "ia")),
)


def adjective_stems(word: str) -> list[str]:
    """Place names an adjective or inhabitant noun may come from, most likely first.

    "Georgian" → ["Georgia", "Georgi", …]; "Sudanese" → ["Sudan", "Sudana", …].
    Callers keep the stems the gazetteer knows.
    """
    out: list[str] = []
    for suffix, endings in _ADJECTIVE_RULES:
        if suffix and not word.endswith(suffix):
            continue
        stem = word[: len(word) - len(suffix)] if suffix else word
        if len(stem) < 3:
            continue
        for ending in endings:
            cand = stem + ending
            if cand != word and cand not in out:
                out.append(cand)
    return out


# Division words: a text carrying one asks for a division, not a town.
DIVISION_WORD = re.compile(
    r"\b(county|parish|borough|province|oblast|region|state|district|governorate|prefecture|republic|"
    r"township|twp|krai|canton|department|municipality|shire)\b",
    re.IGNORECASE,
)
