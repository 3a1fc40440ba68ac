"""Group a document's entity mentions into canonical entities.

- Countries: names, alternate names and demonyms are one country ("U.S." =
  "The United States"; "North Korean" = "North Korea"), and so is the capital
  where it stands for the state ("up to Moscow", "talks with Pyongyang").
- Places: one entity per core name ("Kursk Oblast" = "Kursk").
- People: a surname or first name alone joins the most recent full name that
  ends or starts with it ("Putin" = "Russian President Vladimir Putin");
  titles inside the span are dropped.
- Organisations: the same name with or without "the"; acronyms defined in the
  text; state institutions named by country get one name ("Ukraine’s Defense
  Intelligence Directorate" → "Defense Intelligence Directorate of Ukraine").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from storyline.analyze.entities.mentions import LEGISLATURE_WORDS, PLACE_LABELS, acronym_definitions, core_name
from storyline.analyze.knowledge.countries import Country, countries

TITLES = {
    "president", "prime", "minister", "secretary", "general", "gen.", "gen", "mr.", "mr", "mrs.", "mrs", "ms.", "ms",
    "dr.", "dr", "sen.", "sen", "senator", "rep.", "rep", "gov.", "gov", "governor", "king", "queen", "prince",
    "princess", "pope", "chancellor", "premier", "leader", "chairman", "commander", "col.", "lt.", "sgt.", "adm.",
    "admiral", "sir", "lord", "lady", "judge", "justice", "mayor", "ambassador", "spokesperson", "spokesman",
    "spokeswoman", "defense", "defence", "foreign", "vice", "deputy", "former", "chief", "supreme",
}
# Heads of organisation names that are state institutions, so "<country>'s X" and
# "<demonym> X" name the same body as "X of <country>".
STATE_BODIES = {
    "ministry", "directorate", "army", "navy", "forces", "force", "service", "agency", "government", "council",
    "committee", "office", "department", "embassy", "guard", "command", "police", "intelligence", "court",
    "assembly", "senate", "congress", "cabinet", "administration", "military", "staff", "parliament",
}
_POSSESSIVE = {"’s", "'s", "’", "'"}
# Prepositions after which a capital is a place, not its government.
_LOCATIVE = {"in", "at", "near", "outside", "inside", "around", "across", "into", "from", "through", "toward",
             "towards", "via", "within", "throughout", "over", "beyond", "between", "above", "below", "off"}
_MOTION = {"go", "fly", "travel", "return", "come", "move", "send", "deploy", "arrive", "head", "drive", "walk",
           "flee", "transfer", "bring", "take", "ship", "march", "sail", "relocate", "visit"}


@lru_cache(maxsize=1)
def _legislatures() -> dict[str, str]:
    data = json.loads(resources.files("storyline.analyze.knowledge").joinpath("legislatures.json").read_text("utf-8"))
    data.pop("about", None)
    return data


@dataclass
class Cluster:
    key: tuple[str, str]
    type: str
    canonical: str
    spans: list[Span] = field(default_factory=list)
    country: Country | None = None
    name_tokens: list[str] = field(default_factory=list)  # people


def mention_span(span: Span) -> Span:
    """The span without a trailing possessive ("North Korea’s" → "North Korea")."""
    end = span.end
    while end > span.start + 1 and span.doc[end - 1].text in _POSSESSIVE:
        end -= 1
    return span.doc[span.start : end]


def _strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def is_metonymic(span: Span) -> bool:
    """Whether a capital's mention stands for its state ("up to Moscow") rather than the city."""
    root: Token = span.root
    if root.dep_ in {"nsubj", "nsubjpass", "poss", "agent", "dobj", "conj"}:
        return root.dep_ != "conj" or is_metonymic(span.doc[root.head.i : root.head.i + 1])
    if root.dep_ == "pobj":
        prep = root.head
        if prep.lower_ in _LOCATIVE:
            return False
        if prep.lower_ == "to" and prep.head.lemma_.lower() in _MOTION:
            return False
        return True
    return False


def _person_tokens(span: Span) -> list[str]:
    """The name's words as written: tokens joined without a space make one word ("Sun-won", "V.")."""
    words: list[str] = []
    glued = False
    for t in span:
        if t.text in _POSSESSIVE or (t.is_punct and t.text not in {"-", "."}):
            glued = False
            continue
        if glued and words:
            words[-1] += t.text
        else:
            words.append(t.text)
        glued = not t.whitespace_
    while len(words) > 1 and words[0].lower() in TITLES:
        words = words[1:]
    while words and words[-1] in _POSSESSIVE:
        words = words[:-1]
    return words


