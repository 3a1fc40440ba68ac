"""The HTTP API and the story pages (storyline serve), in-process over a small store."""

from __future__ import annotations

import re
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI

from storyline.api import create_app
from storyline.api.deps import TOKEN_VARIABLE
from storyline.config import Settings
from storyline.ingest.files import ReadOptions
from storyline.ingest.outlets import Outlets
from storyline.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "story" / "nk-feeds-sample.jsonl"
REFERENCE = ROOT / "samples" / "donga-2024-10-26-putin-acknowledges-troops.txt"
PLANTED = "<script>alert('planted')</script>"
AUSTIN = "Defense Secretary Austin says there is evidence of North Korean troops in Russia"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request, nlp, tmp_path_factory) -> Iterator[Path | str]:
    """The same small store on SQLite and on PostgreSQL: every route answers the same on both."""
    folder = tmp_path_factory.mktemp("api")
    if request.param == "sqlite":
        yield _filled(folder / "api.db", folder, nlp)
        return
    from tests.pg_server import fresh_database

    with fresh_database(request.getfixturevalue("pg_server")) as url:
        yield _filled(url, folder, nlp)


def _filled(location: Path | str, folder: Path, nlp: Any) -> Path | str:
    from storyline.batch import ingest

    path = location
    store = open_store(location)
    # A plain-text article keeps its characters as written: markup in it must never run in a page.
    hostile = folder / "hostile.txt"
    hostile.write_text(f"Hostile <b>title</b>\n\nOfficials said on Monday the convoy arrived. {PLANTED} The rest is text.\n",
                       encoding="utf-8")
    report = ingest([REFERENCE, SAMPLE, hostile], store, Settings(db=str(path), processes=1),
                    ReadOptions(outlets=Outlets.bundled()), nlp=nlp)
    assert not report.rejected
    store.close()
    return path


