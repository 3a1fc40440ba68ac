"""Corrections to the model's entity spans before they are grouped.

General mechanisms, each a fix for a class of the small model's errors:

- acronyms defined in the text ("Defense Intelligence Directorate (HUR)") label
  every later use of the acronym like the full name;
- one sense per document: a span the model labels PRODUCT or PERSON whose text is
  the name of a place mentioned in the same document is that place ("Kursk"
  beside "Kursk Oblast");
- a capitalised "The" inside a sentence belongs to an organisation's name
  ("… noted The Guardian");
- national institutions named by a demonym or possessive ("the Russian
  parliament") become organisation mentions;
- an all-capitals "place" no country answers to is an organisation ("BRICS");
- the organisation inside a person's title ("Secretary of Defense") is not a
  separate mention;
- a capitalised name right after a title is a person ("Chancellor Olaf Scholz",
  which the small model calls an ORG), and so is that person's surname alone;
- a title run into a person's name ("Defense Lloyd Austin’s" as ORG) is the
  person;
- a capital or a city of a million people is a place, not a person or a
  product ("Kyiv" as PERSON);
- a person's name runs on over a hyphen written without spaces to a name word
  the parser reads as a proper noun ("Park Sun-won", which the small model
  cuts to "Park Sun") and is in no other name ("Putin-led": "led" is no
  proper noun; "Trump-Kim": "Kim" is a name of its own).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from storyline.analyze.extensions import text_of
from storyline.analyze.knowledge.countries import countries
from storyline.analyze.knowledge.names import is_given_name

PLACE_LABELS = {"GPE", "LOC", "FAC"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
# Labels the small model gives to names it does not know.
UNSURE_LABELS = {"PRODUCT", "PERSON", "WORK_OF_ART", "ORG", "EVENT", "LAW", "LANGUAGE"}
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z][A-Za-z]*$|^[A-Z]{2,}$")
# Generic words after or before a place's core name.
REGION_WORDS = {
    "oblast", "region", "province", "krai", "kray", "state", "county", "republic", "district",
    "prefecture", "governorate", "territory", "parish", "canton", "department", "voivodeship",
}
LEGISLATURE_WORDS = {"parliament", "legislature"}
_LEGISLATURE = re.compile(r"\b(parliament|legislature)\b", re.IGNORECASE)
# Nouns that head a title with an "of" complement ("Secretary of Defense").
TITLE_NOUNS = {"secretary", "minister", "director", "head", "chief", "undersecretary", "commissioner"}


def core_name(text: str) -> str:
    """A place's name without generic words: "Kursk Oblast" → "kursk", "Republic of Tatarstan" → "tatarstan"."""
    words = [w for w in re.split(r"\s+", text.lower().replace("’s", "").replace("'s", "")) if w]
    if words and words[0] == "the":
        words = words[1:]
    if len(words) > 2 and words[1] == "of" and words[0] in REGION_WORDS:
        words = words[2:]
    while len(words) > 1 and words[-1] in REGION_WORDS:
        words = words[:-1]
    return " ".join(words)


def acronym_definitions(doc: Doc, ents: list[Span]) -> dict[str, Span]:
    """``NAME (ACR)`` → {"ACR": NAME span}."""
    found: dict[str, Span] = {}
    for ent in ents:
        if ent.label_ not in {"ORG", "GPE", "LOC", "FAC", "NORP"}:
            continue
        i = ent.end
        if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")" and _ACRONYM.match(doc[i + 1].text):
            found.setdefault(doc[i + 1].text, ent)
    return found


def _with_acronyms(doc: Doc, ents: list[Span]) -> list[Span]:
    defined = acronym_definitions(doc, ents)
    if not defined:
        return ents
    taken = {i for e in ents for i in range(e.start, e.end)}
    extra = []
    # Find the uses in the text (a regex over the text, not a walk over every token).
    uses = re.compile(r"\b(" + "|".join(re.escape(a) for a in defined) + r")\b")
    for m in uses.finditer(text_of(doc)):
        span = doc.char_span(m.start(), m.end())
        if span is None or len(span) != 1:
            continue
        token, full = span[0], defined[m.group(1)]
        if token.i in taken:
            # The model may have labelled the acronym differently; the definition wins.
            extra.extend(Span(doc, e.start, e.end, label=full.label_) for e in ents if e.start == token.i and e.end == token.i + 1)
            continue
        extra.append(Span(doc, token.i, token.i + 1, label=full.label_))
    replaced = {(s.start, s.end) for s in extra}
    return [e for e in ents if (e.start, e.end) not in replaced] + extra