def _state_body(span: Span) -> tuple[Country, str] | None:
    """("Ukraine’s Defense Intelligence Directorate") → (Ukraine, "Defense Intelligence Directorate")."""
    tokens = [t for t in span if t.lower_ != "the" or t.i > span.start]
    if len(tokens) < 2 or tokens[-1].lower_ not in STATE_BODIES and tokens[-1].lemma_.lower() not in STATE_BODIES:
        return None
    known = countries()
    # "<Country>'s X" / "<Country> X" / "<Demonym> X"
    for cut in range(1, min(4, len(tokens) - 1) + 1):
        head_words = tokens[:cut]
        rest = tokens[cut:]
        if rest and rest[0].text in _POSSESSIVE:
            rest = rest[1:]
        country = known.lookup(span.doc[head_words[0].i : head_words[-1].i + 1].text)
        if country and rest:
            return country, span.doc[rest[0].i : rest[-1].i + 1].text
    return None


def org_canonical(span: Span) -> str:
    words = {t.lower_ for t in span}
    body = _state_body(span)
    if body:
        country, name = body
        if words & LEGISLATURE_WORDS and name.lower() in LEGISLATURE_WORDS:
            return _legislatures().get(country.iso2, f"Parliament of {country.name}")
        return f"{name} of {country.name}"
    text = mention_span(span).text
    # A capitalised "The" (kept by mentions.py) is part of the name; a lowercase one is not.
    return text[4:] if text.startswith("the ") else text


class Clusterer:
    """Assigns each entity span to a cluster, in document order."""

    def __init__(self, ents: list[Span]) -> None:
        self.clusters: list[Cluster] = []
        self.of_span: dict[tuple[int, int], Cluster] = {}
        self._by_key: dict[tuple[str, str], Cluster] = {}
        doc = ents[0].doc if ents else None
        self._acronyms = acronym_definitions(doc, ents) if doc is not None else {}

    def _get(self, key: tuple[str, str], type_: str, canonical: str) -> Cluster:
        cluster = self._by_key.get(key)
        if cluster is None:
            cluster = Cluster(key=key, type=type_, canonical=canonical)
            self._by_key[key] = cluster
            self.clusters.append(cluster)
        return cluster

    def add(self, span: Span) -> Cluster | None:
        cluster = self._assign(span)
        if cluster is not None:
            cluster.spans.append(span)
            self.of_span[(span.start, span.end)] = cluster
        return cluster

    def _assign(self, span: Span) -> Cluster | None:
        label = span.label_
        text = mention_span(span).text
        known = countries()
        if label in PLACE_LABELS | {"NORP"}:
            country = known.lookup(text)
            if country is None and label in PLACE_LABELS and (capital := known.capital_of(text)) and is_metonymic(span):
                country = capital
            if country is not None:
                cluster = self._get(("country", country.iso2), "GPE", country.name)
                cluster.country = country
                return cluster
            if label == "NORP":
                return self._get(("norp", text.lower()), "NORP", text)
            core = core_name(text)
            cluster = self._get(("place", core), label, _strip_the(text))
            if len(_strip_the(text)) > len(cluster.canonical):
                cluster.canonical = _strip_the(text)
            if label == "GPE" and cluster.type != "GPE":
                cluster.type = "GPE"
            return cluster
        if label == "PERSON":
            return self._person(span)
        if label == "ORG":
            full = self._acronyms.get(text)
            if full is not None and (full.start, full.end) in self.of_span:
                return self.of_span[(full.start, full.end)]
            canonical = org_canonical(span)
            key = ("org", _strip_the(canonical).lower())
            for cluster in self.clusters:  # "Foreign Ministry" after "Russian Foreign Ministry"
                if cluster.type == "ORG" and len(key[1].split()) >= 2 and cluster.key[1].endswith(" " + key[1]):
                    return cluster
            cluster = self._get(key, "ORG", canonical)
            body = _state_body(span)
            if body is not None:  # a state's institution belongs to that state
                cluster.country = body[0]
            return cluster
        return None

    def _person(self, span: Span) -> Cluster:
        tokens = _person_tokens(mention_span(span))
        name = " ".join(tokens)
        matches = []
        for cluster in self.clusters:
            if cluster.type != "PERSON":
                continue
            known = cluster.name_tokens
            if tokens == known:
                return cluster
            if len(tokens) == 1 and tokens[0] in (known[0], known[-1]):
                matches.append(cluster)
            elif len(known) == 1 and known[0] in (tokens[0], tokens[-1]):
                matches.append(cluster)
            elif len(tokens) > 1 and len(known) > 1 and tokens[-1] == known[-1] and tokens[0][0] == known[0][0]:
                matches.append(cluster)  # "Vladimir Putin" ~ "V. Putin"
        if matches:
            cluster = matches[-1]  # the most recently created of the candidates
            if len(tokens) > len(cluster.name_tokens):
                cluster.name_tokens = tokens
                cluster.canonical = name
            return cluster
        cluster = Cluster(key=("person", name.lower()), type="PERSON", canonical=name, name_tokens=tokens)
        self.clusters.append(cluster)
        return cluster
