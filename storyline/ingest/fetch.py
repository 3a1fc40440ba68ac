"""A polite, careful HTTP client for pages and feeds (httpx underneath).

Conventions of well-behaved crawlers: robots.txt honoured (RFC 9309, with
protego: a 4xx robots.txt allows everything, an unreachable one forbids the
host until it is read again, at most a day later), a clear User-Agent, one request at a time and a delay
between two requests to the same host (longer when robots.txt asks for a
Crawl-delay), conditional GET (ETag / Last-Modified), retries with
exponential backoff on 429 and 5xx that honour Retry-After up to a cap,
timeouts on connect/read and on the whole response, a size limit counted on
the decoded bytes as they stream in (so a gzip bomb or an endless stream is
cut there), redirects followed by hand with a limit, each hop checked. Which
addresses may be reached is :mod:`storyline.ingest.addresses`' business.
"""

from __future__ import annotations

import email.utils
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import httpx

from storyline.ingest.addresses import AddressPolicy, BlockedAddress, GuardedTransport
from storyline.ingest.urls import unfetchable

ROBOTS_AGENT = "storyline"
REDIRECTS = (301, 302, 303, 307, 308)
RETRIED = (429, 500, 502, 503, 504)
MAX_ROBOTS_BYTES = 500_000  # RFC 9309: parse at least 500 KiB
ROBOTS_TTL = 24 * 3600.0  # RFC 9309: a cached robots.txt is not used for more than 24 hours


def user_agent() -> str:
    from storyline import __version__

    return f"storyline/{__version__} (news analysis; python-httpx/{httpx.__version__})"


@dataclass
class FetchSettings:
    timeout: float = 20.0  # seconds to connect, and between two bytes of a response
    deadline: float = 60.0  # seconds for a whole response
    max_bytes: int = 10_000_000  # decoded bytes of one response
    delay: float = 2.0  # seconds between two requests to the same host
    max_crawl_delay: float = 60.0  # robots.txt Crawl-delay is honoured up to this
    retries: int = 3  # further attempts after a 429, a 5xx or a network error
    backoff: float = 1.0  # first wait before a retry; doubles each time
    max_retry_after: float = 120.0  # a longer Retry-After gives up on the URL instead
    max_redirects: int = 5
    robots: bool = True
    user_agent: str = field(default_factory=user_agent)


class FetchError(Exception):
    """A URL that could not be had; the message is the reason, in one line."""