class Client:
    """Synchronous calls through httpx's in-process ASGI transport (the app needs no lifespan events)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, url, **kwargs)

        return anyio.run(call)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def options(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("OPTIONS", url, **kwargs)


def _client(db: Path | str, **options: Any) -> Client:
    return Client(create_app(db, **options))


@pytest.fixture(scope="module")
def client(db):
    with _client(db) as c:
        yield c


def _main_story(db: Path | str) -> str:
    store = open_store(db)
    try:
        return store.sql.rows(
            "SELECT story_id FROM story_documents sd JOIN documents d ON d.id = sd.doc_id WHERE d.title = {p}", [AUSTIN]
        )[0][0]
    finally:
        store.close()


def test_documents_page_through_the_store_without_gaps_or_repeats(client, db):
    seen, offset = [], 0
    while offset is not None:
        page = client.get("/api/documents", params={"limit": 7, "offset": offset}).json()
        assert len(page["items"]) <= 7 and page["offset"] == offset
        seen += [d["doc_id"] for d in page["items"]]
        offset = page["next_offset"]
    store = open_store(db)
    assert seen == [d.id for d in store.documents()]
    assert len(seen) == len(set(seen)) == store.counts()["documents"]


def test_a_document_comes_with_its_extractions_at_their_offsets(client):
    first = client.get("/api/documents", params={"limit": 1}).json()["items"][0]["doc_id"]
    body = client.get(f"/api/documents/{first[:8]}").json()  # a unique prefix resolves
    text = body["document"]["text"]
    assert body["document"]["doc_id"] == first
    for kind in ("statements", "times", "figures", "events"):
        for record in body[kind]:
            assert text[record["start"]:record["end"]] == record["text"]


def test_statements_filter_like_the_cli(client):
    found = client.get("/api/statements", params={"speaker": "Zakharova"}).json()["items"]
    assert found and all("Zakharova" in (s["speaker"]["name"] + s["speaker"]["text"]) for s in found)
    every = client.get("/api/statements", params={"limit": 500}).json()["items"]
    days = sorted({s["date"] for s in every if s["date"] and len(s["date"]) == 10})
    lo, hi = days[len(days) // 3], days[2 * len(days) // 3]
    dated = client.get("/api/statements", params={"since": lo, "until": hi, "limit": 500}).json()["items"]
    assert dated and len(dated) < len(every)
    assert all(lo <= (s["date"] or s["published"])[:10] and (s["date"] or s["published"])[:10] <= hi for s in dated)
    denials = client.get("/api/statements", params={"cue_class": "deny"}).json()["items"]
    assert denials and {s["cue_class"] for s in denials} == {"deny"}
    searched = client.get("/api/statements", params={"search": "troops"}).json()["items"]
    assert searched and all("troop" in (s["content"]["text"] + s["text"]).lower() for s in searched)
    one = searched[0]["doc_id"]
    assert {s["doc_id"] for s in client.get("/api/statements", params={"doc": one}).json()["items"]} == {one}


def test_stories_and_the_story_record(client, db):
    main = _main_story(db)
    stories = client.get("/api/stories").json()["items"]
    assert main in {s["story_id"] for s in stories}
    record = client.get(f"/api/stories/{main[:7]}").json()
    assert record["story_id"] == main and record["claims"] and record["documents"]
    contested = client.get("/api/claims", params={"story": main, "contested": "true"}).json()["items"]
    claim = max(contested, key=lambda c: len(c["statements"]))
    stances = {s["speaker"]: s["stance"] for s in claim["statements"]}
    assert stances.get("Maria Zakharova") == "deny" and stances.get("Lloyd Austin") == "affirm"
    by_source = client.get("/api/claims", params={"source": "zakharova"}).json()["items"]
    assert by_source and all(any("Zakharova" in (s["speaker"] or "") for s in c["statements"]) for c in by_source)


def test_search_finds_documents_and_statements_and_takes_any_text(client):
    found = client.get("/api/search", params={"q": "North Korean troops"}).json()
    assert found["documents"] and found["statements"]
    # FTS5 syntax in plain words is searched for, not executed.
    for q in ['"', "troops OR", "NEAR(a b", "*", "a:b", "'; DROP TABLE documents; --"]:
        assert client.get("/api/search", params={"q": q}).status_code == 200, q
    assert client.get("/api/documents").json()["items"]


@pytest.mark.parametrize("url", [
    "/api/documents/ffffffffffffffff", "/api/documents/%25", "/api/documents/..%2F..%2Fetc",
    "/api/stories/snosuchstory", "/api/stories/%25", "/api/claims?story=nosuch", "/api/statements?doc=%25",
    "/api/nothing",
])
def test_unknown_ids_are_404_json(client, url):
    response = client.get(url)
    assert response.status_code == 404, url
    assert response.headers["content-type"].startswith("application/json") and response.json()["detail"]


@pytest.mark.parametrize("url", [
    "/api/documents?limit=0", "/api/documents?limit=100000", "/api/documents?offset=-1", "/api/documents?limit=x",
    "/api/statements?since=yesterday", "/api/statements?search=%22", "/api/statements?speaker=" + "x" * 300,
    "/api/search", "/api/search?q=", "/api/search?q=%20", "/api/claims?contested=perhaps",
    "/api/statements?cue_class=nope", "/api/statements?since=2024-10-24&until=2024-10-23",
])
def test_bad_parameters_are_422(client, url):
    assert client.get(url).status_code == 422, url


def test_ingest_needs_the_configured_token(db, nlp, monkeypatch):
    from storyline.api import ingest

    monkeypatch.setitem(ingest._pipelines, Settings().model, nlp)  # the session's pipeline, not a second load
    body = {"texts": [{"title": "Kremlin denies troop report",
                       "text": "The Kremlin spokesman Dmitry Peskov said on Monday that the report was false.",
                       "published": "2024-10-21T09:00:00Z", "url": "https://example.org/kremlin-denies"},
                      {"text": "   "}]}
    with _client(db) as c:
        monkeypatch.delenv(TOKEN_VARIABLE, raising=False)
        assert c.post("/api/ingest", json=body).status_code == 403  # no token configured: writing is off
        monkeypatch.setenv(TOKEN_VARIABLE, "s3cret-token")
        assert c.post("/api/ingest", json=body).status_code == 401
        assert c.post("/api/ingest", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
        auth = {"Authorization": "Bearer s3cret-token"}
        assert c.post("/api/ingest", json={"texts": []}, headers=auth).status_code == 422
        assert c.post("/api/ingest", content=b"x" * 30_000_000, headers=auth).status_code == 413
        result = c.post("/api/ingest", json=body, headers=auth).json()
        assert [d["title"] for d in result["ingested"]] == ["Kremlin denies troop report"]
        assert len(result["rejected"]) == 1 and "text 2" in result["rejected"][0]["item"]
        doc_id = result["ingested"][0]["doc_id"]
        assert c.get(f"/api/documents/{doc_id}").json()["statements"]
        again = c.post("/api/ingest", json=body, headers=auth).json()
        assert again["skipped"] == [doc_id] and not again["ingested"]


def test_cors_is_off_unless_an_origin_is_given(db, client):
    headers = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"}
    assert "access-control-allow-origin" not in client.get("/api/stories", headers=headers).headers
    assert client.options("/api/stories", headers=headers).status_code == 405
    with _client(db, cors_origins=["https://elsewhere.example"]) as c:
        assert c.get("/api/stories", headers=headers).headers["access-control-allow-origin"] == "https://elsewhere.example"


def test_pages_escape_article_text_and_load_nothing_from_elsewhere(client, db):
    store = open_store(db)
    hostile = store.sql.rows("SELECT id FROM documents WHERE text LIKE {p}", ["%<script>%"])[0][0]
    page = client.get(f"/documents/{hostile}")
    assert page.status_code == 200
    assert PLANTED not in page.text and "<b>title</b>" not in page.text
    assert "&lt;script&gt;alert(&#39;planted&#39;)&lt;/script&gt;" in page.text
    assert "&lt;b&gt;title&lt;/b&gt;" in page.text
    assert "script-src 'none'" in page.headers["content-security-policy"]
    assert "<script" not in page.text.lower()
    main = _main_story(db)
    listing = client.get("/")
    assert listing.status_code == 200 and f"/stories/{main}" in listing.text
    story = client.get(f"/stories/{main}")
    assert story.status_code == 200
    html = story.text
    assert "contested" in html and "Maria Zakharova" in html and "Lloyd Austin" in html
    assert "<svg" in html and "<circle" in html  # the figure series, drawn server-side
    # and in words under the chart, each step linked to the sentence it came from
    assert re.search(r'<p class="steps"><a href="/documents/[0-9a-f]+#at\d+">[^<]*\d[\d,]* \(2024-10-\d\d', html)
    # Nothing is loaded from elsewhere: no script, no src attribute, the one stylesheet is the app's own.
    assert "<script" not in html and not re.search(r"\bsrc=", html)
    assert re.findall(r"<link[^>]*href=\"([^\"]*)\"", html) == ["/static/style.css", "/static/favicon.svg"]
    for missing in ("/stories/nosuch", "/documents/ffff0000", "/no/such/page"):
        response = client.get(missing)
        assert response.status_code == 404 and response.headers["content-type"].startswith("text/html"), missing
    assert client.get("/static/style.css").status_code == 200


def test_every_link_from_a_story_lands_on_its_characters_in_the_document(client):
    # Provenance: a claim cell, a figure or a timeline item (a statement or an event) links to
    # /documents/ID#atOFFSET; that id must be on the document page, or the reader lands
    # at the top of the article and has to hunt for the sentence.
    links: set[tuple[str, str]] = set()
    for story in client.get("/api/stories").json()["items"]:
        links |= set(re.findall(r'href="/documents/([0-9a-f]+)#(at\d+)"', client.get(f"/stories/{story['story_id']}").text))
    assert any(a == "at2554" for _, a in links)  # the reference's "incursion" event (August)
    pages = {doc: client.get(f"/documents/{doc}").text for doc in {d for d, _ in links}}
    missing = [(doc, a) for doc, a in links if f'id="{a}"' not in pages[doc]]
    assert not missing, missing
    assert '<mark class="event" id="at2554"' in pages["800d4159428d7e23"]


def test_a_claim_whose_sources_have_no_column_still_names_them_with_links(client):
    from storyline.story.views import Claim, ClaimStatement
    from storyline.web.matrix import matrix

    def said(speaker: str, stance: str, start: int) -> ClaimStatement:
        return ClaimStatement(f"st{start}", "d1", None, None, "Outlet", speaker, None, "said", stance, "2024-10-24",
                              start, start + 9, "a sentence", True)

    busy = Claim("c1", "s1", "troops are in Russia", True, None, None,
                 [said("Zakharova", "deny", 0), *(said(f"Source {k}", "affirm", 10 * k) for k in range(1, 4))])
    quiet = Claim("c2", "s1", "Kursk is the border area", False, None, None,
                  [said("NBC News", "hedge", 100), said("The Guardian", "affirm", 120)])
    table = matrix([busy, quiet], columns=1)  # the one who denies
    row = next(r for r in table.rows if r.claim is quiet)
    # Its sources have no column, so every cell is empty: the row itself names them.
    assert not any(row.cells) and [(s.speaker, s.stance) for s in row.others] == [("NBC News", "hedge"), ("The Guardian", "affirm")]
    # On the story page, every claim row links to the documents behind it.
    for story in client.get("/api/stories").json()["items"]:
        html = client.get(f"/stories/{story['story_id']}").text
        for tr in re.findall(r"<tr(?: class=\"contested\")?>\s*<th scope=\"row\">.*?</tr>", html, flags=re.S):
            assert 'href="/documents/' in tr, tr


def test_the_document_page_names_a_headlines_punctuation_cue(nlp, tmp_path):
    from storyline.batch import ingest

    article = tmp_path / "headline.txt"
    article.write_text("North Korean troops fighting for Russia in Ukraine: Seoul\n\n"
                       "South Korea's defence minister said on Tuesday the reports were highly likely.\n", encoding="utf-8")
    db = tmp_path / "one.db"
    with open_store(db) as store:
        ingest([article], store, Settings(db=str(db), processes=1), ReadOptions(), nlp=nlp)
        (doc,) = [d.id for d in store.documents()]
    page = _client(db).get(f"/documents/{doc}").text
    assert "Seoul</a> — (headline “:”)" in page and "</a> — :" not in page


def test_the_pages_say_when_a_date_is_only_the_publication_date(client, db):
    # "2024-10-24 Putin deny: presence of North Korean troops" is the day the headline ran, not a
    # day the text gives: a reader must see which, on the timeline as in the CLI.
    html = client.get(f"/stories/{_main_story(db)}").text
    items = re.findall(r'<li class="(?:statement|event)">.*?</li>', html, flags=re.S)
    assert items and any(i.endswith('<span class="dim">(publication date)</span></li>') for i in items)
    assert any("(publication date)" not in i for i in items)  # the reference article's dates are in its text
    page = client.get("/documents/800d4159428d7e23").text
    assert "[acknowledge, indirect, affirm] 2024-10-26 (publication date)</span>" in page


def test_ids_in_capitals_find_the_same_document_and_story(client, db):
    # The CLI's "show 800D" works; the pages and the API take an id as a reader may type it too.
    story = _main_story(db)
    for path in ("/documents/800D", "/api/documents/800D4159", f"/stories/{story[:6].upper()}", f"/api/stories/{story[:6].upper()}"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/documents/800D").json()["document"]["doc_id"] == "800d4159428d7e23"


def test_the_search_page_finds_statements_and_documents_and_links_each_to_its_characters(client):
    assert 'href="/search"' in client.get("/").text  # reachable from every page's header
    empty = client.get("/search")
    assert empty.status_code == 200 and '<form class="search" action="/search"' in empty.text
    page = client.get("/search", params={"q": "false exaggerated"}).text
    assert re.search(r'<a href="/documents/800d4159428d7e23#at1583">Maria Zakharova</a> — calling\s*'
                     r'<span class="dim">\[describe, mixed, deny\]</span>: them “false and exaggerated.”', page), page
    assert '<a href="/documents/800d4159428d7e23">Putin acknowledges N. Korean troop deployment to Russia</a>' in page
    hostile = client.get("/search", params={"q": PLANTED}).text
    assert PLANTED not in hostile and "&lt;script&gt;" in hostile
    assert "No statement has all of these words" in client.get("/search", params={"q": "zzxqv"}).text


def test_the_story_map_places_the_story_on_the_bundled_outline(client, db):
    html = client.get(f"/stories/{_main_story(db)}").text
    assert 'href="/static/land-110m.svg"' in html
    assert re.search(r"<circle class=\"place\"[^>]*><title>North Korea: named in \d+ documents</title>", html)
    outline = client.get("/static/land-110m.svg")
    assert outline.status_code == 200 and outline.headers["content-type"].startswith("image/svg+xml")


def _on_land(svg: str, lat: float, lon: float) -> bool:
    """Even-odd test of (lat, lon) against every ring of the outline's path."""
    x, y = lon + 180, 90 - lat
    inside = False
    for ring in re.findall(r"M([^Z]+)Z", svg):
        points = [tuple(map(float, p.split())) for p in ring.split("L")]
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def test_the_world_outline_is_land_where_land_is():
    svg = (ROOT / "storyline" / "web" / "static" / "land-110m.svg").read_text()
    for lat, lon in [(55.75, 37.62), (39.03, 125.75), (50.45, 30.52), (39.0, -98.0), (-25.0, 134.0)]:
        assert _on_land(svg, lat, lon), (lat, lon)  # Moscow, Pyongyang, Kyiv, Kansas, central Australia
    for lat, lon in [(0.0, -30.0), (35.0, -40.0), (-40.0, 90.0), (38.0, 132.0)]:
        assert not _on_land(svg, lat, lon), (lat, lon)  # Atlantic, Indian Ocean, Sea of Japan


def test_topojson_arcs_are_decoded_and_reversed():
    from storyline.web.world import rings

    topology = {
        "transform": {"scale": [1, 1], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, -2]]],
        "objects": {"land": {"geometries": [{"type": "Polygon", "arcs": [[0, 1]]},
                                            {"type": "MultiPolygon", "arcs": [[[~1]]]}]}},
    }
    assert rings(topology, "land") == [[(10, 20), (12, 20), (12, 22), (10, 20)], [(10, 20), (12, 22)]]


def test_the_docs_page_loads_nothing_from_elsewhere(client):
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r"(?:src|href)=['\"]([^'\"]+)['\"]", page.text)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code in (200, 307), source
    assert client.get("/redoc").status_code == 404
