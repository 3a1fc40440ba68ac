"""Cue classes: what kind of act the cue reports.

The class comes from the cue's head lemma (the word whose head lies outside
the cue span) or, for multi-word cues, from the whole cue's lemmas ("according
to", "call for", "point out"). A word of the cue counts only when it is on the
cue's predicate: a noun the head verb governs is what the act is about, not the
act ("Abandons Caution on …" is no warning), unless the head is a support verb
that leaves its meaning to the noun ("made the pledge", "voiced criticism",
"casting doubt on") or a preposition ("in favor of").

Classes:

- ``assert``: plain saying (say, tell, state, add, write, tweet, explain, insist)
- ``deny``: deny, reject, dismiss, refute, dispute, rebut
- ``acknowledge``: acknowledge, admit, concede, confirm, agree
- ``warn``: warn, caution, threaten, alert
- ``accuse``: accuse, blame, criticize, attack, slam, condemn, charge
- ``report``: report, announce, reveal, according to, show, find, indicate, cite
- ``believe``: believe, think, feel, consider, fear, doubt, know, seem, appear
- ``intend``: intend, plan, promise, vow, pledge, want, seek, hope
- ``ask``: ask, question, wonder, inquire
- ``demand``: urge, demand, call for/on, request, press
- ``support``: support, endorse, back, praise, defend, welcome, applaud
- ``oppose``: oppose, object, protest, resist, decline, refuse
- ``predict``: predict, expect, forecast, project, estimate
- ``describe``: call, describe, refer to, label, characterize, name, dub
- ``other``: any other cue; continuation quotes take their opening statement's class.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from spacy.tokens import Token

CUE_CLASSES: dict[str, tuple[str, ...]] = {
    "assert": (
        "say", "tell", "state", "add", "write", "tweet", "post", "explain", "insist", "argue", "claim", "maintain",
        "assert", "declare", "note", "comment", "remark", "observe", "stress", "emphasize", "emphasise", "point out",
        "continue", "respond", "reply", "answer", "recall", "mention", "suggest", "contend", "conclude", "affirm",
        "reiterate", "speak", "joke", "quip", "boast", "brag", "proclaim", "tout", "exclaim", "shout", "testify",
        "put", "say in a statement", "spell out", "retort", "counter", "elaborate", "assure",
        "promote", "pitch", "lament", "complain",
        ":", "–", "—",  # headline attributions: "Graham: …", "… – Seoul"
    ),
    "deny": ("deny", "reject", "dismiss", "refute", "dispute", "rebut", "disavow", "contradict", "debunk", "brush off", "retract",
             "disprove"),
    "acknowledge": ("acknowledge", "admit", "concede", "confirm", "agree", "grant", "recognize", "recognise", "own up"),
    "warn": ("warn", "caution", "threaten", "alert", "alarm"),
    "accuse": (
        "accuse", "blame", "criticize", "criticise", "attack", "slam", "condemn", "charge", "allege", "denounce",
        "fault", "blast", "chide", "rebuke", "lambaste", "mock", "ridicule", "scold", "decry", "assail",
    ),
    "report": (
        "report", "announce", "reveal", "according to", "accord to", "show", "find", "indicate", "cite", "disclose", "learn",
        "document", "publish", "release", "discover", "confirm report", "reportedly", "per", "estimate that",
        "say report", "leak", "determine", "conclude that", "suggest that", "poll", "survey",
    ),
    "believe": (
        "believe", "think", "feel", "consider", "fear", "doubt", "know", "seem", "appear", "view", "see", "suspect",
        "worry", "assume", "regard", "deem", "understand", "realize", "realise", "imagine", "wonder whether",
        "convinced", "confident", "sure", "trust", "concerned",
    ),
    "intend": (
        "intend", "plan", "promise", "vow", "pledge", "want", "seek", "hope", "aim", "wish", "commit", "propose",
        "swear", "offer", "vote", "decide", "prefer", "like", "would like", "try",
    ),
    "ask": ("ask", "question", "wonder", "inquire", "enquire", "query", "challenge"),
    "demand": ("urge", "demand", "call for", "call on", "request", "press", "appeal", "insist on", "order", "implore", "push"),
    "support": (
        "support", "endorse", "back", "praise", "defend", "welcome", "applaud", "hail", "laud", "commend", "embrace",
        "champion", "credit", "thank", "congratulate", "favor", "favour", "celebrate", "approve",
    ),
    "oppose": ("oppose", "object", "protest", "resist", "decline", "refuse", "disagree", "fight", "veto", "boycott", "criticism"),
    "predict": ("predict", "expect", "forecast", "project", "anticipate", "bet", "likely"),
    "describe": ("call", "describe", "refer to", "label", "characterize", "characterise", "name", "dub", "brand", "term"),
}

# The classes a statement can have (a cue in none of the lists is "other"): the CLI's and the API's choices.
CueClass = Enum("CueClass", {name: name for name in [*CUE_CLASSES, "other"]}, type=str)  # type: ignore[misc]

_BY_PHRASE: dict[str, str] = {}
for _cls, _phrases in CUE_CLASSES.items():
    for _phrase in _phrases:
        _BY_PHRASE.setdefault(_phrase, _cls)


# Support ("light") verbs: their object noun names the act ("made the pledge", "issued a warning").
SUPPORT_VERBS = frozenset({"do", "give", "have", "make", "take", "express", "voice", "issue", "raise", "offer", "sound",
                           "deliver", "pose", "level", "lodge", "cast"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})


def predicate_words(tokens: Sequence[Token], head: Token) -> list[Token]:
    """The cue's words that can say what act it reports: the head and every word that is no noun
    (a noun names what the act is about: "Abandons Caution on"), but a support verb's or a
    preposition's object noun ("made the pledge", "in favor of"); a verb hanging on a noun stays
    (a document that speaks: "filed legal papers opposing …")."""
    light = head.pos_ == "ADP" or head.lemma_.lower() in SUPPORT_VERBS
    return [t for t in tokens if t.i == head.i or t.pos_ not in _NOMINAL or (light and t.head.i == head.i)]


def cue_class_of(tokens: Sequence[Token], head: Token) -> str:
    """The class of a cue given as tokens (the cue span) and its syntactic head: as ``cue_class``,
    but the last resort, any word of the cue, is any word on its predicate (``predicate_words``)."""
    lemmas = [t.lemma_.lower() for t in tokens]
    return cue_class(lemmas, head.lemma_.lower(), [t.lemma_.lower() for t in predicate_words(tokens, head)])


def cue_class(lemmas: list[str], head: str, predicate: list[str] | None = None) -> str:
    """The class of a cue given its lemmas (lower case, in order) and its head lemma; ``predicate``:
    the lemmas of the words on its predicate, the only ones that may give the class at the last
    resort (all of them when not given)."""
    words = [w for w in lemmas if w not in {"have", "has", "had", "will", "would", "also", "not", "n't", "do", "did", "to"}] or lemmas
    phrase = " ".join(lemmas)
    if phrase in _BY_PHRASE:
        return _BY_PHRASE[phrase]
    # longest known sub-phrase, then the head lemma, then any word
    for size in range(min(len(words), 3), 1, -1):
        for k in range(len(words) - size + 1):
            sub = " ".join(words[k : k + size])
            if sub in _BY_PHRASE:
                return _BY_PHRASE[sub]
    if head in _BY_PHRASE:
        return _BY_PHRASE[head]
    for w in words if predicate is None else predicate:
        if w in _BY_PHRASE:
            return _BY_PHRASE[w]
    return "other"
