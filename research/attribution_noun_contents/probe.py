"""Probe: which predicted statements on a PolNeAR-style split have a noun-phrase or
wh-clause content, or a cue class taken from a word off the cue's predicate, and
does the gold annotate them (a gold attribution whose cue and content overlap)?

    python research/attribution_noun_contents/probe.py ../shared/data/polnear/dev > /tmp/probe.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from storyline.analyze.pipeline import load_pipeline, make_doc
from storyline.eval.brat import article_name, read_ann
from storyline.ingest.text import parse_article_text


def _overlaps(a: tuple[int, int], fragments) -> bool:
    return any(a[0] < e and s < a[1] for s, e in fragments)


def main(directory: Path) -> None:
    nlp = load_pipeline()
    nlp.get_pipe("storyline_statements").keep_topics = True
    files = sorted((directory / "text").glob("*.txt"))
    texts = {f.stem: f.read_text(encoding="utf-8") for f in files}
    golds: dict[str, list] = {name: [] for name in texts}
    for ann in sorted((directory / "attributions").glob("*.ann")):
        name = article_name(ann.stem, texts)
        if name is not None:
            golds[name].extend(read_ann(ann).attributions)
    documents = [parse_article_text(texts[f.stem], source=str(f)) for f in files]
    for f, doc in zip(files, nlp.pipe((make_doc(nlp, d) for d in documents), batch_size=16)):
        for s in doc._.statements:
            if s.cue is None:
                continue
            content = doc.char_span(s.content.start, s.content.end, alignment_mode="expand")
            cue = doc.char_span(s.cue.start, s.cue.end, alignment_mode="expand")
            gold = [
                g for g in golds[f.stem]
                if g.cue is not None and g.content is not None
                and _overlaps((s.cue.start, s.cue.end), g.cue.fragments)
                and _overlaps((s.content.start, s.content.end), g.content.fragments)
            ]
            print(json.dumps({
                "doc": f.stem,
                "cue": s.cue.text,
                "cue_pos": [f"{t.lemma_}/{t.pos_}/{t.dep_}" for t in cue],
                "class": s.cue_class,
                "content": s.content.text[:120],
                "root": f"{content.root.text}/{content.root.pos_}/{content.root.dep_}",
                "first": f"{content[0].text}/{content[0].tag_}/{content[0].dep_}",
                "kind": s.kind,
                "gold": bool(gold),
                "gold_content": [g.content.text[:80] for g in gold][:1],
            }, ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
