"""HTML pages → Documents: body ranges, datelines, repeated titles, publication times,
broken and deeply nested markup, and decoding."""

from __future__ import annotations

import pytest

from storyline.ingest.charset import decode_html
from storyline.ingest.dateline import find_dateline
from storyline.ingest.html import parse_html
from storyline.ingest.outlets import Outlets
from storyline.ingest.records import BadRecord
from tests.conftest import ROOT

WEB = ROOT / "tests" / "fixtures" / "web"
OUTLETS = Outlets.bundled()


def page(name: str, **kwargs):
    return parse_html((WEB / name).read_text(encoding="utf-8"), source=name, outlets=OUTLETS, **kwargs)


def body_of(document) -> str:
    return "\n".join(document.text[s:e] for s, e in document.body)


def test_wire_page_keeps_title_as_headline_only_and_dateline_as_metadata():
    doc = page("wire.html")
    assert doc.text[slice(*doc.headline)] == doc.title == "North Korea says it will respond to any provocation"
    body = body_of(doc)
    # The title repeated as the body's first line and the dateline are text, but not body.
    assert body.startswith("North Korea's defence ministry said on Wednesday")
    assert "SEOUL, Oct. 23 (Reuters) -" in doc.text and "SEOUL" not in body.split(".")[0]
    assert doc.meta["dateline"] == "SEOUL, Oct. 23 (Reuters)" and doc.meta["agency"] == "Reuters"
    assert "Copyright" not in doc.text and "Sport" not in doc.text


def test_published_time_keeps_time_and_zone():
    doc = page("wire.html")
    assert doc.published.isoformat() == "2024-10-23T14:05:00+09:00"
    assert doc.updated.isoformat() == "2024-10-23T16:30:00+09:00"
    assert doc.meta["published_from"] == "json-ld datePublished" and doc.meta["published_precision"] == "time"
    assert "zone_assumed" not in doc.meta


PARAGRAPHS = (
    "<p>The Kremlin on Wednesday denied reports that North Korean troops were in Russia, calling them fake.</p>"
    "<p>Spokesman Dmitry Peskov said the reports were another hoax, according to state media.</p>"
)


def test_meta_tag_time_and_htmldate_day_fallback():
    meta = f'<html><head><meta property="article:published_time" content="2024-10-23T09:00:00+03:00"></head><body><article>{PARAGRAPHS}</article></body></html>'
    doc = parse_html(meta, source="m", outlets=OUTLETS)
    assert doc.published.isoformat() == "2024-10-23T09:00:00+03:00"
    assert doc.meta["published_from"] == "meta article:published_time"
    day_only = f"<html><body><article><p>Published 23 October 2024</p>{PARAGRAPHS}</article></body></html>"
    doc = parse_html(day_only, source="d", outlets=OUTLETS)
    assert doc.published.date().isoformat() == "2024-10-23" and doc.meta["published_precision"] == "day"


def test_dateline_is_left_out_of_what_attribution_reads(nlp):
    from storyline.analyze.pipeline import analyze

    (outcome,) = analyze(nlp, [page("wire.html")])
    speakers = {s.speaker.text for s in outcome.analysis.statements if s.speaker}
    assert "SEOUL" not in speakers and speakers  # the ministry still speaks


@pytest.mark.parametrize(
    ("text", "place", "agency", "rest"),
    [
        ("SEOUL, Oct. 23 (Reuters) - North Korea said", "SEOUL", "Reuters", "North Korea said"),
        ("MOSCOW — The Kremlin said", "MOSCOW", None, "The Kremlin said"),
        ("BUFFALO, N.Y. (AP) — Hours before", "BUFFALO, N.Y.", "AP", "Hours before"),
        ("NEW DELHI: Their dream", "NEW DELHI", None, "Their dream"),
        ("(Reuters) — The attorney general", None, "Reuters", "The attorney general"),
        ("Dekalb, Ill. — Mike Glass threw", "Dekalb, Ill.", None, "Mike Glass threw"),
    ],
)
def test_datelines(text, place, agency, rest):
    found = find_dateline(text)
    assert found is not None and (found.place, found.agency) == (place, agency)
    assert text[found.end :] == rest


@pytest.mark.parametrize(
    "text", ["NATO - the alliance met", "The Kremlin said - no", "US-China talks — stalled", "LOOK WHAT YOU MADE ME DO\n\nBrace"]
)
def test_not_datelines(text):
    assert find_dateline(text) is None


def test_malformed_html_falls_back_to_plain_text():
    doc = page("malformed.html")
    body = body_of(doc)
    assert doc.meta["extractor"] == "plain text" and doc.title == "Kremlin denies troop report"
    assert "North Korean troops were in Russia" in body and "Dmitry Peskov said" in body


def test_deeply_nested_divs_fall_back_to_plain_text():
    markup = "<html><body>" + "<div>" * 5000 + PARAGRAPHS + "</div>" * 5000 + "</body></html>"
    doc = parse_html(markup, source="deep", outlets=OUTLETS)
    assert "Dmitry Peskov said" in body_of(doc) and doc.meta["extractor"] == "plain text"


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><nav>Home</nav></body></html>",
        "<html><head><script>var a = 'a long script that is not article text at all, no';</script></head><body></body></html>",
    ],
)
def test_pages_without_text_are_still_rejected(markup):
    with pytest.raises(BadRecord, match="no article text found"):
        parse_html(markup, source="x", outlets=OUTLETS)


def test_plain_text_leaves_out_furniture_and_link_lists():
    from storyline.ingest.plaintext import plain_text

    markup = (
        "<head><title>T</title><style>p {}</style><body><nav>Home World</nav><header>Site</header>"
        "<ul><li><a href='/a'>World news from every continent</a></li><li>See <a href='/b'>all our sections here</a></li></ul>"
        "<div>Kept: a paragraph with a <a href='/c'>link</a> in it.</div><script>var x;</script><footer>(c)</footer>"
    )
    assert plain_text(markup).text == "Kept: a paragraph with a link in it."
    assert plain_text(markup).title == "T"


LONG = "Le café du matin à Genève coûte désormais plus cher qu'à Zürich, où les élèves étudient l'économie. " * 20


def test_charset_header_then_meta_then_detector():
    utf8 = f"<html><head><meta charset='utf-8'></head><body><p>{LONG}</p></body></html>".encode()
    assert decode_html(utf8, "utf-8") == (utf8.decode(), "utf-8")
    # The header lies (latin-1) about a UTF-8 page: valid multi-byte UTF-8 wins.
    assert decode_html(utf8, "iso-8859-1")[0] == utf8.decode()
    # The meta lies (utf-8) about a windows-1252 page: it does not decode, the detector reads it.
    cp1252 = f"<html><head><meta charset='utf-8'></head><body><p>{LONG}</p></body></html>".encode("cp1252")
    text, encoding = decode_html(cp1252)
    assert "café du matin à Genève" in text and encoding != "utf-8"
    # Declared in the header and true.
    assert decode_html(cp1252, "windows-1252")[0] == cp1252.decode("cp1252")
    # A byte-order mark is not text.
    assert decode_html(b"\xef\xbb\xbf<p>x</p>") == ("<p>x</p>", "utf-8")
