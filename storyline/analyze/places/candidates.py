"""Candidate places for a toponym as written: the gazetteer entries its forms may denote.

Forms tried, each with what it cost to get there:

- the text itself, without "the" and a possessive ("the Netherlands'", "Ohio's");
- adjectival and inhabitant forms back to their place ("Dagestani" → Dagestan,
  "Ontarians" → Ontario), kept only for countries, regions and continents;
- the text without a division word ("Mayo County" → Mayo) when it names no
  place as written;
- failing all that, the place inside a longer name: without a compass or
  descriptive word ("Northeast Georgia", "Metro Nashville") or its longest
  leading part that is a place ("Henderson County Jail" → Henderson County).

Abbreviations in the gazetteer ("Ga.", "U.S.") match only a text written in
capitals or with dots, so "us" and "Ga" as words never become places; codes
("USA", "GA") only a text in capitals without dots, so "Ind." is Indiana, not
India's "IND".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.analyze.places.gazetteer import Gazetteer, PlaceRecord
from storyline.analyze.places.names import adjective_stems, base_name

_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
_THE = re.compile(r"^the\s+", re.IGNORECASE)
# Places an adjective or inhabitant noun may stand for.
_ADJECTIVE_KINDS = {"country", "admin1", "continent", "feature"}
# Inhabitant nouns name towns too: "New Londoners", "Muscovites" ("-ians" stays with
# countries and regions: "Palestinians" are not from Palestine, Texas).
_INHABITANTS = re.compile(r"(?:ers?|ites?)$")
_HAMLET = 5000
_DESCRIPTOR = re.compile(
    r"^(?:north|south|east|west|northeast|northwest|southeast|southwest|northern|southern|eastern|western|"
    r"central|upper|lower|greater|metro|metropolitan|downtown|historic|old|upstate|downstate|rural)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    place: PlaceRecord
    name_type: str  # how the gazetteer writes the matched name: name, abbr, code, adj, alt, base
    form: str  # how the text was read: exact, adjective, stripped, partial


def forms(text: str) -> list[tuple[str, str]]:
    """(form, how) pairs to look up for a toponym text, most literal first."""
    text = _THE.sub("", text.strip())
    out = [(text, "exact")]
    bare = _POSSESSIVE.sub("", text)
    if bare != text and bare:
        out.append((bare, "exact"))
    if bare[:1].isupper():
        for stem in adjective_stems(bare):
            out.append((stem, "adjective"))
    stripped = base_name(bare)
    if stripped and stripped != bare:
        out.append((stripped, "stripped"))
    # "Northeast Georgia", "Metro Nashville"; "Henderson County Jail", "Columbia Metropolitan
    # Airport": the place inside a longer name (read only if the whole names none).
    words = bare.split()
    if len(words) > 1 and _DESCRIPTOR.match(words[0]):
        out.append((" ".join(words[1:]), "partial"))
    for n in range(len(words) - 1, 0, -1):
        out.append((" ".join(words[:n]), "partial"))
    return out


def _code_ok(text: str) -> bool:
    """Codes ("USA", "GA") are written in capitals without dots; "Ind." is no "IND"."""
    return text.isalpha() and text.isupper()


def _abbreviation_ok(text: str) -> bool:
    """"Ga.", "N.Y", "US"; a toponym span may also leave the dot out ("Calif", "Tenn")."""
    letters = text.replace(".", "").replace(" ", "")
    return "." in text or (letters.isalpha() and (letters.isupper() or (letters.istitle() and len(letters) >= 4)))


def candidates(gazetteer: Gazetteer, text: str, limit: int = 60) -> list[Candidate]:
    """Candidate places of ``text``, at most ``limit``, each place once (its most literal reading)."""
    found: dict[int, Candidate] = {}
    for form, how in forms(text):
        if how in ("stripped", "partial") and found:
            break
        # "Indiana" is no adjective of India: adjectival readings only where the
        # text names no place as written, or only hamlets ("Indian", Oklahoma).
        if how == "adjective" and any(c.place.population >= _HAMLET for c in found.values()):
            continue
        for match in gazetteer.lookup(form):
            place = match.place
            if place.id in found:
                continue
            if match.name_type == "abbr" and not _abbreviation_ok(form):
                continue
            if match.name_type == "code" and not _code_ok(form):
                continue
            if how == "adjective" and place.kind not in _ADJECTIVE_KINDS and not (
                place.kind == "city" and _INHABITANTS.search(text)
            ):
                continue
            if how == "exact" and match.name_type == "adj" and not form[:1].isupper():
                continue
            found[place.id] = Candidate(place, match.name_type, how)
    ranked = sorted(found.values(), key=lambda c: -c.place.population)
    return ranked[:limit]
