"""Tokens, sentences and the closed word classes the stance features count.

The word classes are general English function-word and discourse classes
(negation, denial and falsity, hedging and hearsay, confirmation), not words
picked from the training pairs: the model learns how much each class weighs.
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace and an
# opening capital, digit or quote; or at a line break.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+(?=[\"'“‘(\[]?[A-Z0-9])|\s*\n\s*")

NEGATION = frozenset(
    """not no never none nobody nothing neither nor nowhere cannot without n't isn't wasn't aren't weren't
    don't doesn't didn't won't wouldn't can't couldn't shouldn't hasn't haven't hadn't""".split()
)
DENIAL = frozenset(
    """deny denies denied denying denial denials refute refutes refuted refuting rebut rebuts rebutted
    debunk debunks debunked debunking dismiss dismisses dismissed dismissing reject rejects rejected
    dispute disputes disputed contradict contradicts contradicted retract retracts retracted retraction
    false falsely untrue fake fakes faked hoax hoaxes fabricated fabrication fabrications bogus baseless
    unfounded myth myths rumour rumours rumor rumors satire satirical prank pranks spoof parody
    misleading incorrect wrong nonsense lie lies lied lying""".split()
)
HEDGE = frozenset(
    """allegedly alleged reportedly reported reports purportedly purported supposedly apparently
    claim claims claimed claiming unconfirmed unverified rumoured rumored possibly perhaps may might could
    unclear speculation speculate speculated suggest suggests suggested appear appears appeared seem seems
    seemed believed thought according if whether""".split()
)
CONFIRM = frozenset(
    """confirm confirms confirmed confirming confirmation verified verify official officially announced
    announce announces acknowledged acknowledges admit admits admitted revealed reveals proof proves proved
    evidence indeed true truly actually""".split()
)
WORD_CLASSES: tuple[tuple[str, frozenset[str]], ...] = (
    ("negation", NEGATION), ("denial", DENIAL), ("hedge", HEDGE), ("confirm", CONFIRM),
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; "n't" split off as its own token so negation counts see it."""
    out = []
    for token in TOKEN.findall(text.lower().replace("’", "'")):
        if token.endswith("n't") and len(token) > 3:
            out.extend((token[:-3], "n't"))
        else:
            out.append(token)
    return out


def sentences(text: str) -> list[str]:
    """The sentences of a body (a regular-expression splitter: cheap, and good enough to rank them)."""
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if any(c.isalnum() for c in p)] or [text]
