"""How often the gold content and source of held-out train's gold cues are among the
candidates, and how often the rankers of WEIGHTS choose them (the role CRF of WEIGHTS
tagging each gold cue first, as in the pipeline):

    python -m storyline.analyze.attribution.training --holdout --out /tmp/w
    python scripts/attribution_candidates.py /tmp/w
"""
import sys

import numpy as np

from storyline.analyze.attribution import features as F
from storyline.analyze.attribution import training as T
from storyline.analyze.attribution.candidates import content_candidates, normalise, source_candidates
from storyline.analyze.attribution.corpus import read_gold, token_pieces
from storyline.analyze.attribution.extract import find_roles
from storyline.analyze.attribution.ranker import choose_contents, choose_sources, load_ranker
from storyline.analyze.attribution.tagger import load_tagger

if len(sys.argv) != 2:
    sys.exit(__doc__)
weights = sys.argv[1]
articles, docs, vectors = read_gold(T.POLNEAR / "train"), T.parsed("train"), T.tensors("train")
role, content_ranker, source_ranker = load_tagger("role", weights), load_ranker("content", weights), load_ranker("source", weights)
cues = in_candidates = chosen = sources = source_in = source_chosen = 0
for name, doc in docs.items():
    if not T.in_holdout(name) or not articles[name].golds:
        continue
    doc.tensor = vectors[name].astype(np.float32)
    facts = F.token_facts(doc)
    golds = []
    for g in articles[name].golds[0]:
        cue, pieces, src = token_pieces(doc, g.cue), token_pieces(doc, g.content), token_pieces(doc, g.source)
        if cue and pieces:
            golds.append(((cue[0][0], cue[-1][1]), (src[0][0], src[-1][1]) if src else None, normalise(facts, pieces)))
    if not golds:
        continue
    gold_cues = [cue for cue, _, _ in golds]
    ents = [(e.start, e.end, e.label_) for e in doc.ents]
    found = find_roles(facts, gold_cues, role, doc.tensor)
    picked_sources = choose_sources(facts, gold_cues, [f.source for f in found], ents, source_ranker)
    picked = choose_contents(facts, gold_cues, picked_sources, [f.content_parts for f in found], content_ranker)
    for (cue, source, content), p, ps in zip(golds, picked, picked_sources):
        cues += 1
        in_candidates += content in {c.pieces for c in content_candidates(facts, cue, source)}
        chosen += p == content
        source_chosen += ps == source
        if source is not None:
            sources += 1
            source_in += source in source_candidates(facts, cue, ents)
print(f"{cues} held-out gold cues: gold content among the candidates {100 * in_candidates / cues:.1f} %, chosen {100 * chosen / cues:.1f} %")
print(f"gold source among the candidates {100 * source_in / sources:.1f} % of {sources}; source (or none) chosen {100 * source_chosen / cues:.1f} %")
