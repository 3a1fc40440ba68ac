"""Acceptance: the reference article against its hand annotation (tests/fixtures/reference-gold.json,
a copy of ../shared/seed/gold.json, so that a clone without ../shared runs it). Matching rules:

- a gold span is located as the first occurrence after the previous span of the
  same item (or the ``occurrence``-th one), as gold.json's ``about`` says;
- content overlap = shared characters / the longer of the two spans (so the
  prediction must cover ≥ 80 % of the gold content and add ≤ 20 % of its own);
- places match within the gold ``tolerance_km`` (or 150 km).
"""

from __future__ import annotations

import json
import math

import pytest

from tests.conftest import GOLD, REFERENCE

TEXT = REFERENCE.read_text(encoding="utf-8")
GOLD_DATA = json.loads(GOLD.read_text(encoding="utf-8"))


def locate(needle: str, after: int = 0, occurrence: int = 1) -> tuple[int, int]:
    start = after - 1
    for _ in range(occurrence):
        start = TEXT.find(needle, start + 1)
        assert start >= 0, f"gold span not in text: {needle!r}"
    return start, start + len(needle)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return shared / max(a[1] - a[0], b[1] - b[0])


def without_the(mention: str) -> str:
    """Mentions compare without a leading determiner or a trailing possessive."""
    mention = mention.replace("’s", "").strip()
    return mention[4:] if mention.lower().startswith("the ") else mention


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_offsets_are_exact(reference_document, reference_analysis):
    text = reference_document.text
    assert text == TEXT
    a = reference_analysis
    records = [*a.statements, *a.times, *a.figures, *a.events]
    for r in records:
        assert text[r.start : r.end] == r.text, r
    for s in a.statements:
        for part in (s.speaker, s.cue, s.content):
            if part is not None:
                assert text[part.start : part.end] == part.text, part
    for e in a.entities:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text, m


def test_document_metadata(reference_document):
    gold = GOLD_DATA["document"]
    doc = reference_document
    assert doc.title == gold["title"]
    assert doc.published.isoformat() == gold["published"]
    assert doc.updated.isoformat() == gold["updated"]
    assert doc.authors == gold["authors"]
    assert doc.meta["author_emails"] == gold["author_emails"]
    assert doc.language == gold["language"]
    assert doc.meta["other_languages"] == gold["other_languages"]
    assert doc.outlet == gold["outlet"]
    for furniture in gold["boilerplate_not_body"]:
        start, end = locate(furniture)
        assert not any(s < end and start < e for s, e in doc.body), furniture


def _find_statement(analysis, gold: dict, after: int):
    content = locate(gold["content"], after)
    best = max(analysis.statements, key=lambda s: overlap((s.content.start, s.content.end), content), default=None)
    assert best is not None and overlap((best.content.start, best.content.end), content) >= 0.8, (
        f"{gold['id']}: no statement with content {gold['content']!r}; "
        f"closest: {best.content.text if best else None!r}"
    )
    return best, content


REQUIRED = [s for s in GOLD_DATA["statements"] if s["required"]]


def nearest(needle: str, anchor: tuple[int, int]) -> tuple[int, int]:
    """The occurrence of ``needle`` closest to ``anchor`` (a speaker or cue belongs with its content)."""
    spans = []
    start = TEXT.find(needle)
    while start >= 0:
        spans.append((start, start + len(needle)))
        start = TEXT.find(needle, start + 1)
    assert spans, f"gold span not in text: {needle!r}"
    return min(spans, key=lambda s: min(abs(s[0] - anchor[1]), abs(anchor[0] - s[1])))


@pytest.mark.parametrize("gold", REQUIRED, ids=[s["id"] for s in REQUIRED])
def test_required_statement(reference_analysis, gold):
    statement, content = _find_statement(reference_analysis, gold, 0)
    assert statement.kind == gold["kind"], (gold["id"], statement.kind)
    if "(unnamed)" in gold["speaker"]:
        assert statement.speaker is not None and gold["speaker_span"] in statement.speaker.text, gold["id"]
    else:
        assert statement.speaker is not None and statement.speaker.name == gold["speaker"], (
            gold["id"],
            statement.speaker,
        )
    if gold["speaker_span"]:
        span = nearest(gold["speaker_span"], content)
        assert overlap((statement.speaker.start, statement.speaker.end), span) > 0, (gold["id"], statement.speaker)
    if gold["cue"]:
        cue = nearest(gold["cue"], content)
        assert statement.cue is not None and (statement.cue.start, statement.cue.end) == cue, (gold["id"], statement.cue)
    else:
        assert statement.cue is None, (gold["id"], statement.cue)
    if gold.get("date"):
        assert statement.date == gold["date"], (gold["id"], statement.date)


