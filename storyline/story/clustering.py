"""Stories: documents grouped incrementally, as they arrive.

A new document is compared with the stories it could belong to, not with the
whole store (after Miranda et al. 2018, "Multilingual Clustering of Streaming
News"): its TF-IDF vector (the IDF from word frequencies in English at large,
so weights do not depend on the store or the order documents came in) and
its identities (people, organisations, places, countries) against each
story's centroid, with a penalty for time, and its event slots (the month its
lead dates the event in, the numbers it gives: ``story/slots.py``) against
those of the story's members. Candidate stories come from an
inverted index over the centroids' strongest features, among stories active
within ``WINDOW_DAYS`` of the document. The best candidate above
``THRESHOLD`` takes the document; otherwise it starts a story. Once a batch is
in, a story of one undated document it started gets a second look
(:meth:`Stories.second_look`). A large story is no candidate for a document
that resembles it only by place names (``PLACE_FLOOR``). A story keeps the id
it was created with. (``REFINE``, off: a research switch that places a batch's
undated documents again, :meth:`Stories.refine`.)
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache

from wordfreq import zipf_frequency

from storyline.model import Analysis, Document
from storyline.store.sql import SQL, marks
from storyline.story.identities import country_of
from storyline.story.slots import figure_evidence, month_evidence, slots
from storyline.story.text import cosine, norm, normalised, terms

THRESHOLD = 0.28  # combined similarity a document needs to join a story
NAME_WEIGHT = 0.2  # share of identities (against words) in the similarity
WINDOW_DAYS = 30  # stories whose dates lie further than this from the document are not candidates
DECAY_DAYS = 14.0  # similarity halves at this distance outside a story's dates
TOP_TERMS = 150  # terms kept per document vector
CENTROID_SIZE = 400  # features kept per story centroid
INDEX_SIZE = 60  # of which the strongest are indexed for candidate search
CANDIDATES = 12
MERGE_THRESHOLD = 0.7  # centroid similarity at which two stories a document bridges become one
MONTH_WEIGHT = 0.1  # added × the agreement (−1 … 1) of the months an undated document's lead names
FIGURE_WEIGHT = 0.1  # added × the agreement (−1 … 1) of the values of the nouns it counts
SLOT_SIZE = 200  # slot counts kept per story centroid (never indexed)
SECOND_LOOK = True  # once a batch is in, a story of one undated document it started may join one that grew
# Research switch, off (docs/stories.md, "Ninth round": a small gain on the tuning half, none on the
# other). Once a batch is in, each undated document it placed is placed again, its own story scored
# without it: it moves when another story beats that by REFINE_MARGIN, or (REFINE_ALONE) to a story of
# its own when no story, its own included, reaches THRESHOLD.
REFINE = False
REFINE_MARGIN = 0.05
REFINE_PASSES = 3  # at most, over the batch's undated documents; stops earlier when nothing moved
REFINE_ALONE = True  # a document no story fits any more (its own without it included) leaves for a story of its own
# Research switch (docs/stories.md, "Eighth round b"): weigh each word by how distinctive it is among
# the stories it could go to, log(1 + A / stories holding it among their indexed features), so the
# words every active story shares ("north", "korea") count less. "" off, "candidates" (the ≤ 12
# candidates), "window" (every story active within WINDOW_DAYS).
STORY_IDF = ""
STORY_IDF_NAMES = False  # weigh the names too
STORY_IDF_FLOOR = 0.0  # share of the top weight a feature every story holds keeps at least
# A large story's centroid is led by its places ("north", "korea", North Korea), which any short item
# from its region shares: a story of PLACE_MIN_DOCS documents or more is no candidate for a document
# when what they share besides places (the words of place names and the place identities that the
# document or the story's documents used, left out of both sides) resembles less than PLACE_FLOOR
# (docs/stories.md, "Later reports: where, not what"). PLACE_FLOOR 0 turns it off.
PLACE_FLOOR = 0.05
PLACE_MIN_DOCS = 10
PLACE_TYPES = frozenset({"GPE", "LOC"})  # entity types whose words and identities are places (NORP: when a demonym)


@dataclass
class Profile:
    doc_id: str
    day: str | None
    title: str | None
    words: dict[str, float]
    names: dict[str, float]
    slots: dict[str, float] = field(default_factory=dict)  # story/slots.py: month and figure slots
    places: frozenset[str] = frozenset()  # its features ("t:word", "e:identity") that name places

    def features(self) -> dict[str, float]:
        return {**{f"t:{k}": v for k, v in self.words.items()}, **{f"e:{k}": v for k, v in self.names.items()}}


Centroid = tuple[dict[str, float], dict[str, float], dict[str, float]]  # (words, names, slot counts)


def split(features: dict[str, float]) -> Centroid:
    words: dict[str, float] = {}
    names: dict[str, float] = {}
    counts: dict[str, float] = {}
    for key, value in features.items():
        if key[:2] == "t:":
            words[key[2:]] = value
        elif key[:2] == "e:":
            names[key[2:]] = value
        elif key[:2] != "p:":  # p: marks a feature as a place name (Stories.places)
            counts[key] = value
    return words, names, counts


def story_id_of(key: str) -> str:
    """A story's id: that of the document that founded it, hashed (stable across re-runs)."""
    return "s" + hashlib.sha256(key.encode()).hexdigest()[:15]


