"""One identity per person, organisation and place across the whole store.

A document's entities are canonical within the document ("Putin" = "Russian
President Vladimir Putin"); here they meet across documents:

- every written form of an entity becomes an alias of its identity, so a
  document that names "the National Intelligence Service (NIS)" teaches that
  NIS and the full name are one;
- person names are compared without initials and with transliteration
  variants folded ("Vladimir V. Putin" = "Vladimir Putin"; "Zelenskyy" =
  "Zelensky"), and a lone surname joins the one identity that has it (the
  family name is first in Korean and Chinese names: "Park Sun-won", "Kim Jong Un");
- a full name joins an identity through its surname only when the given names
  agree (the same, one the start of the other, nicknames of one name: "Joe" /
  "Joseph", or transliterations with the same consonants: "Vladimir" /
  "Volodymyr"), so "Roy Williams" and "Esther Williams" stay two people;
- places with the same gazetteer id are one place, countries one country;
- a speaker the text names by role ("Seoul's spy agency", "U.S. officials")
  is keyed by the country and the role, so "South Korea's intelligence
  agency" and "Seoul's spy agency" are one source.

Ids are stable: an identity keeps the id it was created with (a hash of its
first key) as aliases join it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache, lru_cache

from nicknames import NickNamer

from storyline.analyze.knowledge.countries import Country, countries
from storyline.model import Analysis, Entity
from storyline.store.sql import SQL, marks
from storyline.story.text import fold, stem

KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}
_PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "we", "i", "you", "who"}
# Role words that name the same kind of body in different words.
_ROLE_WORDS = {
    "spy": "intelligence", "intelligence": "intelligence", "defense": "defence", "military": "military",
    "army": "military", "forces": "military", "force": "military", "authority": "government",
    "official": "officials", "administration": "government", "service": "agency",
}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}  # "Hugh W. Sloan Jr.": not a surname to join others by
# One romanized Korean or Chinese syllable ("Kim", "Jong", "Un", "Yeol", "Choe", "Park"), and a
# Korean given name as news writes it ("Sun-won", "Jae-myung").
_SYLLABLE = re.compile(r"(?:[csz]h|[bcdfghjklmnpqrstwxyz])?[aeiouwy]{1,3}(?:ng|rk|[nmlkpt])?", re.IGNORECASE)
_HYPHENATED_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+")
_POSSESSIVE_ROLE = re.compile(r"^(?P<who>.+?)['’]s? (?P<role>[^'’]+)$")
_ROLE_OF = re.compile(r"^(?P<role>.+?) (?:of|in|from) (?:the )?(?P<who>[A-Z].+)$")


@dataclass
class Identity:
    id: str
    kind: str
    name: str
    country: str | None = None
    geonameid: int | None = None


# The name functions are pure and a batch gives them the same few thousand names again and again
# (each entity's forms, each speaker): cached, like the text's terms (story.text._term).
_NAMES_CACHED = 1 << 16


@lru_cache(maxsize=_NAMES_CACHED)
def person_key(name: str) -> str:
    """Initials out, transliteration variants folded: 'Vladimir V. Putin' → 'vladimir putin'."""
    words = [w for w in re.split(r"[\s\-]+", fold(name).replace(".", ". ")) if w]
    words = [w.strip(".,'") for w in words if not re.fullmatch(r"[a-z]\.?", w)] or words
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    out = []
    for w in words:
        w = re.sub(r"(.)\1", r"\1", w)  # Zelenskyy / Zelensky, Mikhailo / Mykhailo stay apart
        w = re.sub(r"iy$", "y", w)
        out.append(w)
    return " ".join(w for w in out if w)


@cache
def _nicknames() -> NickNamer:
    return NickNamer()


def family_name_first(name: str) -> bool:
    """Whether a written name puts the family name first, as Korean and Chinese names do in
    English news: a hyphenated given name after it ("Park Sun-won", "Kim Jong-un") or three words of
    one romanized syllable each ("Kim Jong Un", "Yoon Suk Yeol")."""
    words = [w for w in name.split() if fold(w).strip(".") not in _SUFFIXES]
    if len(words) == 2:
        return bool(_SYLLABLE.fullmatch(words[0]) and _HYPHENATED_GIVEN.fullmatch(words[1]))
    return len(words) == 3 and all(w[:1].isupper() and _SYLLABLE.fullmatch(w) for w in words)


@lru_cache(maxsize=_NAMES_CACHED)
def family_word(name: str) -> str:
    """The word of a written full name that a lone mention of the person uses: the family name,
    last in 'Vladimir Putin', first in 'Kim Jong Un'."""
    words = [w for w in name.split() if fold(w).strip(".,") not in _SUFFIXES] or name.split() or [""]
    return words[0] if family_name_first(name) else words[-1]


@lru_cache(maxsize=_NAMES_CACHED)
def given_name(name: str) -> str | None:
    """The given name of a full name ('Joseph R. Biden Jr.' → 'joseph', 'Park Sun-won' → 'sun');
    None for a lone name."""
    words = [w.strip(".,'\"") for w in re.split(r"[\s\-]+", fold(name).replace(".", ". "))]
    words = [w for w in words if len(w) > 1 and w not in _SUFFIXES]
    if len(words) < 2:
        return None
    return words[1] if family_name_first(name) else words[0]


def _skeleton(name: str) -> str:
    """A name's consonants, doubled letters folded: what transliterations of it keep."""
    return re.sub(r"(.)\1", r"\1", re.sub(r"[aeiouy]", "", name))


