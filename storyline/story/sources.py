"""Which statements can stand as a source's stance on a claim.

Every attribution the statement step finds stays in the document's record
(PolNeAR annotates "decision", "support", "in favor of" as cues, and the
record follows it), but a claim's matrix lists *sources that affirm, deny or
hedge a proposition*. A statement enters a claim only when:

- its speaker is someone: a named person, organisation, place or group (the
  entity the speaker maps to, or a capitalised name the entities left out:
  "Yonhap"), or a phrase headed by a noun that names a source in news text
  ("officials", "experts", "reports", "videos", "analysis": the heads of
  PolNeAR train's gold sources, ``weights/source_heads.txt``) or by an agent
  noun that political news may not have shown ("engineer", "farmer",
  "analyst", "resident", "civilian": the English agent suffixes -er, -or,
  -ist, -ian, -ant, -ent, -ee, not -ment), not an event or a thing ("The deployment suggests …", "an ever-deepening military alliance
  … in favor of …"); a pronoun the statement step could not resolve ("it
  said") is no one;
- its cue reports an act that bears on a proposition: not a backing
  (``support``: "soldiers supporting Russia", "alleged dispatch of soldiers to
  support Moscow's war": its object is a side taken, not something stated; a
  pledge or plan, ``intend``, stays: it affirms the speaker's own course), and
  a cue of no known class ("decision", "in favor of",
  "launched") only when its content is a clause that states something — a
  ``that``/``whether``/``if`` clause or a quotation ("Austin speculated that
  …" is one, "North Korea's decision to dispatch troops" is not);
- its content is a proposition, not a topic: the statement step gives a
  topic no stance and the word that makes it one as the reason ("Putin
  responded to an American journalist's question …", "explains what … means":
  ``storyline/analyze/attribution/topics.py``); a statement stored before
  stances existed has neither and is not taken for a topic.

A story's timeline (``views.timeline``) lists a statement on the same terms,
except that an unattributed one stays ("Reports that North Korea is sending
soldiers …": the text names no one, which the timeline says).

Rebuild the source heads (counts over PolNeAR train's gold sources):

    python -m storyline.story.sources ../shared/data/polnear/train
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from storyline.model import Analysis, Statement

HEADS = Path(__file__).parent / "weights" / "source_heads.txt"
MIN_COUNT = 2  # a head seen once in the gold sources is no evidence of a kind of source
AGENT_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
PRONOUNS = {"i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "it", "its", "they",
            "them", "their", "this", "that", "these", "those", "who", "which", "one", "someone", "somebody"}
NOT_CLAIMING = {"support"}  # the cue class whose content is an object of backing, not a proposition
_CLAUSE_OPENERS = ("that ", "whether ", "if ")
# Where a noun phrase's head ends: a preposition, a relative or a comma starts a modifier after it.
_MODIFIER = re.compile(
    r"\s(?:of|in|at|on|for|from|with|by|to|about|over|under|near|who|whom|whose|which|that|as|and|or)\s|,|\(|—|–",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:[.'’-][^\W\d_]+)*\.?")
_AGENT_SUFFIX = re.compile(r"(?:er|or|ist|ian|ant|ent|ee)$")


def head_word(text: str) -> str | None:
    """The head noun of a speaker phrase as written: its last word before any modifier
    ("South Korea's intelligence agency" → "agency", "Authorities in Seoul" → "Authorities");
    a possessive ending dropped."""
    words = _WORD.findall(_MODIFIER.split(text, maxsplit=1)[0])
    if not words:
        return None
    word = words[-1]
    for ending in ("’s", "'s", "’", "'"):
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)]
    return word


def _forms(word: str) -> list[str]:
    """The word and its singular candidates ("reports" → report, "authorities" → authority)."""
    w = word.lower()
    out = [w]
    if w.endswith("ies") and len(w) > 4:
        out.append(w[:-3] + "y")
    if w.endswith("es") and len(w) > 3:
        out.append(w[:-2])
    if w.endswith("s") and len(w) > 3 and not w.endswith("ss"):
        out.append(w[:-1])
    return out


@lru_cache(maxsize=1)
def source_heads() -> frozenset[str]:
    """The shipped source heads (lower case); empty if the file is missing."""
    if not HEADS.exists():
        return frozenset()
    return frozenset(HEADS.read_text(encoding="utf-8").split())


def is_agent(statement: Statement, speaker_type: str | None) -> bool:
    """Whether the statement's speaker is someone (module docstring); ``speaker_type``: the type of
    the entity the speaker maps to, if any."""
    speaker = statement.speaker
    if speaker is None:
        return False
    if speaker.name.strip().lower() in PRONOUNS:
        return False  # a pronoun the statement step left unresolved
    if speaker_type in AGENT_TYPES:
        return True
    head = head_word(speaker.name)
    if head is None:
        return False
    if head[:1].isupper():
        return True  # a name the entities left out ("Yonhap", "Zelenskyy", "Army")
    forms = _forms(head)
    return any(form in source_heads() for form in forms) or any(
        len(form) > 4 and _AGENT_SUFFIX.search(form) and not form.endswith("ment") for form in forms
    )


def states_something(statement: Statement) -> bool:
    """Whether the cue and content make a statement about a proposition (module docstring)."""
    if statement.cue_class in NOT_CLAIMING:
        return False
    if statement.stance is None and statement.stance_reason:
        return False  # a topic ("responded to … question"): no proposition to affirm or deny
    if statement.cue_class != "other":
        return True
    text = statement.content.text.lstrip("“\"‘' ").lower()
    return statement.kind in {"direct", "mixed"} or text.startswith(_CLAUSE_OPENERS)


def can_claim(statement: Statement, analysis: Analysis) -> bool:
    """Whether ``statement`` can stand in a claim's matrix as its speaker's stance."""
    entity = analysis.entity(statement.speaker.entity_id) if statement.speaker is not None else None
    return statement.cue is not None and is_agent(statement, entity.type if entity else None) and states_something(statement)


def in_timeline(statement: Statement, speaker_type: str | None) -> bool:
    """Whether a story's timeline lists ``statement``: it states something, and its speaker, if
    the text names one, is someone (an unattributed report stays: "Reports that …")."""
    return states_something(statement) and (statement.speaker is None or is_agent(statement, speaker_type))


def count_heads(directory: Path) -> Counter[str]:
    """Head words (lower case, as written) of the gold sources of a PolNeAR-style split, pronouns out."""
    from storyline.eval.brat import read_ann

    counts: Counter[str] = Counter()
    for ann in sorted((directory / "attributions").glob("*.ann")):
        for attribution in read_ann(ann).attributions:
            source = attribution.source
            head = head_word(source.text) if source is not None and source.text else None
            if head is not None and head.lower() not in PRONOUNS:
                counts[head.lower()] += 1
    return counts


def build(directory: Path) -> list[str]:
    """The source heads seen at least ``MIN_COUNT`` times, a plural counting for its singular too."""
    counts = count_heads(directory)
    total = Counter(counts)
    for word, n in counts.items():
        for form in set(_forms(word)[1:]) & set(counts):
            total[form] += n
    return sorted(w for w, n in total.items() if n >= MIN_COUNT)


if __name__ == "__main__":  # pragma: no cover - a build step
    words = build(Path(sys.argv[1]))
    HEADS.parent.mkdir(parents=True, exist_ok=True)
    HEADS.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} source heads → {HEADS}")
