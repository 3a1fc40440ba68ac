"""Event slots as evidence that two ECB+ reports tell one event (issue 11, fourth round).

Bags of words and names cannot tell two earthquakes, two emergency patches or two arrests for
drunk driving apart when the texts read alike. A text's own event record may: the events storyline
extracts (type, place, date), the absolute dates the text writes, the places and people of its
lead, the numbers it gives (magnitude 6.1 against 7.0). Each slot is compared as a slot, not as a
bag: for a pair of documents it agrees (+1) when both fill it and share a value, conflicts (−1)
when both fill it with different values, and says nothing (0) when either leaves it empty.

For every pair of documents within one topic (odd topics unless --part says otherwise): how often
each slot is filled on both sides (coverage), how often an agreement is a same-event pair and a
conflict a different-event pair, its ROC AUC alone, and the AUC of the shipped similarity with
the slot added (shipped + a × slot):

    python research/clustering/slot_probe.py STORE GOLD [--part odd] [--topics 5 9 11 23 27 35]

STORE is an ingested store whose story layer is built (its identities are read).
"""

from __future__ import annotations

import argparse
import itertools
import re
from collections import defaultdict
from pathlib import Path

from pair_probe import auc, gold_documents  # type: ignore[import-not-found]

from storyline.eval.clustering import read_gold_tsv, source_name
from storyline.model import Analysis, Document
from storyline.store.sqlite import SQLiteStore
from storyline.story.clustering import Stories
from storyline.story.text import cosine, fold, stem

LEAD_CHARS = 600  # of the body, after the headline: the lead paragraph of a news report
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_CALENDAR = re.compile(r"^(?:\d{4}|XXXX)-(\d{2})(?:-(\d{2}))?$")  # a month, with or without its year


def lead_end(document: Document) -> int:
    """Offset where the lead ends: the headline and the first LEAD_CHARS of the body."""
    if not document.body:
        return LEAD_CHARS
    return document.body[0][0] + LEAD_CHARS


def head_noun(about: str) -> str:
    words = [w for w in re.findall(r"[a-z]+", fold(about))]
    return stem(words[-1]) if words else ""


