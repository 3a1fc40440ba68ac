"""Error classes of written attributions against a split's first annotator:

    storyline eval attribution DIR --write-ann OUT
    python scripts/attribution_errors.py DIR OUT

or on held-out train, without reading dev (only the articles OUT has a file for;
``--evaluate`` writes one per held-out article, empty when nothing was found):

    python -m storyline.analyze.attribution.training --evaluate WEIGHTS --write-ann OUT
    python scripts/attribution_errors.py ../shared/data/polnear/train OUT --written-only

--boundary-tokens also parses the articles with the default spaCy model and counts the
dependency label and POS of the tokens by which found cues differ from gold (missing or
extra).
"""
import sys
from pathlib import Path
import collections, random
from storyline.analyze.attribution.corpus import read_gold
from storyline.eval.brat import read_ann, article_name
FLAGS = {"--written-only", "--boundary-tokens"}
if len(sys.argv) < 3 or not set(sys.argv[3:]) <= FLAGS or len(set(sys.argv[3:])) != len(sys.argv[3:]):
    sys.exit(__doc__)
nlp = None
if "--boundary-tokens" in sys.argv:
    import spacy
    from storyline.config import DEFAULT_MODEL
    nlp = spacy.load(DEFAULT_MODEL)
bound_kind = collections.Counter(); bound_tokens = collections.Counter()
root = Path(sys.argv[1])
arts = read_gold(root)
written = {}
for p in sorted(Path(sys.argv[2]).glob("*.ann")):
    written.setdefault(article_name(p.stem, arts), read_ann(p).attributions)
if "--written-only" in sys.argv:
    arts = {n: a for n, a in arts.items() if n in written}
ov = lambda a, b: a is not None and b is not None and a.start < b.end and b.start < a.end
cue_missed = collections.Counter(); cue_fp = collections.Counter(); cue_bound = 0; cue_ok = 0
cont = collections.Counter(); src = collections.Counter()
ex = collections.defaultdict(list)
def tokens(doc, span):
    return {tok.i for fs, fe in span.fragments for tok in (doc.char_span(fs, fe, alignment_mode="expand") or [])}
for n, a in arts.items():
    gold = [g for g in (a.golds[0] if a.golds else []) if g.cue is not None]; pred = written.get(n, []); t = a.text
    doc = nlp(t) if nlp is not None else None
    for g in gold:
        m = [p for p in pred if ov(p.cue, g.cue)]
        if not m: cue_missed[t[g.cue.start:g.cue.end].lower()] += 1; ex["missed cue"].append(t[max(0,g.cue.start-60):g.cue.end+40].replace("\n"," ")); continue
        p = m[0]
        if p.cue.fragments == g.cue.fragments: cue_ok += 1
        else:
            cue_bound += 1; ex["cue boundary"].append((t[g.cue.start:g.cue.end], t[p.cue.start:p.cue.end]))
            if doc is not None:
                gt, pt = tokens(doc, g.cue), tokens(doc, p.cue)
                bound_kind["shorter" if pt <= gt else "longer" if gt <= pt else "both differ"] += 1
                bound_tokens.update(("missing", doc[i].dep_, doc[i].pos_) for i in gt - pt)
                bound_tokens.update(("extra", doc[i].dep_, doc[i].pos_) for i in pt - gt)
        if g.content and p.content:
            if g.content.fragments == p.content.fragments: cont["exact"] += 1
            elif not ov(g.content, p.content): cont["disjoint"] += 1
            elif p.content.start == g.content.start: cont["same start, end differs"] += 1; ex["end"].append((t[g.content.start:g.content.end][-70:], t[p.content.start:p.content.end][-70:]))
            elif p.content.end == g.content.end: cont["same end, start differs"] += 1; ex["start"].append((t[g.content.start:g.content.start+70], t[p.content.start:p.content.start+70]))
            else: cont["both differ"] += 1
        gs, ps = g.source, p.source
        if gs is None and ps is None: src["both none"] += 1
        elif gs is None: src["spurious source"] += 1
        elif ps is None: src["missed source"] += 1; ex["missed source"].append((t[gs.start:gs.end], t[g.cue.start:g.cue.end]))
        elif gs.fragments == ps.fragments: src["exact"] += 1
        elif ov(gs, ps): src["overlap"] += 1; ex["source overlap"].append((t[gs.start:gs.end], t[ps.start:ps.end]))
        else: src["wrong"] += 1; ex["source wrong"].append((t[gs.start:gs.end], t[ps.start:ps.end]))
    for p in pred:
        if not any(ov(p.cue, g.cue) for g in gold): cue_fp[t[p.cue.start:p.cue.end].lower()] += 1
print("gold cues (annotator 1):", sum(len(a.golds[0]) for a in arts.values() if a.golds))
print("cue found exact", cue_ok, "boundary", cue_bound, "missed", sum(cue_missed.values()), "false", sum(cue_fp.values()))
print("missed cues top", cue_missed.most_common(25))
print("false cues top", cue_fp.most_common(25))
if nlp is not None:
    print("cue boundaries: predicted cue", dict(bound_kind))
    print("cue boundary tokens (missing/extra, dep, POS) top", bound_tokens.most_common(12))
print("content (when cue found)", cont)
print("source (when cue found)", src)
random.seed(5)
for k in ex:
    print("==", k)
    for x in random.sample(ex[k], min(6, len(ex[k]))): print("  ", repr(x)[:230])