Norms = tuple[float, float]  # of a centroid's (or a profile's) words and names


@lru_cache(maxsize=128)
def _stored(raw: str) -> tuple[Centroid, frozenset[str], Norms]:
    """A centroid as stored (JSON), decoded and split once, with the features it marks as place
    names and its norms: a document changes one story's centroid, and the next document's
    candidates are mostly the same stories. Read only."""
    features = json.loads(raw)
    centroid = split(features)
    return centroid, frozenset(key[2:] for key in features if key[:2] == "p:"), (norm(centroid[0]), norm(centroid[1]))


def resemblance(profile: Profile, centroid: Centroid, norms: Norms | None = None, own: Norms | None = None) -> float:
    """The words' and names' part of :func:`similarity` (``norms``, ``own``: the centroid's and the
    profile's, when known: a document is compared with a dozen stories, each with many documents)."""
    words, names, _ = centroid
    (words_norm, names_norm), (own_words, own_names) = norms or (None, None), own or (None, None)
    name_part = cosine(profile.names, names, own_names, names_norm) if profile.names else 0.0
    weight = NAME_WEIGHT if profile.names and names else 0.0
    return (1 - weight) * cosine(profile.words, words, own_words, words_norm) + weight * name_part


def similarity(profile: Profile, centroid: Centroid, norms: Norms | None = None, own: Norms | None = None) -> float:
    counts = centroid[2]
    score = resemblance(profile, centroid, norms, own)
    if profile.slots and counts and profile.day is None:
        # The slots stand in for a date: the months its lead names place an undated document in
        # time, and its figures tell one event from another of the same kind. A dated document
        # the decay places; its lead's months are those of all the news of its days, and the
        # figures of a developing story change from report to report (1,500 troops, then 3,000,
        # then 10,000), so a new figure is news, not another event.
        score += MONTH_WEIGHT * month_evidence(profile.slots, counts)
        score += FIGURE_WEIGHT * figure_evidence(profile.slots, counts)
    return score


def without(profile: Profile, centroid: Centroid, places: frozenset[str]) -> float:
    """:func:`resemblance` with the features ``places`` ("t:word", "e:identity") left out of both sides."""
    words, names, counts = centroid
    kept = Profile(profile.doc_id, profile.day, profile.title,
                   {k: v for k, v in profile.words.items() if "t:" + k not in places},
                   {k: v for k, v in profile.names.items() if "e:" + k not in places})
    return resemblance(kept, ({k: v for k, v in words.items() if "t:" + k not in places},
                              {k: v for k, v in names.items() if "e:" + k not in places}, counts))


@lru_cache(maxsize=1 << 16)
def rarity(word: str) -> float:
    """Background IDF: how rare a word is in English at large (wordfreq's Zipf scale, 0–8), so
    weights do not depend on what the store holds or the order documents came in."""
    return max(0.5, 8.0 - zipf_frequency(word, "en"))


