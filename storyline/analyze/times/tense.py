"""The tense of the clause a time expression sits in, from spaCy's parse.

Only the direction matters: a bare "Friday" or "August" in a past-tense
clause is the last one before publication, in a future one the next after it.
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Doc, Span, Token

Tense = Literal["past", "future", "present", "pluperfect"] | None

# Reporting verbs: news writes "says Friday" for what was said on Friday.
_REPORTING = {"say", "tell", "announce", "report", "claim", "state", "add", "note", "confirm", "deny", "acknowledge"}

_FUTURE_AUX = {"will", "'ll", "shall", "wo", "ll"}
# Verbs whose infinitive complement lies ahead: "expects to complete … by Friday".
_FUTURE_GOVERNORS = {
    "expect", "plan", "intend", "aim", "schedule", "set", "go", "hope", "want", "propose", "seek", "prepare",
    "agree", "promise", "vow", "threaten", "pledge", "due", "likely", "slate",
}


# Arcs a time expression hangs from its clause's verb by. Through any other (a noun, an
# adjective: "payable Dec. 7", "stock of record Nov. 17") the nearest verb is only a fallback
# (see _clause_verb): on TimeBank and AQUAINT-even that fallback changed one value, for the better.
_VERB_ARCS = {"npadvmod", "tmod", "pobj", "prep", "advmod", "obl", "nmod", "dobj", "attr", "appos", "conj", "cc",
              "compound", "nummod", "amod", "det", "quantmod", "pcomp", "ROOT", "nsubj", "nsubjpass"}


def _verb_of(token: Token) -> Token | None:
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") or token.tag_ == "MD":
            return token
        if token.head is token:
            return None
        head = token.head
        if head.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and token.dep_ not in ("compound", "nummod", "amod", "det", "quantmod", "npadvmod"):
            return None
        if token.dep_ not in _VERB_ARCS:
            return None
        token = head
    return None


def verb_tense(verb: Token) -> Tense:
    """Past, future or present for a verb and its auxiliaries."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & _FUTURE_AUX:
        return "future"
    # "is going to", "is expected to", "plans to" + infinitive
    if verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        gov = verb.head
        if gov is not verb and (gov.lemma_.lower() in _FUTURE_GOVERNORS or gov.lower_ == "going"):
            gov_aux = {c.lower_ for c in gov.children if c.dep_ in ("aux", "auxpass")}
            if "had" in gov_aux or (gov.tag_ == "VBD" and gov.lemma_.lower() not in ("expect", "schedule", "set", "plan")):
                return "past"  # "had been scheduled to expire Friday": that Friday is over
            return "future"
        if gov is not verb:
            return verb_tense(gov) if gov.pos_ in ("VERB", "AUX") else None
    if verb.tag_ == "VBN" and (lowers & {"had", "'d"}):
        return "pluperfect"  # past before a past: also over whatever "until …" says
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and (lowers & {"has", "have", "'ve", "'s"}):
        return "past"  # present perfect: what has happened
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod") :  # "the troops deployed Friday"
        return "past"
    if verb.tag_ in ("VBZ", "VBP") and verb.lemma_.lower() in _REPORTING:
        return "past"
    if verb.tag_ in ("VBZ", "VBP") and verb.lemma_.lower() in _FUTURE_GOVERNORS:
        return "future"  # "plans to hold a news conference on Tuesday"
    if verb.tag_ in ("VBZ", "VBP", "VBG") or lowers & {"is", "are", "am"}:
        return "present"
    if verb.tag_ == "MD":
        return "future" if verb.lower_ in _FUTURE_AUX else None
    if lowers & {"would", "could", "might", "should", "may", "can", "must"}:
        return None
    return None


def tense_at(doc: Doc, start: int, end: int) -> Tense:
    """The tense of the clause governing the characters ``start:end`` of ``doc``."""
    span: Span | None = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verb = _verb_of(span.root) or _clause_verb(span.root)
    return verb_tense(verb) if verb is not None else None


def _clause_verb(token: Token) -> Token | None:
    """The verb of the clause a noun phrase sits in, for a date that modifies a noun: "will be named
    commander … for a mission in December" looks ahead like its clause."""
    for _ in range(6):
        if token.head is token:
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
    return None