def slots(document: Document, analysis: Analysis, identities: dict[str, str]) -> dict[str, set[str]]:
    """Each slot's values for one document (an empty set: the slot is not filled)."""
    end = lead_end(document)
    out: dict[str, set[str]] = defaultdict(set)
    entities = {e.id: e for e in analysis.entities}
    dates = []
    calendar: list[tuple[int, str, str | None]] = []
    for t in analysis.times:
        m = _DATE.match(t.value or "")
        if t.type != "DATE" or not m:
            continue
        year, month, day = m.groups()
        if not 1900 <= int(year) <= 2030:
            continue
        dates.append((t.start, year, month, day, t.anchor is None))
        lead = t.start < end
        out["year all"].add(year)
        if t.anchor is None:
            out["year written"].add(year)
        if lead:
            out["year lead"].add(year)
            if t.anchor is None:
                out["year lead written"].add(year)
        if month:
            out["month all"].add(f"{year}-{month}")
            if lead:
                out["month lead"].add(f"{year}-{month}")
        if day:
            out["date all"].add(f"{year}-{month}-{day}")
    # A month or day with no year ("Dec. 9", "December 9": XXXX-12-09) says which event as well.
    for t in analysis.times:
        m = _CALENDAR.match(t.value or "")
        if t.type != "DATE" or not m:
            continue
        month, day = m.groups()
        calendar.append((t.start, month, day))
        out["calendar month"].add(month)
        if t.start < end:
            out["calendar month lead"].add(month)
        if day:
            out["calendar day"].add(f"{month}-{day}")
            out["calendar near"].add(f"~{month}-{day}")
            if t.start < end:
                out["calendar near lead"].add(f"~{month}-{day}")
            if t.start < end:
                out["calendar day lead"].add(f"{month}-{day}")
    calendar.sort()
    dates.sort()
    for key, values in (("calendar month first", [c[1] for c in calendar]),
                        ("calendar day first", [f"{c[1]}-{c[2]}" for c in calendar if c[2]]),
                        ("year first", [d[1] for d in dates]),
                        ("month first", [f"{d[1]}-{d[2]}" for d in dates if d[2]])):
        if values:
            out[key].add(values[0])
    events = sorted(analysis.events, key=lambda e: e.start)
    for e in events:
        place = entities.get(e.place_entity_id or "")
        if place is not None and (place.place_key or place.country):
            out["event place"].add(f"{e.type}|{place.place_key or place.country}")
            if place.country:
                out["event country"].add(f"{e.type}|{place.country}")
        if e.date and _DATE.match(e.date[:10]):
            out["event year"].add(f"{e.type}|{e.date[:4]}")
            if len(e.date) >= 7:
                out["event month"].add(f"{e.type}|{e.date[:7]}")
    if events:
        main = events[0]
        out["main type"].add(main.type)
        place = entities.get(main.place_entity_id or "")
        if place is not None and (place.place_key or place.country):
            out["main place"].add(f"{main.type}|{place.place_key or place.country}")
        if main.date:
            out["main year"].add(f"{main.type}|{main.date[:4]}")
    places = sorted(
        ((min(m.start for m in e.mentions) if e.mentions else 10**9, e) for e in analysis.entities
         if e.place_key and (e.admin_level is None or e.admin_level >= 1)),
        key=lambda x: x[0],
    )
    if places:
        out["place first"].add(places[0][1].place_key or "")
    for start, e in places:
        if start < end:
            out["place lead"].add(e.place_key or "")
            if e.country:
                out["country lead"].add(e.country)
    for e in analysis.entities:
        if e.type == "PERSON" and e.id in identities and any(m.start < end for m in e.mentions):
            out["person lead"].add(identities[e.id])
    # The main person / place: the one the text names most (first named on a tie), and the one
    # of the lead the text names most: a report is about its main person, and mentions others.
    ranked = sorted(
        ((-len(e.mentions), min(m.start for m in e.mentions), e) for e in analysis.entities
         if e.type == "PERSON" and e.id in identities and e.mentions),
        key=lambda x: (x[0], x[1]),
    )
    if ranked:
        out["person main"].add(identities[ranked[0][2].id])
        if -ranked[0][0] >= 2:
            out["person main 2+"].add(identities[ranked[0][2].id])
        lead_ranked = [r for r in ranked if r[1] < end]
        if lead_ranked:
            out["person main lead"].add(identities[lead_ranked[0][2].id])
        out["person first"].add(identities[min(ranked, key=lambda x: x[1])[2].id])
    placed = sorted(
        ((-len(e.mentions), min(m.start for m in e.mentions), e) for e in analysis.entities
         if e.place_key and e.mentions and (e.admin_level is None or e.admin_level >= 1)),
        key=lambda x: (x[0], x[1]),
    )
    if placed:
        out["place main"].add(placed[0][2].place_key or "")
    for f in analysis.figures:
        if not f.about or f.qualifier != "exact" or f.value in (0.0, 1.0) or 1900 <= f.value <= 2030:
            continue
        noun = head_noun(f.about)
        if not noun:
            continue
        out["figure"].add(f"{noun}|{f.value:g}")
        if f.value != int(f.value) or f.value > 10:  # a small count ("two people") is shared by chance
            out["figure big"].add(f"{noun}|{f.value:g}")
        if f.unit and f.unit == f.about:  # "five children", not "75" alone or "$30 million"
            out["figure counted"].add(f"{noun}|{f.value:g}")
        if f.start < end:
            out["figure lead"].add(f"{noun}|{f.value:g}")
    return {k: v for k, v in out.items() if v}


def keyed(values: set[str]) -> dict[str, set[str]]:
    """'type|value' slots grouped by their key: an event type's places, a counted noun's values."""
    out: dict[str, set[str]] = defaultdict(set)
    for v in values:
        key, _, value = v.rpartition("|")
        out[key].add(value)
    return out


NEAR_DAYS = 7  # calendar days this close are one event's (the day it happened, the day after)
FAR_DAYS = 31  # and this far apart, two events


def day_of_year(value: str) -> int:
    month, day = value.lstrip("~").split("-")
    return (int(month) - 1) * 31 + int(day)