def _day(document: Document) -> str | None:
    return document.published.date().isoformat() if document.published else None


def _gap(day: str | None, first: str | None, last: str | None) -> float:
    """Days between a date and a story's date range (0 inside it, or when either is unknown)."""
    if not day or not first or not last:
        return 0.0
    d = date.fromisoformat(day)
    lo, hi = date.fromisoformat(first[:10]), date.fromisoformat(last[:10])
    return float(max((lo - d).days, (d - hi).days, 0))


def _window(day: str | None) -> tuple[str, list[object]]:
    """The SQL condition (on story_features f and stories s) and its dates for the stories active within
    WINDOW_DAYS of a day; none for an undated document."""
    if not day:
        return "", []
    d = date.fromisoformat(day).toordinal()
    return (" AND f.last_date >= {p} AND (s.first_date IS NULL OR s.first_date <= {p})",
            [date.fromordinal(d - WINDOW_DAYS).isoformat(), date.fromordinal(d + WINDOW_DAYS).isoformat()])


def opening(document: Document, words: int = 12) -> str | None:
    """The first words of the body, for a story none of whose documents has a title (a plain-text
    file without a headline line): a story listed with no title at all cannot be told from the next."""
    if not document.body:
        return None
    start, end = document.body[0]
    first = document.text[start:end].split()
    return " ".join(first[:words]) + ("…" if len(first) > words else "") if first else None


