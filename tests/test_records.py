"""JSON records against their declared schema, and HTML in fields through a real parser."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from storyline.ingest.files import ReadOptions, Rejected, read_sources
from storyline.ingest.markup import html_to_text
from storyline.ingest.outlets import Outlets
from storyline.model import Document

BASE = {"title": "Seoul says troops went", "description": "Officials said so.", "link": "https://www.nbcnews.com/x"}


def read_lines(tmp_path, *records):
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    items = list(read_sources([path], ReadOptions(outlets=Outlets.bundled())))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Rejected)]


def test_a_string_author_is_one_author(tmp_path):
    (doc,), _ = read_lines(tmp_path, {**BASE, "authors": "Jane Doe"})
    assert doc.authors == ["Jane Doe"]


def test_author_forms(tmp_path):
    docs, rejected = read_lines(
        tmp_path,
        {**BASE, "author": "Jane Doe"},
        {**BASE, "title": "b", "authors": ["Jane Doe", " John Roe ", ""]},
        {**BASE, "title": "c", "authors": [{"name": "Jane Doe", "url": "https://x"}, {"email": "a@b.c"}]},
    )
    assert rejected == []
    assert [d.authors for d in docs] == [["Jane Doe"], ["Jane Doe", "John Roe"], ["Jane Doe"]]


def test_unix_times_are_dates(tmp_path):
    docs, rejected = read_lines(
        tmp_path, {**BASE, "published": 1729767000}, {**BASE, "title": "ms", "published": 1729767000000.0}
    )
    assert rejected == []
    expected = datetime(2024, 10, 24, 10, 50, tzinfo=timezone.utc)
    assert [d.published for d in docs] == [expected, expected]
    assert "zone_assumed" not in docs[0].meta


def test_wrong_fields_are_rejected_by_name_and_line(tmp_path):
    docs, rejected = read_lines(
        tmp_path,
        BASE,
        {**BASE, "published": True},
        {**BASE, "published": "not a date at all"},
        {**BASE, "authors": [3]},
        {**BASE, "title": ["a"], "description": 5},
        {**BASE, "language": "Klingonese"},
        {"link": "https://x"},
    )
    assert len(docs) == 1
    reasons = {(r.source.rsplit("/", 1)[1], r.item): r.reason for r in rejected}
    assert reasons == {
        ("items.jsonl", "line 2"): "published: expected a date string or a Unix time, got true",
        ("items.jsonl", "line 3"): "published: unreadable date 'not a date at all'",
        ("items.jsonl", "line 4"): "authors.0: Input should be a valid string",
        ("items.jsonl", "line 5"): "title: Input should be a valid string; text: Input should be a valid string",
        ("items.jsonl", "line 6"): "language: 'Klingonese' is not a language tag or name ('en', 'fr-CA', 'French')",
        ("items.jsonl", "line 7"): (
            "no text: none of text, content, content_text, content_html, body, description, summary or title "
            "is a non-empty string"
        ),
    }


def test_language_tags_and_names_are_normalised(tmp_path):
    docs, _ = read_lines(tmp_path, {**BASE, "language": "en-US"}, {**BASE, "title": "b", "language": "English"})
    assert [d.language for d in docs] == ["en", "en"]


def test_empty_text_fields_fall_through_to_the_next(tmp_path):
    (doc,), _ = read_lines(tmp_path, {"title": "T", "text": " ", "content": "", "summary": "Officials said so."})
    assert doc.text == "T\n\nOfficials said so."


def test_json_lines_split_only_at_line_feeds(tmp_path):
    # U+2028 is allowed raw inside a JSON string; str.splitlines() would cut the line there.
    (doc,), rejected = read_lines(tmp_path, '{"title": "T", "text": "One.\u2028Two."}')
    assert rejected == [] and doc.text == "T\n\nOne.\u2028Two."


def test_html_in_fields_goes_through_a_parser():
    assert html_to_text("H<b>ello</b> &amp; <i>wor</i>ld") == "Hello & world"
    assert html_to_text("<p>One.</p><p>Two.<br>Three.</p>") == "One.\nTwo.\nThree."
    assert html_to_text("Before<script>var x = '<p>no</p>';</script><style>p {}</style> after<!-- c -->.") == "Before after."
    assert html_to_text("a < b and c > d") == "a < b and c > d"
    assert html_to_text("<p>" * 3 + "x &#8212; &#x2014; &nbsp;y") == "x — — y"
