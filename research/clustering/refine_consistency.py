"""Consistency of the story layer after the batch refinement moved documents (docs/stories.md, "Ninth
round"): rebuild a copy of an ECB+ store with claims, undated documents shuffled, and count what is off.

    python research/clustering/refine_consistency.py STORE [SEED]
"""
import sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop, ecb_order_loop
from storyline.story import clustering
from storyline.story.engine import StoryEngine
from storyline.store.sqlite import SQLiteStore

copy = Path(tempfile.mkdtemp(prefix="refine-")) / "s.db"
ecb_loop.copy_store(Path(sys.argv[1]), copy)
clustering.ORDER, clustering.SEED, clustering.REFINE = "shuffle", int(sys.argv[2]) if len(sys.argv) > 2 else 3, True
StoryEngine.pending = ecb_order_loop.pending
store = SQLiteStore(copy)
engine = StoryEngine(store)
moves = []
orig = clustering.Stories.refine
def spy(self, p):
    m = orig(self, p)
    if m: moves.append(m)
    return m
clustering.Stories.refine = spy
t = time.time(); engine.rebuild(); print("rebuild", round(time.time() - t), "s; moves", len(moves), {h: sum(1 for m in moves if m[2] == h) for h in ("joined", "merged", "alone")})
q = lambda sql: store.sql.rows(sql)
print("claim statements in another story than their document:", q("SELECT count(*) FROM claim_statements cs JOIN claims c ON c.id = cs.claim_id JOIN story_documents sd ON sd.doc_id = cs.doc_id WHERE c.story_id <> sd.story_id"))
print("claims with no statements:", q("SELECT count(*) FROM claims WHERE id NOT IN (SELECT claim_id FROM claim_statements)"))
print("claims whose count is off:", q("SELECT count(*) FROM claims c WHERE statements <> (SELECT count(*) FROM claim_statements WHERE claim_id = c.id)"))
print("statements of unknown claims:", q("SELECT count(*) FROM claim_statements WHERE claim_id NOT IN (SELECT id FROM claims)"))
print("stories whose count is off:", q("SELECT count(*) FROM stories s WHERE documents <> (SELECT count(*) FROM story_documents WHERE story_id = s.id)"))
print("empty stories:", q("SELECT count(*) FROM stories WHERE documents = 0"))
print("documents in unknown stories:", q("SELECT count(*) FROM story_documents WHERE story_id NOT IN (SELECT id FROM stories)"))
print("claims of unknown stories:", q("SELECT count(*) FROM claims WHERE story_id NOT IN (SELECT id FROM stories)"))
print("features of unknown stories:", q("SELECT count(*) FROM story_features WHERE story_id NOT IN (SELECT id FROM stories)"))
print("claims:", q("SELECT count(*) FROM claims"), "statements:", q("SELECT count(*) FROM claim_statements"))