class Stories:
    def __init__(self, db: SQL) -> None:
        self.db = db
        self.undated: list[Profile] = []  # undated documents this batch placed, in order: refine's (REFINE only)

    def second_look(self, story_id: str) -> str | None:
        """Once the batch is in, a story of one undated document it started joins the story it fits
        best now, when that reaches ``THRESHOLD``; returns that story's id (None: it stays).

        Undated documents are placed in the order they were read (file names), which says nothing
        about when they were written, so one placed early saw only the stories of the documents
        before it: its own story may have grown since (docs/stories.md, "Eighth round"). A dated
        document was placed in publication order, as a stream delivers it, and stays where that
        put it. The story's centroid is its one document's profile; it merges like any two stories
        (the larger keeps its id, the other's stays an alias), and nothing outside the batch moves.
        """
        row = self.db.one("SELECT documents, first_date, title FROM stories WHERE id = {p}", [story_id])
        if not SECOND_LOOK or not row or row[0] != 1 or row[1] is not None:
            return None  # merged or grown since, or dated
        words, names, counts = self.centroid(story_id)
        scored = [(score, other) for score, other in self.scored(Profile(story_id, None, row[2], words, names, counts))
                  if other != story_id]
        if not scored or scored[0][0] < THRESHOLD:
            return None
        survivor = self.merge(scored[0][1], story_id)
        self._retitle(survivor)
        return survivor

    def refine(self, profile: Profile) -> tuple[str, str, str] | None:
        """Take an undated document this batch placed out of its story and place it again against the
        stories as they are now; returns (from, to, how) when it moves, ``how`` "joined" (``to`` took
        it), "merged" (it was its story's one document: the two stories merged) or "alone" (``to`` is a
        new story of its own). None: it stays.

        The batch placed it in the order it was read, seeing only the stories of the documents read
        before it: a wrong first join then decides a topic (docs/stories.md, "Ninth round"). Its own
        story is scored without it (leave one out), so it is not held by its own weight; it moves only
        when another story beats that by ``REFINE_MARGIN``. Only the batch's undated documents move:
        earlier batches and dated documents stay where they were placed, and a story that existed
        before the batch keeps its id (it keeps at least one earlier document).
        """
        row = self.db.one("SELECT sd.story_id, s.documents FROM story_documents sd JOIN stories s "
                          "ON s.id = sd.story_id WHERE sd.doc_id = {p}", [profile.doc_id])
        if not row:
            return None
        current, size = row[0], int(row[1])
        own = similarity(profile, split(self._without(current, profile))) if size > 1 else 0.0
        scored = [(score, other) for score, other in self.scored(profile) if other != current]
        best = scored[0] if scored else None
        choice = best if best is not None and best[0] >= THRESHOLD and best[0] > own + REFINE_MARGIN else None
        if choice is not None:
            score, target = choice
            if size == 1:  # its story is itself: the two merge as any two stories do (the second look)
                survivor = self.merge(target, current)
                self._retitle(survivor)
                return current, survivor, "merged"
            self._take_out(profile, current)
            self._join(profile, target, score)
            return current, target, "joined"
        if REFINE_ALONE and size > 1 and own < THRESHOLD and (best is None or best[0] < THRESHOLD):
            self._take_out(profile, current)
            story_id = story_id_of(profile.doc_id)
            if self.db.one("SELECT 1 FROM stories WHERE id = {p}", [story_id]):  # it founded `current`
                story_id = story_id_of(f"{profile.doc_id}/alone")
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.db.execute(
                "INSERT INTO stories (id, title, first_date, last_date, documents, created_at, updated_at) "
                "VALUES ({p}, {p}, NULL, NULL, 0, {p}, {p})", [story_id, profile.title, now, now])
            self._join(profile, story_id, 1.0)
            return current, story_id, "alone"
        return None

    def _take_out(self, profile: Profile, story_id: str) -> None:
        """An undated document leaves a story of more than one: its weights leave the centroid (those
        the bounded centroid still holds), and the story's dates do not change (it had none)."""
        self.db.execute("UPDATE stories SET documents = documents - 1 WHERE id = {p}", [story_id])
        self._store_centroid(story_id, self._without(story_id, profile))
        self._retitle(story_id)

    def _without(self, story_id: str, profile: Profile) -> dict[str, float]:
        """A story's centroid features without a member's weights (those the bounded centroid holds)."""
        features = self._features(story_id)
        for key, value in {**profile.features(), **profile.slots}.items():
            if key in features:
                features[key] -= value
        return {k: v for k, v in features.items() if v > 1e-9}

    def _join(self, profile: Profile, story_id: str, score: float) -> None:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.db.execute("UPDATE stories SET documents = documents + 1, updated_at = {p} WHERE id = {p}", [now, story_id])
        self.db.execute("UPDATE story_documents SET story_id = {p}, similarity = {p} WHERE doc_id = {p}",
                        [story_id, round(score, 4), profile.doc_id])
        self._add_to_centroid(story_id, profile)
        self._retitle(story_id)

    def profile(self, document: Document, analysis: Analysis, identities: dict[str, str]) -> Profile:
        """The document's TF-IDF words and identity weights; counts it in the document frequencies."""
        counts: Counter[str] = Counter()
        for start, end in document.body:
            counts.update(terms(document.text[start:end]))
        if document.title:  # the headline says what the story is: count it twice
            for term, n in terms(document.title).items():
                counts[term] += 2 * n
        weights = {t: (1 + math.log(n)) * rarity(t) for t, n in counts.items()}
        top = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS])
        names: Counter[str] = Counter()
        places: set[str] = set()
        for entity in analysis.entities:
            if entity.id in identities:
                names[identities[entity.id]] += (1 + math.log(max(1, len(entity.mentions)))) * rarity(entity.canonical)
            if entity.type in PLACE_TYPES or entity.type == "NORP" and country_of(entity.canonical) is not None:
                places |= {f"t:{t}" for m in entity.mentions for t in terms(m.text)}
                places |= {f"t:{t}" for t in terms(entity.canonical)}
                if entity.id in identities:
                    places.add(f"e:{identities[entity.id]}")
        return Profile(document.id, _day(document), document.title or opening(document), normalised(top),
                       normalised(dict(names)), slots(document, analysis), frozenset(places))

    def candidates(self, profile: Profile) -> list[tuple[str, str | None, str | None]]:
        strongest = sorted(profile.words.items(), key=lambda kv: -kv[1])[:20]
        keys = [f"t:{k}" for k, _ in strongest] + [f"e:{k}" for k in profile.names]
        if not keys:
            return []
        window, dates = _window(profile.day)
        rows = self.db.rows(
            f"SELECT s.id, s.first_date, s.last_date, sum(f.weight) AS score FROM story_features f "
            f"JOIN stories s ON s.id = f.story_id WHERE f.feature IN ({marks(len(keys))}){window} "
            f"GROUP BY s.id ORDER BY score DESC LIMIT {CANDIDATES}",
            [*keys, *dates],
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def distinct(self, profile: Profile, centroids: dict[str, Centroid]) -> tuple[Profile, dict[str, Centroid]]:
        """The document and its candidates with each word (and with STORY_IDF_NAMES each name) weighed
        by how few of the stories it could go to hold it among their indexed features: the candidates,
        or (STORY_IDF "window") every story active within WINDOW_DAYS. Both sides are weighed alike."""
        keys = {f"t:{k}" for k in profile.words} | {f"e:{k}" for k in profile.names}
        for words, names, _ in centroids.values():
            keys |= {f"t:{k}" for k in words} | {f"e:{k}" for k in names}
        held: Counter[str] = Counter()
        if STORY_IDF == "window":
            window, dates = _window(profile.day)
            ordered = sorted(keys)
            for i in range(0, len(ordered), 500):  # below SQLite's bound on parameters
                chunk = ordered[i:i + 500]
                held.update(dict(self.db.rows(
                    f"SELECT f.feature, count(*) FROM story_features f JOIN stories s ON s.id = f.story_id "
                    f"WHERE f.feature IN ({marks(len(chunk))}){window} GROUP BY f.feature", [*chunk, *dates])))
            row = self.db.one(f"SELECT count(DISTINCT f.story_id) FROM story_features f JOIN stories s "
                              f"ON s.id = f.story_id WHERE 1 = 1{window}", dates)
            active = max(int(row[0]) if row else 0, len(centroids))
        else:
            for words, names, _ in centroids.values():
                indexed = sorted([(f"t:{k}", v) for k, v in words.items()] + [(f"e:{k}", v) for k, v in names.items()],
                                 key=lambda kv: (-kv[1], kv[0]))[:INDEX_SIZE]
                held.update(k for k, _ in indexed)
            active = len(centroids)
        top = math.log(1 + active)

        def weigh(vector: dict[str, float], kind: str) -> dict[str, float]:
            return {k: v * max(STORY_IDF_FLOOR, math.log(1 + active / max(1, held[kind + k])) / top)
                    for k, v in vector.items()}

        def both(words: dict[str, float], names: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
            return weigh(words, "t:"), (weigh(names, "e:") if STORY_IDF_NAMES else names)

        words, names = both(profile.words, profile.names)
        return (Profile(profile.doc_id, profile.day, profile.title, words, names, profile.slots, profile.places),
                {story_id: (*both(w, n), counts) for story_id, (w, n, counts) in centroids.items()})

    def _features(self, story_id: str) -> dict[str, float]:
        row = self.db.one("SELECT centroid FROM stories WHERE id = {p}", [story_id])
        return json.loads(row[0]) if row and row[0] else {}

    def centroid(self, story_id: str) -> Centroid:
        return split(self._features(story_id))

    def _read(self, story_ids: list[str]) -> list[tuple[str, tuple[Centroid, frozenset[str], Norms], int]]:
        """The stories' centroids, decoded (to read, not to change: they may be shared), with the
        features their documents named places with, and their sizes: one read for both uses."""
        rows = self.db.rows(f"SELECT id, centroid, documents FROM stories WHERE id IN ({marks(len(story_ids))})",
                            story_ids)
        return [(story_id, _stored(raw or "{}"), int(size or 0)) for story_id, raw, size in rows]

    def centroids(self, story_ids: list[str]) -> dict[str, Centroid]:
        """The candidates' centroids, to read (not to change: they may be shared)."""
        return {story_id: centroid for story_id, (centroid, _, _), _ in self._read(story_ids)}

    def _store_centroid(self, story_id: str, features: dict[str, float]) -> None:
        """Keep the centroid bounded, and index its strongest words and names for candidate search
        (slot counts are kept apart: they are counts, not weights, and find no candidates)."""
        ranked = sorted(features.items(), key=lambda kv: (-kv[1], kv[0]))
        kept = dict([kv for kv in ranked if kv[0][:2] in ("t:", "e:")][:CENTROID_SIZE])
        counts = dict([kv for kv in ranked if kv[0][:2] not in ("t:", "e:", "p:")][:SLOT_SIZE])
        # Which kept features a member named a place with (p: + feature: how many members did).
        places = {k: v for k, v in ranked if k[:2] == "p:" and k[2:] in kept}
        self.db.execute("UPDATE stories SET centroid = {p} WHERE id = {p}",
                        [json.dumps({**kept, **counts, **places}), story_id])
        self.db.execute("DELETE FROM story_features WHERE story_id = {p}", [story_id])
        last = self.db.one("SELECT last_date FROM stories WHERE id = {p}", [story_id])
        last_date = (last[0] if last and last[0] else None) or "9999-12-31"
        self.db.executemany(
            "INSERT INTO story_features (story_id, feature, weight, last_date) VALUES ({p}, {p}, {p}, {p})",
            [(story_id, k, v, last_date) for k, v in list(kept.items())[:INDEX_SIZE]],
        )

    def scored(self, profile: Profile) -> list[tuple[float, str]]:
        """The candidate stories by similarity, best first, each halved per ``DECAY_DAYS`` outside its dates."""
        scored: list[tuple[float, str]] = []
        candidates = self.candidates(profile)
        stored = self._read([c[0] for c in candidates]) if candidates else []
        centroids = {story_id: centroid for story_id, (centroid, _, _), _ in stored}
        # The stored centroids' norms; weighed among the stories (STORY_IDF) they are new vectors.
        norms = {story_id: n for story_id, (_, _, n), _ in stored} if not STORY_IDF else {}
        compared, centroids = self.distinct(profile, centroids) if STORY_IDF and candidates else (profile, centroids)
        own = (norm(compared.words), norm(compared.names))
        places = {story_id: marked for story_id, (_, marked, _), size in stored
                  if PLACE_FLOOR and size >= PLACE_MIN_DOCS}
        for story_id, first, last in candidates:
            score = similarity(compared, centroids[story_id], norms.get(story_id), own) * 0.5 ** (
                _gap(profile.day, first, last) / DECAY_DAYS)
            # Every decision takes a story at THRESHOLD or above, so only such a one needs the place test.
            if score >= THRESHOLD and story_id in places and without(
                    compared, centroids[story_id], profile.places | places[story_id]) < PLACE_FLOOR:
                continue  # they share where, not what
            scored.append((score, story_id))
        return sorted(scored, reverse=True)

    def places(self, story_ids: list[str]) -> dict[str, frozenset[str]]:
        """The features each story's documents named places with, for those of ``PLACE_MIN_DOCS``
        documents or more."""
        return {story_id: marked for story_id, (_, marked, _), size in self._read(story_ids) if size >= PLACE_MIN_DOCS}

    def assign(self, profile: Profile) -> tuple[str, float, list[str]]:
        """Put the document in its story (an existing one or a new one).

        Returns the story id, the similarity, and the ids of stories merged into
        it because the document showed them to be one story.
        """
        scored = self.scored(profile)
        best = scored[0] if scored else None
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        if best is not None and best[0] >= THRESHOLD:
            score, story_id = best
            self.db.execute(
                "UPDATE stories SET documents = documents + 1, updated_at = {p}, "
                "first_date = CASE WHEN {p} < COALESCE(first_date, '9999') THEN {p} ELSE first_date END, "
                "last_date = CASE WHEN {p} > COALESCE(last_date, '') THEN {p} ELSE last_date END WHERE id = {p}",
                [now, profile.day, profile.day, profile.day, profile.day, story_id],
            )
        else:
            score, story_id = 1.0, story_id_of(profile.doc_id)
            self.db.execute(
                "INSERT INTO stories (id, title, first_date, last_date, documents, created_at, updated_at) "
                "VALUES ({p}, {p}, {p}, {p}, 1, {p}, {p})",
                [story_id, profile.title, profile.day, profile.day, now, now],
            )
            # second_look's candidates, kept in the store: an interrupted batch leaves them to the next.
            self.db.execute("INSERT INTO story_founded (story_id) VALUES ({p}) ON CONFLICT (story_id) DO NOTHING",
                            [story_id])
        if REFINE and profile.day is None:
            self.undated.append(profile)
        self.db.execute(
            "INSERT INTO story_documents (doc_id, story_id, similarity, date) VALUES ({p}, {p}, {p}, {p}) "
            "ON CONFLICT (doc_id) DO UPDATE SET story_id = excluded.story_id, similarity = excluded.similarity, "
            "date = excluded.date",
            [profile.doc_id, story_id, round(score, 4), profile.day],
        )
        self._add_to_centroid(story_id, profile)
        merged: list[str] = []
        for other_score, other in scored[1:]:
            # A document that fits two stories may show them to be one: merge when their centroids agree.
            if other_score >= THRESHOLD and self.story_similarity(other, story_id) >= MERGE_THRESHOLD:
                survivor = self.merge(story_id, other)
                merged.append(other if survivor == story_id else story_id)
                story_id = survivor
        self._retitle(story_id)
        return story_id, score, merged

    def story_similarity(self, a: str, b: str) -> float:
        (words, names, _), cb = self.centroid(a), self.centroid(b)
        return similarity(Profile(a, None, None, normalised(words), normalised(names)), cb)

    def merge(self, a: str, b: str) -> str:
        """Merge the smaller of two stories into the larger (the older on a tie); the survivor's id."""
        rows = {
            r[0]: (r[1], r[2]) for r in self.db.rows(
                "SELECT id, documents, created_at FROM stories WHERE id IN ({p}, {p})", [a, b]
            )
        }
        keep, drop = sorted((a, b), key=lambda s: (-rows[s][0], rows[s][1], s))
        features = self._features(keep)
        for key, value in self._features(drop).items():
            features[key] = features.get(key, 0.0) + value
        self.db.execute("DELETE FROM story_features WHERE story_id = {p}", [drop])
        self.db.execute("UPDATE story_documents SET story_id = {p} WHERE story_id = {p}", [keep, drop])
        self.db.execute("UPDATE claims SET story_id = {p} WHERE story_id = {p}", [keep, drop])
        self.db.execute(
            "UPDATE stories SET documents = (SELECT count(*) FROM story_documents WHERE story_id = {p}), "
            "first_date = (SELECT min(date) FROM story_documents WHERE story_id = {p}), "
            "last_date = (SELECT max(date) FROM story_documents WHERE story_id = {p}) WHERE id = {p}",
            [keep] * 4,
        )
        self._store_centroid(keep, features)
        self.db.execute("UPDATE story_aliases SET story_id = {p} WHERE story_id = {p}", [keep, drop])
        self.db.execute(
            "INSERT INTO story_aliases (old_id, story_id) VALUES ({p}, {p}) "
            "ON CONFLICT (old_id) DO UPDATE SET story_id = excluded.story_id",
            [drop, keep],
        )
        self.db.execute("DELETE FROM stories WHERE id = {p}", [drop])
        return keep

    def _add_to_centroid(self, story_id: str, profile: Profile) -> None:
        features = self._features(story_id)
        for key, value in {**profile.features(), **profile.slots, **{"p:" + k: 1.0 for k in profile.places}}.items():
            features[key] = features.get(key, 0.0) + value
        self._store_centroid(story_id, features)

    def _retitle(self, story_id: str) -> None:
        """The story's title is that of its document nearest the centroid, among those that joined it
        (the founder's, with similarity 1.0, until one has). Both reads walk the (story, similarity)
        index from the top, so a large story costs no more than a small one."""
        pick = (
            "SELECT d.title FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
            "WHERE sd.story_id = {{p}} AND d.title IS NOT NULL {} ORDER BY sd.similarity DESC, d.published NULLS FIRST "
            "LIMIT 1"
        )
        row = (self.db.one(pick.format("AND sd.similarity < 1.0"), [story_id])
               or self.db.one(pick.format(""), [story_id]))
        if row:
            self.db.execute("UPDATE stories SET title = {p} WHERE id = {p}", [row[0], story_id])