def _one_sense(ents: list[Span]) -> list[Span]:
    places = {core_name(e.text): e.label_ for e in ents if e.label_ in PLACE_LABELS}
    places.update({e.text: e.label_ for e in ents if e.label_ in PLACE_LABELS})
    out = []
    for e in ents:
        if e.label_ in UNSURE_LABELS and e.label_ not in PLACE_LABELS:
            label = places.get(e.text) or places.get(core_name(e.text))
            if label and (e.label_ != "ORG" or e.text in places):
                e = Span(e.doc, e.start, e.end, label=label)
        out.append(e)
    return out


def _with_the(ents: list[Span]) -> list[Span]:
    out = []
    for e in ents:
        prev = e.doc[e.start - 1] if e.start > 0 else None
        if (
            e.label_ == "ORG"
            and prev is not None
            and prev.text == "The"
            and not prev.is_sent_start
            and not (prev.i > 0 and e.doc[prev.i - 1].is_space and "\n" in e.doc[prev.i - 1].text)
        ):
            e = Span(e.doc, e.start - 1, e.end, label=e.label_)
        out.append(e)
    return out


def _legislatures(doc: Doc, ents: list[Span]) -> list[Span]:
    """"the Russian parliament", "Russia's parliament" → ORG spans."""
    known = countries()
    extra = []
    for m in _LEGISLATURE.finditer(text_of(doc)):
        found = doc.char_span(m.start(), m.end())
        if found is None or found.start == 0:
            continue
        token = found[0]
        mod = doc[token.i - 1]
        start = token.i - 1
        if mod.text in {"’s", "'s"} and token.i >= 2:
            mod, start = doc[token.i - 2], token.i - 2
        if known.lookup(mod.text) is None:
            continue
        if start > 0 and doc[start - 1].lower_ == "the":
            start -= 1
        extra.append(Span(doc, start, token.i + 1, label="ORG"))
    return ents + extra


def _unknown_acronym_places(ents: list[Span]) -> list[Span]:
    """An all-capitals "place" that no country answers to is an organisation ("BRICS", "NATO")."""
    known = countries()
    return [
        Span(e.doc, e.start, e.end, label="ORG")
        if e.label_ in {"GPE", "LOC"} and len(e) == 1 and _ACRONYM.match(e.text) and e.text.isupper() and known.lookup(e.text) is None
        else e
        for e in ents
    ]


def _inside_titles(ents: list[Span]) -> list[Span]:
    """Drop organisation spans that are part of a person's title ("Secretary of Defense")."""
    out = []
    for e in ents:
        root = e.root
        if (
            e.label_ == "ORG"
            and root.dep_ == "pobj"
            and root.head.lower_ == "of"
            and root.head.head.lower_ in TITLE_NOUNS
            and root.head.head.ent_type_ != "ORG"
        ):
            continue
        out.append(e)
    return out


