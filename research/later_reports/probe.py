"""Later reports of the reference story, written for this probe: do they join the story, the right
claim with the right stance, and the figure series?

``items.jsonl`` holds 21 feed items written in the style of the bundled ones and dated after them
(28 Oct - 15 Nov 2024): 15 on the North Korean troops story (affirmations, denials, refusals to
comment, figures, the first clashes and casualties) and 6 other North Korea or Russia news. They
are NOT real reports, and ``gold.json`` was annotated by the engineer who wrote them, partly after
seeing the probe's output, so the figures are a regression check, not held-out evidence.

The probe ingests the bundled sample and the items into a new store, exports the stories, and
scores them with ``storyline eval story`` against the dev gold merged with ``gold.json``; it also
scores the dev gold alone on the same export, so the two can be compared.

    python research/later_reports/probe.py [--dev-gold ../shared/data/nk-feeds/story-gold-….json]
    python research/later_reports/probe.py --set STORY_IDF=window THRESHOLD=0.26

``--set`` changes settings of ``storyline/story/clustering.py`` for the ingest (research only), and
the probe lists each later item with the story it joined and whether the gold puts it in the story.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "clustering"))
from ecb_loop import parse_value  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEV_GOLD = ROOT.parent / "shared" / "data" / "nk-feeds" / "story-gold-2024-10-08_to_2024-10-27.json"


def merged_gold(dev: dict, probe: dict) -> dict:
    """The dev gold with the probe's members, claim stances, figures and documents added."""
    out = json.loads(json.dumps(dev))
    out["story"]["members"] += probe["story"]["members"]
    by_id = {c["id"]: c for c in out["claims"]}
    for claim in probe["claims"]:
        by_id[claim["id"]]["stances"] += claim["stances"]
    out["figures"] += probe["figures"]
    out["documents"].update(probe["documents"])
    return out


def storyline(*args: str, settings: tuple[str, ...] = ()) -> str:
    patch = "".join(f"clustering.{name} = {value!r}; " for name, value in (parse(s) for s in settings))
    code = f"from storyline.story import clustering; {patch}from storyline.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SystemExit(f"probe: storyline {' '.join(args)}: failed ({last})")
    return done.stdout


def parse(setting: str) -> tuple[str, object]:
    """NAME=VALUE, the value read as ecb_loop.py reads it (a number, True, False, None or a string)."""
    name, _, text = setting.partition("=")
    if not name.isidentifier():
        raise SystemExit(f"probe: --set {setting!r}: expected NAME=VALUE")
    return name, parse_value(text)


def later_items(export: Path, probe: dict) -> str:
    """Each later item: in the gold's story or not, and the story (title) it joined."""
    story_of = {}
    for line in export.read_text("utf-8").splitlines():
        story = json.loads(line)
        story_of.update({d["url"]: story["title"] or story["story_id"] for d in story["documents"]})
    members = set(probe["story"]["members"])
    return "\n".join(f"{'member' if url in members else 'other '}  {title[:60]:60s} → {story_of.get(url, '-')[:50]}"
                     for url, title in probe["documents"].items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev-gold", type=Path, default=DEV_GOLD)
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE", help="clustering settings (research)")
    args = parser.parse_args()
    if not args.dev_gold.is_file():
        print(f"probe: {args.dev_gold}: no such gold file (it is in ../shared, which a fresh clone lacks)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db, export, gold = Path(tmp, "s.db"), Path(tmp, "s.jsonl"), Path(tmp, "gold.json")
        probe = json.loads((HERE / "gold.json").read_text("utf-8"))
        gold.write_text(json.dumps(merged_gold(json.loads(args.dev_gold.read_text("utf-8")), probe)), "utf-8")
        storyline("--db", str(db), "ingest", str(ROOT / "samples"), str(HERE / "items.jsonl"), settings=tuple(args.set))
        storyline("--db", str(db), "export", "--format", "stories", "-o", str(export))
        for name, path in (("dev gold alone", args.dev_gold), ("dev gold + later reports", gold)):
            print(f"== {name}")
            print(storyline("eval", "story", str(path), str(export)))
        print("== later items")
        print(later_items(export, probe))
    return 0


if __name__ == "__main__":
    sys.exit(main())
