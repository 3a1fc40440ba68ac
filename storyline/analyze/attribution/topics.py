"""Contents that name a topic rather than state a proposition.

PolNeAR annotates attitudes toward things as attributions ("responded to
requests for comment", "spoke about her deep ties to black churches",
"mentioned climate change"), and the document's record keeps them; but such a
content says nothing that could be affirmed or denied, so it has no stance and
enters no claim (``storyline/story/sources.py``). Read off the parse:

- a cue outside the lexicon (class ``other``) whose content is a bare noun
  phrase (no verb, no quotation): "addressed the deployment" — dropped from the
  record unless ``keep_topics`` (``is_topic_cue``);
- a cue of saying or asking whose content is the noun phrase it talks about:
  every top-level word of the content is a noun or pronoun governed by a
  preposition of the cue's verb (a relative clause inside the phrase does not
  make it a clause: "responded to an American journalist's question regarding
  satellite images that purportedly support …", "spoke about her deep ties
  …"; but the complement of a noun of saying is what it claims: "claims of
  sexual abuse"); or an indirect question, a content opened by a wh-word of
  its own main clause, that clause the cue's complement ("explains what the
  deepening relationship … means", not "said what it said was Pyongyang's
  first troop deployment"), or what someone was asked about ("asked Putin
  about his rumored conversations with Trump": the addressee and an "about"
  phrase) — kept, without a stance (``topic_words``). A
  direct object stays a proposition: "reiterated North Korea's involvement"
  affirms it, and a headline drops its copulas ("says arms depot attack
  aimed at …").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from storyline.analyze.attribution import features as F
from storyline.model import Statement

# The cue classes of talking and asking: their noun-phrase object is what was talked about.
TALK_CLASSES = {"assert", "ask"}
_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}
_WH_TAGS = {"WDT", "WP", "WRB"}
_SKIP = {"PUNCT", "SPACE", "DET", "CCONJ"}
_ABOUT = {"about", "on", "over", "regarding", "concerning"}  # the prepositions of what a question is about


def is_topic_cue(doc: Doc, facts: F.TokenFacts, cue_class: str, content: tuple[int, int]) -> bool:
    """A cue outside the attribution lexicon whose content is a bare noun phrase (no verb, no
    quotation): "addressed the deployment", "referenced Article 4" name a topic, not a claim."""
    if cue_class != "other":
        return False
    s, e = content
    return not any(doc[i].pos_ in {"VERB", "AUX"} or facts.quote[i] >= 0 for i in range(s, e))


def _roots(doc: Doc, s: int, e: int) -> list[Token]:
    """The content's top-level words: those whose head lies outside it (punctuation, determiners
    and conjunctions left out)."""
    return [doc[i] for i in range(s, e) if not (s <= doc[i].head.i < e and doc[i].head.i != i) and doc[i].pos_ not in _SKIP]


def topic_words(doc: Doc, statement: Statement, cue: tuple[int, int], content: tuple[int, int]) -> str | None:
    """The word that makes a talking or asking cue's content a topic (the head noun, or the
    wh-word of an indirect question), or None when the content can state something."""
    if statement.cue_class not in TALK_CLASSES or statement.kind != "indirect":
        return None
    s, e = content
    roots = _roots(doc, s, e)
    if not roots:
        return None
    first = next((doc[i] for i in range(s, e) if not doc[i].is_punct), None)
    if first is not None and first.tag_ in _WH_TAGS and first.lower_ != "that":
        clause = first.head  # an indirect question: the wh-word's clause is the cue's complement
        if any(r.i == clause.i for r in roots) and clause.pos_ in {"VERB", "AUX"} and cue[0] <= clause.head.i < cue[1]:
            return first.text
    head = next((doc[i] for i in range(*cue) if not cue[0] <= doc[i].head.i < cue[1] or doc[i].head.i == i), doc[cue[0]])
    if statement.cue_class == "assert" and head.pos_ not in {"VERB", "AUX"}:
        return None  # a noun's complement is what it claims: "claims of sexual abuse"
    if all(r.pos_ in _NOMINAL and r.dep_ == "pobj" and r.head.pos_ == "ADP" and (cue[0] <= r.head.i < cue[1] or cue[0] <= r.head.head.i < cue[1]) for r in roots):
        return roots[0].text  # the object of the cue's preposition: "responded to …", "spoke about …"
    if statement.cue_class == "ask":
        # "asked Putin about his rumored conversations with Trump": whom was asked, and what about.
        on_cue = [r for r in roots if cue[0] <= r.head.i < cue[1]]
        about = [r for r in on_cue if r.pos_ == "ADP" and r.lower_ in _ABOUT]
        if about and len(on_cue) == len(roots) and all(r.pos_ == "ADP" or (r.dep_ == "dobj" and r.pos_ in _NOMINAL) for r in roots):
            return next((c.text for c in about[0].children if c.dep_ == "pobj"), about[0].text)
    return None