@dataclass
class Response:
    url: str  # the final URL, after redirects
    status: int
    headers: httpx.Headers
    content: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset":
                return value.strip().strip("'\"") or None
        return None


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _decoded(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """Decompress as the bytes come, never more than 64 KiB of output at a time."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        yield from chunks
        return
    if "," in encoding:
        raise FetchError(f"stacked content encodings ({encoding}) are not accepted")
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported content encoding {encoding!r}")
    inflater = zlib.decompressobj(47)  # gzip or zlib header, detected
    raw_deflate = False
    for chunk in chunks:
        data = chunk
        while data:
            try:
                out = inflater.decompress(data, 65536)
            except zlib.error as err:
                if encoding == "deflate" and not raw_deflate:  # some servers send deflate without its header
                    inflater, raw_deflate = zlib.decompressobj(-15), True
                    continue
                raise FetchError(f"corrupt {encoding} data: {err}") from err
            data = inflater.unconsumed_tail
            if out:
                yield out


class Fetcher:
    """GET pages and feeds politely; :class:`FetchError` says why a URL could not be had."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        policy: AddressPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.sleep = sleep
        self.client = httpx.Client(
            transport=GuardedTransport(policy or AddressPolicy()),
            timeout=httpx.Timeout(self.settings.timeout),
            headers={"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            trust_env=False,  # a proxy would be the only address checked
        )
        self._last: dict[str, float] = {}  # host → when its last request ended
        # host → (when read, protego parser or the reason the host is off limits)
        self._robots: dict[str, tuple[float, object]] = {}

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one URL, redirects and all -----------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None, accept: str = "*/*") -> Response:
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(self.settings.max_redirects + 1):
            if (why := unfetchable(current)) is not None:
                raise FetchError(why if current == url else f"redirect to {current}: {why}")
            try:
                if self.settings.robots:
                    self._check_robots(current)
                response = self._attempts(current, headers, self.settings.max_bytes)
            except (BlockedAddress, FetchError) as err:
                reason = f"refused: {err}" if isinstance(err, BlockedAddress) else str(err)
                raise FetchError(reason if current == url else f"redirect to {current}: {reason}") from None
            location = response.headers.get("location")
            if response.status in REDIRECTS and location:
                current = urljoin(current, location.strip())
                continue
            if response.status == 304 or 200 <= response.status < 300:
                return response
            raise FetchError(f"HTTP {response.status} {httpx.codes.get_reason_phrase(response.status)}".strip())
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    def _attempts(self, url: str, headers: dict[str, str], limit: int) -> Response:
        """One request, retried on 429, 5xx and network errors."""
        s = self.settings
        for attempt in range(s.retries + 1):
            last = attempt == s.retries
            try:
                response = self._request(url, headers, limit)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as err:
                if last:
                    raise FetchError(_network_reason(err)) from None
                self.sleep(s.backoff * 2**attempt)
                continue
            if response.status not in RETRIED or last:
                return response
            wait = retry_after(response.headers.get("retry-after"))
            if wait is not None and wait > s.max_retry_after:
                raise FetchError(
                    f"HTTP {response.status}: Retry-After {wait:.0f} s is longer than the {s.max_retry_after:.0f} s cap"
                )
            self.sleep(max(wait if wait is not None else 0.0, s.backoff * 2**attempt))
        raise AssertionError("unreachable")

    def _request(self, url: str, headers: dict[str, str], limit: int) -> Response:
        host = urlsplit(url).netloc.lower()
        self._wait_turn(host)
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > limit and response.headers.get("content-encoding") is None:
                    raise FetchError(f"too large ({int(length) / 1e6:.1f} MB > {limit / 1e6:.1f} MB limit)")
                body = bytearray()
                if response.status_code == 200:
                    for chunk in _decoded(response.iter_raw(), response.headers.get("content-encoding", "")):
                        body += chunk
                        if len(body) > limit:
                            raise FetchError(f"too large (more than {limit / 1e6:.1f} MB once decoded)")
                        if time.monotonic() - started > self.settings.deadline:
                            raise FetchError(f"too slow (no complete response in {self.settings.deadline:.0f} s)")
                return Response(str(response.url), response.status_code, response.headers, bytes(body))
        finally:
            self._last[host] = time.monotonic()

    def _wait_turn(self, host: str) -> None:
        delay = self.settings.delay
        parser = self._robots.get(host, (0.0, None))[1]
        crawl_delay = getattr(parser, "crawl_delay", None)
        if crawl_delay is not None and (asked := crawl_delay(ROBOTS_AGENT)):
            delay = max(delay, min(float(asked), self.settings.max_crawl_delay))
        if host in self._last:
            wait = self._last[host] + delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)

    # -- robots.txt ------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        read_at = self._robots.get(host, (None, None))[0]
        if read_at is None or time.monotonic() - read_at > ROBOTS_TTL:  # a long watch reads it again daily
            self._robots[host] = (time.monotonic(), self._load_robots(f"{parts.scheme}://{parts.netloc}/robots.txt"))
        parser = self._robots[host][1]
        if isinstance(parser, str):
            raise FetchError(parser)
        if not parser.can_fetch(url, ROBOTS_AGENT):  # type: ignore[attr-defined]
            raise FetchError(f"disallowed by {parts.netloc}'s robots.txt")

    def _load_robots(self, url: str) -> object:
        from protego import Protego

        current = url
        for _ in range(5):  # RFC 9309: follow at least five redirects
            try:
                response = self._attempts(current, {"Accept": "text/plain"}, MAX_ROBOTS_BYTES)
            except BlockedAddress as err:
                return f"refused: {err}"
            except FetchError as err:
                if str(err).startswith("too large"):
                    return Protego.parse("")
                return str(err)  # the host itself cannot be reached
            location = response.headers.get("location")
            if response.status in REDIRECTS and location:
                current = urljoin(current, location.strip())
                if unfetchable(current) is not None:
                    return Protego.parse("")
                continue
            if 200 <= response.status < 300:
                return Protego.parse(response.content.decode("utf-8", errors="replace"))
            if 400 <= response.status < 500:
                return Protego.parse("")  # no robots.txt: everything is allowed
            return f"robots.txt unreachable (HTTP {response.status}): the host is not fetched"
        return Protego.parse("")


def _network_reason(err: Exception) -> str:
    if isinstance(err, httpx.ConnectTimeout):
        return "connection timed out"
    if isinstance(err, httpx.TimeoutException):
        return "timed out waiting for the server"
    if isinstance(err, httpx.ConnectError) and str(err).startswith("cannot resolve"):
        return str(err)
    return f"network error: {err}" if str(err) else f"network error ({type(err).__name__})"
