"""Cue classes: what kind of act the cue reports.

The class comes from the cue's head lemma (the word whose head lies outside
the cue span) or, for multi-word cues, from the whole cue's lemmas ("according
to", "call for", "point out"). Classes:

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

from enum import Enum

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
    "deny": ("deny", "reject", "dismiss", "refute", "dispute", "rebut", "disavow", "contradict", "debunk", "brush off"),
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


def cue_class(lemmas: list[str], head: str) -> str:
    """The class of a cue given its lemmas (lower case, in order) and its head lemma."""
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
    for w in words:
        if w in _BY_PHRASE:
            return _BY_PHRASE[w]
    return "other"
