"""The story layer, updated one new document at a time.

For each stored document, in the order documents were stored: its copies
(near-duplicates), its identities, its story, and its statements' claims —
all in one transaction, so an interrupted run leaves each document fully in
the story layer or not at all, and :meth:`StoryEngine.catch_up` finishes what
is missing. Nothing already placed is re-clustered; once a batch is in, only its
undated documents may move (:meth:`StoryEngine.refine`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from storyline.model import Analysis, Document
from storyline.story.claims import Claims
from storyline.story import clustering
from storyline.story.clustering import Stories
from storyline.story.duplicates import Copies
from storyline.story.identities import Identities
from storyline.store.base import Store

log = logging.getLogger(__name__)

_TABLES = ("claim_statements", "claims", "story_features", "story_documents", "story_aliases", "story_founded", "stories",
           "copies",
           "minhash_bands", "statement_speakers", "entity_identities", "identity_aliases", "identities")


class StoryEngine:
    def __init__(self, store: Store) -> None:
        self.store = store
        db = store.sql  # both stores have it (storyline.store.sql)
        self.db = db
        self.identities = Identities(db)
        self.copies = Copies(db)
        self.stories = Stories(db)
        self.claims = Claims(db)

    def _text(self, doc_id: str) -> str | None:
        document = self.store.document(doc_id)
        if document is None:
            return None
        return "\n".join(document.text[a:b] for a, b in document.body)

    def add(self, document: Document, analysis: Analysis) -> str:
        """Place one stored document in the story layer; returns its story id."""
        with self.db.exclusive():  # another process's placing waits (it reads what this one wrote)
            row = self.db.one("SELECT story_id FROM story_documents WHERE doc_id = {p}", [document.id])
            if row:
                return row[0]
            original = self.copies.record(document, self._text)
            identities = self.identities.resolve(document.id, analysis)
            profile = self.stories.profile(document, analysis, identities)
            story_id, _, merged = self.stories.assign(profile)
            if merged:
                self.claims.merge_claims(story_id)
            self.claims.link(story_id, document.id, profile.day, analysis, identities, original)
        return story_id

    def place(self, document: Document, analysis: Analysis) -> str | None:
        """:meth:`add`, except that a failure is logged, not raised: the document stays stored, the
        batch goes on, and the next :meth:`catch_up` tries again. Returns the story id, or None."""
        try:
            return self.add(document, analysis)
        except Exception as err:  # the story layer must not end the batch
            log.warning("story layer: %s not placed (%s: %s); the next run tries again",
                        document.id, type(err).__name__, err)
            return None

    def pending(self) -> list[str]:
        """Stored documents not yet in the story layer, oldest publication first (a stream
        arrives in that order; undated documents last, in the order they were stored)."""
        return [
            r[0] for r in self.db.rows(
                "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM story_documents) "
                f"ORDER BY published IS NULL, published, {self.db.stored_order}"
            )
        ]

    def catch_up(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Add every stored document the story layer lacks (after an interrupted run, or a rebuild),
        then give the stories this engine started a second look (a batch ends with a catch-up)."""
        todo = self.pending()
        for n, doc_id in enumerate(todo, 1):
            document = self.store.document(doc_id)
            if document is not None:
                self.place(document, self.store.analysis(doc_id))
            if progress:
                progress(n, len(todo))
        self.second_look()
        self.refine()
        return len(todo)

    def second_look(self) -> int:
        """The batch is in: each story of one undated document it started may now fit a story that
        grew after it (:meth:`Stories.second_look`). Returns how many joined another story."""
        founded = [r[0] for r in self.db.rows("SELECT story_id FROM story_founded ORDER BY n")]
        if not founded:
            return 0
        # One transaction: an interrupted look is taken again whole. A story that absorbed several has
        # its claims folded once, after all of them joined (a story never absorbs the one that absorbed it).
        joined = 0
        with self.db.exclusive():
            survivors: dict[str, None] = {}
            for story_id in founded:
                survivor = self.stories.second_look(story_id)
                if survivor is not None:
                    survivors[survivor] = None
                    joined += 1
                self.db.execute("DELETE FROM story_founded WHERE story_id = {p}", [story_id])
            for survivor in survivors:
                self.claims.merge_claims(survivor)
        return joined

    def refine(self) -> int:
        """The batch is in: each undated document it placed is placed again against the stories as
        they are now, in passes until none moves (:meth:`Stories.refine`); a document that moves takes
        its statements to the new story's claims. Returns how many moves were made."""
        placed, self.stories.undated = self.stories.undated, []
        moves = 0
        for _ in range(clustering.REFINE_PASSES if clustering.REFINE else 0):
            moved = 0
            for profile in placed:
                try:
                    with self.db.exclusive():  # one document's move, its claims included, or none of it
                        move = self.stories.refine(profile)
                        if move is None:
                            continue
                        _, story_id, how = move
                        if how == "merged":
                            self.claims.merge_claims(story_id)
                        else:
                            self._relink(profile.doc_id, story_id, profile.day)
                except Exception as err:  # as in place(): the batch is in; this document stays where it was
                    log.warning("story layer: %s not placed again (%s: %s)", profile.doc_id, type(err).__name__, err)
                    continue
                moved += 1
            moves += moved
            if not moved:
                break
        return moves

    def _relink(self, doc_id: str, story_id: str, day: str | None) -> None:
        """A document moved to another story: its statements leave their claims and join the new story's."""
        analysis = self.store.analysis(doc_id)
        identities = dict(self.db.rows("SELECT entity_id, identity_id FROM entity_identities WHERE doc_id = {p}", [doc_id]))
        original = self.db.one("SELECT original_id FROM copies WHERE doc_id = {p}", [doc_id])
        self.claims.unlink(doc_id, analysis, identities)
        self.claims.link(story_id, doc_id, day, analysis, identities, original[0] if original else None)

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Drop the story layer and build it again from the stored record, in storage order."""
        with self.db.exclusive():
            for table in _TABLES:
                self.db.execute(f"DELETE FROM {table}")
        return self.catch_up(progress)
