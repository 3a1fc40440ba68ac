"""Fetching pages and feeds, against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.ingest.addresses import AddressPolicy
from storyline.ingest.fetch import Fetcher, FetchError, FetchSettings, retry_after
from storyline.ingest.files import ReadOptions
from storyline.ingest.outlets import Outlets
from storyline.ingest.urls import canonical_url
from storyline.ingest.web import WebOptions, fetch_page, poll_feed
from storyline.model import Document
from storyline.store import open_store
from tests.conftest import ROOT

WEB = ROOT / "tests" / "fixtures" / "web"
LOOPBACK = AddressPolicy.from_options(networks=["127.0.0.0/8"])
FAST = FetchSettings(delay=0, timeout=1.0, deadline=3.0, backoff=0.01, retries=2, max_bytes=1_000_000)
ARTICLE = (WEB / "wire.html").read_bytes()
STORY = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>{who} said on Tuesday that the troops had crossed the border overnight, according to officials in Kyiv.</p>"
    "<p>The report could not be independently verified, and Moscow did not comment on it.</p></article></body></html>"
)
LATIN = (
    "<html><head><meta charset='utf-8'><title>Café talks</title></head><body><article>"
    + "<p>Le café du matin à Genève coûte désormais plus cher qu'à Zürich, où les élèves étudient l'économie.</p>" * 8
    + "</article></body></html>"
).encode("cp1252")
BOMB = gzip.compress(b"\0" * 20_000_000, compresslevel=9)


def rss(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{summary}</description><pubDate>Tue, 22 Oct 2024 08:00:00 GMT</pubDate></item>"
        for title, link, summary in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>{body}</channel></rss>'.encode()


class Site(BaseHTTPRequestHandler):
    """The pages and misbehaviours the tests need; every request is logged."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.server.status[self.path.split("?")[0]] = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def stream(self, chunk: bytes, pause: float) -> None:
        """No length, chunks until the client goes; the server stops by itself after 5 s whatever happens."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        deadline = time.monotonic() + 5
        try:
            while time.monotonic() < deadline:
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass
        self.close_connection = True

    def do_GET(self) -> None:  # noqa: C901 - one branch per test page
        server = self.server
        path = self.path.split("?")[0]
        server.log.append((path, self.headers.get("Host"), self.headers.get("User-Agent")))
        server.hits[path] = server.hits.get(path, 0) + 1
        if path == "/robots.txt":
            self.send(*server.robots, "text/plain")
        elif path == "/article":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send(304, ETag='"v1"')
            else:
                self.send(200, ARTICLE, ETag='"v1"')
        elif path.startswith("/story/") or path.startswith("/private/"):
            n = path.rsplit("/", 1)[1]
            self.send(200, STORY.format(title=f"Story {n} on the border", who=f"Officer Number{n}").encode())
        elif path == "/gzipped":
            self.send(200, gzip.compress(ARTICLE), Content_Encoding="gzip")
        elif path == "/redirect-private":
            self.send(302, Location="http://10.255.255.1/x")
        elif path == "/redirect-metadata":
            self.send(302, Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/redirect-home":
            self.send(301, Location="/article")
        elif path == "/redirect-loop":
            self.send(302, Location="/redirect-loop")
        elif path == "/redirect-ftp":
            self.send(302, Location="ftp://127.0.0.1/file")
        elif path == "/slow":
            time.sleep(2.5)
            self.send(200, ARTICLE)
        elif path == "/endless":
            self.stream(b"<p>" + b"x" * 65536 + b"</p>", pause=0.0)
        elif path == "/drip":
            self.stream(b"<p>x</p>", pause=0.2)
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50_000_000))
            self.end_headers()
            self.close_connection = True
        elif path == "/bomb":
            self.send(200, BOMB, Content_Encoding="gzip")
        elif path == "/latin":
            self.send(200, LATIN, "text/html; charset=utf-8")  # the header lies
        elif path == "/busy":
            if server.hits[path] == 1:
                self.send(429, b"slow down", "text/plain", Retry_After="1")
            else:
                self.send(200, ARTICLE)
        elif path == "/busy-long":
            self.send(429, b"come back tomorrow", "text/plain", Retry_After="86400")
        elif path == "/flaky":
            self.send(503 if server.hits[path] < 3 else 200, ARTICLE)
        elif path == "/report.pdf":
            self.send(200, b"%PDF-1.4 ...", "application/pdf")
        elif path == "/feed.xml":
            body = rss(server.feed)
            etag = '"' + hashlib.sha256(body).hexdigest()[:12] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send(304, ETag=etag)
            else:
                self.send(200, body, "application/rss+xml", ETag=etag)
        else:
            self.send(404, b"not found")


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    server.log, server.hits, server.status, server.feed = [], {}, {}, []
    server.robots = (200, b"User-agent: *\nDisallow: /private/\n")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetcher():
    with Fetcher(FAST, LOOPBACK, sleep=lambda s: None) as f:
        yield f


@pytest.fixture
def store(store_location):
    s = open_store(store_location)
    yield s
    s.close()


OPTIONS = WebOptions(ReadOptions(outlets=Outlets.bundled()))


# -- addresses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("100.64.0.1", "non-public"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "metadata"),
        ("64:ff9b::a9fe:a9fe", "metadata"),  # NAT64 of 169.254.169.254
        ("2002:0a00:0001::1", "private"),  # 6to4 of 10.0.0.1
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
    ],
)
def test_address_policy(address, refused):
    why = AddressPolicy().refusal(ipaddress.ip_address(address))
    assert (why is None) if refused is None else (refused in why)


def test_allow_private_never_opens_metadata_or_multicast():
    policy = AddressPolicy.from_options(allow_private=True)
    assert policy.refusal(ipaddress.ip_address("10.1.2.3")) is None
    assert policy.refusal(ipaddress.ip_address("::ffff:127.0.0.1")) is None
    assert "metadata" in policy.refusal(ipaddress.ip_address("169.254.169.254"))
    assert "multicast" in policy.refusal(ipaddress.ip_address("224.0.0.1"))


def test_private_addresses_refused_by_default(site):
    with Fetcher(FAST, sleep=lambda s: None) as default:
        with pytest.raises(FetchError, match="refused: 127.0.0.1 is a loopback address"):
            default.get(f"{site.url}/article")
        with pytest.raises(FetchError, match="resolves to 127.0.0.1 is a loopback address"):
            default.get(f"http://localhost:{site.server_address[1]}/article")
    assert site.log == []  # refused before connecting


def fails_with(fetcher, site, reasons: dict[str, str]) -> None:
    for path, reason in reasons.items():
        with pytest.raises(FetchError, match=reason):
            fetcher.get(f"{site.url}{path}")


def test_every_redirect_hop_is_checked(site, fetcher):
    fails_with(fetcher, site, {
        "/redirect-private": r"redirect to http://10.255.255.1/x: refused: 10.255.255.1 is a private address",
        "/redirect-metadata": "cloud metadata",
        "/redirect-ftp": "redirect to ftp://127.0.0.1/file: only http and https",
        "/redirect-loop": "more than 5 redirects",
    })
    assert fetcher.get(f"{site.url}/redirect-home").url == f"{site.url}/article"


def test_names_are_checked_on_the_address_connected_to(site, fetcher, monkeypatch):
    """DNS rebinding: the check is made on the resolution the connection uses."""
    real = socket.getaddrinfo
    answers = {"good.test": "127.0.0.1", "rebind.test": "10.0.0.1"}

    def resolve(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    port = site.server_address[1]
    assert fetcher.get(f"http://good.test:{port}/article").status == 200
    assert ("/article", f"good.test:{port}", FAST.user_agent) in site.log
    with pytest.raises(FetchError, match="rebind.test resolves to 10.0.0.1 is a private address"):
        fetcher.get(f"http://rebind.test:{port}/article")


# -- limits, retries, politeness ----------------------------------------------------------


def test_timeouts_and_size_limits(site):
    strict = FetchSettings(delay=0, timeout=0.5, deadline=1.5, retries=0, max_bytes=1_000_000)
    fetcher = Fetcher(strict, LOOPBACK, sleep=lambda s: None)
    fails_with(fetcher, site, {
        "/slow": "timed out",
        "/endless": "too large",
        "/huge": r"too large \(50.0 MB > 1.0 MB limit\)",
        "/bomb": "too large .*once decoded",
        "/drip": "too slow",
    })
    assert fetcher.get(f"{site.url}/gzipped").content == ARTICLE
    fetcher.close()


def test_retries_honour_retry_after_with_a_cap(site):
    waits: list[float] = []
    with Fetcher(FAST, LOOPBACK, sleep=waits.append) as fetcher:
        assert fetcher.get(f"{site.url}/busy").status == 200
        assert 1.0 in waits
        with pytest.raises(FetchError, match="Retry-After 86400 s is longer than the 120 s cap"):
            fetcher.get(f"{site.url}/busy-long")
        assert fetcher.get(f"{site.url}/flaky").status == 200
    assert site.hits["/flaky"] == 3 and site.hits["/busy"] == 2
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0 and retry_after("7") == 7.0


def test_politeness_delay_between_requests_to_a_host(site):
    waits: list[float] = []
    with Fetcher(FetchSettings(delay=5.0, timeout=1.0), LOOPBACK, sleep=waits.append) as fetcher:
        fetcher.get(f"{site.url}/article")
        fetcher.get(f"{site.url}/story/1")
    # robots.txt, then the article at once, then the story after most of the delay
    assert len(waits) == 2 and all(4.0 < w <= 5.0 for w in waits)


def test_robots_txt_is_honoured(site, fetcher):
    with pytest.raises(FetchError, match=r"disallowed by 127.0.0.1:\d+'s robots.txt"):
        fetcher.get(f"{site.url}/private/page")
    fetcher.get(f"{site.url}/article")
    assert site.hits["/robots.txt"] == 1  # once per host and run


def test_robots_crawl_delay_and_unreachable_robots(site):
    waits: list[float] = []
    site.robots = (200, b"User-agent: storyline\nCrawl-delay: 7\n")
    with Fetcher(FetchSettings(delay=1.0, timeout=1.0), LOOPBACK, sleep=waits.append) as fetcher:
        fetcher.get(f"{site.url}/article")
        fetcher.get(f"{site.url}/story/1")
    assert waits and all(6.0 < w <= 7.0 for w in waits)
    site.robots = (503, b"")
    with Fetcher(FAST, LOOPBACK, sleep=lambda s: None) as fetcher:
        with pytest.raises(FetchError, match=r"robots.txt unreachable \(HTTP 503\): the host is not fetched"):
            fetcher.get(f"{site.url}/article")
    site.robots = (404, b"")
    with Fetcher(FAST, LOOPBACK, sleep=lambda s: None) as fetcher:
        assert fetcher.get(f"{site.url}/private/x").status == 200  # no robots.txt: no rules


# -- pages --------------------------------------------------------------------------


def test_page_to_document_and_dedup_by_canonical_url(site, fetcher, store):
    doc = fetch_page(f"{site.url}/article?utm_source=feed&utm_medium=rss", fetcher, store, OPTIONS)
    assert isinstance(doc, Document)
    assert doc.url == f"{site.url}/article"  # tracking parameters stripped; rel=canonical is on another site
    assert doc.published.isoformat() == "2024-10-23T14:05:00+09:00" and doc.meta["agency"] == "Reuters"
    assert canonical_url(f"{site.url}/article?utm_source=x#top") == doc.url


def test_lying_charset_and_non_html(site, fetcher, store):
    doc = fetch_page(f"{site.url}/latin", fetcher, store, OPTIONS)
    assert "Le café du matin à Genève" in doc.text
    rejected = fetch_page(f"{site.url}/report.pdf", fetcher, store, OPTIONS)
    assert rejected.reason == "not an HTML page (content type application/pdf)"
    feed = fetch_page(f"{site.url}/feed.xml", fetcher, store, OPTIONS)
    assert "use storyline watch" in feed.reason


# -- the commands -----------------------------------------------------------------------

runner = CliRunner()


def cli(db, *args):
    result = runner.invoke(app, ["--db", str(db), "-j", "1", *args])
    result.said = " ".join(result.output.split())  # rich wraps long lines
    return result


def test_fetch_command(site, tmp_path):
    db = tmp_path / "cli.db"
    result = cli(db, "fetch", "--allow-private", "--delay", "0", f"{site.url}/article", f"{site.url}/report.pdf")
    assert result.exit_code == 1, result.output  # some inputs rejected (README: exit codes)
    assert "1 ingested, 0 skipped, 1 rejected" in result.said
    assert "not an HTML page (content type application/pdf)" in result.said
    # Again, and under another URL of the same page: nothing is fetched, nothing duplicated.
    before = site.hits["/article"]
    result = cli(db, "fetch", "--allow-private", "--delay", "0", f"{site.url}/article?utm_campaign=x")
    assert "0 ingested, 1 skipped, 0 rejected" in result.said and site.hits["/article"] == before
    # Refreshed: a conditional GET, answered 304.
    result = cli(db, "fetch", "--allow-private", "--delay", "0", "--refresh", f"{site.url}/article")
    assert "0 ingested, 1 skipped" in result.said and site.hits["/article"] == before + 1
    # Without --allow-private: refused, recorded, and the exit code says every URL failed.
    result = cli(db, "fetch", f"{site.url}/story/9")
    assert result.exit_code == 3 and "127.0.0.1 is a loopback address (--allow-private to fetch it)" in result.said
    assert "loopback address" in cli(db, "status").said


def test_ingest_routes_urls_to_the_fetcher(site, tmp_path):
    db = tmp_path / "ingest.db"
    result = cli(db, "ingest", "--allow-private", f"{site.url}/article", "ftp://127.0.0.1/x")
    assert result.exit_code == 1, result.output
    assert "1 ingested, 0 skipped, 1 rejected" in result.said and "only http and https" in result.said
    assert cli(db, "ingest", "https://").exit_code == 3


def test_watch_takes_only_new_items(site, tmp_path, store_location, nlp, monkeypatch):
    from storyline.batch import ingest_items
    from storyline.config import Settings

    site.feed = [
        ("Story 1 on the border", f"{site.url}/story/1", "Summary one."),
        ("Officials say troops crossed", f"{site.url}/private/3", "KYIV (Reuters) — Officials in Kyiv said on Tuesday that troops had crossed."),
    ]
    feed = f"{site.url}/feed.xml"
    settings = Settings(db=store_location, processes=1)
    store = open_store(settings.db)
    with Fetcher(FAST, LOOPBACK, sleep=lambda s: None) as fetcher:
        report = ingest_items(poll_feed(feed, fetcher, store, OPTIONS), store, settings, nlp=nlp)
        assert len(report.ingested) == 2 and not report.rejected
        docs = {d.title: d for d in store.documents()}
        fallback = docs["Officials say troops crossed"]  # robots.txt forbids the page: the summary stands in
        assert "robots.txt" in fallback.meta["page_error"] and fallback.meta["agency"] == "Reuters"
    store.close()
    # The feed changes; a restart (the command, with --once) takes only the new item.
    site.feed.insert(0, ("Story 2 on the border", f"{site.url}/story/2", "Summary two."))
    feeds_file = tmp_path / "feeds.txt"
    feeds_file.write_text(f"# the wire\n{feed}\n")
    result = cli(settings.db, "watch", "--once", "--allow-private", "--delay", "0", str(feeds_file))
    assert result.exit_code == 0, result.output
    assert "1 ingested, 0 skipped, 0 rejected" in result.said and "Story 2 on the border" in result.said
    assert site.hits["/story/1"] == 1
    # Unchanged: the conditional GET is answered 304 and nothing is fetched but robots.txt and the feed.
    hits = sum(site.hits.values())
    result = cli(settings.db, "watch", "--once", "--allow-private", "--delay", "0", feed)
    assert "0 ingested, 0 skipped, 0 rejected" in result.said
    assert sum(site.hits.values()) == hits + 2 and site.status["/feed.xml"] == 304
    result = cli(settings.db, "watch", "--once", "--delay", "0", feed)  # refused: every feed failed
    assert result.exit_code == 3 and "loopback" in result.said


def test_watch_interval_is_checked(tmp_path):
    assert cli(tmp_path / "x.db", "watch", "--every", "5s", "http://example.com/feed").exit_code == 2


def test_watch_runs_until_ctrl_c(site, tmp_path, monkeypatch):
    import storyline.cli.fetch as commands

    def interrupt(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(commands.time, "sleep", interrupt)  # Ctrl-C while waiting for the next poll
    site.feed = [("Story 1 on the border", f"{site.url}/story/1", "Summary one.")]
    result = cli(tmp_path / "w.db", "watch", "--every", "1m", "--allow-private", "--delay", "0", f"{site.url}/feed.xml")
    assert result.exit_code == 0, result.output
    assert "1 ingested" in result.said and "stopped" in result.said