def compare(a: set[str] | None, b: set[str] | None) -> int:
    """+1 the slot agrees, −1 it conflicts, 0 either side leaves it empty (or no key is shared)."""
    if not a or not b:
        return 0
    if next(iter(a)).startswith("~"):  # calendar days, compared with a tolerance, around the year
        gap = min(min(abs(x - y), 372 - abs(x - y)) for x in map(day_of_year, a) for y in map(day_of_year, b))
        return 1 if gap <= NEAR_DAYS else -1 if gap > FAR_DAYS else 0
    if "|" in next(iter(a)):
        ka, kb = keyed(a), keyed(b)
        shared = ka.keys() & kb.keys()
        if not shared:
            return 0
        return 1 if any(ka[k] & kb[k] for k in shared) else -1
    return 1 if a & b else -1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--part", choices=("odd", "even", "all"), default="odd")
    parser.add_argument("--topics", nargs="*", type=int, default=[5, 9, 11, 23, 27, 35])
    parser.add_argument("--weights", nargs="*", type=float, default=[0.05, 0.1, 0.2])
    args = parser.parse_args()
    store = SQLiteStore(args.store)
    stories = Stories(store.db)
    topic: dict[str, tuple[int, str]] = {}
    profile, slot = {}, {}
    for name, t, subtopic, document, analysis, identities in gold_documents(store, read_gold_tsv(args.gold), args.part):
        topic[name] = (t, subtopic)
        profile[name] = stories.profile(document, analysis, identities)
        slot[name] = slots(document, analysis, identities)

    def shipped(a: str, b: str) -> float:
        pa, pb = profile[a], profile[b]
        weight = 0.3 if pa.names and pb.names else 0.0
        return (1 - weight) * cosine(pa.words, pb.words) + weight * cosine(pa.names, pb.names)

    by_topic = defaultdict(list)
    for name, (t, _) in topic.items():
        by_topic[t].append(name)
    pairs = [(a, b, t, topic[a][1] == topic[b][1]) for t, names in by_topic.items()
             for a, b in itertools.combinations(sorted(names), 2)]
    base = {(a, b): shipped(a, b) for a, b, _, _ in pairs}
    names = sorted({k for s in slot.values() for k in s})
    docs = len(slot)
    print(f"{len(pairs)} pairs within {len(by_topic)} topics ({sum(p[3] for p in pairs)} same-event), {docs} documents")
    head = "".join(f" {'T' + str(t):>6s}" for t in args.topics)
    print(f"{'score':28s} {'docs':>5s} {'both':>5s} {'agr':>5s} {'P(same|agr)':>11s} {'conf':>5s} "
          f"{'P(diff|conf)':>12s} {'AUC':>6s}{head}")

    def row(label: str, score, extra: str = "") -> None:
        pos, neg = [], []
        per: dict[int, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
        for a, b, t, same in pairs:
            v = score(a, b)
            (pos if same else neg).append(v)
            per[t][0 if same else 1].append(v)
        cells = "".join(f" {auc(*per[t]):6.3f}" for t in args.topics)
        print(f"{label:28s} {extra}{auc(pos, neg):6.3f}{cells}")

    row("shipped", lambda a, b: base[(a, b)], " " * 50)
    for s in names:
        have = sum(1 for v in slot.values() if s in v)
        values = [(compare(slot[a].get(s), slot[b].get(s)), same) for a, b, _, same in pairs]
        agree = [same for v, same in values if v > 0]
        conflict = [same for v, same in values if v < 0]
        both = len(agree) + len(conflict)
        extra = (f"{have / docs:5.2f} {both / len(pairs):5.2f} {len(agree):5d} "
                 f"{(sum(agree) / len(agree) if agree else float('nan')):11.3f} {len(conflict):5d} "
                 f"{(1 - sum(conflict) / len(conflict) if conflict else float('nan')):12.3f} ")
        row(s, lambda a, b, s=s: compare(slot[a].get(s), slot[b].get(s)), extra)
        for w in args.weights:
            row(f"  shipped + {w:g} × slot",
                lambda a, b, s=s, w=w: base[(a, b)] + w * compare(slot[a].get(s), slot[b].get(s)), " " * 50)


if __name__ == "__main__":
    main()
