"""``storyline_events``: who did what to what, where and when.

Triggers come from ``event_types.json`` (verbs, nouns, verbs that need a
particular object, and sightings of troops); arguments from the parse:

- actor: the subject (or "by" agent) of the trigger verb; for a noun, its
  possessor or nationality adjective, or the subject of the clause it sits in
  ("Ukrainian forces staged an incursion", "Putin responded during a press
  conference"); named by its canonical entity;
- object: the direct object's noun phrase;
- place: a place inside the trigger's phrase ("at a press conference in
  Rome"), or the place a "where" clause hangs on ("Kursk is the area where …");
- date: see :mod:`storyline.analyze.dating`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.attrs import POS
from spacy.language import Language
from spacy.symbols import NOUN, PROPN, VERB
from spacy.tokens import Doc, Token

from storyline.analyze.dating import DateResolver
from storyline.analyze.knowledge.countries import countries
from storyline.model import Entity, Event

_LOCATIVE = {"in", "at", "near", "inside", "outside", "across", "into", "to", "on", "over", "around", "within"}
# Verbs whose subject is the actor of the event noun they take ("staged an incursion"),
# as written: the lemmatizer gets some wrong ("staged" → "stag").
_LIGHT_VERBS = {
    "stage", "stages", "staged", "staging", "launch", "launches", "launched", "launching", "conduct", "conducts",
    "conducted", "conducting", "carry", "carries", "carried", "carrying", "hold", "holds", "held", "holding",
    "mount", "mounts", "mounted", "mounting", "begin", "begins", "began", "begun", "beginning", "start", "starts",
    "started", "starting", "give", "gives", "gave", "given", "giving", "host", "hosts", "hosted", "hosting",
    "make", "makes", "made", "making", "continue", "continues", "continued", "continuing", "escalate",
    "escalates", "escalated", "escalating", "order", "orders", "ordered", "ordering", "lead", "leads", "led",
    "leading",
}
_PARTICLES = {"up", "out", "back", "off", "down", "away"}
# Prepositions that put the clause's subject at the event ("spoke at a press conference").
_PARTICIPATION = {"at", "during", "in"}
_PLACE_TYPES = {"GPE", "LOC", "FAC"}
_ACTOR_PRIORITY = {"PERSON": 0, "ORG": 1, "GPE": 2, "NORP": 2, "LOC": 3, "FAC": 3}


@dataclass
class Lexicon:
    verbs: dict[str, str] = field(default_factory=dict)  # lemma → type ("blow up" for verb + particle)
    nouns: dict[str, str] = field(default_factory=dict)  # "press conference" → type
    with_object: dict[str, list[tuple[str, set[str]]]] = field(default_factory=dict)
    sightings: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    of_is_actor: set[str] = field(default_factory=set)  # types where "X of Y" names the actor Y
    classes: dict[str, str] = field(default_factory=dict)  # type → what a claim asserts happened: "force"
    needs_armed: set[str] = field(default_factory=set)  # types whose trigger is often figurative ("fight poverty")
    armed_words: frozenset[str] = frozenset()  # words that name armed people or weapons


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = json.loads(resources.files("storyline.analyze").joinpath("event_types.json").read_text("utf-8"))
    data.pop("about")
    lex = Lexicon(armed_words=frozenset(data.pop("armed_words")))
    for type_, entry in data.items():
        objects = {o.lower() for o in entry.get("objects", [])}
        for verb in entry.get("verbs", []):
            lex.verbs[verb] = type_
        for noun in entry.get("nouns", []):
            lex.nouns[noun] = type_
        for verb in entry.get("verbs_with_object", []):
            lex.with_object.setdefault(verb, []).append((type_, objects))
        if entry.get("of_is_actor"):
            lex.of_is_actor.add(type_)
        if entry.get("class"):
            lex.classes[type_] = entry["class"]
        if entry.get("needs_armed"):
            lex.needs_armed.add(type_)
        for verb in entry.get("sighting_verbs", []):
            lex.sightings[verb] = (type_, objects)
    return lex


_WORD = re.compile(r"[a-z]+")


def asserts_force(event: Event, context: str, names_country: bool = False) -> bool:
    """Whether an event is a use of armed force (fighting, attacks, killing), read with the text
    around it: a trigger that is as often figurative ("fight climate change", "attacked her
    record") counts only where that text names armed people, weapons or a country
    (``names_country``: the caller knows), or the event's actor is a country."""
    lex = lexicon()
    if lex.classes.get(event.type) != "force":
        return False
    if event.type not in lex.needs_armed or names_country:
        return True
    if not lex.armed_words.isdisjoint(_WORD.findall(context.lower())):
        return True
    return bool(event.actor) and countries().lookup(event.actor) is not None


class _Entities:
    """Token → canonical entity, from ``doc.ents`` and ``doc._.entities``."""

    def __init__(self, doc: Doc) -> None:
        by_id = {e.id: e for e in (doc._.entities or [])}
        self.of_token: dict[int, tuple[Entity | None, str]] = {}
        for span in doc.ents:
            entity = by_id.get(span._.entity_id)
            for token in span:
                self.of_token[token.i] = (entity, span.label_)

    def best_in(self, tokens: list[Token], types: set[str] | None = None) -> Entity | None:
        found = []
        for position, token in enumerate(tokens):
            entity, label = self.of_token.get(token.i, (None, ""))
            if entity is not None and (types is None or entity.type in types):
                found.append((_ACTOR_PRIORITY.get(entity.type, 9), position, entity))
        return min(found, key=lambda f: (f[0], f[1]))[2] if found else None

    def at(self, token: Token) -> Entity | None:
        return self.of_token.get(token.i, (None, ""))[0]


def _noun_phrase(token: Token) -> str:
    """The noun phrase of ``token`` without determiners and clauses."""
    skip = set()
    for child in token.children:
        # Clauses, determiners, and modifiers that drag in quotes or adverbs
        # ("'highly likely' North Korean soldiers") are not part of the name of the thing.
        if child.dep_ in {"relcl", "acl", "appos", "punct", "cc", "conj", "prep", "det", "advmod"} or any(
            t.is_quote or t.dep_ == "advmod" for t in child.subtree
        ):
            skip.update(t.i for t in child.subtree)
    tokens = [t for t in token.subtree if t.i not in skip]
    return token.doc[tokens[0].i : tokens[-1].i + 1].text if tokens else token.text


@lru_cache(maxsize=1)
def _trigger_words() -> tuple[frozenset[str], frozenset[str]]:
    """The lemmas a verb must have, and the words (form or lemma) a noun must have, to
    trigger anything in :func:`_trigger`: each lexicon key, and the words before (verbs:
    "blow" of "blow up") or after (nouns: "conference" of "press conference") a space in it.
    Made once, as the lexicon is."""
    lex = lexicon()
    verbs = set(lex.verbs) | set(lex.with_object) | set(lex.sightings)
    verbs.update(key[:i] for key in lex.verbs for i, ch in enumerate(key) if ch == " ")
    nouns = set(lex.nouns)
    nouns.update(key[i + 1 :] for key in lex.nouns for i, ch in enumerate(key) if ch == " ")
    return frozenset(verbs), frozenset(nouns)


def _may_trigger(token: Token, verbs: frozenset[str], nouns: frozenset[str]) -> bool:
    """False when :func:`_trigger` surely finds nothing at ``token`` (a verb or noun
    whose words no trigger holds), without reading its children."""
    if token.pos == VERB:
        return token.lemma_.lower() in verbs
    return token.lower_ in nouns or token.lemma_.lower() in nouns


def _trigger(token: Token, lex: Lexicon) -> tuple[str, int, int] | None:
    """(type, start token, end token) when ``token`` triggers an event."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        # The small parser often tags the particle as a preposition ("pulled out of").
        particle = next(
            (c.lower_ for c in token.children if c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ in _PARTICLES and c.i == token.i + 1)),
            None,
        )
        if particle and f"{lemma} {particle}" in lex.verbs:
            return lex.verbs[f"{lemma} {particle}"], token.i, token.i + 1
        if lemma in lex.verbs:
            return lex.verbs[lemma], token.i, token.i + 1
        for type_, objects in lex.with_object.get(lemma, []):
            if any(c.dep_ in {"dobj", "nsubjpass"} and (c.lemma_.lower() in objects or c.lower_ in objects) for c in token.children):
                return type_, token.i, token.i + 1
        if lemma in lex.sightings and token.tag_ == "VBN":
            type_, units = lex.sightings[lemma]
            subject = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
            if subject is not None and any(t.lower_ in units for t in subject.subtree):
                start = token.i - 1 if token.i > 0 and token.doc[token.i - 1].lower_ in {"first", "last"} else token.i
                return type_, start, token.i + 1
    elif token.pos_ in {"NOUN", "PROPN"}:
        compound = [c for c in token.children if c.dep_ == "compound" and c.i == token.i - 1]
        if compound:
            phrase = f"{compound[0].lower_} {token.lemma_.lower()}"
            if phrase in lex.nouns:
                return lex.nouns[phrase], compound[0].i, token.i + 1
            phrase = f"{compound[0].lower_} {token.lower_}"
            if phrase in lex.nouns:
                return lex.nouns[phrase], compound[0].i, token.i + 1
        for form in (token.lower_, token.lemma_.lower()):
            if form in lex.nouns and " " not in form:
                return lex.nouns[form], token.i, token.i + 1
    return None


def _clause_verb(token: Token) -> Token | None:
    """The verb whose subject takes part in a noun event: "staged" in "staged an
    incursion", "spoke" in "spoke at a press conference"; None for "addressed the
    deployment" (talking about an event is not taking part in it)."""
    if token.dep_ == "dobj" and token.head.lower_ in _LIGHT_VERBS:
        return token.head
    if token.dep_ == "pobj" and token.head.lower_ in _PARTICIPATION and token.head.head.pos_ in {"VERB", "AUX"}:
        return token.head.head
    return None


def _can_act(entity: Entity | None) -> bool:
    """People, organisations, nations and states act; towns and regions, resolved as such, do not."""
    if entity is None:
        return False
    return entity.type in {"PERSON", "ORG", "NORP"} or entity.admin_level in (0, None) and entity.lat is None or entity.admin_level == 0


def _actor(trigger: Token, entities: _Entities, of_is_actor: bool) -> Entity | None:
    actor = _actor_candidate(trigger, entities, of_is_actor)
    return actor if _can_act(actor) else None


def _actor_candidate(trigger: Token, entities: _Entities, of_is_actor: bool) -> Entity | None:
    def subject_of(verb: Token) -> list[Token] | None:
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:
            return list(agent.subtree)
        # The subject of a passive is what the event happened to ("soldiers were
        # killed"), except for deployments, where troops are their army's.
        deps = {"nsubj", "nsubjpass"} if of_is_actor else {"nsubj"}
        subject = next((c for c in verb.children if c.dep_ in deps), None)
        if subject is None and verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"}:
            subject = verb.head
            return [subject]
        return list(subject.subtree) if subject is not None else None

    if trigger.pos_ == "VERB":
        tokens = subject_of(trigger)
        if tokens:
            return entities.best_in(tokens)
        if trigger.dep_ in {"amod", "acl"} and of_is_actor:
            # "the first deployed North Korean troops": whose troops they are.
            return entities.best_in(list(trigger.head.subtree), {"GPE", "NORP"})
        return None
    # Noun: possessor / nationality first, then the clause's subject.
    own = [c for c in trigger.children if c.dep_ in {"poss", "amod", "compound", "nmod"}]
    for child in own:
        entity = entities.best_in(list(child.subtree))
        if entity is not None:
            return entity
    for prep in (c for c in trigger.children if c.dep_ == "prep"):
        # "by X"; and for deployments "of North Korean troops" names who deploys.
        if prep.lower_ == "by" or (prep.lower_ == "of" and of_is_actor):
            entity = entities.best_in(list(prep.subtree), None if prep.lower_ == "by" else {"GPE", "NORP", "ORG"})
            if entity is not None:
                return entity
    verb = _clause_verb(trigger)
    if verb is not None:
        tokens = subject_of(verb)
        if tokens:
            return entities.best_in(tokens)
    return None


def _place(trigger: Token, start: int, end: int, actor_tokens: set[int], entities: _Entities) -> Entity | None:
    doc = trigger.doc
    # Locative phrases inside the trigger's phrase, and of its clause verb for nouns.
    heads = [trigger]
    if trigger.pos_ != "VERB" and (verb := _clause_verb(trigger)) is not None and trigger.dep_ == "dobj":
        heads.append(verb)
    for head in heads:
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in _LOCATIVE | {"following", "after", "during"}):
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            # The phrase's own head first ("in Russia's Kursk Oblast" is Kursk Oblast).
            entity = entities.at(objects[0]) if objects else None
            if entity is None or entity.type not in _PLACE_TYPES:
                entity = entities.best_in([t for t in prep.subtree if t.i not in actor_tokens], _PLACE_TYPES)
            if entity is not None:
                return entity
    # "Kursk is the area where Ukrainian forces staged …"
    clause = trigger if trigger.pos_ == "VERB" else _clause_verb(trigger)
    while clause is not None and clause.dep_ == "conj":
        clause = clause.head
    if clause is not None and clause.dep_ == "relcl" and any(c.lower_ == "where" for c in clause.children):
        antecedent = clause.head
        entity = entities.at(antecedent)
        if entity is not None and entity.type in _PLACE_TYPES:
            return entity
        if antecedent.dep_ == "attr":
            subject = next((c for c in antecedent.head.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                entity = entities.at(subject)
                if entity is not None and entity.type in _PLACE_TYPES:
                    return entity
    return None


@Language.factory("storyline_events", assigns=["doc._.events"], requires=["doc._.entities", "doc._.times", "token.dep"])
def make_events(nlp: Language, name: str) -> "EventFinder":
    return EventFinder()


class EventFinder:
    def __call__(self, doc: Doc) -> Doc:
        lex = lexicon()
        entities = _Entities(doc)
        dates = DateResolver(doc)
        events: list[Event] = []
        verbs, nouns = _trigger_words()
        # Only verbs and nouns trigger, and only with lexicon words: the rest is skipped
        # without making their Token objects.
        pos = doc.to_array([POS]).reshape(-1).tolist() if len(doc) else []
        for i, p in enumerate(pos):
            if p != VERB and p != NOUN and p != PROPN:
                continue
            token = doc[i]
            if not _may_trigger(token, verbs, nouns):
                continue
            found = _trigger(token, lex)
            if found is None:
                continue
            type_, start, end = found
            actor = _actor(token, entities, type_ in lex.of_is_actor)
            actor_tokens = {i for i, (e, _) in entities.of_token.items() if actor is not None and e is actor}
            place = _place(token, start, end, actor_tokens, entities)
            obj = None
            if token.pos_ == "VERB":
                direct = next((c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}), None)
                obj = _noun_phrase(direct) if direct is not None else None
            else:
                of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                target = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
                obj = _noun_phrase(target) if target is not None else None
            date, source = self._date(token, dates)
            span = doc[start:end]
            events.append(
                Event(
                    start=span.start_char, end=span.end_char, text=span.text, type=type_,
                    actor=actor.canonical if actor else None, actor_entity_id=actor.id if actor else None,
                    object=obj, place=place.canonical if place else None, place_entity_id=place.id if place else None,
                    date=date, date_source=source,
                )
            )
        doc._.events = _merged(events)
        return doc

    @staticmethod
    def _date(trigger: Token, dates: DateResolver) -> tuple[str | None, str | None]:
        if trigger.pos_ == "VERB":
            return dates.date(trigger, at_least_published=False)
        # A noun event happened when its own phrase says, or when the clause it
        # takes part in happened; "addressed the deployment on Thursday" dates
        # the addressing, not the deployment.
        verb = _clause_verb(trigger)
        if verb is not None:
            return dates.date(verb, at_least_published=False)
        value = dates.within(trigger)
        return (value, "explicit") if value else (None, None)


def _merged(events: list[Event]) -> list[Event]:
    """One event per (type, actor, place, date) in a document: the first mention, with the arguments of all."""
    kept: dict[tuple[str, str | None, str | None, str | None], Event] = {}
    for event in events:
        key = (event.type, event.actor, event.place, event.date)
        first = kept.setdefault(key, event)
        if first is not event and first.object is None:
            first.object = event.object
    return list(kept.values())
