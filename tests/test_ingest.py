"""Ingest: plain text, JSON Lines, feeds, HTML, and every kind of bad input."""

from __future__ import annotations

import json
from datetime import timezone
from pathlib import Path

import pytest

from storyline.ingest.files import ReadOptions, Rejected, read_sources
from storyline.ingest.outlets import Outlets
from storyline.ingest.text import parse_article_text
from storyline.model import Document


@pytest.fixture
def options() -> ReadOptions:
    return ReadOptions(outlets=Outlets.bundled())


def read(paths, options) -> tuple[list[Document], list[Rejected]]:
    items = list(read_sources(paths, options))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Rejected)]


def test_plain_text_keeps_the_file_text_and_separates_furniture():
    text = "Skip to content\n\nMarkets fall again\n\nBy Jane Roe\n\nStocks fell on Monday, traders said.\n\nMore later.\n"
    doc = parse_article_text(text)
    assert doc.text == text
    assert doc.title == "Markets fall again"
    assert doc.authors == ["Jane Roe"]
    assert [text[s:e] for s, e in doc.body] == ["Stocks fell on Monday, traders said.", "More later."]
    assert doc.published is None


def test_a_title_case_first_line_is_the_headline_even_with_a_closing_period():
    body = "\n\nThe governor spoke to reporters on Monday in Richmond.\n\nHe left soon after.\n"
    titled = parse_article_text("Pence Gives GOP A Boost With Solid Debate Win Over Kaine." + body)
    assert titled.title == "Pence Gives GOP A Boost With Solid Debate Win Over Kaine."
    # A sentence of the body, however many names it holds, is not a headline.
    lede = parse_article_text("Hillary Clinton met Donald Trump and Mike Pence in New York on Monday." + body)
    assert lede.title is None and len(lede.body) == 3


def test_dateline_without_zone_takes_the_outlet_zone_or_says_it_assumed_utc():
    text = "Headline here\n\nPosted October. 26, 2024 07:51\n\nBody sentence one.\n\nJane Roe jane@donga.com"
    doc = parse_article_text(text)
    assert doc.published.isoformat() == "2024-10-26T07:51:00+09:00"
    assert doc.outlet == "Dong-A Ilbo"
    unknown = parse_article_text(text.replace("donga.com", "example.org"))
    assert unknown.published.tzinfo == timezone.utc and unknown.meta["zone_assumed"] == "UTC"


def test_same_text_same_id_different_text_different_id():
    a, b = parse_article_text("One.\n\nTwo."), parse_article_text("One.\n\nTwo.")
    assert a.id == b.id and len(a.id) == 16
    assert parse_article_text("One.\n\nThree.").id != a.id


def test_jsonl_bad_lines_are_rejected_one_by_one_and_the_rest_read(tmp_path, options):
    good = {"title": "Seoul says troops went", "description": "Officials said so.", "link": "https://www.nbcnews.com/x",
            "published": "2024-10-24T10:49:18+00:00", "outlet": "NBC News"}
    lines = [json.dumps(good), "{not json", json.dumps({"title": ""}), json.dumps([1, 2]),
             json.dumps({**good, "published": "not a date at all"}), json.dumps({**good, "title": "Another"})]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, rejected = read([path], options)
    assert [d.title for d in docs] == ["Seoul says troops went", "Another"]
    assert {r.item for r in rejected} == {"line 2", "line 3", "line 4", "line 5"}
    assert all(r.reason for r in rejected)
    doc = docs[0]
    assert doc.outlet == "NBC News" and doc.url == "https://www.nbcnews.com/x"
    assert doc.text[doc.headline[0] : doc.headline[1]] == doc.title
    assert doc.text[doc.body[0][0] : doc.body[0][1]] == "Officials said so."


def test_bad_files_get_clear_reasons_and_the_batch_goes_on(tmp_path, options):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n  ")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 society said it.\n".encode("latin-1"))
    (tmp_path / "huge.txt").write_text("word " * 2000)
    (tmp_path / "ok.txt").write_text("Title line\n\nOfficials said the talks failed.\n")
    (tmp_path / ".hidden.txt").write_text("Hidden.\n")
    options.max_bytes = 5000
    docs, rejected = read([tmp_path, tmp_path / "missing.txt"], options)
    assert [Path(d.source).name for d in docs] == ["ok.txt"]
    reasons = {Path(r.source).name: r.reason for r in rejected}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["latin1.txt"].startswith("not valid utf-8 (byte 0xe9 at offset 3)")
    assert reasons["huge.txt"].startswith("file too large")
    assert reasons["missing.txt"] == "no such file or folder"
    assert ".hidden.txt" not in reasons


def test_other_encodings_when_asked(tmp_path, options):
    (tmp_path / "latin1.txt").write_bytes("Title\n\nCaf\xe9 owners said it.\n".encode("latin-1"))
    options.encoding = "latin-1"
    docs, rejected = read([tmp_path], options)
    assert not rejected and "Café" in docs[0].text


def test_json_array_and_single_object_files(tmp_path, options):
    (tmp_path / "list.json").write_text(json.dumps([{"text": "A said B."}, {"text": "C said D."}], indent=1))
    (tmp_path / "one.json").write_text(json.dumps({"title": "T", "text": "E said F."}, indent=1))
    docs, rejected = read([tmp_path], options)
    assert sorted(d.text for d in docs) == ["A said B.", "C said D.", "T\n\nE said F."]
    assert not rejected


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>NPR</title>
<item><title>US says North Korean troops are in Russia</title><link>https://www.npr.org/2024/10/24/x</link>
<description>&lt;p&gt;Austin said there is evidence.&lt;/p&gt;</description><pubDate>Thu, 24 Oct 2024 01:11:00 GMT</pubDate></item>
<item><title></title><description></description></item>
</channel></rss>"""


def test_rss_feed(tmp_path, options):
    (tmp_path / "feed.xml").write_text(RSS)
    docs, rejected = read([tmp_path], options)
    assert len(docs) == 1 and len(rejected) == 1
    doc = docs[0]
    assert doc.outlet == "NPR" and doc.published.isoformat() == "2024-10-24T01:11:00+00:00"
    assert doc.text.endswith("Austin said there is evidence.")


HTML = """<html><head><title>Kremlin denies report | Example News</title>
<meta property="og:title" content="Kremlin denies report of troops">
<meta name="author" content="Ann Writer"><meta property="article:published_time" content="2024-10-23T09:00:00+03:00">
</head><body><nav>Home | World | Sport</nav><article><h1>Kremlin denies report of troops</h1>
<p>The Kremlin on Wednesday denied reports that North Korean troops were in Russia, calling them fake.</p>
<p>Spokesman Dmitry Peskov said the reports were another hoax, according to state media.</p>
<p>Officials in Kyiv insisted that thousands of soldiers had arrived for training in the Far East.</p>
</article><footer>Copyright 2024</footer></body></html>"""


def test_html_through_trafilatura(tmp_path, options):
    (tmp_path / "page.html").write_text(HTML)
    (tmp_path / "nothing.html").write_text("<html><body><nav>Home</nav></body></html>")
    docs, rejected = read([tmp_path], options)
    assert len(docs) == 1
    doc = docs[0]
    assert doc.title == "Kremlin denies report of troops"
    assert "Dmitry Peskov said" in doc.text and "Copyright" not in doc.text
    assert doc.published is not None and doc.published.date().isoformat() == "2024-10-23"
    assert [r.reason for r in rejected] == ["no article text found in the HTML"]