# Words that introduce a person's name ("Chancellor Olaf Scholz").
PERSON_TITLES = {
    "president", "chancellor", "minister", "secretary", "senator", "sen.", "governor", "gov.", "mayor", "general",
    "gen.", "admiral", "adm.", "colonel", "col.", "king", "queen", "prince", "princess", "pope", "premier",
    "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "judge", "justice", "mr.", "mrs.", "ms.",
    "dr.", "rep.", "representative", "leader", "commander", "chairman", "chairwoman", "ceo", "director",
}
# Words of titles that can open a name the model mislabels ("Defense Secretary …").
TITLE_WORDS = PERSON_TITLES | {"defense", "defence", "foreign", "deputy", "vice", "prime", "former", "state", "interior"}
_NOT_PERSON = {"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "NORP"}


def _titled_people(ents: list[Span]) -> list[Span]:
    """A capitalised name right after a title is a person, whatever the model said."""
    out = []
    for e in ents:
        prev = e.doc[e.start - 1] if e.start > 0 else None
        if (
            e.label_ not in _NOT_PERSON
            and prev is not None
            and prev.lower_ in PERSON_TITLES
            and 2 <= len(e) <= 4
            and all(t.is_title or t.text in {"-", "."} for t in e)
            and countries().lookup(e.text) is None
        ):
            e = Span(e.doc, e.start, e.end, label="PERSON")
        out.append(e)
    return out


BIG_CITY = 1_000_000


def _is_big_place(text: str) -> bool:
    """A capital, or a city of a million people or more, written exactly so."""
    if countries().capital_of(text) is not None:
        return True
    try:
        from storyline.analyze.places.gazetteer import shared
    except ImportError:
        return False
    return any(
        m.name_type == "name" and m.place.kind == "city" and m.place.population >= BIG_CITY and m.place.name == text
        for m in shared().lookup(text)
    )


def _titles_run_into_names(ents: list[Span]) -> list[Span]:
    """"Defense Lloyd Austin’s" (ORG): a title the model ran into a person's name.

    When a non-person span starts with title words followed by a known given
    name and at least one more capitalised word, the name is a person.
    """
    out = []
    for e in ents:
        i = e.start
        while i < e.end and e.doc[i].lower_ in TITLE_WORDS:
            i += 1
        rest = [t for t in e.doc[i : e.end] if t.text not in {"’s", "'s"}]
        if (
            e.label_ not in _NOT_PERSON
            and i > e.start
            and len(rest) >= 2
            and all(t.is_title for t in rest)
            and is_given_name(rest[0].text)
        ):
            e = Span(e.doc, i, e.end, label="PERSON")
        out.append(e)
    return out


def _big_places(ents: list[Span]) -> list[Span]:
    """The small model calls some well-known cities people or things ("Kyiv" as PERSON)."""
    surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) >= 2}
    return [
        Span(e.doc, e.start, e.end, label="GPE")
        if e.label_ in {"PERSON", "PRODUCT", "WORK_OF_ART", "ORG"} and len(e) == 1 and e.text.istitle()
        and e.text not in surnames and _is_big_place(e.text)
        else e
        for e in ents
    ]


def _surnames(ents: list[Span]) -> list[Span]:
    """A lone surname of a person named in full elsewhere in the document is that person."""
    surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) >= 2}
    known = countries()
    return [
        Span(e.doc, e.start, e.end, label="PERSON")
        if e.label_ not in _NOT_PERSON and len(e) == 1 and e.text in surnames and known.lookup(e.text) is None
        else e
        for e in ents
    ]


def _name_part(doc: Doc, left: int, part: int, taken: set[int]) -> bool:
    """Whether doc[left], a hyphen and doc[left + 2] are written without spaces, and doc[part] (one
    of the two) is a proper noun in no other name: the name runs on over the hyphen."""
    if left < 0 or left + 2 >= len(doc) or doc[left + 1].text != "-" or part in taken:
        return False
    word = doc[part]
    return not doc[left].whitespace_ and not doc[left + 1].whitespace_ and word.is_alpha and word.pos_ == "PROPN"


def _hyphenated_names(ents: list[Span]) -> list[Span]:
    """A person's name cut at a hyphen ("Park Sun" of "Park Sun-won") runs on over it."""
    out = []
    taken = {i for e in ents for i in range(e.start, e.end)}
    for e in ents:
        if e.label_ == "PERSON":
            doc, start, end = e.doc, e.start, e.end
            while _name_part(doc, end - 1, end + 1, taken):
                end += 2
            while _name_part(doc, start - 2, start - 2, taken):
                start -= 2
            if (start, end) != (e.start, e.end):
                taken.update(range(start, end))
                e = Span(doc, start, end, label="PERSON")
        out.append(e)
    return out


def corrected_entities(doc: Doc) -> list[Span]:
    """The document's entity spans after the corrections above (non-overlapping, in order)."""
    every = list(doc.ents)  # read once: doc.ents builds every span anew on each access
    ents = [e for e in every if e.label_ in NAME_LABELS or e.label_ in UNSURE_LABELS]
    ents = _unknown_acronym_places(ents)
    ents = _inside_titles(ents)
    ents = _titled_people(ents)
    ents = _titles_run_into_names(ents)
    ents = _hyphenated_names(ents)
    ents = _big_places(ents)
    ents = _surnames(ents)
    ents = _with_acronyms(doc, ents)
    ents = _one_sense(ents)
    ents = _with_the(ents)
    ents = _legislatures(doc, ents)
    others = [e for e in every if not (e.label_ in NAME_LABELS or e.label_ in UNSURE_LABELS)]
    # Longer spans win (filter_spans), so "the Russian parliament" replaces "Russian".
    return sorted(filter_spans(ents + others), key=lambda s: s.start)