def given_names_agree(a: str | None, b: str | None) -> bool:
    """Whether two given names can be one person's: either unknown, the same, one the start of the
    other ('Fred' / 'Frederick'), or nicknames of one name ('Bill' / 'William', 'Joe' / 'Joseph')."""
    if a is None or b is None or a == b or a.startswith(b) or b.startswith(a):
        return True
    if _skeleton(a) == _skeleton(b) != "":  # transliterations: Vladimir / Volodymyr, Sergei / Sergey
        return True
    names = _nicknames()
    related_a = names.canonicals_of(a) | names.nicknames_of(a) | {a}
    related_b = names.canonicals_of(b) | names.nicknames_of(b) | {b}
    return bool(related_a & related_b)


@lru_cache(maxsize=_NAMES_CACHED)
def name_key(name: str) -> str:
    """Case, accents, dots, 'the' and a possessive folded: 'the U.S.' → 'us'."""
    text = fold(name).replace(".", "")
    text = re.sub(r"['’]s?$", "", text.strip())
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[\s\-]+", " ", text).strip()


def role_key(role: str) -> str:
    words = [stem(w) for w in re.split(r"\s+", name_key(role)) if w]
    return " ".join(_ROLE_WORDS.get(w, w) for w in words if w not in {"top", "senior", "state", "national", "own"})


def country_of(name: str) -> Country | None:
    table = countries()
    return table.lookup(name) or table.capital_of(name)


def descriptor_key(name: str) -> tuple[str, Country | None]:
    """A source named by role: 'Seoul's spy agency' → ('KR intelligence agency', South Korea)."""
    text = re.sub(r"^[Tt]he\s+", "", name.strip())  # "the U.S. government", "The Kremlin's spokesman"
    for pattern in (_POSSESSIVE_ROLE, _ROLE_OF):
        match = pattern.match(text)
        if match and (country := country_of(match.group("who"))) is not None:
            return f"{country.iso2} {role_key(match.group('role'))}", country
    words = text.split()
    for n in (3, 2, 1):  # a demonym or country name in front: "U.S. officials", "South Korean military"
        if len(words) > n and (country := country_of(" ".join(words[:n]))) is not None:
            return f"{country.iso2} {role_key(' '.join(words[n:]))}", country
    return name_key(text), None


def _identity_id(kind: str, key: str) -> str:
    return "i" + hashlib.sha256(f"{kind}|{key}".encode()).hexdigest()[:15]