def test_denial_is_classed_as_denial(reference_analysis):
    gold = next(s for s in GOLD_DATA["statements"] if s["id"] == "S7")
    statement, _ = _find_statement(reference_analysis, gold, 0)
    assert statement.cue_class == "deny"


def test_every_statement_has_a_cue_class(reference_analysis):
    assert all(s.cue_class for s in reference_analysis.statements)


@pytest.mark.parametrize("phrase", GOLD_DATA["not_statements"])
def test_not_a_statement(reference_analysis, phrase):
    start, end = locate(phrase)
    for s in reference_analysis.statements:
        assert not (s.cue and start <= s.cue.start and s.cue.end <= end), (phrase, s)


@pytest.mark.parametrize("gold", GOLD_DATA["times"], ids=[t["text"] + str(t.get("occurrence", 1)) for t in GOLD_DATA["times"]])
def test_time(reference_analysis, gold):
    span = locate(gold["text"], occurrence=gold.get("occurrence", 1))
    found = [t for t in reference_analysis.times if overlap((t.start, t.end), span) >= 0.5]
    assert found, f"time {gold['text']!r} not found"
    assert found[0].value == gold["value"], (gold, found[0])


@pytest.mark.parametrize("gold", GOLD_DATA["figures"], ids=[f["text"] for f in GOLD_DATA["figures"]])
def test_figure(reference_analysis, gold):
    span = locate(gold["text"])
    found = [f for f in reference_analysis.figures if overlap((f.start, f.end), span) >= 0.5]
    assert found, f"figure {gold['text']!r} not found"
    f = found[0]
    assert (f.value, f.unit, f.approximate) == (gold["value"], gold["unit"], gold["approximate"])


REQUIRED_ENTITIES = [e for e in GOLD_DATA["entities"] if not e.get("optional")]
PLACE_TYPES = {"GPE", "LOC"}


@pytest.mark.parametrize("gold", REQUIRED_ENTITIES, ids=[e["canonical"] for e in REQUIRED_ENTITIES])
def test_entity(reference_analysis, gold):
    by_name = {e.canonical: e for e in reference_analysis.entities}
    entity = by_name.get(gold["canonical"])
    assert entity is not None, f"{gold['canonical']} not among {sorted(by_name)}"
    if gold["type"] in PLACE_TYPES:
        assert entity.type in PLACE_TYPES
    else:
        assert entity.type == gold["type"]
    texts = {without_the(m.text) for m in entity.mentions}
    for mention in map(without_the, gold["mentions"]):
        # The same mention: one span inside the other ("President Putin" / "Putin").
        assert any(mention in t or t in mention for t in texts), (gold["canonical"], mention, texts)
    for role in gold.get("roles", []):
        assert role in entity.roles, (gold["canonical"], entity.roles)
    if "country" in gold:
        assert entity.country == gold["country"], (gold["canonical"], entity.country)
    if "admin_level" in gold:
        assert entity.admin_level == gold["admin_level"]
    if "lat" in gold:
        assert entity.lat is not None, gold["canonical"]
        assert km(entity.lat, entity.lon, gold["lat"], gold["lon"]) <= gold.get("tolerance_km", 150)


@pytest.mark.parametrize("gold", GOLD_DATA["events"], ids=[e["id"] for e in GOLD_DATA["events"]])
def test_event(reference_analysis, gold):
    span = locate(gold["trigger"], occurrence=gold.get("occurrence", 1))
    found = [e for e in reference_analysis.events if overlap((e.start, e.end), span) > 0 and e.type == gold["type"]]
    assert found, f"event {gold['id']} ({gold['type']}, {gold['trigger']!r}) not found"
    event = found[0]
    assert event.actor == gold["actor"], (gold["id"], event.actor)
    if "where" in gold:
        assert event.place == gold["where"], (gold["id"], event.place)
    assert event.date == gold["date"], (gold["id"], event.date)
