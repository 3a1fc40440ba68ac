"""The story page in a real browser: headless Chromium (Debian's package) driven by Playwright.

`.ci/run` installs both; elsewhere the test skips with the reason. The page is
served by uvicorn on 127.0.0.1 from a store of the reference article, a sample
of the feed items and an article with a planted script.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.ingest.files import ReadOptions
from storyline.ingest.outlets import Outlets
from storyline.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "story" / "nk-feeds-sample.jsonl"
REFERENCE = ROOT / "samples" / "donga-2024-10-26-putin-acknowledges-troops.txt"
CHROMIUM = os.environ.get("STORYLINE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium's own calls home are refused on a closed network; these flags stop it making them.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (Debian: apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(nlp, tmp_path_factory):
    import uvicorn

    from storyline.api import create_app
    from storyline.batch import ingest

    folder = tmp_path_factory.mktemp("browser")
    db = folder / "site.db"
    planted = folder / "planted.txt"
    planted.write_text("North Korean troops seen near Kursk, officials say\n\nOfficials said on Tuesday that "
                       "North Korean troops were seen in Kursk. <script>window.planted = true</script> "
                       "<img src=x onerror=\"window.planted = true\"> The rest is text.\n", encoding="utf-8")
    with open_store(db) as store:
        report = ingest([REFERENCE, SAMPLE, planted], store, Settings(db=str(db), processes=1),
                        ReadOptions(outlets=Outlets.bundled()), nlp=nlp)
        assert not report.rejected
        story = store.db.execute(
            "SELECT story_id FROM story_documents sd JOIN documents d ON d.id = sd.doc_id WHERE d.url IS NULL "
            "AND d.title LIKE 'Putin acknowledges%'"
        ).fetchone()[0]
        planted_id = store.db.execute("SELECT id FROM documents WHERE source = ?", [str(planted)]).fetchone()[0]
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield {"url": f"http://127.0.0.1:{port}", "story": story, "planted": planted_id, "folder": folder}
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def _open(browser, url: str, width: int = 1400):
    page = browser.new_page(viewport={"width": width, "height": 1400})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, problems


def test_the_matrix_shows_zakharova_denying_and_austin_affirming(site, browser, tmp_path):
    page, problems = _open(browser, f"{site['url']}/stories/{site['story']}")
    headers = [h.strip() for h in page.locator("table.matrix thead th").all_inner_texts()]
    assert "Maria Zakharova" in headers and "Lloyd Austin" in headers, headers
    # Row headers are the claims; cell k is the source of header k + 1.
    zakharova, austin = headers.index("Maria Zakharova") - 1, headers.index("Lloyd Austin") - 1
    rows = page.locator("table.matrix tbody tr.contested")
    found = None
    for k in range(rows.count()):
        cells = rows.nth(k).locator("td")
        if "deny" in cells.nth(zakharova).inner_text() and "affirm" in cells.nth(austin).inner_text():
            found = cells
            break
    assert found is not None, "no contested claim with Zakharova denying and Austin affirming"
    # The sentence behind a cell is on hover (its title), and the cell links to the document.
    link = found.nth(zakharova).locator("a").first
    assert "denied" in (link.get_attribute("title") or "")
    assert (link.get_attribute("href") or "").startswith("/documents/")
    shot = tmp_path / "story.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("STORYLINE_SCREENSHOT"):  # how the README's picture is made
        shutil.copy(shot, os.environ["STORYLINE_SCREENSHOT"])
    assert not problems, problems


def test_a_script_planted_in_an_article_does_not_run(site, browser):
    page, problems = _open(browser, f"{site['url']}/documents/{site['planted']}")
    assert "<script>window.planted = true</script>" in page.locator("body").inner_text()
    assert page.evaluate("window.planted === undefined")
    assert not problems, problems


def test_the_api_docs_page_renders_every_route(site, browser):
    # The docs page's Swagger UI must read the OpenAPI version FastAPI writes (3.1): an older one
    # shows only "Unable to render this definition".
    page, problems = _open(browser, f"{site['url']}/docs")
    page.wait_for_selector(".opblock-summary-path, .version-pragma", timeout=15_000)
    text = page.locator("body").inner_text()
    assert "Unable to render this definition" not in text
    paths = {p.strip().replace("\u200b", "") for p in page.locator(".opblock-summary-path").all_inner_texts()}
    assert {"/api/documents", "/api/statements", "/api/stories/{story}", "/api/claims", "/api/search"} <= paths, paths
    assert not problems, problems


def test_on_a_phone_the_story_page_fits_its_width(site, browser):
    # Only the claim matrix scrolls sideways (in its own box); a chart wider than the screen would
    # hide its latest figures off to the right.
    page, problems = _open(browser, f"{site['url']}/stories/{site['story']}", width=400)
    assert page.locator("svg.chart").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    for box in (page.locator(s).bounding_box() for s in ("svg.chart >> nth=0", "svg.map")):
        assert box is not None and box["x"] + box["width"] <= 400, box
    assert not problems, problems
