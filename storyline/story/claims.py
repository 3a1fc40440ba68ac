"""Claims: statements from different documents that assert the same proposition.

Inside a story the candidates are few, so each new statement is compared with
the story's claims directly. A statement's content is a bag of features:
content words, folded and stemmed (``-ing``/``-ed``/plural stripped), and the
countries and identities it names — "Pyongyang", "North Korea" and "North
Korean" are all the country KP, and "Kursk" is a place in RU — so "North
Korean troops are in Russia", "Pyongyang has sent soldiers to Russia" and
"deployment of North Korean troops to Kursk" share most of their weight.

Whether a statement asserts that armed force was used counts too: ``v:force`` when the trigger of an
event of class "force" (fighting, attacks, killing; ``analyze/event_types.json``) lies in its
content, not in a purpose or a relative or conditional clause, and in armed context when the
trigger is often figurative (``events.asserts_force``); ``v:other`` otherwise. A claim asserts force when at least half its statements do, and a
statement joins only a claim that asserts what it asserts, so "North Korean troops were killed in
Ukraine" does not join "North Korea has sent troops to Russia" however many words they share.

Only statements that can stand as a source's stance enter a claim
(``sources.can_claim``: a speaker who is someone, a cue that bears on a
proposition); the others stay in the document's record.

A claim's stance per statement is the statement's own stance (read from
polarity and modality by the statement step); a claim is ``contested`` when
independent sources (copies excluded) both affirm and deny it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from storyline.analyze.events import asserts_force
from storyline.analyze.knowledge.countries import countries
from storyline.model import Analysis, Statement
from storyline.store.sql import SQL
from storyline.story.sources import can_claim
from storyline.story.text import VectorIndex, cosine, norm, terms, word_kind

THRESHOLD = 0.35  # similarity a statement needs to join a claim
COUNTRY_WEIGHT = 1.0  # a country named in a claim weighs as much as a word
MIN_FEATURES = 2
# A statement that asserts force carries v:force, a feature as a word is (fighting, attacks and
# killing are one thing it says); the others carry v:other at so small a weight that it only counts
# them for :func:`compatible` (at a word's weight, a mark every statement carries joined unrelated
# short statements: PolNeAR dev's 1,147 claims became 879).
FORCE_WEIGHT = 1.0
OTHER_WEIGHT = 1e-3
WINDOW_DAYS = 60  # claims not made within this many days of a new document are not its candidates
MAX_CANDIDATES = 500  # and at most the most-made claims of those
_THAT = re.compile(r"^that\s+(?=\S)", re.IGNORECASE)
# "sent to fight", "readying for combat": a purpose, not something the statement says happened; nor is
# an event in a relative or conditional clause ("the area where Ukrainian forces staged an incursion",
# "if they were sent to fight"), nor one still to come ("could enter combat soon", "are expected to join
# the fighting").
_PURPOSE = re.compile(
    r"\b(?:to|for)\s+$|\b(?:where|which|who|whom|whose|if|unless)\b"
    r"|\b(?:could|may|might|will|would|shall|(?:expected|set|likely|poised|ready|prepared|preparing|planning|plans?"
    r"|due|about)\s+to)\b(?:\s+\S+){0,3}\s+$",
    re.IGNORECASE,
)
_GRAM = re.compile(r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}")
# Cue classes that do not assert their content one way or the other.
_HEDGING_CLASSES = {"ask", "predict"}
# A content that opens with one of these names what it speaks of elsewhere in its document: "he's now
# doing that by sending in military personnel" states nothing a reader of the claim list can use.
_ANAPHORIC = {"he", "she", "it", "they", "this", "these", "those", "we", "i", "you", "his", "her", "its", "their",
              "he's", "she's", "it's", "they're", "he’s", "she’s", "it’s", "they’re", "that's", "that’s"}


def default_stance(statement: Statement) -> str:
    """The stance when the statement step gave none: from the cue class."""
    if statement.stance:
        return statement.stance
    if statement.cue_class in {"deny", "oppose"}:
        return "deny"
    if statement.cue_class in _HEDGING_CLASSES:
        return "hedge"
    return "affirm"


# Cue classes whose content is an object and its complement, not a clause: "accused South Korea of
# sending drones", "calls it a response to …", "demands 'immediate withdrawal' of …".
_OBJECT_CUES = {"accuse", "describe", "demand"}
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_DETERMINERS = {"the", "a", "an", "some", "no", "all", "every", "each", "many", "most", "several", "both", "any"}


@lru_cache(maxsize=1 << 14)  # pure; a claim's canonical text is chosen again among the same statements
def claim_text(content: str, statement: str, cue_class: str | None) -> str:
    """What a claim shows as its text: the statement's content when it reads as a clause of its own
    (it opens with a name, a determiner or a number: "North Korea has sent troops to Russia"), the
    whole statement otherwise ("to speed up becoming a nuclear superpower" →
    "North Korea's Kim Jong Un wants to speed up becoming a nuclear superpower"). Either is a span
    of the statement's text. A headline's content in Title Case ("Strike on Depot Storing North
    Korean Ammo") cannot be told from a noun phrase: its whole headline says who claims it, unless
    the headline opens with it and names its source after it ("N. Korean Soldiers ‘Highly Likely’
    Killed in Ukraine – Seoul"), where the source is attribution, not part of what is claimed."""
    text = proposition(content)
    first = text.lstrip("“\"‘' ").split(maxsplit=1)
    long_words = _LONG_WORD.findall(text)
    if cue_class in _OBJECT_CUES or not first:
        return statement
    if len(long_words) >= 3 and all(w[0].isupper() for w in long_words):
        return content if statement.startswith(content) else statement
    word = first[0]
    opens_clause = word.lower() in _DETERMINERS or word[:1].isdigit() or (word[:1].isupper() and self_contained(word))
    return text if opens_clause else statement


def self_contained(text: str) -> bool:
    """Whether a claim text can be read alone: it does not open with a pronoun (after an opening
    quotation mark)."""
    words = text.lstrip("“\"‘' ").split(maxsplit=1)
    return not words or words[0].lower().rstrip(",") not in _ANAPHORIC


def proposition(content: str) -> str:
    """A statement's content as a claim's text: without the complementizer that opens a reported
    clause ("said that Clinton is in good health" → "Clinton is in good health"); still a span of
    the statement's text."""
    return _THAT.sub("", content, count=1)


def verb_stem(word: str) -> str:
    """deploying → deploy, deployed → deploy, sending → send (a light suffix stripper)."""
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            return word[:-1] if len(word) > 4 and word[-1] == word[-2] else word
    return word


@lru_cache(maxsize=1 << 14)  # a statement's content is read for its words and again for its events
def countries_in(text: str) -> frozenset[str]:
    """ISO codes of the countries a text names by name, demonym or capital ("North Korean" → KP)."""
    table = countries()
    found: set[str] = set()
    for match in _GRAM.finditer(text):
        words = match.group().split()
        for n in range(len(words), 0, -1):  # the longest name first: "North Korean" before "Korean"
            for i in range(len(words) - n + 1):
                phrase = " ".join(words[i : i + n])
                country = table.lookup(phrase) or table.capital_of(phrase)
                if country is not None:
                    found.add(country.iso2)
    return frozenset(found)


def text_features(text: str, also: Iterable[str] = ()) -> dict[str, float]:
    """Features of a text: its words (folded, stemmed) and the countries it names, plus those in
    ``also``; a country's own name is a country feature, not words."""
    feats: dict[str, float] = {}
    for w, n in terms(text).items():
        key = f"w:{word_kind(verb_stem(w))}"
        feats[key] = feats.get(key, 0.0) + n
    table = countries().by_iso2
    for code in countries_in(text) | set(also):
        feats[f"c:{code}"] = COUNTRY_WEIGHT
        for word in terms(table[code].name) if code in table else ():  # an entity may carry a code the table lacks (XK)
            feats.pop(f"w:{word}", None)
    return feats


@lru_cache(maxsize=4096)
def _content_features(text: str) -> dict[str, float]:
    """:func:`text_features` of a statement's content, kept: a claim's canonical text is chosen
    again each time a statement joins, among the same contents. Read only."""
    return text_features(text)


def features(statement: Statement, analysis: Analysis, identities: dict[str, str]) -> dict[str, float]:
    """A statement's content as claim features: :func:`text_features`, with the document's entities
    inside the content as identities (people, organisations) and countries (places), not words."""
    content = statement.content
    people: Counter[str] = Counter()
    named: set[str] = set()
    mentioned: set[str] = set()
    for entity in analysis.entities:
        inside = [m for m in entity.mentions if content.start <= m.start and m.end <= content.end]
        if not inside:
            continue
        if entity.country:
            named.add(entity.country)
        if entity.id in identities and entity.type in {"PERSON", "ORG"}:
            people[f"e:{identities[entity.id]}"] += 1
        for m in inside:
            mentioned.update(f"w:{word_kind(verb_stem(w))}" for w in terms(m.text))
    feats = {k: v for k, v in text_features(content.text, named).items() if k not in mentioned}
    feats.update({k: float(v) for k, v in people.items()})
    inside = [e for e in analysis.events if content.start <= e.start and e.end <= content.end
              and not _PURPOSE.search(content.text[: e.start - content.start])]
    # A country by name, demonym or capital (not any place in one); read only when an event is there to need it.
    names_country = bool(inside) and bool(countries_in(content.text))
    force = any(asserts_force(e, content.text, names_country) for e in inside)
    if force:
        feats["v:force"] = FORCE_WEIGHT
    else:
        feats["v:other"] = OTHER_WEIGHT
    return feats


def compatible(feats: dict[str, float], claim: dict[str, float]) -> bool:
    """Whether a statement (or a claim) can join ``claim``: both assert that force was used, or
    neither does (a claim does when at least half its statements do)."""
    return _asserts_force(feats) == _asserts_force(claim)


def _asserts_force(feats: dict[str, float]) -> bool:
    force = feats.get("v:force", 0.0) / FORCE_WEIGHT  # the number of statements that assert force
    return force > 0 and force >= feats.get("v:other", 0.0) / OTHER_WEIGHT


def restated(statements: list[Statement]) -> set[int]:
    """The statements (by ``id()``) that sit inside the content of another statement by the same speaker:
    "Austin told reporters there was evidence indicating that X" gives a second statement, "indicating
    that X", credited to Austin too. It is the same assertion, and counting it twice would list one
    sentence twice in the claim and weigh the speaker double."""
    inner: set[int] = set()
    for outer in statements:
        if outer.speaker is None or outer.cue is None:
            continue
        for other in statements:
            if (other is not outer and other.speaker is not None and other.cue is not None
                    and (other.speaker.entity_id or other.speaker.name) == (outer.speaker.entity_id or outer.speaker.name)
                    and outer.content.start <= other.cue.start and other.content.end <= outer.content.end):
                inner.add(id(other))
    return inner


def folds(claims: Iterable[tuple[str, dict[str, float]]]) -> Iterator[tuple[str, str, dict[str, float]]]:
    """For claims in order (id, features): each claim that matches an earlier kept one (cosine at
    least ``THRESHOLD``, the best, the earliest on a tie), as (claim id, kept id, the kept claim's
    features with the claim's added in place); the caller stores each fold before the next is read.

    A merged story holds a thousand claims or more, and comparing each with every kept one cost
    about 460,000 cosines a merge (ingesting 840 PolNeAR texts: 10 merges, a third of the placing time).
    The dot products with all kept claims come at once from an index of their features, and only
    the claims that can reach the threshold are compared exactly, so the folds are the same."""
    index: VectorIndex[int] = VectorIndex()  # the kept claims by position
    ids: list[str] = []
    for claim_id, feats in claims:
        near = index.near(feats, THRESHOLD)
        best, target = 0.0, -1
        for i in sorted(near):
            if near[i] > best and compatible(feats, index.vectors[i]):
                best, target = near[i], i
        if target < 0:
            index.put(len(ids), feats)
            ids.append(claim_id)
            continue
        centroid = index.vectors[target]
        for k, v in feats.items():
            centroid[k] = centroid.get(k, 0.0) + v
        index.put(target, centroid, feats)
        yield claim_id, ids[target], centroid


def claim_id_of(statement_id: str) -> str:
    """A claim's id: that of the statement that founded it, hashed (stable across re-runs)."""
    return "c" + hashlib.sha256(statement_id.encode()).hexdigest()[:15]


@lru_cache(maxsize=8192)
def _stored_features(raw: str) -> dict[str, float]:
    """A claim's features as stored (JSON), decoded once: a story's claims are read again for each
    new document, and most have not changed since. Read only."""
    features: dict[str, float] = json.loads(raw)
    return features


@dataclass
class Linked:
    claim_id: str
    stance: str
    similarity: float


# Stories whose claim index is kept between documents: a stream's next document most often
# joins one of the stories the last few joined.
KEPT_INDEXES = 16


class Claims:
    def __init__(self, db: SQL) -> None:
        self.db = db
        # story → its claims indexed, and each claim's features as stored when indexed
        self._indexes: OrderedDict[str, tuple[VectorIndex[str], dict[str, str]]] = OrderedDict()

    def _index(self, story_id: str, rows: list[tuple[Any, ...]]) -> tuple[VectorIndex[str], dict[str, str]]:
        """The story's claims (``rows``: id, features as stored) in an index kept from the story's
        last document: a claim is indexed again only when its stored features changed (another
        document, a merge, another process). The index may hold claims that are no longer
        candidates; the caller keeps to ``rows``, and notes in the second value what it stores."""
        index, stored = self._indexes.pop(story_id, None) or (VectorIndex(), {})
        for claim_id, raw in rows:
            if stored.get(claim_id) != raw:
                index.put(claim_id, dict(_stored_features(raw)))  # a copy: a centroid grows in place
                stored[claim_id] = raw
        self._indexes[story_id] = (index, stored)
        while len(self._indexes) > KEPT_INDEXES:
            self._indexes.popitem(last=False)
        return index, stored

    def link(self, story_id: str, doc_id: str, day: str | None, analysis: Analysis, identities: dict[str, str],
             original_id: str | None) -> list[Linked]:
        """:meth:`_link`; a failure drops the story's kept index (its centroids may have grown in a
        transaction that is rolled back)."""
        try:
            return self._link(story_id, doc_id, day, analysis, identities, original_id)
        except BaseException:
            self._indexes.pop(story_id, None)
            raise

    def _link(self, story_id: str, doc_id: str, day: str | None, analysis: Analysis, identities: dict[str, str],
              original_id: str | None) -> list[Linked]:
        """Link a new document's attributed statements to the story's claims (new claims as needed).

        Only claims made within ``WINDOW_DAYS`` of the document are candidates, so a story that
        runs for years costs each new document what its recent claims cost, not its whole past.
        """
        sql, params = "SELECT id, features FROM claims WHERE story_id = {p}", [story_id]
        if day:
            d = date.fromisoformat(day)
            sql += " AND (last_date IS NULL OR last_date >= {p})"
            params.append(date.fromordinal(d.toordinal() - WINDOW_DAYS).isoformat())
        sql += f" ORDER BY statements DESC LIMIT {MAX_CANDIDATES}"
        # A statement is compared exactly only with the claims it could join (a few of up to 500).
        rows = self.db.rows(sql, params)
        index, stored = self._index(story_id, rows)
        candidates = {claim_id for claim_id, _ in rows}
        claims = index.vectors
        linked: list[Linked] = []
        joined: dict[str, int] = {}  # the claims statements joined, in order: how many joined each
        founded: set[str] = set()  # the claims this document founded
        nested = restated(analysis.statements)
        for statement in analysis.statements:
            if statement.speaker is None or statement.cue is None or id(statement) in nested or not can_claim(statement, analysis):
                continue
            feats = features(statement, analysis, identities)
            words = sum(1 for k in feats if not k.startswith(("c:", "v:")))
            if words < MIN_FEATURES or sum(1 for k in feats if not k.startswith("v:")) < MIN_FEATURES + 1:
                continue
            own = norm(feats)
            best = max(((score, cid) for cid, score in index.near(feats, THRESHOLD, own).items()
                        if cid in candidates and compatible(feats, claims[cid])), default=(0.0, ""))
            stance = default_stance(statement)
            statement_id = statement.id(doc_id)
            said = statement.date[:10] if statement.date and len(statement.date) >= 10 else day
            if best[0] >= THRESHOLD:
                score, claim_id = best
                centroid = claims[claim_id]
                for k, v in feats.items():
                    centroid[k] = centroid.get(k, 0.0) + v
                index.put(claim_id, centroid, feats)
            else:
                score, claim_id = 0.5, claim_id_of(statement_id)
                index.put(claim_id, dict(feats))
                stored[claim_id] = json.dumps(feats)
                candidates.add(claim_id)
                founded.add(claim_id)
                # Inserted as refreshed with this one statement (see below): one statement, its date,
                # not contested, its text as the canonical one.
                self.db.execute(
                    "INSERT INTO claims (id, story_id, text, statement_id, features, first_date, last_date, contested, statements) "
                    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, 0, 1)",
                    [claim_id, story_id, claim_text(statement.content.text, statement.text, statement.cue_class), statement_id,
                     stored[claim_id], said, said],
                )
            independent = self._independent(claim_id, doc_id, original_id)
            self.db.execute(
                "INSERT INTO claim_statements (statement_id, claim_id, doc_id, stance, similarity, independent, date) "
                "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}) ON CONFLICT (statement_id) DO UPDATE SET "
                "claim_id = excluded.claim_id, doc_id = excluded.doc_id, stance = excluded.stance, "
                "similarity = excluded.similarity, independent = excluded.independent, date = excluded.date",
                [statement_id, claim_id, doc_id, stance, round(score, 4), int(independent), said],
            )
            joined[claim_id] = joined.get(claim_id, 0) + 1
            linked.append(Linked(claim_id, stance, score))
        # Once a claim, after all the document's statements: its grown features stored, then the
        # refresh (nothing above reads what either writes, and a document often states one claim in
        # several sentences). A claim this document founded with one statement was inserted as both
        # would leave it (a new claim has no other statement: claim_statements refers to a claim
        # that exists), so it is left as it is.
        for claim_id, n in joined.items():
            if claim_id in founded and n == 1:
                continue
            stored[claim_id] = json.dumps(claims[claim_id])
            self.db.execute("UPDATE claims SET features = {p} WHERE id = {p}", [stored[claim_id], claim_id])
            self._refresh(claim_id, claims[claim_id])
        return linked

    def unlink(self, doc_id: str, analysis: Analysis, identities: dict[str, str]) -> None:
        """Take a document's statements out of their claims, before it moves to another story
        (``Stories.refine``): a claim left empty goes, the others lose its statements' features and
        are refreshed. A claim keeps the id of a statement in it: one named after a leaving statement
        takes that of one that stays (the leaving statement may found a claim of that id again)."""
        joined = dict(self.db.rows("SELECT statement_id, claim_id FROM claim_statements WHERE doc_id = {p}", [doc_id]))
        if not joined:
            return
        self.db.execute("DELETE FROM claim_statements WHERE doc_id = {p}", [doc_id])
        leaving: dict[str, dict[str, float]] = {}
        for statement in analysis.statements:
            claim_id = joined.get(statement.id(doc_id))
            if claim_id is not None:
                own = leaving.setdefault(claim_id, {})
                for k, v in features(statement, analysis, identities).items():
                    own[k] = own.get(k, 0.0) + v
        named = {claim_id_of(s) for s in joined}
        for claim_id in dict.fromkeys(joined.values()):
            row = self.db.one("SELECT features FROM claims WHERE id = {p}", [claim_id])
            rest = self.db.one("SELECT min(statement_id) FROM claim_statements WHERE claim_id = {p}", [claim_id])
            if row is None or rest is None or rest[0] is None:
                self.db.execute("DELETE FROM claims WHERE id = {p}", [claim_id])
                continue
            centroid = {k: v - leaving.get(claim_id, {}).get(k, 0.0) for k, v in json.loads(row[0]).items()}
            centroid = {k: v for k, v in centroid.items() if v > 1e-9}
            self.db.execute("UPDATE claims SET features = {p} WHERE id = {p}", [json.dumps(centroid), claim_id])
            if claim_id in named:  # a new row, the statements moved to it, the old row gone: its id is a foreign key
                renamed = claim_id_of(rest[0])
                self.db.execute(
                    "INSERT INTO claims (id, story_id, text, statement_id, features, first_date, last_date, contested, "
                    "statements) SELECT {p}, story_id, text, statement_id, features, first_date, last_date, contested, "
                    "statements FROM claims WHERE id = {p}", [renamed, claim_id])
                self.db.execute("UPDATE claim_statements SET claim_id = {p} WHERE claim_id = {p}", [renamed, claim_id])
                self.db.execute("DELETE FROM claims WHERE id = {p}", [claim_id])
                claim_id = renamed
            self._refresh(claim_id, centroid)

    def merge_claims(self, story_id: str) -> None:
        """After two stories merged: fold each claim into an older one of the story it matches."""
        rows = self.db.rows(
            "SELECT id, features FROM claims WHERE story_id = {p} ORDER BY statements DESC, first_date NULLS FIRST, id",
            [story_id],
        )
        grown: dict[str, dict[str, float]] = {}  # each claim that others folded into: its features
        for claim_id, target, centroid in folds((claim_id, json.loads(raw)) for claim_id, raw in rows):
            self.db.execute("UPDATE claims SET features = {p} WHERE id = {p}", [json.dumps(centroid), target])
            self.db.execute("UPDATE claim_statements SET claim_id = {p} WHERE claim_id = {p}", [target, claim_id])
            self.db.execute("DELETE FROM claims WHERE id = {p}", [claim_id])
            grown[target] = centroid
        for target, centroid in grown.items():  # once a claim, when all have folded (as in link)
            self._refresh(target, centroid)

    def _independent(self, claim_id: str, doc_id: str, original_id: str | None) -> bool:
        """A copy of a document already in the claim is not a new source."""
        if original_id is None:
            return True
        row = self.db.one(
            "SELECT 1 FROM claim_statements cs LEFT JOIN copies c ON c.doc_id = cs.doc_id "
            "WHERE cs.claim_id = {p} AND (cs.doc_id = {p} OR c.original_id = {p}) LIMIT 1",
            [claim_id, original_id, original_id],
        )
        return row is None

    def _refresh(self, claim_id: str, centroid: dict[str, float]) -> None:
        """Dates, count, contested flag and canonical text after a statement joined (``centroid``:
        the claim's features as just stored)."""
        # Contested: an independent affirmation and an independent denial that are not one span of
        # text. "The commissioner says an internal review shows no one released the filings" gives
        # two statements, the outer read as affirming, the inner ("no one …") as denying: one
        # sentence, not two sources at odds. Overlapping statements of one document do not count.
        docs = {stance: (n, first) for stance, n, first in self.db.rows(
            "SELECT stance, count(DISTINCT doc_id), min(doc_id) FROM claim_statements "
            "WHERE claim_id = {p} AND independent = 1 AND stance IN ('affirm', 'deny') GROUP BY stance", [claim_id])}
        if len(docs) < 2:
            contested = False
        elif docs["affirm"] != (1, docs["deny"][1]) or docs["deny"][0] != 1:
            contested = True  # an affirmation and a denial in different documents
        else:  # all in one document: do any two of them lie apart?
            spans = self.db.rows(
                "SELECT cs.stance, s.start, s.\"end\" FROM claim_statements cs JOIN documents d ON d.id = cs.doc_id "
                "JOIN statements s ON s.{rows_key} = d.{documents_key} AND s.id = cs.statement_id "
                "WHERE cs.claim_id = {p} AND cs.independent = 1 AND cs.stance IN ('affirm', 'deny')",
                [claim_id],
            )
            denials = [(a, b) for stance, a, b in spans if stance == "deny"]
            contested = any(end <= a or b <= start for stance, start, end in spans if stance == "affirm" for a, b in denials)
        self.db.execute(
            "UPDATE claims SET statements = (SELECT count(*) FROM claim_statements WHERE claim_id = {p}), "
            "first_date = (SELECT min(date) FROM claim_statements WHERE claim_id = {p}), "
            "last_date = (SELECT max(date) FROM claim_statements WHERE claim_id = {p}), contested = {p} WHERE id = {p}",
            [claim_id, claim_id, claim_id, int(contested), claim_id],
        )
        # The canonical text: the affirming statement whose words and countries fit the claim best,
        # the shortest on a tie (headlines state a claim most plainly); one that opens with a pronoun
        # only when no other affirms it, and before it one that hedges or denies it.
        # The 50 are chosen before the statements' texts are joined: a statement is found by its
        # document and then its id, a walk through the document's statements, done for 50 rows
        # instead of each of a large claim's hundreds.
        rows = self.db.rows(
            "SELECT s.id, s.content_text, s.text, s.cue_class, cs.stance FROM (SELECT statement_id, doc_id, stance, "
            "similarity FROM claim_statements WHERE claim_id = {p} ORDER BY stance = 'affirm' DESC, similarity DESC "
            "LIMIT 50) cs JOIN documents d ON d.id = cs.doc_id JOIN statements s ON s.{rows_key} = d.{documents_key} "
            "AND s.id = cs.statement_id ORDER BY cs.stance = 'affirm' DESC, cs.similarity DESC",
            [claim_id],
        )
        texts = {r[0]: claim_text(r[1], r[2], r[3]) for r in rows}
        affirming = [r for r in rows if r[4] == "affirm" and self_contained(texts[r[0]])]
        affirming = affirming or [r for r in rows if self_contained(texts[r[0]])] or rows
        if affirming:
            size = norm(centroid)
            best = max(affirming, key=lambda r: (round(cosine(_content_features(r[1]), centroid, None, size), 3), -len(texts[r[0]])))
            self.db.execute("UPDATE claims SET statement_id = {p}, text = {p} WHERE id = {p}", [best[0], texts[best[0]], claim_id])