class Identities:
    """Resolves a document's entities and speakers to identities, writing as it goes."""

    def __init__(self, db: SQL) -> None:
        self.db = db

    def _lookup(self, kind: str, alias: str) -> str | None:
        row = self.db.one("SELECT identity_id FROM identity_aliases WHERE kind = {p} AND alias = {p}", [kind, alias])
        return row[0] if row else None

    def _lookups(self, kind: str, aliases: set[str]) -> dict[str, str]:
        """:meth:`_lookup` of several aliases at once: alias → identity, for those known."""
        if not aliases:
            return {}
        return dict(self.db.rows(  # type: ignore[arg-type]
            f"SELECT alias, identity_id FROM identity_aliases WHERE kind = {{p}} AND alias IN ({marks(len(aliases))})",
            [kind, *sorted(aliases)]))

    def _create(self, kind: str, key: str, name: str, country: str | None, geonameid: int | None) -> str:
        identity_id = _identity_id(kind, key)
        self.db.execute(
            "INSERT INTO identities (id, kind, name, country, geonameid, created_at) VALUES ({p}, {p}, {p}, {p}, {p}, {p}) "
            "ON CONFLICT (id) DO NOTHING",
            [identity_id, kind, name, country, geonameid, datetime.now(timezone.utc).isoformat(timespec="seconds")],
        )
        return identity_id

    def _alias(self, kind: str, aliases: set[str], identity_id: str) -> None:
        self.db.executemany(
            "INSERT INTO identity_aliases (kind, alias, identity_id) VALUES ({p}, {p}, {p}) "
            "ON CONFLICT (kind, alias) DO NOTHING",
            [(kind, a, identity_id) for a in aliases if a],
        )

    def entity(self, entity: Entity) -> str | None:
        """The identity of a document entity (created when new); None for kinds not tracked."""
        kind = KINDS.get(entity.type)
        if kind is None or (kind == "person" and entity.canonical.islower()):
            return None  # a lower-case "person" is a tagger's slip ("az", "jsp" of a file name), not a name
        forms = {entity.canonical} | {m.text for m in entity.mentions if m.text.strip()[:1].isupper()}
        forms = {f.strip() for f in forms if fold(f.strip()) not in _PRONOUNS and len(f.strip()) > 1}
        if kind == "person":
            keys = {person_key(f) for f in forms}
            primary = person_key(entity.canonical)
        else:
            keys = {name_key(f) for f in forms}
            primary = name_key(entity.canonical)
        country = entity.country
        if kind == "place":
            found = country_of(entity.canonical)
            if entity.place_key:  # the gazetteer's stable key: GeoNames id, or ISO 3166-2 for regions
                primary = entity.place_key
            elif entity.geonameid is not None:
                primary = f"geonames:{entity.geonameid}"
            elif found is not None and (entity.admin_level in (None, 0)):
                primary, country = f"country:{found.iso2}", found.iso2
            keys.add(primary)
            if found is not None and entity.admin_level in (None, 0) and not countries().capital_of(entity.canonical):
                keys.add(f"country:{found.iso2}")  # so a capital speaking for its country finds it
        keys.discard("")
        surname = person_key(family_word(entity.canonical)) if kind == "person" and " " in primary else None
        # Read at once: nothing below writes an alias before the last of them is used.
        known = self._lookups(kind, keys | {surname} if surname else keys)
        # The identity most of this entity's forms already point to; the primary key first.
        hits: dict[str, int] = {}
        for key in sorted(keys, key=lambda k: (k != primary, k)):  # a fixed order: ties go the same way in every run
            if (found_id := known.get(key)) is not None:
                hits[found_id] = hits.get(found_id, 0) + (2 if key == primary else 1)
        given = given_name(entity.canonical) if kind == "person" else None
        if kind == "person":
            # Through a shared surname alone, only a person whose given name agrees ("Jamal Williams"
            # is not "Jumaane D. Williams"); an alias of the full name is the same person.
            hits = {i: n for i, n in hits.items() if self._same_person(i, given, keys)}
        identity_id = max(hits, key=hits.__getitem__) if hits else None
        if identity_id is None and kind == "person":
            identity_id = self._surname_match(entity.canonical, given)
        if identity_id is None:
            identity_id = self._create(kind, primary, entity.canonical, country, entity.geonameid)
        elif kind == "person" and len(primary.split()) > 1:
            # A fuller name than the one the identity was created with becomes its name.
            self.db.execute(
                "UPDATE identities SET name = {p} WHERE id = {p} AND length(name) < {p} AND name NOT LIKE {p}",
                [entity.canonical, identity_id, len(entity.canonical), "% %"],
            )
        if surname and known.get(surname) is None:
            keys.add(surname)  # a later lone "Putin" finds "Vladimir Putin" by it
        self._alias(kind, keys - known.keys(), identity_id)  # an alias already held stays (ON CONFLICT DO NOTHING)
        if kind == "person":
            self._absorb_sources(forms, identity_id)
        return identity_id

    def _absorb_sources(self, forms: set[str], person_id: str) -> None:
        """Speakers named like this person before the parser knew the name for one ("Zelenskyy
        accuses …" in a headline, where the name was not tagged) became sources of their own;
        they are this person, so their statements move to the person and the source is dropped."""
        names = {name_key(f) for f in forms}
        names |= {name_key(family_word(f)) for f in forms
                  if " " in f.strip() and self._lookup("person", person_key(family_word(f))) == person_id}
        for key in sorted(names):
            source_id = self._lookup("source", key)
            if source_id is None or source_id == person_id:
                continue
            # Only a source made for a bare name: not a role in a country ("U.S. officials"), and not a
            # person who already took the name over (the alias then points at that person).
            if self.db.one("SELECT 1 FROM identities WHERE id = {p} AND kind = 'source' AND country IS NULL",
                           [source_id]) is None:
                continue
            self.db.execute("UPDATE statement_speakers SET identity_id = {p} WHERE identity_id = {p}", [person_id, source_id])
            self.db.execute("UPDATE identity_aliases SET identity_id = {p} WHERE kind = 'source' AND alias = {p}",
                            [person_id, key])
            # A source has the one alias it was created with (descriptor), now the person's.
            self.db.execute("DELETE FROM identities WHERE id = {p}", [source_id])

    def _same_person(self, identity_id: str, given: str | None, keys: set[str]) -> bool:
        """Whether a person with this given name (and these keys) can be this identity."""
        if given is None:
            return True
        multiword = sorted(k for k in keys if " " in k)
        if multiword and self.db.one(
            "SELECT 1 FROM identity_aliases WHERE kind = 'person' AND identity_id = {p} AND alias IN ("
            + ", ".join("{p}" for _ in multiword) + ")", [identity_id, *multiword]) is not None:
            return True
        row = self.db.one("SELECT name FROM identities WHERE id = {p}", [identity_id])
        return row is None or given_names_agree(given, given_name(row[0]))

    def _surname_match(self, name: str, given: str | None) -> str | None:
        """A full name whose surname is already an identity's alias ("Putin" before "Vladimir Putin")."""
        found = self._lookup("person", person_key(family_word(name))) if len(person_key(name).split()) > 1 else None
        return found if found is not None and self._same_person(found, given, set()) else None

    def country(self, country: Country) -> str:
        """The identity of a country (created when new)."""
        key = f"country:{country.iso2}"
        identity_id = self._lookup("place", key) or self._lookup("place", name_key(country.name))
        if identity_id is None:
            identity_id = self._create("place", key, country.name, country.iso2, None)
            self._alias("place", {key, name_key(country.name)}, identity_id)
        return identity_id

    def descriptor(self, name: str) -> str:
        """The identity of a speaker the text names by role or as a group."""
        key, country = descriptor_key(name)
        if country is not None and key == f"{country.iso2} government":
            return self.country(country)  # "the U.S. government" speaks as "the United States" does
        identity_id = self._lookup("source", key)
        if identity_id is None:
            identity_id = self._create("source", key, name, country.iso2 if country else None, None)
            self._alias("source", {key}, identity_id)
        return identity_id

    def resolve(self, doc_id: str, analysis: Analysis) -> dict[str, str]:
        """Resolve and record a document's entities and statement speakers; entity id → identity id."""
        by_entity: dict[str, str] = {}
        for entity in analysis.entities:
            identity_id = self.entity(entity)
            if identity_id is not None:
                by_entity[entity.id] = identity_id
        self.db.executemany(
            "INSERT INTO entity_identities (doc_id, entity_id, identity_id) VALUES ({p}, {p}, {p}) "
            "ON CONFLICT (doc_id, entity_id) DO UPDATE SET identity_id = excluded.identity_id",
            [(doc_id, e, i) for e, i in by_entity.items()],
        )
        speakers = []
        for statement in analysis.statements:
            speaker = statement.speaker
            if speaker is None or not speaker.name:
                continue
            identity_id = by_entity.get(speaker.entity_id or "")
            table = countries()
            speaking = table.lookup(speaker.name) or table.capital_of(speaker.name) or table.capital_of(speaker.text)
            if speaking is not None:
                identity_id = self.country(speaking)  # a country, or its capital, speaks as its government
            if identity_id is None and speaker.name[:1].isupper() and not speaker.name.isupper():
                # A name the parser did not tag here, of a person it tagged elsewhere ("Putin says …");
                # not an acronym ("UN" is no "Kim Jong Un").
                identity_id = self._lookup("person", person_key(speaker.name))
            if identity_id is None and fold(speaker.name) not in _PRONOUNS:
                identity_id = self.descriptor(speaker.name)
            if identity_id is not None:
                speakers.append((statement.id(doc_id), identity_id))
        self.db.executemany(
            "INSERT INTO statement_speakers (statement_id, identity_id) VALUES ({p}, {p}) "
            "ON CONFLICT (statement_id) DO UPDATE SET identity_id = excluded.identity_id",
            speakers,
        )
        return by_entity
